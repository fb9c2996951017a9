"""Baton: one customer, passed hand to hand from sales to delivery to service."""
