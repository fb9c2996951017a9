"""Tests for baton.notify: VAPID keys and the web push sender."""
