"""Paper forms typed in by centre staff (issue 14): the same validation as the parents' online form, the response
marked with its channel ("paper"), and a count per staff member and day for the office.

When entry is allowed: while the survey is open, as online answers are. Once a survey has closed its results are
shown, and every later answer would change them by exactly that answer (the difference of two views is one family's
answers, like reopening, see README "What is not protected"). Paper that arrives late is a reason for the office to
set the end of the survey later before it closes, not to add answers to published results.

Who typed a form is never stored with the response: `PaperEntryCount` counts forms per staff member, survey and day,
with no link to the responses and nothing finer than the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from piccolo.query.functions.aggregate import Sum

from participation.accounts.schemas import CurrentUser
from participation.db import transaction
from participation.directory.tables import Centre
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.surveys.schemas import SurveyDef, SurveyStatus
from participation.surveys.services import answering
from participation.surveys.services.definition import now
from participation.surveys.tables import PaperEntryCount


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
    if errors:
        return EntryResult(errors=errors)
    outcome = await answering.save_response(
        survey, district_id=district_id, centre_id=centre_id, language="de", answers=answers,
        submission_id=form.submission_id, channel=answering.PAPER,
    )
    if outcome is answering.SaveOutcome.SAVED:
        await _count_entry(user.id, survey.id)
    return EntryResult(errors={}, saved_today=await entries_today(user.id, survey.id))


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
