"""Guided categories for the office: the round's category scheme, and per free-text question the page that
proposes answers to label and shows the rest sorted by the classifier."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.schemas import CurrentUser
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.surveys.dependencies import provide_question, provide_survey
from participation.surveys.schemas import QuestionDef, SurveyDef
from participation.surveys.services import categories
from participation.web.forms import FormInput, read_form
from participation.web.guards import office_only
from participation.web.redirects import redirect_to


class CategoriesController(Controller):
    """The category scheme of a survey's round and the sorting of a question's answers."""

    guards = [office_only]
    dependencies = {
        "survey": Provide(provide_survey),
        "question": Provide(provide_question, sync_to_thread=False),
    }

    @get("/verwaltung/umfragen/{survey_id:int}/kategorien", name="survey_categories")
    async def scheme(self, survey: NamedDependency[SurveyDef]) -> Template:
        return await _scheme_page(survey)

    @post("/verwaltung/umfragen/{survey_id:int}/kategorien", name="survey_categories_edit")
    async def edit_scheme(self, request: Request, survey: NamedDependency[SurveyDef]) -> Template | Redirect:
        """Add, change or remove a category; the pressed button's `action` says which."""
        form = await read_form(request)
        action = form.get("action") or ""
        scheme = await categories.open_scheme(survey.round_id)
        category_id = parse_id(form.get("category"))
        try:
            if action == "add":
                await categories.add_category(scheme.id, form.get("name") or "", form.get("description") or "")
                message = _("Die Kategorie wurde angelegt.")
            elif action == "update":
                await categories.update_category(scheme.id, category_id, form.get("name") or "",
                                                 form.get("description") or "")
                message = _("Die Kategorie wurde geändert.")
            elif action == "delete":
                await categories.delete_category(scheme.id, category_id)
                message = _("Die Kategorie wurde entfernt.")
            else:
                raise categories.CategoryError(_("Diese Aktion ist nicht möglich."))
        except categories.CategoryError as error:
            return await _scheme_page(survey, error=error, form=form, action=action, category_id=category_id)
        flash(request, message, category="success")
        return redirect_to(request, "survey_categories", survey_id=survey.id)

    @get("/verwaltung/umfragen/{survey_id:int}/kategorien/frage/{question_id:int}", name="category_sorting")
    async def sorting(
        self, request: Request, threshold: NamedDependency[int], survey: NamedDependency[SurveyDef],
        question: NamedDependency[QuestionDef],
    ) -> Template:
        raw = request.query_params.get("sicherheit")
        error = None
        try:
            confidence = categories.parse_confidence(raw)
        except categories.CategoryError as problem:
            error, confidence = problem, categories.DEFAULT_CONFIDENCE
        try:
            view = await categories.sorting(survey, question.id, confidence=confidence, threshold=threshold)
        except categories.CategoryError as problem:
            return _sorting_error(survey, problem)
        return Template("surveys/categories_sorting.html", context={
            "survey": survey, "view": view, "error": error, "raw_confidence": raw if error else confidence,
        }, status_code=400 if error else 200)

    @post("/verwaltung/umfragen/{survey_id:int}/kategorien/frage/{question_id:int}", name="category_label")
    async def label(
        self, request: Request, current_user: NamedDependency[CurrentUser], threshold: NamedDependency[int],
        survey: NamedDependency[SurveyDef], question: NamedDependency[QuestionDef],
    ) -> Template | Redirect:
        """Label one answer (`category`: a category id or "none"), or take a label back (`action=undo`)."""
        form = await read_form(request)
        answer_id = parse_id(form.get("answer"))
        try:
            if form.get("action") == "undo":
                await categories.remove_label(survey, question.id, answer_id)
                message = _("Die Einordnung wurde zurückgenommen.")
            else:
                await categories.label_answer(survey, question.id, answer_id, form.get("category"),
                                              user_id=current_user.id, threshold=threshold)
                message = _("Die Antwort wurde eingeordnet.")
        except categories.CategoryError as error:
            return _sorting_error(survey, error)
        flash(request, message, category="success")
        return redirect_to(request, "category_sorting", survey_id=survey.id, question_id=question.id,
                           query=_confidence_query(form), fragment="vorschlaege")


def _confidence_query(form: FormInput) -> dict[str, str] | None:
    raw = (form.get("sicherheit") or "").strip()
    try:
        return {"sicherheit": str(categories.parse_confidence(raw))} if raw else None
    except categories.CategoryError:
        return None


def _sorting_error(survey: SurveyDef, error: categories.CategoryError) -> Template:
    return Template("surveys/categories_error.html", context={"survey": survey, "message": str(error)},
                    status_code=400)


async def _scheme_page(
    survey: SurveyDef, *, error: categories.CategoryError | None = None, form: FormInput | None = None,
    action: str = "", category_id: int | None = None,
) -> Template:
    scheme = await categories.open_scheme(survey.round_id)
    return Template("surveys/categories_scheme.html", context={
        "survey": survey, "scheme": scheme, "questions": categories.free_text_questions(survey),
        "error": error, "form": form, "action": action, "error_category": category_id,
    }, status_code=400 if error else 200)


CATEGORY_CONTROLLERS: list = [CategoriesController]
