"""Paper forms: centre staff type them in on a keyboard-only screen; the office reads how many each person typed."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from participation.accounts.schemas import CurrentUser
from participation.directory.dependencies import own_centre_of
from participation.directory.schemas import CentreOut
from participation.directory.services import list_districts
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.surveys.controllers.parents import QuestionView
from participation.surveys.dependencies import provide_visible_survey
from participation.surveys.schemas import SurveyDef
from participation.surveys.services import answering, paper_entry
from participation.surveys.services.definition import list_surveys, question_numbers
from participation.web.forms import read_form
from participation.web.guards import centre_staff_only, office_only
from participation.web.redirects import redirect_to


async def _own_centre(current_user: NamedDependency[CurrentUser]) -> CentreOut:
    centre = await own_centre_of(current_user)
    if centre is None:
        raise PermissionDeniedException(_("Ihr Zugang ist keinem Zentrum zugeordnet."))
    return centre


async def _entry_page(
    survey: SurveyDef, centre: CentreOut, form: paper_entry.PaperForm, errors: dict[str, str], *,
    saved: int | None = None, status_code: int = 200, user: CurrentUser | None = None, draft_id: int | None = None,
    differences: list[paper_entry.Difference] | None = None, kept: bool = False,
) -> Template:
    """The entry screen: district, then every question with its number; focus on the first error, else on the
    first field of the (empty) form."""
    numbers = question_numbers(survey)
    first_error = next((key for key in ["district", *(q.key for q in survey.questions)] if key in errors), None)
    views = [
        (numbers[q.id], QuestionView(
            question=q, values=form.raw.get(answering.field_name(q), []),
            other=" ".join(form.raw.get(answering.other_field_name(q), [])), error=errors.get(q.key),
            condition_hint=answering.condition_hint(survey, q, "de") if q.condition_key else None,
        ))
        for q in survey.questions
    ]
    return Template("surveys/paper_entry.html", context={
        "survey": survey, "centre": centre, "form": form, "errors": errors, "questions": views,
        "districts": await list_districts(), "saved": saved, "first_error": first_error,
        "open": paper_entry.entry_open(survey), "lang": "de", "draft_id": draft_id, "differences": differences or [],
        "drafts": await paper_entry.list_drafts(survey.id, user) if user is not None and draft_id is None else [],
        "kept": kept, "draft_days": paper_entry.PAPER_DRAFT_DAYS,
        "hidden_answers": [(name, value) for name, values in form.raw.items() for value in values],
    }, status_code=status_code)


def _empty_form() -> paper_entry.PaperForm:
    return paper_entry.PaperForm(district="", raw={}, submission_id=answering.new_submission_id())


class CentrePaperEntryController(Controller):
    """Centre staff type in paper forms of their own centre."""

    path = "/zentrum/umfragen"
    guards = [centre_staff_only]
    dependencies = {"survey": Provide(provide_visible_survey), "centre": Provide(_own_centre)}

    @get("/{survey_id:int}/papier", name="centre_paper_entry")
    async def entry(
        self, current_user: NamedDependency[CurrentUser], survey: NamedDependency[SurveyDef],
        centre: NamedDependency[CentreOut], gespeichert: FromQuery[int | None] = None,
        abgelegt: FromQuery[int | None] = None,
    ) -> Template:
        """An empty form ("Nächster Bogen"); after a save it says which form of today was saved. Below, the forms
        of the centre waiting for their second entry."""
        return await _entry_page(survey, centre, _empty_form(), {}, saved=gespeichert, user=current_user,
                                 kept=bool(abgelegt), status_code=200 if paper_entry.entry_open(survey) else 409)

    @post("/{survey_id:int}/papier", name="centre_paper_entry_save")
    async def save(
        self, request: Request, current_user: NamedDependency[CurrentUser], survey: NamedDependency[SurveyDef],
        centre: NamedDependency[CentreOut],
    ) -> Template | Redirect:
        """Save one paper form (checked like the online form); with errors the form comes back as typed."""
        data = await read_form(request)
        form = paper_entry.PaperForm(
            district=(data.get("district") or "").strip(), raw=answering.read_answers(survey, data.getlist),
            submission_id=(data.get("submission_id") or "")[:64] or answering.new_submission_id(),
        )
        for_second_entry = bool(data.get("ablage"))
        try:
            if for_second_entry:
                result = await paper_entry.save_draft(survey, current_user, form)
            else:
                result = await paper_entry.save_paper_form(survey, current_user, form)
        except paper_entry.PaperEntryError as error:
            return await _entry_page(survey, centre, form, {"_form": str(error)}, status_code=409, user=current_user)
        if result.errors:
            return await _entry_page(survey, centre, form, result.errors, status_code=400, user=current_user)
        if for_second_entry:
            return redirect_to(request, "centre_paper_entry", survey_id=survey.id, query={"abgelegt": "1"})
        return redirect_to(request, "centre_paper_entry", survey_id=survey.id,
                           query={"gespeichert": str(result.saved_today)})

    @get("/{survey_id:int}/papier/zweiterfassung", name="centre_paper_second_entry")
    async def second_entry_form(
        self, current_user: NamedDependency[CurrentUser], survey: NamedDependency[SurveyDef],
        centre: NamedDependency[CentreOut], bogen: FromQuery[int | None] = None,
    ) -> Template | Redirect:
        """The blind second entry of a kept form (``?bogen=``): an empty form, nothing of the first entry shown.
        Without a form chosen: the entry screen with the list of waiting forms."""
        if bogen is None:
            return await _entry_page(survey, centre, _empty_form(), {}, user=current_user)
        drafts = {d.id: d for d in await paper_entry.list_drafts(survey.id, current_user)}
        if bogen not in drafts:
            raise NotFoundException(_("Diesen Bogen zur Zweiterfassung gibt es nicht (mehr). Vielleicht wurde er "
                                      "schon gespeichert."))
        if drafts[bogen].mine:
            return await _entry_page(survey, centre, _empty_form(), {"_form": _(
                "Die Zweiterfassung muss eine andere Person machen als die erste Eingabe.")}, user=current_user,
                status_code=409)
        return await _entry_page(survey, centre, _empty_form(), {}, draft_id=bogen, user=current_user)

    @post("/{survey_id:int}/papier/zweiterfassung", name="centre_paper_second_entry_save")
    async def second_entry_save(
        self, request: Request, current_user: NamedDependency[CurrentUser], survey: NamedDependency[SurveyDef],
        centre: NamedDependency[CentreOut],
    ) -> Template | Redirect:
        """Compare the second entry with the first: equal forms are saved; differences are listed for choosing
        (then, with a choice for each, saved)."""
        data = await read_form(request)
        draft_id = parse_id((data.get("bogen") or "").strip())
        form = paper_entry.PaperForm(
            district=(data.get("district") or "").strip(), raw=answering.read_answers(survey, data.getlist),
            submission_id=answering.new_submission_id(),
        )
        decisions = None
        if data.get("schritt") == "abgleich":
            decisions = {name.removeprefix("wahl_"): data.get(name) for name in data if name.startswith("wahl_")}
        try:
            outcome = await paper_entry.second_entry(survey, current_user, draft_id, form, decisions)
        except paper_entry.DraftNotFound as error:
            raise NotFoundException(str(error)) from None
        except paper_entry.PaperEntryError as error:
            return await _entry_page(survey, centre, form, {"_form": str(error)}, status_code=409, user=current_user)
        if outcome.errors:
            return await _entry_page(survey, centre, form, outcome.errors, draft_id=draft_id, status_code=400,
                                     differences=outcome.differences, user=current_user)
        if outcome.differences:
            return await _entry_page(survey, centre, form, {}, draft_id=draft_id, differences=outcome.differences,
                                     user=current_user)
        return redirect_to(request, "centre_paper_entry", survey_id=survey.id,
                           query={"gespeichert": str(outcome.saved_today)})


class OfficePaperLogController(Controller):
    """The office reads how many paper forms each staff member typed in, per survey."""

    guards = [office_only]

    @get("/verwaltung/papiererfassung", name="office_paper_log")
    async def log(self) -> Template:
        """Forms per staff member and survey: counts only, never which responses."""
        titles = {s.id: f"{s.title} ({s.round_title})" for s in await list_surveys()}
        return Template("surveys/paper_log.html", context={"rows": await paper_entry.entry_log(), "titles": titles})


PAPER_ENTRY_CONTROLLERS: list = [CentrePaperEntryController, OfficePaperLogController]
