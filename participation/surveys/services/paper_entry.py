"""Paper forms typed in by centre staff (issue 14): the same validation as the parents' online form, the response
marked with its channel ("paper"), and a count per staff member and day for the office.

When entry is allowed: while the survey is open, as online answers are. Once a survey has closed its results are
shown, and every later answer would change them by exactly that answer (the difference of two views is one family's
answers, like reopening, see README "What is not protected"). Paper that arrives late is a reason for the office to
set the end of the survey later before it closes, not to add answers to published results.

Double entry (Zweiterfassung, optional per form): the first person keeps a typed form as a `PaperDraft` (not a
response, counted nowhere); a different staff member of the centre types it again blind; equal entries are saved at
once, otherwise the differences are listed question by question and the second person chooses the right value of
each before the one response is saved and the draft deleted. Such a form counts for both typists.

Who typed a form is never stored with the response: `PaperEntryCount` counts forms per staff member, survey and day,
with no link to the responses and nothing finer than the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from piccolo.query.functions.aggregate import Sum

from participation.accounts.schemas import CurrentUser
from participation.db import transaction
from participation.directory.services import list_districts
from participation.directory.tables import Centre
from participation.documents.formatting import number
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.surveys.schemas import OTHER, SurveyDef, SurveyStatus
from participation.surveys.services import answering
from participation.surveys.services.definition import now, question_numbers
from participation.surveys.tables import PaperDraft, PaperEntryCount


class PaperEntryError(DomainError):
    """A paper form cannot be entered (survey not open, no centre)."""


def entry_open(survey: SurveyDef) -> bool:
    """Paper forms are typed in while the survey is open (see the module's docstring for why not later)."""
    return survey.status(now()) is SurveyStatus.OPEN


@dataclass
class PaperForm:
    """One paper form as typed: the district and the raw answers, kept as typed for showing the page again."""

    district: str
    raw: dict[str, list[str]]
    submission_id: str


@dataclass
class EntryResult:
    """What saving a paper form gave: the errors by field (question key or "district"), else the saved count."""

    errors: dict[str, str]
    saved_today: int = 0


async def save_paper_form(survey: SurveyDef, user: CurrentUser, form: PaperForm) -> EntryResult:
    """Validate a paper form exactly as the online form is validated, then save it as a "paper" response.

    The centre is the staff member's own; it is recorded when the family's district is the centre's district (the
    online form offers only a district's own centres), otherwise the response names no centre. A repeated submission
    (the same submission id: Enter pressed twice) saves once and is counted once.
    """
    checked = await _check(survey, user, form)
    if checked.errors:
        return EntryResult(errors=checked.errors)
    await _save(survey, user, checked, form.submission_id)
    return EntryResult(errors={}, saved_today=await entries_today(user.id, survey.id))


@dataclass
class _Checked:
    answers: dict[str, answering.AnswerValue]
    errors: dict[str, str]
    district_id: int | None
    centre_id: int | None


async def _check(survey: SurveyDef, user: CurrentUser, form: PaperForm) -> _Checked:
    """The online form's validation of a typed form, and where it is recorded (see `save_paper_form`)."""
    if not entry_open(survey):
        raise PaperEntryError(_("Papierbögen können nur eingegeben werden, solange die Umfrage läuft."))
    if user.centre_id is None:
        raise PaperEntryError(_("Ihr Zugang ist keinem Zentrum zugeordnet."))
    answers, errors = answering.evaluate(survey, form.raw)
    district_id = parse_id(form.district) if form.district else None
    centre = await Centre.select(Centre.district).where(Centre.id == user.centre_id).first()
    centre_id = user.centre_id if centre is not None and centre["district"] == district_id else None
    place = await answering.place_error(district_id, centre_id)
    if place is not None:
        errors = {place[0]: _("Bitte wählen Sie den Stadtteil, den die Familie angekreuzt hat."), **errors}
    return _Checked(answers, errors, district_id, centre_id)


async def _save(survey: SurveyDef, user: CurrentUser, checked: _Checked, submission_id: str,
                typists: tuple[int, ...] = ()) -> bool:
    """Save a checked form as a paper response; count it for each typist once. False when it was saved before."""
    outcome = await answering.save_response(
        survey, district_id=checked.district_id, centre_id=checked.centre_id, language="de",
        answers=checked.answers, submission_id=submission_id, channel=answering.PAPER,
    )
    if outcome is not answering.SaveOutcome.SAVED:
        return False
    for typist in typists or (user.id,):
        await _count_entry(typist, survey.id)
    return True


# --- double entry (Zweiterfassung) ---------------------------------------------------------------------------------

#: Days a form typed for double entry waits for its second entry before the retention job deletes it.
PAPER_DRAFT_DAYS = 14


@dataclass
class DraftRow:
    """A form waiting for its second entry, as the entry screen lists it."""

    id: int
    created_on: date
    typed_by: str
    mine: bool


async def save_draft(survey: SurveyDef, user: CurrentUser, form: PaperForm) -> EntryResult:
    """Keep a typed (and valid) form for a second person to type blind; nothing is counted or shown of it."""
    checked = await _check(survey, user, form)
    if checked.errors:
        return EntryResult(errors=checked.errors)
    await PaperDraft.insert(PaperDraft(
        survey=survey.id, centre=user.centre_id, typed_by=user.id, created_on=_today(), district=form.district,
        answers=form.raw, submission_id=form.submission_id,
    ))
    return EntryResult(errors={})


async def list_drafts(survey_id: int, user: CurrentUser) -> list[DraftRow]:
    """The forms of the user's centre waiting for their second entry, oldest first."""
    rows = await PaperDraft.select(
        PaperDraft.id, PaperDraft.created_on, PaperDraft.typed_by, PaperDraft.typed_by.display_name.as_alias("name"),
    ).where((PaperDraft.survey == survey_id) & (PaperDraft.centre == user.centre_id)).order_by(PaperDraft.id)
    return [DraftRow(id=r["id"], created_on=r["created_on"], typed_by=r["name"], mine=r["typed_by"] == user.id)
            for r in rows]


async def _draft(survey: SurveyDef, user: CurrentUser, draft_id: int | None) -> dict:
    row = None
    if draft_id is not None:
        row = await PaperDraft.select().where(
            (PaperDraft.id == draft_id) & (PaperDraft.survey == survey.id) & (PaperDraft.centre == user.centre_id)
        ).output(load_json=True).first()
    if row is None:
        raise DraftNotFound(_("Diesen Bogen zur Zweiterfassung gibt es nicht (mehr). Vielleicht wurde er schon "
                              "gespeichert."))
    if row["typed_by"] == user.id:
        raise PaperEntryError(_("Die Zweiterfassung muss eine andere Person machen als die erste Eingabe."))
    return row


class DraftNotFound(PaperEntryError):
    """The draft does not exist (any more) for this survey and centre."""


@dataclass
class Difference:
    """A question (or the district) the two entries answered differently, with both values in words."""

    key: str
    label: str
    first: str
    second: str


def _value_text(survey: SurveyDef, key: str, answer: answering.AnswerValue | None) -> str:
    if answer is None or answer.is_empty:
        return _("(leer)")
    question = survey.question_by_key(key)
    parts = [answering.choice_label(question, choice, "de") for choice in answer.choices if choice != OTHER]
    if OTHER in answer.choices:
        parts.append(_("Sonstiges: %(text)s", text=answer.text or ""))
    elif answer.text:
        parts.append(answer.text)
    if answer.number is not None and not answer.choices:
        parts.append(number(answer.number, None, thousands=""))
    return ", ".join(parts)


def _same(a: answering.AnswerValue | None, b: answering.AnswerValue | None) -> bool:
    empty = answering.AnswerValue()
    a, b = a or empty, b or empty
    return sorted(a.choices) == sorted(b.choices) and a.number == b.number and (a.text or "") == (b.text or "")


@dataclass
class SecondEntry:
    """The outcome of a second entry: errors to fix, the differences to decide, or saved (`saved_today`)."""

    errors: dict[str, str]
    differences: list[Difference]
    saved_today: int = 0


async def second_entry(
    survey: SurveyDef, user: CurrentUser, draft_id: int | None, form: PaperForm,
    decisions: dict[str, str] | None = None,
) -> SecondEntry:
    """Compare a blind second entry with the first. Equal: saved as one paper response and the draft deleted.
    Different: the differences, question by question; with `decisions` ({key: "first" | "second"} for every
    difference) the chosen values are checked again like any form and saved."""
    draft = await _draft(survey, user, draft_id)
    first = PaperForm(district=draft["district"], raw=draft["answers"] or {}, submission_id=draft["submission_id"])
    second = await _check(survey, user, form)
    if second.errors:
        return SecondEntry(errors=second.errors, differences=[])
    first_checked = await _check(survey, user, first)
    districts = {d.id: d.name for d in await list_districts()}
    differences = _differences(survey, districts, first_checked, second)
    if differences and decisions is not None:
        if any(decisions.get(d.key) not in ("first", "second") for d in differences):
            return SecondEntry(errors={"_form": _("Bitte wählen Sie bei jeder Abweichung den richtigen Wert.")},
                               differences=differences)
        merged = PaperForm(district=form.district, raw=dict(form.raw), submission_id=first.submission_id)
        for difference in differences:
            if decisions[difference.key] != "first":
                continue
            if difference.key == "district":
                merged.district = first.district
            else:
                for name in (f"q_{difference.key}", f"q_{difference.key}_other"):
                    merged.raw.pop(name, None)
                    if name in first.raw:
                        merged.raw[name] = first.raw[name]
        second = await _check(survey, user, merged)
        if second.errors:
            return SecondEntry(errors=second.errors, differences=[])
    elif differences:
        return SecondEntry(errors={}, differences=differences)
    await _save(survey, user, second, first.submission_id, typists=(draft["typed_by"], user.id))
    await PaperDraft.delete().where(PaperDraft.id == draft["id"])
    return SecondEntry(errors={}, differences=[], saved_today=await entries_today(user.id, survey.id))


def _differences(survey: SurveyDef, districts: dict[int, str], first_checked: _Checked,
                 second_checked: _Checked) -> list[Difference]:
    numbers = question_numbers(survey)
    found: list[Difference] = []
    if first_checked.district_id != second_checked.district_id:
        found.append(Difference("district", _("Stadtteil"),
                                districts.get(first_checked.district_id or 0, _("(leer)")),
                                districts.get(second_checked.district_id or 0, _("(leer)"))))
    for question in survey.questions:
        a, b = first_checked.answers.get(question.key), second_checked.answers.get(question.key)
        if not _same(a, b):
            label = f'{_("Frage %(n)s", n=numbers[question.id])}: {question.text("de")}'
            found.append(Difference(question.key, label,
                                    _value_text(survey, question.key, a), _value_text(survey, question.key, b)))
    return found


def _today() -> date:
    return datetime.now(UTC).date()


async def _count_entry(user_id: int, survey_id: int) -> None:
    """One more form for this staff member, survey and day (a row per day; two racing first entries of a day may
    make two rows, which the readers add up)."""
    day = _today()
    where = ((PaperEntryCount.user == user_id) & (PaperEntryCount.survey == survey_id)
             & (PaperEntryCount.day == day))
    async with transaction():
        if await PaperEntryCount.exists().where(where):
            await PaperEntryCount.update({PaperEntryCount.forms: PaperEntryCount.forms + 1}).where(where)
        else:
            await PaperEntryCount.insert(PaperEntryCount(user=user_id, survey=survey_id, day=day, forms=1))


async def entries_today(user_id: int, survey_id: int) -> int:
    """Forms this staff member typed in today for the survey."""
    row = await PaperEntryCount.select(Sum(PaperEntryCount.forms, alias="n")).where(
        (PaperEntryCount.user == user_id) & (PaperEntryCount.survey == survey_id) & (PaperEntryCount.day == _today())
    ).first()
    return int(row["n"] or 0) if row else 0


@dataclass
class LogRow:
    """Paper forms one staff member typed in for one survey."""

    user_name: str
    user_email: str
    centre_name: str | None
    survey_id: int
    count: int


async def entry_log(survey_id: int | None = None) -> list[LogRow]:
    """The office's log: forms per staff member and survey (one grouped query), optionally of one survey."""
    query = PaperEntryCount.select(
        PaperEntryCount.user.display_name.as_alias("name"), PaperEntryCount.user.email.as_alias("email"),
        PaperEntryCount.user.centre.name.as_alias("centre"), PaperEntryCount.survey.as_alias("survey"),
        Sum(PaperEntryCount.forms, alias="n"),
    ).group_by(
        PaperEntryCount.user.display_name, PaperEntryCount.user.email, PaperEntryCount.user.centre.name,
        PaperEntryCount.survey,
    )
    if survey_id is not None:
        query = query.where(PaperEntryCount.survey == survey_id)
    result = [
        LogRow(user_name=row["name"], user_email=row["email"], centre_name=row["centre"], survey_id=row["survey"],
               count=int(row["n"] or 0))
        for row in await query
    ]
    return sorted(result, key=lambda r: (r.survey_id, (r.centre_name or "").casefold(), r.user_name.casefold()))
