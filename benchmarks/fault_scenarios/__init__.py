"""Fault scenarios for benchmarks/faults.py.

Each module exposes `SCENARIOS = [("name", function), ...]`. `function(database_url) -> str` gets a fresh, migrated,
otherwise empty database (PostgreSQL or an SQLite file), provokes its fault, checks what users would notice and
returns one line saying what happened. It raises (AssertionError with the reason) when the platform did not survive.
An optional third element names the database kinds a scenario needs, e.g. `("postgresql",)` for one that brings a
private cluster of its own: it then runs once instead of once per kind. The runner gives each scenario a process of
its own and sets DATABASE_URL to the same URL.
"""
