"""Ids as users send them: numbers in paths, forms and query strings, checked against the id columns' range."""

from __future__ import annotations

#: The range of the database's 64-bit id columns; a number outside it names no row (and makes SQLite and asyncpg
#: raise instead of finding nothing).
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


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
