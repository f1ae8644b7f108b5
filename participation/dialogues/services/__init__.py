"""Dialogue rules and queries, by concern: `rounds` (rounds and their topics)."""
