"""The parents' side: which questions a page shows, validating answers in the parent's language, saving a response.

How answers are stored (one `Answer` row per value):
single choice, yes/no: `choice` = option code / "yes" | "no"; multiple choice: one row per chosen code, "other"
with its text in `text`; scale: `choice` = "1".."5" and `number`; number: `number`; free text: `text`.
A question not answered, or hidden by its condition, has no row.
"""

from __future__ import annotations

import enum
import logging
import math
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from participation.db import transaction
from participation.directory.tables import Centre, District
from participation.documents.formatting import number
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
from participation.surveys.services.codes import consume_code
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


def _parse_number(text: str) -> float | None:
    text = text.strip().replace(" ", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


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
            number = _parse_number(values[0])
            if number is None:
                return answer, _("Bitte geben Sie eine Zahl ein.")
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
        if OTHER in answer.choices:
            other = " ".join(raw.get(other_field_name(question), [])).strip()
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

    Conditions are applied in order: a hidden question's answer is dropped and never required.
    """
    checked = {q.key for s in (sections if sections is not None else survey.sections) for q in s.questions}
    answers: dict[str, AnswerValue] = {}
    errors: dict[str, str] = {}
    for question in survey.questions:
        if not is_visible(question, answers):
            continue
        answer, error = parse_question(question, raw)
        if error is None and question.required and answer.is_empty:
            error = _("Bitte beantworten Sie diese Frage.")
        if question.key in checked and error:
            errors[question.key] = error
        if error is None and not answer.is_empty:
            answers[question.key] = answer
    return answers, errors


class SaveOutcome(enum.StrEnum):
    SAVED = "saved"
    DUPLICATE = "duplicate"
    CODE_INVALID = "code_invalid"


async def place_error(district_id: int | None, centre_id: int | None) -> tuple[str, str] | None:
    """(field, message) when the district is missing/unknown or the centre is not in that district."""
    if district_id is None or not await District.exists().where(District.id == district_id):
        return "district", _("Bitte wählen Sie Ihren Stadtteil.")
    if centre_id is not None and not await Centre.exists().where(
        (Centre.id == centre_id) & (Centre.district == district_id)
    ):
        return "centre", _("Dieses Zentrum liegt nicht in dem gewählten Stadtteil. Bitte wählen Sie erneut.")
    return None


async def save_response(
    survey: SurveyDef, *, district_id: int, centre_id: int | None, language: str,
    answers: dict[str, AnswerValue], submission_id: str, code: str | None = None,
) -> SaveOutcome:
    """Store one response with its answers, once per submission id, consuming the invitation code if needed."""
    if await Response.exists().where(Response.submission_id == submission_id):
        return SaveOutcome.DUPLICATE
    questions = {q.key: q for q in survey.questions}
    try:
        async with transaction():
            if survey.uses_codes and not (code and await consume_code(survey.id, code)):
                return SaveOutcome.CODE_INVALID
            rows = await Response.insert(Response(
                survey=survey.id, district=district_id, centre=centre_id, language=language,
                submitted_on=datetime.now(UTC).date(), submission_id=submission_id,
            )).returning(Response.id)
            response_id = rows[0]["id"]
            records = []
            for key, answer in answers.items():
                question = questions[key]
                if answer.choices:
                    for choice in answer.choices:
                        records.append(Answer(
                            response=response_id, question=question.id, choice=choice,
                            number=answer.number if question.kind is QuestionKind.SCALE else None,
                            text=answer.text if choice == OTHER else None,
                        ))
                else:
                    records.append(Answer(response=response_id, question=question.id, number=answer.number,
                                          text=answer.text))
            if records:
                await Answer.insert(*records)
    except Exception as error:
        # A second request with the same submission id lost the race on the unique index: one response counts.
        if "unique" in str(error).lower() and "submission" in str(error).lower():
            return SaveOutcome.DUPLICATE
        raise
    return SaveOutcome.SAVED
