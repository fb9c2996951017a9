"""Alerts leave Baton here: reminders, the outbox, and the web push sender."""
