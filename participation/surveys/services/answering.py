"""The parents' side: which questions a page shows, validating answers in the parent's language, saving a response.

How answers are stored (one `Answer` row per value):
single choice, yes/no: `choice` = option code / "yes" | "no"; multiple choice: one row per chosen code, "other"
with its text in `text`; scale: `choice` = "1".."5" and `number`; number: `number`; free text: `text`.
A question not answered, or hidden by its condition, has no row.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType

from participation.db import transaction
from participation.directory.tables import District
from participation.documents.formatting import number
from participation.i18n import current_language
from participation.i18n import gettext as _
from participation.surveys.schemas import (
    LONG_TEXT_MAX,
    OTHER,
    SHORT_TEXT_MAX,
    QuestionDef,
    QuestionKind,
    SectionDef,
    SurveyDef,
)
from participation.surveys.services.codes import consume_code, normalise_code
from participation.surveys.tables import Answer, Response

log = logging.getLogger(__name__)


@dataclass
class AnswerValue:
    """A parent's answer to one question, normalised."""

    choices: list[str] = field(default_factory=list)
    number: float | None = None
    text: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.choices and self.number is None and not self.text


def field_name(question: QuestionDef) -> str:
    return f"q_{question.key}"


def other_field_name(question: QuestionDef) -> str:
    return f"q_{question.key}_other"


def new_submission_id() -> str:
    return secrets.token_urlsafe(24)


