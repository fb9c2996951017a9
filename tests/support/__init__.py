"""Test doubles for the edge of the world: services Baton talks to but does not own."""
