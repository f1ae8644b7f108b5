"""Themes pages for the office: start a clustering run, watch its job, read and edit its themes."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.directory.services import list_districts
from participation.i18n import gettext as _
from participation.surveys.services import themes
from participation.surveys.services.definition import load_survey
from participation.web.forms import FormInput, read_form
from participation.web.guards import office_only


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


async def _run_or_404(run_id: int, threshold: int) -> themes.RunView:
    run = await themes.get_run(run_id, threshold)
    if run is None:
        raise NotFoundException(_("Diese Auswertung gibt es nicht."))
    return run


class ThemesController(Controller):
    """Clustering free text into themes and editing the themes."""

    guards = [office_only]

    @get("/verwaltung/umfragen/{survey_id:int}/themen", name="survey_themes")
    async def overview(self, survey_id: int) -> Template:
        return await _overview(survey_id)

    @post("/verwaltung/umfragen/{survey_id:int}/themen", name="survey_themes_start")
    async def start(self, request: Request, threshold: int, survey_id: int) -> Template | Redirect:
        form = await read_form(request)
        target = form.get("target") or ""
        kind, _sep, target_id = target.partition(":")
        k_raw = (form.get("k") or "").strip()
        k = _int(k_raw)
        try:
            if k_raw and k is None:
                raise themes.ThemeError(_("Bitte geben Sie eine ganze Zahl ein oder lassen Sie das Feld leer."), "k")
            run_id, _job = await themes.start_run(
                survey_id, question_id=_int(target_id) if kind == "q" else None,
                section_id=_int(target_id) if kind == "s" else None,
                district_id=_int(form.get("district")), k=k, user_id=request.user.id,
                threshold=threshold,
            )
        except themes.ThemeError as error:
            return await _overview(survey_id, errors={error.field or "target": str(error)}, form=form)
        runner = getattr(request.app.state, "job_runner", None)
        if runner is not None:
            runner.wake()
        return Redirect(f"/verwaltung/themen/{run_id}", status_code=303)

    @get("/verwaltung/themen/{run_id:int}", name="theme_run")
    async def run_page(self, threshold: int, run_id: int) -> Template:
        run = await _run_or_404(run_id, threshold)
        return Template("surveys/themes_run.html", context={"run": run})

    @get("/verwaltung/themen/{run_id:int}/thema/{theme_id:int}", name="theme_detail")
    async def theme_page(self, threshold: int, run_id: int, theme_id: int) -> Template:
        run = await _run_or_404(run_id, threshold)
        theme = next((t for t in run.themes if t.id == theme_id), None)
        if theme is None:
            raise NotFoundException(_("Dieses Thema gibt es nicht."))
        answers = await themes.theme_answers(run_id, theme_id)
        return Template("surveys/themes_theme.html", context={"run": run, "theme": theme, "answers": answers})

    @post("/verwaltung/themen/{run_id:int}/bearbeiten", name="theme_edit")
    async def edit(self, request: Request, threshold: int, run_id: int) -> Redirect | Template:
        """One endpoint for all theme edits; the pressed button's `action` says which."""
        await _run_or_404(run_id, threshold)
        form = await read_form(request)
        action = form.get("action") or ""
        back = form.get("back") or f"/verwaltung/themen/{run_id}"
        if not back.startswith("/verwaltung/themen/"):
            back = f"/verwaltung/themen/{run_id}"
        try:
            message = await _apply_edit(run_id, action, form)
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


async def _overview(survey_id: int, errors: dict | None = None, form: FormInput | None = None) -> Template:
    survey = await load_survey(survey_id)
    if survey is None:
        raise NotFoundException(_("Diese Umfrage gibt es nicht."))
    questions, sections = await themes.cluster_targets(survey_id)
    return Template("surveys/themes_overview.html", context={
        "survey": survey, "questions": questions, "sections": sections, "districts": await list_districts(),
        "runs": await themes.list_runs(survey_id), "errors": errors or {},
        "chosen": {"target": form.get("target") if form else "", "district": form.get("district") if form else "",
                   "k": form.get("k") if form else ""},
    }, status_code=400 if errors else 200)


THEME_CONTROLLERS: list = [ThemesController]
