"""Themes pages for the office: start a clustering run, watch its job, read and edit its themes."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.schemas import CurrentUser
from participation.directory.services import list_districts
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.surveys.dependencies import provide_survey, provide_theme, provide_theme_run
from participation.surveys.schemas import SurveyDef
from participation.surveys.services import themes
from participation.web.forms import FormInput, read_form
from participation.web.guards import office_only
from participation.web.redirects import redirect_to


def _int(value: str | None) -> int | None:
    return parse_id(value)


class ThemesController(Controller):
    """Clustering free text into themes and editing the themes."""

    guards = [office_only]
    dependencies = {
        "survey": Provide(provide_survey),
        "run": Provide(provide_theme_run),
        "theme": Provide(provide_theme, sync_to_thread=False),
    }

    @get("/verwaltung/umfragen/{survey_id:int}/themen", name="survey_themes")
    async def overview(self, survey: NamedDependency[SurveyDef]) -> Template:
        return await _overview(survey)

    @post("/verwaltung/umfragen/{survey_id:int}/themen", name="survey_themes_start")
    async def start(
        self, request: Request, current_user: NamedDependency[CurrentUser], threshold: NamedDependency[int],
        survey: NamedDependency[SurveyDef],
    ) -> Template | Redirect:
        form = await read_form(request)
        target = form.get("target") or ""
        kind, _sep, target_id = target.partition(":")
        k_raw = (form.get("k") or "").strip()
        k = _int(k_raw)
        try:
            if k_raw and k is None:
                raise themes.ThemeError(_("Bitte geben Sie eine ganze Zahl ein oder lassen Sie das Feld leer."), "k")
            run_id, _job = await themes.start_run(
                survey.id, question_id=_int(target_id) if kind == "q" else None,
                section_id=_int(target_id) if kind == "s" else None,
                district_id=_int(form.get("district")), k=k, user_id=current_user.id,
                threshold=threshold,
            )
        except themes.ThemeError as error:
            return await _overview(survey, errors={error.field or "target": str(error)}, form=form)
        runner = getattr(request.app.state, "job_runner", None)
        if runner is not None:
            runner.wake()
        return redirect_to(request, "theme_run", run_id=run_id)

    @get("/verwaltung/themen/{run_id:int}", name="theme_run")
    async def run_page(self, run: NamedDependency[themes.RunView]) -> Template:
        return Template("surveys/themes_run.html", context={"run": run})

    @get("/verwaltung/themen/{run_id:int}/thema/{theme_id:int}", name="theme_detail")
    async def theme_page(
        self, run: NamedDependency[themes.RunView], theme: NamedDependency[themes.ThemeView],
    ) -> Template:
        answers = await themes.theme_answers(run.id, theme.id)
        return Template("surveys/themes_theme.html", context={"run": run, "theme": theme, "answers": answers})

    @post("/verwaltung/themen/{run_id:int}/bearbeiten", name="theme_edit")
    async def edit(self, request: Request, run: NamedDependency[themes.RunView]) -> Redirect | Template:
        """One endpoint for all theme edits; the pressed button's `action` says which."""
        form = await read_form(request)
        action = form.get("action") or ""
        run_path = request.app.route_reverse("theme_run", run_id=run.id)
        back = form.get("back") or run_path
        if not back.startswith("/verwaltung/themen/"):
            back = run_path
        try:
            message = await _apply_edit(run.id, action, form)
        except themes.ThemeError as error:
            flash(request, str(error), category="error")
            return Redirect(back, status_code=303)
        flash(request, message, category="success")
        return Redirect(back, status_code=303)


async def _apply_edit(run_id: int, action: str, form: FormInput) -> str:
    theme_id = _int(form.get("theme"))
    answer_id = _int(form.get("answer"))
    if action == "rename" and theme_id:
        await themes.rename_theme(run_id, theme_id, form.get("label") or "")
        return _("Das Thema wurde umbenannt.")
    if action == "merge" and theme_id:
        source = _int(form.get("source"))
        if source is None:
            raise themes.ThemeError(_("Bitte wählen Sie das Thema, das zusammengeführt werden soll."))
        await themes.merge_themes(run_id, theme_id, source)
        return _("Die Themen wurden zusammengeführt.")
    if action == "move" and answer_id:
        target = _int(form.get("target_theme"))
        if target is None:
            raise themes.ThemeError(_("Bitte wählen Sie ein Thema."))
        await themes.move_answer(run_id, answer_id, target)
        return _("Die Antwort wurde verschoben.")
    if action in ("exclude", "include") and answer_id:
        await themes.exclude_answer(run_id, answer_id, excluded=action == "exclude")
        return _("Die Antwort wurde ausgeschlossen.") if action == "exclude" else _("Die Antwort zählt wieder.")
    if action in ("agenda", "unagenda") and theme_id:
        await themes.set_agenda_candidate(run_id, theme_id, action == "agenda")
        return _("Das Thema ist für die Tagesordnung vorgemerkt.") if action == "agenda" else _(
            "Das Thema ist nicht mehr vorgemerkt.")
    raise themes.ThemeError(_("Diese Aktion ist nicht möglich."))


async def _overview(survey: SurveyDef, errors: dict | None = None, form: FormInput | None = None) -> Template:
    questions, sections = await themes.cluster_targets(survey.id)
    return Template("surveys/themes_overview.html", context={
        "survey": survey, "questions": questions, "sections": sections, "districts": await list_districts(),
        "runs": await themes.list_runs(survey.id), "errors": errors or {},
        "chosen": {"target": form.get("target") if form else "", "district": form.get("district") if form else "",
                   "k": form.get("k") if form else ""},
    }, status_code=400 if errors else 200)


THEME_CONTROLLERS: list = [ThemesController]