def read_answers(survey: SurveyDef, getlist: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """The raw form values of every question (kept as typed, so a page can be shown again unchanged)."""
    raw: dict[str, list[str]] = {}
    for question in survey.questions:
        values = [v for v in getlist(field_name(question)) if v is not None]
        if values:
            raw[field_name(question)] = values
        other = getlist(other_field_name(question))
        if other:
            raw[other_field_name(question)] = other
    return raw


def is_visible(question: QuestionDef, answers: dict[str, AnswerValue]) -> bool:
    """A question with a condition is shown only when the earlier answer has the given value."""
    if not question.condition_key:
        return True
    earlier = answers.get(question.condition_key)
    return earlier is not None and question.condition_value in earlier.choices


#: A number as parents write it: digits, a decimal comma or point; no exponent ("1e1"), no "inf", no thousands marks.
_NUMBER = re.compile(r"[+-]?\d{1,9}(?:[.,]\d{1,6})?")
_WHOLE_NUMBER = re.compile(r"[+-]?\d{1,9}")


def _parse_number(text: str, *, whole: bool = False) -> float | None:
    text = text.strip().replace(" ", "")
    if not (_WHOLE_NUMBER if whole else _NUMBER).fullmatch(text):
        return None
    return float(text.replace(",", "."))


def _yes_no_label(value: str) -> str:
    return _("Ja") if value == "yes" else _("Nein")


def choice_label(question: QuestionDef | None, value: str, language: str) -> str:
    """The label a parent reads for one answer code of a question (yes/no, scale value or option)."""
    if question is None:
        return value
    if question.kind is QuestionKind.YESNO:
        return _yes_no_label(value)
    option = next((o for o in question.options if o.value == value), None)
    return option.label(language) if option else value


def condition_hint(survey: SurveyDef, question: QuestionDef, language: str) -> str:
    """"Only answer when …": the condition of a follow-up question in the parent's words."""
    condition = survey.question_by_key(question.condition_key or "")
    return _("Nur beantworten, wenn Sie bei „%(question)s“ „%(answer)s“ gewählt haben.",
             question=condition.text(language) if condition else question.condition_key,
             answer=choice_label(condition, question.condition_value or "", language))


def _format_bound(value: float) -> str:
    return number(value, None, thousands="")


def parse_question(question: QuestionDef, raw: dict[str, list[str]]) -> tuple[AnswerValue, str | None]:
    """The normalised answer and, if the input is invalid, a message in the current language."""
    values = [v.strip() for v in raw.get(field_name(question), []) if v.strip()]
    kind = question.kind
    answer = AnswerValue()
    if kind.is_text:
        text = " ".join(values).strip() if values else ""
        limit = SHORT_TEXT_MAX if kind is QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
        if len(text) > limit:
            return AnswerValue(text=text), _("Bitte kürzen Sie Ihre Antwort auf höchstens %(n)s Zeichen.", n=limit)
        answer.text = text or None
    elif kind is QuestionKind.NUMBER:
        if values:
            number = _parse_number(values[0], whole=question.whole_number)
            if number is None and question.whole_number:
                return answer, _("Bitte geben Sie eine ganze Zahl ohne Komma ein, zum Beispiel 2.")
            if number is None:
                return answer, _("Bitte geben Sie eine Zahl ein, zum Beispiel 2 oder 2,5.")
            if question.min_value is not None and number < question.min_value:
                return answer, _("Bitte geben Sie eine Zahl ab %(min)s ein.", min=_format_bound(question.min_value))
            if question.max_value is not None and number > question.max_value:
                return answer, _("Bitte geben Sie eine Zahl bis %(max)s ein.", max=_format_bound(question.max_value))
            answer.number = number
    else:
        allowed = set(question.option_values())
        if question.allow_other:
            allowed.add(OTHER)
        if kind is not QuestionKind.MULTIPLE and len(values) > 1:
            return answer, _("Bitte wählen Sie nur eine Antwort.")
        unknown = [v for v in values if v not in allowed]
        if unknown:
            return answer, _("Bitte wählen Sie eine der angebotenen Antworten.")
        answer.choices = list(dict.fromkeys(values))
        if kind is QuestionKind.SCALE and answer.choices:
            answer.number = float(answer.choices[0])
        other = " ".join(raw.get(other_field_name(question), [])).strip() if question.allow_other else ""
        if other and OTHER not in answer.choices:
            return answer, _("Sie haben bei „Sonstiges, und zwar“ etwas eingetragen. Bitte kreuzen Sie auch "
                             "„Sonstiges“ an oder leeren Sie das Feld.")
        if OTHER in answer.choices:
            if not other:
                return answer, _("Bitte beschreiben Sie kurz, was Sie mit „Sonstiges“ meinen.")
            if len(other) > SHORT_TEXT_MAX:
                return answer, _("Bitte kürzen Sie Ihre Antwort auf höchstens %(n)s Zeichen.", n=SHORT_TEXT_MAX)
            answer.text = other
    return answer, None


def evaluate(
    survey: SurveyDef, raw: dict[str, list[str]], sections: Iterable[SectionDef] | None = None
) -> tuple[dict[str, AnswerValue], dict[str, str]]:
    """Answers of every question and the errors of the given sections (default: all), keyed by question key.

    Conditions are applied in order: a hidden question is never required and its answer is dropped (the parent
    changed an earlier answer on another page and no longer sees it). A follow-up answered on the same page as its
    unmet condition is an error instead: the parent sees both and is asked to clear one.
    """
    checked = {q.key for s in (sections if sections is not None else survey.sections) for q in s.questions}
    section_of = {q.key: q.section_id for q in survey.questions}
    answers: dict[str, AnswerValue] = {}
    errors: dict[str, str] = {}
    for question in survey.questions:
        if not is_visible(question, answers):
            same_page = section_of.get(question.condition_key or "") == question.section_id
            if same_page and question.key in checked and any(
                v.strip() for v in raw.get(field_name(question), []) + raw.get(other_field_name(question), [])
            ):
                condition = survey.question_by_key(question.condition_key or "")
                errors[question.key] = _(
                    "Diese Frage gilt nur, wenn Sie bei „%(question)s“ „%(answer)s“ gewählt haben. Bitte lassen Sie "
                    "sie leer oder ändern Sie Ihre Antwort dort.",
                    question=(condition or question).text(current_language()),
                    answer=choice_label(condition, question.condition_value or "", current_language()),
                )
            continue
        answer, error = parse_question(question, raw)
        if error is None and question.required and answer.is_empty:
            error = _("Bitte beantworten Sie diese Frage.")
        if question.key in checked and error:
            errors[question.key] = error
        if error is None and not answer.is_empty:
            answers[question.key] = answer
    return answers, errors


#: How a response came in (`Response.channel`).
ONLINE = "online"
PAPER = "paper"
CHANNELS = (ONLINE, PAPER)


class SaveOutcome(enum.StrEnum):
    SAVED = "saved"
    DUPLICATE = "duplicate"
    CODE_INVALID = "code_invalid"


#: One lock per event loop: SQLite submissions of this process queue for the write lock in order of arrival.
_sqlite_writers: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = WeakKeyDictionary()


def request_transaction(*, writes: bool):
    """The transaction around the reads of a parent's POST: none on PostgreSQL, one read transaction on SQLite.

    PostgreSQL: every query takes a pooled connection for itself (handed back without a reset round trip, see
    `db._keep_session`), and a submission is saved in one statement, atomic without a transaction around it.
    SQLite: outside a transaction every query opens a connection (and a thread), so the reads of a request that does
    not write share one; a request that writes reads without a transaction and saves in a short one of its own (see
    `_save_transaction`), so the database's single write lock is held only while the rows are inserted.
    """
    engine = Response._meta.db
    if not isinstance(engine, SQLiteEngine) or writes:
        return nullcontext()
    return engine.transaction()


class _QueuedSQLiteTransaction(SQLiteTransaction):
    """BEGIN IMMEDIATE after the submissions of this process that came first, holding the queue until COMMIT.

    SQLite's own busy wait is not first come, first served: under load some submissions waited for seconds while
    later ones went through. The queue covers only BEGIN to COMMIT, not opening the connection (a new thread).
    """

    _queued = False

    async def begin(self) -> None:
        lock = _sqlite_writers.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        await lock.acquire()
        self._queue, self._queued = lock, True
        try:
            await super().begin()
        except BaseException:
            self._leave_queue()
            raise

    async def commit(self) -> None:
        try:
            await super().commit()
        finally:
            self._leave_queue()

    async def rollback(self) -> None:
        try:
            await super().rollback()
        finally:
            self._leave_queue()

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        finally:
            self._leave_queue()

    def _leave_queue(self) -> None:
        if self._queued:
            self._queued = False
            self._queue.release()


def _save_transaction():
    """The saving transaction: the caller's if it holds one, on SQLite a queued immediate one (see above)."""
    engine = Response._meta.db
    if isinstance(engine, SQLiteEngine):
        return _QueuedSQLiteTransaction(engine=engine, transaction_type=TransactionType.immediate)
    return transaction()


async def place_error(district_id: int | None, centre_id: int | None) -> tuple[str, str] | None:
    """(field, message) when the district is missing/unknown or the centre is not in that district."""
    if district_id is None:
        return "district", _("Bitte wählen Sie Ihren Stadtteil.")
    # One statement for both checks (it runs on every page of every parent's form).
    rows = await District.raw(
        "SELECT EXISTS (SELECT 1 FROM district WHERE id = {}) AS district_known, "
        "EXISTS (SELECT 1 FROM centre WHERE id = {} AND district = {}) AS centre_in_district",
        district_id, centre_id, district_id,
    )
    if not rows[0]["district_known"]:
        return "district", _("Bitte wählen Sie Ihren Stadtteil.")
    if centre_id is not None and not rows[0]["centre_in_district"]:
        return "centre", _("Dieses Zentrum liegt nicht in dem gewählten Stadtteil. Bitte wählen Sie erneut.")
    return None


#: Answer rows per INSERT statement: SQLite allows 999 parameters in one statement on older versions.
_ROWS_PER_INSERT = 150


def answer_rows(survey: SurveyDef, answers: dict[str, AnswerValue]) -> list[tuple]:
    """(question id, choice, number, text) of every answer row of a response, as described at the top."""
    questions = {q.key: q for q in survey.questions}
    rows: list[tuple] = []
    for key, answer in answers.items():
        question = questions[key]
        if answer.choices:
            number_value = answer.number if question.kind is QuestionKind.SCALE else None
            rows.extend((question.id, choice, number_value, answer.text if choice == OTHER else None)
                        for choice in answer.choices)
        else:
            rows.append((question.id, None, answer.number, answer.text))
    return rows


async def save_response(
    survey: SurveyDef, *, district_id: int, centre_id: int | None, language: str,
    answers: dict[str, AnswerValue], submission_id: str, code: str | None = None, channel: str = ONLINE,
) -> SaveOutcome:
    """Store one response with its answers, once per submission id, consuming the invitation code if needed.

    The unique submission id decides: the response row is inserted first with ON CONFLICT DO NOTHING, so a retry or a
    double click (even one racing the first on another process) stores nothing and is answered like a success, and
    no transaction ever fails on the unique index. All answer rows go in one statement. Two or three statements in
    all, in one transaction (the caller's, when it already holds one). `channel` is "online" (the parents' form)
    or "paper" (typed in by centre staff; a paper form needs no invitation code).
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    records = answer_rows(survey, answers)
    if not isinstance(Response._meta.db, SQLiteEngine):
        return await _save_in_one_statement(survey, district_id, centre_id, language, records, submission_id, code,
                                            channel)
    async with _save_transaction():
        inserted = await Response.raw(
            "INSERT INTO survey_response (survey, district, centre, language, submitted_on, submission_id, channel) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}) ON CONFLICT (submission_id) DO NOTHING RETURNING id",
            survey.id, district_id, centre_id, language, datetime.now(UTC).date(), submission_id, channel,
        )
        if not inserted:
            return SaveOutcome.DUPLICATE
        response_id = inserted[0]["id"]
        if survey.uses_codes and channel == ONLINE and not (code and await consume_code(survey.id, code)):
            # Nothing else is written yet; the response must not count without its code.
            await Response.delete().where(Response.id == response_id)
            return SaveOutcome.CODE_INVALID
        for start in range(0, len(records), _ROWS_PER_INSERT):
            chunk = records[start:start + _ROWS_PER_INSERT]
            values = ", ".join(["({}, {}, {}, {}, {}, {})"] * len(chunk))
            await Answer.raw(
                f"INSERT INTO survey_answer (response, question, choice, number, text, hidden) VALUES {values}",  # noqa: S608 - only placeholders
                *(value for row in chunk for value in (response_id, *row, False)),
            )
    return SaveOutcome.SAVED


async def is_saved(submission_id: str) -> bool:
    """Whether a response with this submission id was stored."""
    return await Response.exists().where(Response.submission_id == submission_id)


#: PostgreSQL: the response, its code and all its answers in one statement (one round trip, atomic by itself). The
#: parts of a statement see the same snapshot, so `known` tells whether this submission id was stored before.
_SAVE_STATEMENT = """
WITH known AS (SELECT 1 FROM survey_response WHERE submission_id = {submission}::varchar),
code AS (
    UPDATE invitation_code SET used = true
    WHERE {uses_codes}::boolean AND survey = {survey} AND code = {code} AND NOT used
        AND NOT EXISTS (SELECT 1 FROM known)
    RETURNING 1
),
response AS (
    INSERT INTO survey_response (survey, district, centre, language, submitted_on, submission_id, channel)
    SELECT {survey}::integer, {district}::integer, {centre}::integer, {language}::varchar, {day}::date,
        {submission}::varchar, {channel}::varchar
    WHERE NOT EXISTS (SELECT 1 FROM known) AND (NOT {uses_codes}::boolean OR EXISTS (SELECT 1 FROM code))
    ON CONFLICT (submission_id) DO NOTHING
    RETURNING id
),
answers AS (
    INSERT INTO survey_answer (response, question, choice, number, text, hidden)
    SELECT response.id, a.question, a.choice, a.number, a.text, false
    FROM response, unnest({questions}::integer[], {choices}::text[], {numbers}::float8[], {texts}::text[])
        AS a(question, choice, number, text)
    RETURNING 1
)
SELECT (SELECT id FROM response) AS id, EXISTS (SELECT 1 FROM known) AS known
"""
#: Piccolo's raw() takes positional {} placeholders: the statement with them, and the names in their order.
_SAVE_ORDER = re.findall(r"\{(\w+)\}", _SAVE_STATEMENT)
_SAVE_POSITIONAL = re.sub(r"\{\w+\}", "{}", _SAVE_STATEMENT)


async def _save_in_one_statement(
    survey: SurveyDef, district_id: int, centre_id: int | None, language: str, records: list[tuple],
    submission_id: str, code: str | None, channel: str,
) -> SaveOutcome:
    uses_codes = survey.uses_codes and channel == ONLINE
    values = {
        "submission": submission_id, "uses_codes": uses_codes, "survey": survey.id,
        "code": normalise_code(code) if code else "", "district": district_id, "centre": centre_id,
        "language": language, "day": datetime.now(UTC).date(), "channel": channel,
        "questions": [r[0] for r in records], "choices": [r[1] for r in records],
        "numbers": [r[2] for r in records], "texts": [r[3] for r in records],
    }
    row = (await Response.raw(_SAVE_POSITIONAL, *(values[name] for name in _SAVE_ORDER)))[0]
    if row["id"] is not None:
        return SaveOutcome.SAVED
    if row["known"] or await Response.exists().where(Response.submission_id == submission_id):
        return SaveOutcome.DUPLICATE  # stored before, or by a double click racing this one
    return SaveOutcome.CODE_INVALID
