"""Retention: what the platform deletes, when, and the daily job that does it (see the privacy notice)."""
