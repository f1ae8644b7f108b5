"""The protected view of a survey: its answers counted per cell (district × centre) and the publication plan of
every question (`privacy`). Every figure any role sees is computed from it; nothing else counts responses.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from participation.directory.services import list_centres, list_districts
from participation.i18n import gettext as _
from participation.surveys.schemas import OTHER, QuestionDef, QuestionKind, SurveyDef, SurveyStatus
from participation.surveys.services.definition import load_survey, now
from participation.surveys.services.privacy import CENTRE, DISTRICT, RESIDUAL, Block, Cell, Grouping, group_cells
from participation.surveys.tables import Answer, Response


@dataclass
class ProtectedSurvey:
    """A survey's answers counted per cell, with the publication plan of every question.

    This is the one place figures come from: results pages, free texts, themes, exports, the API, minutes, centre
    summaries, trends and the audit all read a `ProtectedSurvey` (see `privacy` for the rules).
    """

    survey: SurveyDef
    threshold: int
    closed: bool
    district_names: dict[int, str]
    centre_names: dict[int, str]
    centre_districts: dict[int, int]
    response_counts: dict[Cell, int]
    responses: Grouping
    respondents: dict[int, dict[Cell, int]]
    groupings: dict[int, Grouping]
    choices: dict[int, dict[tuple[str, Cell], int]]
    numbers: dict[int, list[tuple[Cell, float]]]
    others: dict[int, list[tuple[Cell, str]]]

    def label(self, block: Block) -> str:
        """A block's name in the current language."""
        if block.kind == DISTRICT:
            return self.district_names.get(block.district_ids[0], "?")
        if block.kind == RESIDUAL:
            names = sorted((self.district_names.get(d, "?") for d in block.district_ids), key=str.casefold)
            return _("weitere Stadtteile: %(names)s", names=", ".join(names))
        district = self.district_names.get(block.district_ids[0], "?")
        if block.kind == CENTRE:
            centre = block.centre_ids[0]
            return self.centre_names.get(centre, "?") if centre is not None else _("ohne Angabe eines Zentrums")
        names = sorted((self.centre_names.get(c, "?") for c in block.centre_ids if c is not None), key=str.casefold)
        if None in block.centre_ids:
            names.append(_("ohne Angabe eines Zentrums"))
        return _("%(district)s: %(names)s", district=district, names=", ".join(names))

    def question(self, question_id: int) -> QuestionDef | None:
        return next((q for q in self.survey.questions if q.id == question_id), None)


#: The protected views loaded in the current request (see `one_view_per_request`); None outside such a scope.
_views: ContextVar[dict[tuple[int, int], ProtectedSurvey | None] | None] = ContextVar("protected_views", default=None)


@asynccontextmanager
async def one_view_per_request() -> AsyncIterator[None]:
    """Within this scope `load_protected` loads each survey's view once and hands out the same view again.

    For one request that reads several figures of the same survey (the centre dashboard: the summary and a trend per
    key question; trends over several rounds). A view is a snapshot: open the scope only around reading, never
    around a change of answers.
    """
    if _views.get() is not None:
        yield
        return
    token = _views.set({})
    try:
        yield
    finally:
        _views.reset(token)


async def load_protected(survey_id: int, threshold: int, *, survey: SurveyDef | None = None) -> ProtectedSurvey | None:
    """The protected view of a survey (a fixed handful of grouped queries); None if the survey is unknown.

    Inside `one_view_per_request` a survey's view is loaded once and shared. The counts of a closed survey are kept
    between requests as long as one cheap indexed query (`_stamp`) finds its answers unchanged; the privacy rules
    (`group_cells`) and names are applied afresh every time.
    """
    views = _views.get()
    if views is None:
        return await _load_protected(survey_id, threshold, survey)
    key = (survey_id, threshold)
    if key not in views:
        views[key] = await _load_protected(survey_id, threshold, survey)
    return views[key]


@dataclass
class _Counts:
    """What `load_protected` reads from the answers: per cell, before any privacy rule is applied."""

    response_counts: dict[Cell, int]
    respondents: dict[int, dict[Cell, int]]
    choices: dict[int, dict[tuple[str, Cell], int]]
    numbers: dict[int, list[tuple[Cell, float]]]
    others: dict[int, list[tuple[Cell, str]]]


#: Counts of closed surveys, by survey id: (stamp, counts). A closed survey's answers change only by hiding and
#: showing; the stamp (`_stamp`) notices that and any other change, so every process may keep its own copy.
_closed_counts: OrderedDict[int, tuple[tuple, _Counts]] = OrderedDict()
CLOSED_COUNTS_KEPT = 8


async def _stamp(survey: SurveyDef) -> tuple:
    """What identifies the state of a closed survey's answers, in one indexed round trip: the survey row (its
    creation time), its questions, its responses (number, highest id) and its hidden answers (number, sum of ids)."""
    questions = tuple((q.id, q.kind.value, q.allow_other) for q in survey.questions)
    rows = await Response.raw(
        "SELECT (SELECT created_at FROM survey WHERE id = {}) AS created,"
        " (SELECT count(*) FROM survey_response WHERE survey = {}) AS responses,"
        " (SELECT max(id) FROM survey_response WHERE survey = {}) AS last_response,"
        " (SELECT count(*) FROM survey_answer a JOIN survey_question q ON q.id = a.question"
        "  WHERE a.hidden AND q.survey = {}) AS hidden,"
        " (SELECT sum(a.id) FROM survey_answer a JOIN survey_question q ON q.id = a.question"
        "  WHERE a.hidden AND q.survey = {}) AS hidden_ids",
        survey.id, survey.id, survey.id, survey.id, survey.id,
    )
    row = rows[0]
    return (str(row["created"]), row["responses"], row["last_response"], row["hidden"], row["hidden_ids"],
            questions, survey.published, survey.closes_at)


