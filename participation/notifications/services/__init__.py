"""Notification services: subscriptions (double opt-in, unsubscribe) and sending the outbox over SMTP."""
