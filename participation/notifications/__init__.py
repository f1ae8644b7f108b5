"""Notifications: parents who left an e-mail address are told when a round's outcomes are published (issue 14).

The address is stored apart from every response (no link to one, only the day), confirmed by double opt-in, and
deleted once the round's outcome mail has gone out or when the parent unsubscribes.
"""