async def _counts(survey: SurveyDef, closed: bool) -> _Counts:
    """The counts of a survey; those of a closed one are kept between requests while its stamp holds."""
    if not closed:
        return await _count_answers(survey)
    stamp = await _stamp(survey)
    kept = _closed_counts.get(survey.id)
    if kept is not None and kept[0] == stamp:
        _closed_counts.move_to_end(survey.id)
        return kept[1]
    counts = await _count_answers(survey)
    _closed_counts[survey.id] = (stamp, counts)
    _closed_counts.move_to_end(survey.id)
    while len(_closed_counts) > CLOSED_COUNTS_KEPT:
        _closed_counts.popitem(last=False)
    return counts


async def _load_protected(survey_id: int, threshold: int, survey: SurveyDef | None) -> ProtectedSurvey | None:
    survey = survey or await load_survey(survey_id)
    if survey is None:
        return None
    closed = survey.status(now()) is SurveyStatus.CLOSED
    districts = await list_districts()
    centres = await list_centres()
    counts = await _counts(survey, closed)
    return ProtectedSurvey(
        survey=survey, threshold=threshold, closed=closed,
        district_names={d.id: d.name for d in districts}, centre_names={c.id: c.name for c in centres},
        centre_districts={c.id: c.district_id for c in centres},
        response_counts=counts.response_counts, responses=group_cells(counts.response_counts, threshold),
        respondents=counts.respondents,
        groupings={q.id: group_cells(counts.respondents.get(q.id, {}), threshold) for q in survey.questions},
        choices=counts.choices, numbers=counts.numbers, others=counts.others,
    )


async def _count_answers(survey: SurveyDef) -> _Counts:
    survey_id = survey.id
    response_rows = await Response.select(Response.district, Response.centre, Count()).where(
        Response.survey == survey_id
    ).group_by(Response.district, Response.centre)
    question_ids = [q.id for q in survey.questions]
    multiple_ids = [q.id for q in survey.questions if q.kind is QuestionKind.MULTIPLE]
    number_ids = {q.id for q in survey.questions if q.kind is QuestionKind.NUMBER}
    other_ids = [q.id for q in survey.questions if q.allow_other]
    # The survey's questions by id (no join with the question table); one pass over the answers counts them per
    # question, value and cell. A person gives one answer row per question except in multiple choice, whose
    # respondents are counted distinct in a second, smaller query.
    of_survey = Answer.question.is_in(question_ids or [-1]) & Answer.hidden.eq(False)
    district = Answer.response.district.as_alias("district")
    centre = Answer.response.centre.as_alias("centre")
    value_rows = await Answer.select(
        Answer.question, Answer.choice, Answer.number, district, centre, Count(alias="n"),
    ).where(of_survey).group_by(
        Answer.question, Answer.choice, Answer.number, Answer.response.district, Answer.response.centre
    )
    multiple_rows = await Answer.select(
        Answer.question, district, centre, Count(distinct=[Answer.response], alias="n")
    ).where(Answer.question.is_in(multiple_ids) & Answer.hidden.eq(False)).group_by(
        Answer.question, Answer.response.district, Answer.response.centre
    ) if multiple_ids else []
    other_rows = await Answer.select(
        Answer.question, Answer.response.district.as_alias("district"), Answer.response.centre.as_alias("centre"),
        Answer.text,
    ).where(
        Answer.question.is_in(other_ids) & Answer.hidden.eq(False) & (Answer.choice == OTHER)
        & Answer.text.is_not_null()
    ).order_by(Answer.id) if other_ids else []

    response_counts: dict[Cell, int] = defaultdict(int)
    for row in response_rows:
        response_counts[(row["district"], row["centre"])] += row["count"]
    respondents: dict[int, dict[Cell, int]] = defaultdict(dict)
    choices: dict[int, dict[tuple[str, Cell], int]] = defaultdict(dict)
    numbers: dict[int, list[tuple[Cell, float]]] = defaultdict(list)
    multiple = set(multiple_ids)
    for row in value_rows:
        question, cell, n = row["question"], (row["district"], row["centre"]), row["n"]
        if question not in multiple:
            respondents[question][cell] = respondents[question].get(cell, 0) + n
        if row["choice"] is not None:
            key = (row["choice"], cell)
            choices[question][key] = choices[question].get(key, 0) + n
        if question in number_ids and row["number"] is not None:
            numbers[question].extend([(cell, row["number"])] * n)
    for row in multiple_rows:
        respondents[row["question"]][(row["district"], row["centre"])] = row["n"]
    others: dict[int, list[tuple[Cell, str]]] = defaultdict(list)
    for row in other_rows:
        others[row["question"]].append(((row["district"], row["centre"]), row["text"]))
    return _Counts(response_counts=dict(response_counts), respondents=dict(respondents), choices=dict(choices),
                   numbers=dict(numbers), others=dict(others))
