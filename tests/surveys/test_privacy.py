"""Small-group suppression: primary and complementary rules, on sets and on option × district tables."""

from __future__ import annotations

from participation.surveys.services.privacy import suppress, suppress_table, suppress_within


def test_a_small_group_is_suppressed_and_its_smallest_neighbour_too_so_the_total_gives_nothing_away():
    shown = suppress({"Nord": 3, "Süd": 7, "West": 12}, 5)
    assert shown == {"Nord": None, "Süd": None, "West": 12}


def test_two_small_groups_protect_each_other():
    assert suppress({"Nord": 3, "Süd": 2, "West": 12}, 5) == {"Nord": None, "Süd": None, "West": 12}


def test_zero_is_shown_and_never_used_as_the_partner():
    assert suppress({"Nord": 3, "Süd": 0, "West": 12, "Ost": 9}, 5) == {"Nord": None, "Süd": 0, "West": 12,
                                                                        "Ost": None}


def test_groups_at_the_threshold_are_shown():
    assert suppress({"a": 5, "b": 5}, 5) == {"a": 5, "b": 5}


def test_a_total_below_the_threshold_suppresses_everything():
    assert suppress({"a": 2, "b": 1, "c": 0}, 5) == {"a": None, "b": None, "c": 0}


def test_forced_groups_count_for_the_complementary_rule():
    assert suppress({"a": 8, "b": 6, "c": 20}, 5, force=["a"]) == {"a": None, "b": None, "c": 20}


def test_subgroups_of_a_hidden_group_are_all_hidden():
    assert suppress_within({"x": 7, None: 6}, 5, parent_shown=False) == {"x": None, None: None}
    assert suppress_within({"x": 7, None: 3}, 5, parent_shown=True) == {"x": None, None: None}


def test_table_cells_get_complementary_partners_in_rows_and_columns():
    # options a/b by districts N/S; the cell (a, N) = 2 is small.
    cells = {("a", "N"): 2, ("b", "N"): 10, ("a", "S"): 8, ("b", "S"): 9}
    columns, table = suppress_table(cells, ["a", "b"], ["N", "S"], 5)
    assert columns == {"N": 12, "S": 17}
    hidden = {key for key, value in table.items() if value is None}
    assert ("a", "N") in hidden
    # Neither its column (total 12) nor its row (total 10) may give it away by subtraction.
    assert any(key[1] == "N" and key != ("a", "N") for key in hidden)
    assert any(key[0] == "a" and key != ("a", "N") for key in hidden)


def test_a_small_column_is_hidden_whole_with_a_partner_column():
    cells = {("a", "N"): 2, ("b", "N"): 1, ("a", "S"): 8, ("b", "S"): 9, ("a", "W"): 30, ("b", "W"): 30}
    columns, table = suppress_table(cells, ["a", "b"], ["N", "S", "W"], 5)
    assert columns == {"N": None, "S": None, "W": 60}
    assert table[("a", "W")] == 30 and table[("a", "S")] is None
