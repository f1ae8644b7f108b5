"""The live poll's rules: open and close, one vote per phone, the stored result, and the stepped (protected) view."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest

from participation.dialogues.services import agenda, polls, snapshots
from participation.dialogues.services.live import PollHub
from participation.dialogues.tables import PollVote

THRESHOLD = 5


@pytest.fixture
async def round_id(make) -> int:
    round_id = await make.round()
    for title in ("Kita-Plätze", "Ferienbetreuung", "Spielplätze", "Sprachkurse"):
        await agenda.add_free_item(round_id, title)
    return round_id


async def _open(round_id: int, kind: str = "top3") -> polls.PollOut:
    poll_id = await polls.create_poll(round_id, kind)
    await polls.open_poll(round_id, poll_id)
    return await polls.get_poll(round_id, poll_id)


async def _vote(poll: polls.PollOut, *option_positions: int) -> str:
    token = polls.new_token()
    assert await polls.cast_vote(poll, token, [poll.options[n].id for n in option_positions])
    return token


async def test_a_poll_is_prepared_opened_and_closed_and_each_step_only_once(db, round_id):
    poll_id = await polls.create_poll(round_id, "top3")
    poll = await polls.get_poll(round_id, poll_id)
    assert poll.status == "draft" and len(poll.code) == polls.CODE_LENGTH
    assert [o.label for o in poll.options] == ["1. Kita-Plätze", "2. Ferienbetreuung", "3. Spielplätze",
                                               "4. Sprachkurse"]
    with pytest.raises(polls.PollError):
        await polls.close_poll(round_id, poll_id, threshold=THRESHOLD)
    await polls.open_poll(round_id, poll_id)
    with pytest.raises(polls.PollError):
        await polls.open_poll(round_id, poll_id)
    with pytest.raises(polls.PollError):
        await polls.delete_poll(round_id, poll_id)
    await polls.close_poll(round_id, poll_id, threshold=THRESHOLD)
    assert (await polls.get_poll(round_id, poll_id)).status == "closed"
    with pytest.raises(polls.PollError):
        await polls.close_poll(round_id, poll_id, threshold=THRESHOLD)
    with pytest.raises(polls.PollError):
        await polls.cast_vote(await polls.get_poll(round_id, poll_id), polls.new_token(), [poll.options[0].id])


async def test_a_top3_poll_needs_an_agenda_and_other_kinds_have_their_answers(db, make):
    empty_round = await make.round(year=2031)
    with pytest.raises(polls.PollError, match="mindestens zwei Punkte"):
        await polls.create_poll(empty_round, "top3")
    yes_no = await polls.get_poll(empty_round, await polls.create_poll(empty_round, "yes_no"))
    scale = await polls.get_poll(empty_round, await polls.create_poll(empty_round, "scale", "Wie war der Abend?"))
    assert [o.value for o in yes_no.options] == ["yes", "no"] and yes_no.question == "Stimmen Sie zu?"
    assert [o.label for o in scale.options] == ["1", "2", "3", "4", "5"] and scale.question == "Wie war der Abend?"
    with pytest.raises(polls.PollError):
        await polls.create_poll(empty_round, "ranking")


async def test_one_phone_votes_once_even_when_it_sends_the_vote_several_times_at_once(db, round_id):
    poll = await _open(round_id)
    token = polls.new_token()
    outcomes = await asyncio.gather(*[
        polls.cast_vote(poll, token, [poll.options[0].id, poll.options[1].id]) for _ in range(6)
    ])
    assert outcomes.count(True) == 1
    assert await polls.cast_vote(poll, token, [poll.options[2].id]) is False
    assert await PollVote.count().where(PollVote.poll == poll.id) == 1
    assert (await polls.count_votes(poll.id)) == (1, {poll.options[0].id: 1, poll.options[1].id: 1})
    # The database keeps a hash of the token, never the token.
    stored = await PollVote.select(PollVote.token_hash).first()
    assert token not in stored["token_hash"] and stored["token_hash"] == polls.token_hash(poll.id, token)


def test_choices_are_checked_against_the_poll():
    options = tuple(polls.OptionOut(id=n, value="item", label=f"{n}") for n in range(1, 6))
    top3 = polls.PollOut(1, 1, "top3", "?", "open", "ABCD", None, None, options, {})
    assert polls.check_choices(top3, ["1", "3", "3", "5"]) == [1, 3, 5]
    for bad in ([], ["1", "2", "3", "4"], ["99"], ["x"]):
        with pytest.raises(polls.PollError):
            polls.check_choices(top3, bad)
    single = polls.PollOut(1, 1, "yes_no", "?", "open", "ABCD", None, None, options[:2], {})
    with pytest.raises(polls.PollError):
        polls.check_choices(single, ["1", "2"])


async def test_the_stored_result_stays_when_the_agenda_changes_later(db, round_id):
    poll = await _open(round_id)
    for positions in ((0, 1), (0,), (0, 2), (1, 3), (0, 1, 2), (3,)):
        await _vote(poll, *positions)
    stored = await polls.close_poll(round_id, poll.id, threshold=THRESHOLD)
    assert stored["voters"] == 6
    assert [(o["label"], o["count"]) for o in stored["options"]] == [
        ("1. Kita-Plätze", 4), ("2. Ferienbetreuung", 3), ("3. Spielplätze", 2), ("4. Sprachkurse", 2)]
    items = await agenda.list_agenda(round_id)
    await agenda.delete_item(round_id, items[0].id)
    await agenda.add_free_item(round_id, "Neuer Punkt")
    snapshot = await snapshots.build_snapshot(round_id, threshold=THRESHOLD)
    assert snapshot["polls"] == [{"id": poll.id, **stored}]


async def test_minutes_without_polls_keep_their_content_as_before(db, round_id):
    snapshot = await snapshots.build_snapshot(round_id, threshold=THRESHOLD)
    assert "polls" not in snapshot  # published versions of before keep their hash


async def test_no_result_is_shown_below_the_threshold_and_the_closed_poll_says_so(db, round_id):
    poll = await _open(round_id, "yes_no")
    for _ in range(THRESHOLD - 1):
        await _vote(poll, 0)
    view = await polls.live_view(poll.id, threshold=THRESHOLD)
    assert view.received == THRESHOLD - 1 and not view.shown and view.options == []
    stored = await polls.close_poll(round_id, poll.id, threshold=THRESHOLD)
    assert stored["voters"] == 0 and stored["options"] == [] and stored["received"] == THRESHOLD - 1


async def test_watching_the_projector_while_one_person_votes_reveals_nothing(db, round_id):
    """The attack: record every state the screens show, one vote at a time, and take differences of consecutive
    states. A difference over fewer than `threshold` voters would be (part of) a single person's vote."""
    poll = await _open(round_id)
    rng = random.Random(14)
    truth: list[tuple[int, ...]] = []
    shown: list[tuple[int, tuple[int, ...]]] = [(0, ())]
    for _ in range(37):
        choice = tuple(sorted(rng.sample(range(4), rng.randint(1, 3))))
        await _vote(poll, *choice)
        truth.append(choice)
        view = await polls.live_view(poll.id, threshold=THRESHOLD)
        state = (view.voters, tuple(o.count for o in view.options))
        if state != shown[-1]:
            shown.append(state)
    await polls.close_poll(round_id, poll.id, threshold=THRESHOLD)
    closed = await polls.live_view(poll.id, threshold=THRESHOLD)
    final = (closed.voters, tuple(o.count for o in closed.options))
    if final != shown[-1]:
        shown.append(final)
    assert len(shown) >= 4, "the result must move while people vote"
    for (before_voters, _before), (after_voters, after) in itertools.pairwise(shown):
        assert after_voters - before_voters >= THRESHOLD, f"a step of {after_voters - before_voters} voters"
        # Each step is the true count of its voters: the figures are exact, only their timing is coarse.
        expected = [sum(1 for c in truth[:after_voters] if n in c) for n in range(4)]
        assert list(after) == expected
    # 37 votes: the last step at 35 (7 steps of 5); the 2 late votes stay out of the stored result and it says so.
    stored = (await polls.round_results(round_id))[0]
    assert stored["voters"] == 35 and stored["received"] == 37


