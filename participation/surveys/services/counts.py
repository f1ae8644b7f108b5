"""A survey's answers counted per cell (district × centre), kept so that reading them stays cheap at any size.

Counting every answer of a survey of 100,000 responses (2.3 million answer rows) takes seconds. The counts are
additive over responses, so they are kept as a *snapshot*: the counts of every response up to some response id, with
hidden answers included. A reader takes the snapshot, adds the responses after it (an indexed range, small) and
subtracts the hidden answers (a partial index, small): the same figures as counting everything, in a few
milliseconds. The snapshot is stored in `survey_counts`, so every app process and every restart shares it; each
process also keeps its own copy in memory while the stored one is unchanged.

Why the snapshot stays right:
- It records how many responses it holds (`responses`). Every reader counts the responses up to its last id again
  (from the index on survey and id); a different number means a response was removed or one committed late under a
  lower id, and the snapshot is built anew.
- It is built after that number is read, so it never holds less than the number says (see `_build`).
- Hiding and showing a free-text answer change no snapshot: hidden answers are subtracted at reading time.
- Anything that deletes or changes answers in place (other than hiding) must call `forget_counts`.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field

from piccolo.query.functions.aggregate import Count

from participation.surveys.schemas import OTHER, QuestionKind, SurveyDef
from participation.surveys.services.answering import ONLINE, PAPER
from participation.surveys.services.privacy import Cell
from participation.surveys.tables import Answer, Response, SurveyCounts

log = logging.getLogger(__name__)

#: New responses after a snapshot that make a reader store a new one (adding them costs a reader ~1 ms per 100).
REFRESH_AFTER = 200
#: Snapshots kept in each process's memory.
KEPT_IN_MEMORY = 8


@dataclass
class Counts:
    """What the protected view reads from the answers: per cell, before any privacy rule is applied."""

    response_counts: Counter = field(default_factory=Counter)
    #: question -> cell -> people who answered it
    respondents: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: question -> (choice, cell) -> people who chose it
    choices: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: question -> (cell, number) -> people who gave that number
    numbers: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: question -> answer id -> (cell, "Sonstiges" text)
    others: dict[int, dict[int, tuple[Cell, str]]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, other: Counts) -> None:
        self.response_counts.update(other.response_counts)
        for mine, theirs in ((self.respondents, other.respondents), (self.choices, other.choices),
                             (self.numbers, other.numbers)):
            for question, counter in theirs.items():
                mine[question].update(counter)
        for question, texts in other.others.items():
            self.others[question].update(texts)

    def subtract(self, other: Counts) -> None:
        """Take `other` (counts of a subset of the same responses) out of these."""
        self.response_counts.subtract(other.response_counts)
        for mine, theirs in ((self.respondents, other.respondents), (self.choices, other.choices),
                             (self.numbers, other.numbers)):
            for question, counter in theirs.items():
                mine[question].subtract(counter)
        for question, texts in other.others.items():
            for answer in texts:
                self.others[question].pop(answer, None)

    def copy(self) -> Counts:
        result = Counts()
        result.add(self)
        return result

    def to_json(self) -> str:
        return json.dumps({
            "responses": [[*cell, n] for cell, n in self.response_counts.items()],
            "respondents": {q: [[*cell, n] for cell, n in c.items()] for q, c in self.respondents.items()},
            "choices": {q: [[choice, *cell, n] for (choice, cell), n in c.items()] for q, c in self.choices.items()},
            "numbers": {q: [[*cell, number, n] for (cell, number), n in c.items()] for q, c in self.numbers.items()},
            "others": {q: [[answer, *cell, text] for answer, (cell, text) in t.items()]
                       for q, t in self.others.items()},
        }, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Counts:
        data = json.loads(text)
        counts = cls()
        counts.response_counts.update({(d, c): n for d, c, n in data["responses"]})
        for q, rows in data["respondents"].items():
            counts.respondents[int(q)].update({(d, c): n for d, c, n in rows})
        for q, rows in data["choices"].items():
            counts.choices[int(q)].update({(choice, (d, c)): n for choice, d, c, n in rows})
        for q, rows in data["numbers"].items():
            counts.numbers[int(q)].update({((d, c), number): n for d, c, number, n in rows})
        for q, rows in data["others"].items():
            counts.others[int(q)].update({answer: ((d, c), text) for answer, d, c, text in rows})
        return counts


@dataclass
class Visible:
    """The counts of the visible answers, in the shapes `ProtectedSurvey` holds."""

    response_counts: dict[Cell, int]
    respondents: dict[int, dict[Cell, int]]
    choices: dict[int, dict[tuple[str, Cell], int]]
    numbers: dict[int, list[tuple[Cell, float]]]
    others: dict[int, list[tuple[Cell, str]]]


@dataclass
class _Snapshot:
    token: str
    signature: str
    last_response: int
    responses: int
    counts: Counts


#: Each process's copies of stored snapshots, by survey id.
_memory: OrderedDict[int, _Snapshot] = OrderedDict()


def _signature(survey: SurveyDef) -> str:
    """What the counts depend on besides the answers: the kind of each question. (A stored snapshot goes with its
    survey row; a process's copy is used only while the stored one carries the same random token.)"""
    return ",".join(f"{q.id}:{q.kind.value}:{int(q.allow_other)}" for q in survey.questions)


async def visible_counts(survey: SurveyDef) -> Visible:
    """The counts of a survey's visible answers (the same as counting them all, see the module's docstring)."""
    return _visible(await _all_counts(survey))


async def channel_counts(survey: SurveyDef) -> dict[str, Visible]:
    """The counts of a survey's visible answers split by channel ("online", "paper").

    Paper forms are typed in by hand, so they are few: they are counted directly (no snapshot), and the online
    counts are the kept counts of all answers minus them, so the two channels always add up to the whole.
    """
    total = await _all_counts(survey)
    paper = await _count(survey, after=0, upto=None, channel=PAPER)
    await _subtract_hidden(survey, paper, channel=PAPER)
    total.subtract(paper)
    return {ONLINE: _visible(total), PAPER: _visible(paper)}


async def has_paper_responses(survey_id: int) -> bool:
    """Whether any response of the survey came on paper (channel tables are worth showing only then)."""
    return await Response.exists().where((Response.survey == survey_id) & (Response.channel == PAPER))


async def _all_counts(survey: SurveyDef) -> Counts:
    snapshot = await _current_snapshot(survey)
    if snapshot is None:
        last, responses = await _responses_so_far(survey.id)
        counts = await _count(survey, after=0, upto=last)
        snapshot = await _store(survey, last, responses, counts)
    newer = await _count(survey, after=snapshot.last_response, upto=None)
    if sum(newer.response_counts.values()) >= REFRESH_AFTER:
        last, responses = await _responses_so_far(survey.id)
        counts = snapshot.counts.copy()
        counts.add(await _count(survey, after=snapshot.last_response, upto=last))
        snapshot = await _store(survey, last, responses, counts)
        newer = await _count(survey, after=snapshot.last_response, upto=None)
    total = snapshot.counts.copy()
    total.add(newer)
    await _subtract_hidden(survey, total)
    return total


async def forget_counts(survey_id: int) -> None:
    """Drop the kept counts of a survey: call after deleting or changing its answers other than by hiding."""
    await SurveyCounts.delete().where(SurveyCounts.survey == survey_id)
    _memory.pop(survey_id, None)


async def _current_snapshot(survey: SurveyDef) -> _Snapshot | None:
    """The stored snapshot if it still holds (one indexed query; a second one only when this process lacks it)."""
    rows = await SurveyCounts.raw(
        "SELECT token, signature, last_response, responses,"
        " (SELECT count(*) FROM survey_response r WHERE r.survey = k.survey AND r.id <= k.last_response) AS counted"
        " FROM survey_counts k WHERE k.survey = {}",
        survey.id,
    )
    if not rows:
        return None
    row = rows[0]
    if row["signature"] != _signature(survey) or row["counted"] != row["responses"]:
        return None
    kept = _memory.get(survey.id)
    if kept is not None and kept.token == row["token"]:
        _memory.move_to_end(survey.id)
        return kept
    payload = await SurveyCounts.select(SurveyCounts.counts).where(
        (SurveyCounts.survey == survey.id) & (SurveyCounts.token == row["token"])
    ).first()
    if payload is None:  # replaced in between: count this time without it
        return None
    return _remember(survey.id, _Snapshot(row["token"], row["signature"], row["last_response"], row["responses"],
                                          Counts.from_json(payload["counts"])))


async def _responses_so_far(survey_id: int) -> tuple[int, int]:
    """The survey's highest response id and its number of responses up to it, read before counting them.

    Counting afterwards can only find more (a response committed in between under a lower id): the snapshot then
    holds more than it says, the next reader finds the numbers differ and builds it anew. Never the other way round.
    """
    row = (await Response.raw(
        "SELECT coalesce(max(id), 0) AS last, count(*) AS n FROM survey_response WHERE survey = {}", survey_id,
    ))[0]
    return row["last"], row["n"]


async def _store(survey: SurveyDef, last: int, responses: int, counts: Counts) -> _Snapshot:
    snapshot = _Snapshot(secrets.token_hex(8), _signature(survey), last, responses, counts)
    try:
        await _write(survey.id, snapshot)
    except Exception:  # derived data: the figures are right without it, and the next reader stores it
        log.warning("The counts of survey %s could not be kept.", survey.id, exc_info=True)
        return snapshot
    return _remember(survey.id, snapshot)


async def _write(survey_id: int, snapshot: _Snapshot) -> None:
    await SurveyCounts.raw(
        "INSERT INTO survey_counts (survey, token, signature, last_response, responses, counts)"
        " VALUES ({}, {}, {}, {}, {}, {}) ON CONFLICT (survey) DO UPDATE SET token = excluded.token,"
        " signature = excluded.signature, last_response = excluded.last_response, responses = excluded.responses,"
        " counts = excluded.counts",
        survey_id, snapshot.token, snapshot.signature, snapshot.last_response, snapshot.responses,
        snapshot.counts.to_json(),
    )


def _remember(survey_id: int, snapshot: _Snapshot) -> _Snapshot:
    _memory[survey_id] = snapshot
    _memory.move_to_end(survey_id)
    while len(_memory) > KEPT_IN_MEMORY:
        _memory.popitem(last=False)
    return snapshot


async def _count(survey: SurveyDef, *, after: int, upto: int | None, channel: str | None = None) -> Counts:
    """Every answer (hidden ones too) of the survey's responses with `after` < id <= `upto` (of one channel if
    given), counted per cell."""
    in_range = (Response.survey == survey.id) & (Response.id > after)
    answers_in_range = (Answer.response.survey == survey.id) & (Answer.response > after)
    if channel is not None:
        in_range &= Response.channel == channel
        answers_in_range &= Answer.response.channel == channel
    if upto is not None:
        in_range &= Response.id <= upto
        answers_in_range &= Answer.response <= upto
    counts = Counts()
    response_rows = await Response.select(Response.district, Response.centre, Count()).where(in_range).group_by(
        Response.district, Response.centre
    )
    if not response_rows:
        return counts
    for row in response_rows:
        counts.response_counts[(row["district"], row["centre"])] += row["count"]
    multiple = {q.id for q in survey.questions if q.kind is QuestionKind.MULTIPLE}
    number_ids = {q.id for q in survey.questions if q.kind is QuestionKind.NUMBER}
    other_ids = [q.id for q in survey.questions if q.allow_other]
    of_survey = answers_in_range & Answer.question.is_in([q.id for q in survey.questions] or [-1])
    district = Answer.response.district.as_alias("district")
    centre = Answer.response.centre.as_alias("centre")
    # One pass over the answers counts them per question, value and cell. A person gives one answer row per question
    # except in multiple choice, whose respondents are counted distinct in a second, smaller query.
    value_rows = await Answer.select(
        Answer.question, Answer.choice, Answer.number, district, centre, Count(alias="n"),
    ).where(of_survey).group_by(
        Answer.question, Answer.choice, Answer.number, Answer.response.district, Answer.response.centre
    )
    for row in value_rows:
        question, cell, n = row["question"], (row["district"], row["centre"]), row["n"]
        if question not in multiple:
            counts.respondents[question][cell] += n
        if row["choice"] is not None:
            counts.choices[question][(row["choice"], cell)] += n
        if question in number_ids and row["number"] is not None:
            counts.numbers[question][(cell, row["number"])] += n
    if multiple:
        multiple_rows = await Answer.select(
            Answer.question, district, centre, Count(distinct=[Answer.response], alias="n")
        ).where(answers_in_range & Answer.question.is_in(list(multiple))).group_by(
            Answer.question, Answer.response.district, Answer.response.centre
        )
        for row in multiple_rows:
            counts.respondents[row["question"]][(row["district"], row["centre"])] += row["n"]
    if other_ids:
        other_rows = await Answer.select(Answer.id, Answer.question, district, centre, Answer.text).where(
            answers_in_range & Answer.question.is_in(other_ids) & (Answer.choice == OTHER)
            & Answer.text.is_not_null()
        )
        for row in other_rows:
            counts.others[row["question"]][row["id"]] = ((row["district"], row["centre"]), row["text"])
    return counts


async def _subtract_hidden(survey: SurveyDef, counts: Counts, channel: str | None = None) -> None:
    """Take the hidden answers (few: abusive free text) out of counts that include them (of one channel if given)."""
    question_ids = [q.id for q in survey.questions]
    if not question_ids:
        return
    hidden = Answer.hidden.eq(True) & Answer.question.is_in(question_ids)
    if channel is not None:
        hidden &= Answer.response.channel == channel
    rows = await Answer.select(
        Answer.id, Answer.response, Answer.question, Answer.choice, Answer.number,
        Answer.response.district.as_alias("district"), Answer.response.centre.as_alias("centre"),
    ).where(hidden)
    if not rows:
        return
    multiple = {q.id for q in survey.questions if q.kind is QuestionKind.MULTIPLE}
    number_ids = {q.id for q in survey.questions if q.kind is QuestionKind.NUMBER}
    hidden_in_multiple: dict[tuple[int, int], Cell] = {}
    for row in rows:
        question, cell = row["question"], (row["district"], row["centre"])
        if question in multiple:
            hidden_in_multiple[(row["response"], question)] = cell
        else:
            counts.respondents[question][cell] -= 1
        if row["choice"] is not None:
            counts.choices[question][(row["choice"], cell)] -= 1
        if question in number_ids and row["number"] is not None:
            counts.numbers[question][(cell, row["number"])] -= 1
        counts.others.get(question, {}).pop(row["id"], None)
    if hidden_in_multiple:
        # A person still counts for a multiple-choice question while one of their choices there is visible.
        responses = sorted({response for response, _ in hidden_in_multiple})
        visible = await Answer.select(Answer.response, Answer.question).where(
            Answer.response.is_in(responses) & Answer.question.is_in(sorted(multiple)) & Answer.hidden.eq(False)
        )
        still_counted = {(row["response"], row["question"]) for row in visible}
        for (response, question), cell in hidden_in_multiple.items():
            if (response, question) not in still_counted:
                counts.respondents[question][cell] -= 1


def _visible(counts: Counts) -> Visible:
    def positive(counter: Counter) -> dict:
        return {key: n for key, n in counter.items() if n > 0}

    return Visible(
        response_counts=positive(counts.response_counts),
        respondents={q: c for q, c in ((q, positive(c)) for q, c in counts.respondents.items()) if c},
        choices={q: c for q, c in ((q, positive(c)) for q, c in counts.choices.items()) if c},
        numbers={q: v for q, v in (
            (q, [(cell, number) for (cell, number), n in sorted(c.items(), key=_number_order) for _ in range(n)])
            for q, c in counts.numbers.items()) if v},
        others={q: [t[answer] for answer in sorted(t)] for q, t in counts.others.items() if t},
    )


def _number_order(item):
    (cell, number), _n = item
    return (cell[0], -1 if cell[1] is None else cell[1], number)
