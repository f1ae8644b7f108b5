"""Paper forms: centre staff type them in on a keyboard-only screen; the office reads how many each person typed."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from participation.accounts.schemas import CurrentUser
from participation.directory.dependencies import own_centre_of
from participation.directory.schemas import CentreOut
from participation.directory.services import list_districts
from participation.i18n import gettext as _
from participation.surveys.controllers.parents import QuestionView
from participation.surveys.dependencies import provide_visible_survey
from participation.surveys.schemas import SurveyDef
from participation.surveys.services import answering, paper
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
    survey: SurveyDef, centre: CentreOut, form: paper.PaperForm, errors: dict[str, str], *, saved: int | None = None,
    status_code: int = 200,
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
        "open": paper.entry_open(survey), "lang": "de",
    }, status_code=status_code)


def _empty_form() -> paper.PaperForm:
    return paper.PaperForm(district="", raw={}, submission_id=answering.new_submission_id())


class CentrePaperController(Controller):
    """Centre staff type in paper forms of their own centre."""

    path = "/zentrum/umfragen"
    guards = [centre_staff_only]
    dependencies = {"survey": Provide(provide_visible_survey), "centre": Provide(_own_centre)}

    @get("/{survey_id:int}/papier", name="centre_paper_entry")
    async def entry(
        self, survey: NamedDependency[SurveyDef], centre: NamedDependency[CentreOut],
        gespeichert: FromQuery[int | None] = None,
    ) -> Template:
        """An empty form ("Nächster Bogen"); after a save it says which form of today was saved."""
        return await _entry_page(survey, centre, _empty_form(), {}, saved=gespeichert,
                                 status_code=200 if paper.entry_open(survey) else 409)

    @post("/{survey_id:int}/papier", name="centre_paper_entry_save")
    async def save(
        self, request: Request, current_user: NamedDependency[CurrentUser], survey: NamedDependency[SurveyDef],
        centre: NamedDependency[CentreOut],
    ) -> Template | Redirect:
        """Save one paper form (checked like the online form); with errors the form comes back as typed."""
        data = await read_form(request)
        form = paper.PaperForm(
            district=(data.get("district") or "").strip(), raw=answering.read_answers(survey, data.getlist),
            submission_id=(data.get("submission_id") or "")[:64] or answering.new_submission_id(),
        )
        try:
            result = await paper.save_paper_form(survey, current_user, form)
        except paper.PaperEntryError as error:
            return await _entry_page(survey, centre, form, {"_form": str(error)}, status_code=409)
        if result.errors:
            return await _entry_page(survey, centre, form, result.errors, status_code=400)
        return redirect_to(request, "centre_paper_entry", survey_id=survey.id,
                           query={"gespeichert": str(result.saved_today)})


class OfficePaperLogController(Controller):
    """The office reads how many paper forms each staff member typed in, per survey."""

    guards = [office_only]

    @get("/verwaltung/papiererfassung", name="office_paper_log")
    async def log(self) -> Template:
        """Forms per staff member and survey: counts only, never which responses."""
        titles = {s.id: f"{s.title} ({s.round_title})" for s in await list_surveys()}
        return Template("surveys/paper_log.html", context={"rows": await paper.entry_log(), "titles": titles})


PAPER_CONTROLLERS: list = [CentrePaperController, OfficePaperLogController]
