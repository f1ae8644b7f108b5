"""The publication plan of one question: blocks of at least the threshold, small districts recoded first."""

from __future__ import annotations

from participation.surveys.services.privacy import (
    CENTRE,
    CENTRE_RESIDUAL,
    DISTRICT,
    RESIDUAL,
    common_blocks,
    group_cells,
)


def test_small_districts_are_combined_into_a_named_residual_block():
    plan = group_cells({(1, None): 19, (2, None): 3, (3, None): 4, (4, None): 0}, 5)
    assert [(b.kind, b.district_ids, b.respondents) for b in plan.blocks] == [
        (DISTRICT, (1,), 19), (RESIDUAL, (2, 3), 7)]
    assert plan.excluded == frozenset() and plan.shown_total == 26


def test_a_residual_still_too_small_is_left_out_and_large_districts_keep_their_results():
    # Three districts answering: 19, 21 and 4. The 4 are left out of every figure; neither large one is hidden.
    plan = group_cells({(1, None): 19, (2, None): 21, (3, None): 4}, 5)
    assert [b.district_ids for b in plan.blocks] == [(1,), (2,)]
    assert plan.excluded == frozenset({(3, None)}) and plan.excluded_count == 4
    assert plan.own_block(1) is not None and plan.block_of_district(3) is None


def test_a_question_answered_by_fewer_than_the_threshold_shows_nothing():
    plan = group_cells({(1, None): 2, (2, None): 1}, 5)
    assert not plan.shown and plan.blocks == ()


def test_centres_are_broken_down_only_where_the_remainder_is_large_enough():
    counts = {(1, 10): 8, (1, 11): 6, (1, None): 2}
    plan = group_cells(counts, 5)
    parts = plan.centre_blocks[1]
    # The remainder (2, no centre named) is too small: the smaller centre (6) joins it.
    assert [(b.kind, b.centre_ids, b.respondents) for b in parts] == [
        (CENTRE, (10,), 8), (CENTRE_RESIDUAL, (11, None), 8)]
    assert plan.centre_block(1, 11).kind == CENTRE_RESIDUAL


def test_a_district_with_one_large_centre_and_a_small_rest_has_no_breakdown():
    plan = group_cells({(1, 10): 8, (1, None): 2}, 5)
    assert 1 not in plan.centre_blocks


def test_blocks_over_several_questions_are_unions_of_each_questions_blocks():
    first = group_cells({(1, None): 9, (2, None): 6}, 5)
    second = group_cells({(1, None): 9, (2, None): 3, (3, None): 4}, 5)
    texts = {(1, None): 18, (2, None): 9, (3, None): 4}
    plan = common_blocks([first, second], texts, 5)
    # District 2 is a block of its own in the first question only, so it joins the residual here.
    assert [(b.kind, b.district_ids) for b in plan.blocks] == [(DISTRICT, (1,)), (RESIDUAL, (2, 3))]
