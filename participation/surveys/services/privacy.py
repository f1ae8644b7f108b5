"""Small-group suppression for results, pure and without a database (DESIGN.md, "Privacy and trust").

A figure describing fewer people than the privacy threshold is never shown. Two rules do that:

* **Primary suppression**: a group with ``0 < n < threshold`` is shown as ``None`` ("unterdrückt").
  A group of 0 is shown: it describes nobody, and hiding zeros would make every table unreadable.
* **Secondary (complementary) suppression**: when the total of a set is shown, a single suppressed group could be
  derived by subtraction (total minus the shown groups). So when exactly one group of a set is suppressed, the
  smallest other non-zero group is suppressed as well. A set whose total is itself below the threshold is suppressed
  as a whole.

Example with threshold 5: ``{"Nord": 3, "Süd": 7, "West": 12}`` (total 22 shown) gives
``{"Nord": None, "Süd": None, "West": 12}``; ``{"Nord": 3, "Süd": 0, "West": 12}`` gives
``{"Nord": None, "Süd": 0, "West": None}`` (a zero would not hide anything, so the next non-zero group is taken).

`suppress_table` applies the same rules to a two-way table (options × districts) whose row and column totals are
published elsewhere, repeating them over rows and columns until no cell can be derived from a total.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


def is_small(count: int, threshold: int) -> bool:
    """True for a group that must not be shown on its own (zero is shown)."""
    return 0 < count < threshold


def _complete(values: dict, counts: Mapping, keys: list, *, total_shown: bool) -> bool:
    """Hide one more cell of `keys` if the set would let a hidden one be derived; True when something changed.

    With the total shown, a set needs zero or at least two hidden cells. With the total hidden, the set needs at least
    one hidden cell, or the shown cells would add up to the hidden total.
    """
    hidden = [k for k in keys if values[k] is None]
    needed = (len(hidden) == 1) if total_shown else (not hidden and sum(counts[k] for k in keys) > 0)
    if not needed:
        return False
    candidates = [k for k in keys if values[k] is not None and counts[k] > 0]
    if not candidates:
        return False
    # The smallest group is taken, so the least information is lost.
    values[min(candidates, key=lambda k: (counts[k], keys.index(k)))] = None
    return True


def suppress(counts: Mapping[K, int], threshold: int, *, force: Collection[K] = ()) -> dict[K, int | None]:
    """The counts of one set of groups as they may be shown: suppressed groups are None.

    The total of the set (the sum) is assumed to be shown; if it is below the threshold, every group is suppressed
    (and the caller must suppress the total too, see `suppress_total`). Groups in `force` are suppressed whatever
    their size (because another view hides them), and count for the complementary rule like any other.
    """
    total = sum(counts.values())
    if is_small(total, threshold):
        return {key: (0 if count == 0 and key not in force else None) for key, count in counts.items()}
    values: dict[K, int | None] = {
        key: (None if key in force or is_small(count, threshold) else count) for key, count in counts.items()
    }
    _complete(values, counts, list(counts), total_shown=True)
    return values


def suppress_total(total: int, threshold: int) -> int | None:
    """A total as it may be shown."""
    return None if is_small(total, threshold) else total


def suppress_within(
    counts: Mapping[K, int], threshold: int, *, parent_shown: bool
) -> dict[K, int | None]:
    """The subgroups of a group (e.g. the centres of a district): all suppressed when the group's own count is.

    If the parent figure is hidden, showing every subgroup would reveal it by addition.
    """
    if not parent_shown:
        return dict.fromkeys(counts)
    return suppress(counts, threshold)


def suppress_table(
    cells: Mapping[tuple[R, C], int],
    rows: list[R],
    columns: list[C],
    threshold: int,
    *,
    row_totals_shown: Mapping[R, bool] | None = None,
) -> tuple[dict[C, int | None], dict[tuple[R, C], int | None]]:
    """Suppress a two-way table: (column totals as shown, cells as shown).

    `cells[(row, column)]` are counts, e.g. answers per option and district, where each respondent is in one row
    (single choice, scale, yes/no), so a column's total is the sum of its cells. For multiple choice use
    `suppress_table_with_column_totals` with `columns_add_up=False`. Row totals (an option's count over all
    districts) are published in the overall result; `row_totals_shown[row]` says whether they are shown there.
    """
    column_totals = {c: sum(cells.get((r, c), 0) for r in rows) for c in columns}
    return suppress_table_with_column_totals(
        cells, rows, columns, column_totals, threshold, row_totals_shown=row_totals_shown
    )


def suppress_table_with_column_totals(
    cells: Mapping[tuple[R, C], int],
    rows: list[R],
    columns: list[C],
    column_totals: Mapping[C, int],
    threshold: int,
    *,
    row_totals_shown: Mapping[R, bool] | None = None,
    columns_add_up: bool = True,
    force_columns: Collection[C] = (),
) -> tuple[dict[C, int | None], dict[tuple[R, C], int | None]]:
    """Like `suppress_table`, with the column totals (respondents per column) given.

    1. Columns: a column with fewer respondents than the threshold (or listed in `force_columns`) is suppressed as a
       whole, with the complementary rule across the columns (their sum, the question's respondents, is shown).
       `columns_add_up=False` is for multiple choice, where a column's cells overlap and do not add up to its total.
    2. Cells: primary suppression of small cells.
    3. Repeated until stable: in every shown column whose cells add up to its total, and in every row (whose total
       is the option's overall count), a single hidden cell gets a complementary partner; a row whose total is hidden
       keeps at least one cell hidden.
    """
    shown_columns = suppress(column_totals, threshold, force=force_columns)
    counts = {(r, c): cells.get((r, c), 0) for r in rows for c in columns}
    values: dict[tuple[R, C], int | None] = {}
    for (r, c), count in counts.items():
        values[(r, c)] = None if shown_columns[c] is None or is_small(count, threshold) else count
    totals_shown = row_totals_shown or {}
    # Each pass hides at least one more cell or stops, so this ends after at most len(cells) passes.
    for _ in range(len(counts) + 1):
        changed = False
        if columns_add_up:
            for c in columns:
                if shown_columns[c] is not None:
                    changed |= _complete(values, counts, [(r, c) for r in rows], total_shown=True)
        for r in rows:
            changed |= _complete(values, counts, [(r, c) for c in columns], total_shown=totals_shown.get(r, True))
        if not changed:
            break
    return shown_columns, values