async def test_screens_of_several_app_processes_show_the_same_steps(db, round_id):
    """Two processes each move the shared state on; neither shows a state the other skipped past by less."""
    poll = await _open(round_id, "scale")
    seen = set()
    for n in range(23):
        await _vote(poll, n % 5)
        views = await asyncio.gather(*[polls.live_view(poll.id, threshold=THRESHOLD) for _ in range(2)])
        seen.update(view.voters for view in views)
    assert sorted(seen) == [0, 5, 10, 15, 20]


async def test_the_live_stream_sends_new_states_and_ends_when_the_poll_closes(db, round_id):
    poll = await _open(round_id, "yes_no")
    hub = PollHub(interval=0.05)
    states = []

    async def watch() -> None:
        async for view in hub.stream(poll.id, THRESHOLD):
            states.append(view)

    watchers = [asyncio.create_task(watch()) for _ in range(3)]
    await asyncio.sleep(0.2)
    assert hub.subscribers(poll.id) == 3 and hub.pollers() == 1  # three screens, one poller
    for _ in range(THRESHOLD):
        await _vote(poll, 1)
    await asyncio.sleep(0.3)
    assert any(s.shown and s.options[1].count == THRESHOLD for s in states)
    await polls.close_poll(round_id, poll.id, threshold=THRESHOLD)
    await asyncio.wait_for(asyncio.gather(*watchers), 5)
    assert states[-1].status == "closed"
    assert hub.subscribers() == 0 and hub.pollers() == 0


async def test_a_screen_that_goes_away_leaves_no_subscriber_behind(db, round_id):
    poll = await _open(round_id, "yes_no")
    hub = PollHub(interval=0.05)

    async def watch() -> None:
        async for _view in hub.stream(poll.id, THRESHOLD):
            pass

    task = asyncio.create_task(watch())
    await asyncio.sleep(0.15)
    assert hub.subscribers(poll.id) == 1
    task.cancel()  # what Litestar does when the client disconnects
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)
    assert hub.subscribers() == 0 and hub.pollers() == 0
