"""Themes pages for the office: start a clustering run, watch its job, read and edit its themes."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.schemas import CurrentUser
from participation.directory.services import list_districts
from participation.i18n import gettext as _
from participation.i18n import ngettext
from participation.ids import parse_id
from participation.settings import Settings
from participation.surveys.dependencies import provide_survey, provide_theme, provide_theme_run
from participation.surveys.schemas import SurveyDef
from participation.surveys.services import themes, translations
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
        survey: NamedDependency[SurveyDef], settings: NamedDependency[Settings],
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
                threshold=threshold, translate_url=settings.translate_url,
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

    @get("/verwaltung/umfragen/{survey_id:int}/antworten-uebersetzen", name="answer_translations")
    async def translations_page(
        self, survey: NamedDependency[SurveyDef], threshold: NamedDependency[int],
        settings: NamedDependency[Settings],
    ) -> Template:
        """Answers in other languages, each with a field for its German translation."""
        answers = await translations.foreign_answers(survey.id, threshold) or []
        return Template("surveys/answer_translations.html", context={
            "survey": survey, "answers": answers, "machine": bool(settings.translate_url),
            "untranslated": sum(1 for a in answers if not a.translation),
        })

    @post("/verwaltung/umfragen/{survey_id:int}/antworten-uebersetzen", name="answer_translation_save")
    async def save_translation(self, request: Request, survey: NamedDependency[SurveyDef]) -> Redirect:
        form = await read_form(request)
        answer_id = _int(form.get("answer"))
        try:
            if answer_id is None:
                raise translations.TranslationError(_("Diese Antwort gehört nicht zu dieser Umfrage."))
            await translations.save_translation(survey.id, answer_id, form.get("translation") or "")
        except translations.TranslationError as error:
            flash(request, str(error), category="error")
            return redirect_to(request, "answer_translations", survey_id=survey.id, fragment=f"answer-{answer_id}")
        flash(request, _("Die Übersetzung wurde gespeichert. Sie zählt, wenn Sie die Themen neu berechnen."),
              category="success")
        return redirect_to(request, "answer_translations", survey_id=survey.id, fragment=f"answer-{answer_id}")

    @post("/verwaltung/umfragen/{survey_id:int}/antworten-uebersetzen/maschinell", name="answer_translations_machine")
    async def machine_translation(
        self, request: Request, survey: NamedDependency[SurveyDef], threshold: NamedDependency[int],
        settings: NamedDependency[Settings],
    ) -> Redirect:
        try:
            job_id = await translations.start_machine_translation(survey.id, settings.translate_url, threshold)
        except translations.TranslationError as error:
            flash(request, str(error), category="error")
            return redirect_to(request, "answer_translations", survey_id=survey.id)
        runner = getattr(request.app.state, "job_runner", None)
        if runner is not None:
            runner.wake()
        return redirect_to(request, "job_page", job_id=job_id)

    @post("/verwaltung/themen/{run_id:int}/bearbeiten", name="theme_edit")
    async def edit(
        self, request: Request, run: NamedDependency[themes.RunView], threshold: NamedDependency[int],
    ) -> Redirect | Template:
        """One endpoint for all theme edits; the pressed button's `action` says which."""
        form = await read_form(request)
        action = form.get("action") or ""
        run_path = request.app.route_reverse("theme_run", run_id=run.id)
        back = form.get("back") or run_path
        if not back.startswith("/verwaltung/themen/"):
            back = run_path
        try:
            message = await _apply_edit(run.id, action, form, threshold)
        except themes.ThemeError as error:
            flash(request, str(error), category="error")
            return Redirect(back, status_code=303)
        flash(request, message, category="success")
        return Redirect(back, status_code=303)


def _answer_ids(form: FormInput) -> list[int]:
    ids = [_int(value) for value in form.getlist("answers")]
    if any(i is None for i in ids):
        raise themes.ThemeError(_("Diese Antwort gehört nicht zu dieser Auswertung."), "answers")
    return [i for i in ids if i is not None]


async def _apply_edit(run_id: int, action: str, form: FormInput, threshold: int) -> str:
    theme_id = _int(form.get("theme"))
    answer_id = _int(form.get("answer"))
    if action == "rename" and theme_id:
        await themes.rename_theme(run_id, theme_id, form.get("label") or "")
        return _("Das Thema wurde umbenannt.")
    if action == "accept" and theme_id:
        await themes.accept_suggestion(run_id, theme_id)
        return _("Der vorgeschlagene Name wurde übernommen.")
    if action == "new_theme":
        await themes.create_theme(run_id, form.get("new_label") or "")
        return _("Das neue Thema wurde angelegt. Verschieben Sie nun Antworten hinein.")
    if action == "split" and theme_id:
        parts_raw = (form.get("parts") or "").strip()
        parts = _int(parts_raw)
        if parts is None:
            raise themes.ThemeError(_("Bitte geben Sie an, in wie viele Teile das Thema geteilt werden soll."))
        created = await themes.split_theme(run_id, theme_id, parts, threshold)
        return ngettext("Das Thema wurde geteilt; %(num)s neues Thema ist dazugekommen.",
                        "Das Thema wurde geteilt; %(num)s neue Themen sind dazugekommen.", len(created),
                        num=len(created))
    if action == "split_pick" and theme_id:
        await themes.split_off_answers(run_id, theme_id, _answer_ids(form), form.get("new_label") or "")
        return _("Die gewählten Antworten bilden jetzt ein eigenes Thema.")
    if action == "move_many":
        target = _int(form.get("target_theme"))
        if target is None:
            raise themes.ThemeError(_("Bitte wählen Sie ein Thema."))
        moved = await themes.move_answers(run_id, _answer_ids(form), target)
        return ngettext("%(num)s Antwort wurde verschoben.", "%(num)s Antworten wurden verschoben.", moved, num=moved)
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
