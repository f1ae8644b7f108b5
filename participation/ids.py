"""Ids as users send them: numbers in paths, forms and query strings, checked against the id columns' range."""

from __future__ import annotations

#: The range of the id columns: Piccolo's `Serial` is a 32-bit `integer` on PostgreSQL (SQLite's is 64 bits). A
#: number outside it names no row, and makes asyncpg (past 2^31) or SQLite (past 2^63) raise instead of finding
#: nothing.
ID_MIN, ID_MAX = -(2**31), 2**31 - 1


def is_valid_id(value: int) -> bool:
    """Whether `value` fits an id column."""
    return ID_MIN <= value <= ID_MAX


def parse_id(value: object) -> int | None:
    """A form or query value as an id; None when it is empty, not a whole number or beyond any id column."""
    if value is None or value == "":
        return None
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return number if is_valid_id(number) else None
