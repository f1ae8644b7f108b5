"""The office's survey editor: survey texts, sections and questions, translations, preview, publishing, and
invitation codes with their printable sheet.

What may change once a survey is published is decided by `surveys.services.definition`; these pages only show the
rules and the service's refusals at the field concerned.
"""

from __future__ import annotations

import asyncio

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from participation.directory.schemas import CentreOut
from participation.directory.services import list_centres, slugify
from participation.documents.formatting import city_time, from_city_time, to_city_time
from participation.documents.invitations import invitation_sheet_pdf, qr_code_svg
from participation.documents.pdf import DocumentError
from participation.i18n import LANGUAGE_NAMES, text_direction, translations_for
from participation.i18n import gettext as _
from participation.settings import Settings
from participation.surveys.dependencies import EDITOR_DEPENDENCIES, TRANSLATION_LANGUAGES
from participation.surveys.forms import (
    CodesForm,
    PublishForm,
    QuestionForm,
    ReopenForm,
    SectionForm,
    SectionTextsForm,
    SurveyTextsForm,
)
from participation.surveys.schemas import (
    KIND_LABELS,
    STATUS_LABELS,
    QuestionDef,
    QuestionKind,
    SectionDef,
    SurveyDef,
    SurveyStatus,
)
from participation.surveys.services import codes, definition
from participation.web.forms import FormInput, bind_form, read_form, show_error
from participation.web.guards import office_only
from participation.web.redirects import redirect_to
from participation.web.templating import pdf_templates

#: The values of the move buttons: up is -1, down is +1 in the order.
MOVES = {"hoch": -1, "runter": 1}
#: Longest translated text accepted (the longest German text a form allows).
TRANSLATION_MAX = 5000
#: Question kinds a condition can point to (their answers are codes).
CONDITION_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE, QuestionKind.YESNO)


def _move_offset(formdata: FormInput) -> int:
    offset = MOVES.get(formdata.get("richtung", ""))
    if offset is None:
        raise HTTPException(status_code=400, detail=_("Bitte wählen Sie „nach oben“ oder „nach unten“."))
    return offset


# --- the editor page -----------------------------------------------------------------------------------------------

def translation_progress(survey: SurveyDef) -> list[dict]:
    """Per language: how many of the survey's texts are translated, and whether parents can choose it."""
    fields = definition.translatable_texts(survey)
    complete = definition.complete_languages(survey)
    progress = []
    for language in TRANSLATION_LANGUAGES:
        values = definition.translation_of(survey, language)
        done = sum(1 for name, _text in fields if values.get(name, "").strip())
        progress.append({
            "code": language, "name": LANGUAGE_NAMES[language], "done": done, "total": len(fields),
            "complete": language in complete,
        })
    return progress


async def _editor(survey: SurveyDef, *, status_code: int = 200, **context) -> Template:
    """The editor page; bound forms with errors passed in `context` replace the empty ones."""
    status = survey.status(definition.now())
    section_forms = {
        s.id: bind_form(SectionTextsForm, prefix=f"section{s.id}", title=s.title("de"),
                        parents_title=s.texts.get("de", {}).get("parents_title", ""),
                        parents_intro=s.texts.get("de", {}).get("parents_intro", ""))
        for s in survey.sections
    }
    section_forms.update(context.pop("section_forms", {}))
    context.setdefault("texts_form", bind_form(
        SurveyTextsForm, title=survey.title("de"), intro=survey.texts.get("de", {}).get("intro", ""),
        uses_codes=survey.uses_codes,
    ))
    context.setdefault("new_section_form", bind_form(SectionForm, prefix="new_section"))
    context.setdefault("publish_form", bind_form(
        PublishForm, opens_at=to_city_time(survey.opens_at), closes_at=to_city_time(survey.closes_at),
    ))
    context.setdefault("reopen_form", bind_form(ReopenForm, closes_at=to_city_time(survey.closes_at)))
    context.setdefault("action_error", None)
    return Template(
        "surveys/office_editor.html",
        context={
            "survey": survey, "status": status, "status_label": STATUS_LABELS[status], "statuses": SurveyStatus,
            "section_forms": section_forms, "kind_labels": KIND_LABELS,
            "translations": translation_progress(survey),
            "responses": await definition.response_count(survey.id),
            "berlin_time": city_time,
            **context,
        },
        status_code=status_code,
    )


# --- the question form ---------------------------------------------------------------------------------------------

def _earlier_questions(survey: SurveyDef, section_id: int, question_id: int | None) -> list[QuestionDef]:
    """Questions a condition may point to: those before this one (a new one goes to the end of its section)."""
    earlier: list[QuestionDef] = []
    for section in survey.sections:
        for question in section.questions:
            if question.id == question_id:
                return earlier
            earlier.append(question)
        if section.id == section_id and question_id is None:
            return earlier
    return earlier


def _question_form(
    survey: SurveyDef, section_id: int, question_id: int | None, formdata: FormInput | None = None, **data
) -> tuple[QuestionForm, list[QuestionDef]]:
    form = bind_form(QuestionForm, formdata, **data)
    candidates = [q for q in _earlier_questions(survey, section_id, question_id) if q.kind in CONDITION_KINDS]
    form.condition_key.choices = [("", _("– immer zeigen –"))] + [
        (q.key, f"{q.key}: {q.text('de')[:60]}") for q in candidates
    ]
    form.condition.choices = [("", _("– immer zeigen –")), *_condition_choices(candidates)]
    return form, candidates


def _condition_choices(candidates: list[QuestionDef]) -> list[tuple[str, str]]:
    """Every answer of every earlier question a condition may name, in words: "Sind Sie berufstätig? – Ja"."""
    choices = []
    for question in candidates:
        text = question.text("de")
        text = text if len(text) <= 80 else text[:79] + "…"
        if question.kind is QuestionKind.YESNO:
            answers = [("yes", _("Ja")), ("no", _("Nein"))]
        elif question.kind is QuestionKind.SCALE:
            answers = [(str(i), str(i)) for i in range(1, 6)]
        else:
            answers = [(o.value, o.texts.get("de") or o.value) for o in question.options]
        choices += [(f"{question.key}={value}", f"{text} – {label}") for value, label in answers]
    return choices


def _question_data(question: QuestionDef) -> dict:
    """A stored question as the form shows it; options as "code | Label" lines."""
    return {
        "key": question.key, "kind": question.kind.value, "text": question.text("de"),
        "help": question.texts.get("de", {}).get("help", ""), "required": question.required,
        "options": "\n".join(f"{o.value} | {o.texts.get('de', '')}" for o in question.options),
        "allow_other": question.allow_other, "low_label": question.texts.get("de", {}).get("low", ""),
        "high_label": question.texts.get("de", {}).get("high", ""), "min_value": question.min_value,
        "max_value": question.max_value, "whole_number": question.whole_number,
        "condition_key": question.condition_key or "", "condition_value": question.condition_value or "",
        "condition": f"{question.condition_key}={question.condition_value}" if question.condition_key else "",
    }


def _question_input(form: QuestionForm) -> definition.QuestionInput:
    condition_key, condition_value = form.condition_key.data or None, form.condition_value.data or None
    if form.condition.data is not None:  # the page's one select
        key, _sep, value = form.condition.data.partition("=")
        condition_key, condition_value = key or None, value or None
    return definition.QuestionInput(
        key=form.key.data or "", kind=QuestionKind(form.kind.data), text=form.text.data or "",
        help=form.help.data or "", required=bool(form.required.data),
        options=definition.parse_options(form.options.data or ""), allow_other=bool(form.allow_other.data),
        low_label=form.low_label.data or "", high_label=form.high_label.data or "",
        min_value=form.min_value.data, max_value=form.max_value.data, whole_number=bool(form.whole_number.data),
        condition_key=condition_key, condition_value=condition_value,
    )


def _question_page(
    request: Request, survey: SurveyDef, section: SectionDef, question_id: int | None, form: QuestionForm,
    candidates: list[QuestionDef], status_code: int = 200,
) -> Template:
    action = (request.app.route_reverse("question_update", survey_id=survey.id, question_id=question_id)
              if question_id else
              request.app.route_reverse("question_create", survey_id=survey.id, section_id=section.id))
    return Template(
        "surveys/office_question.html",
        context={
            "survey": survey, "section": section, "question_id": question_id, "form": form, "action": action,
            "condition_values": [(q.key, q.option_values()) for q in candidates],
        },
        status_code=status_code,
    )


# --- translations --------------------------------------------------------------------------------------------------

def translation_rows(survey: SurveyDef, language: str, values: dict[str, str]) -> list[dict]:
    """Every German text with a description of where it appears and the current translation."""
    where: dict[str, str] = {"survey.title": _("Titel der Umfrage"), "survey.intro": _("Einleitung")}
    for number, section in enumerate(survey.sections, start=1):
        where[f"section.{section.id}.title"] = _("Abschnitt %(n)s", n=number)
        where[f"section.{section.id}.parents_title"] = _("Abschnitt %(n)s: Überschrift für Eltern", n=number)
        where[f"section.{section.id}.parents_intro"] = _("Abschnitt %(n)s: Einleitung für Eltern", n=number)
        for q in section.questions:
            where[f"question.{q.id}.text"] = _("Frage „%(key)s“", key=q.key)
            where[f"question.{q.id}.help"] = _("Hilfetext zu „%(key)s“", key=q.key)
            where[f"question.{q.id}.low"] = _("Beschriftung für 1 zu „%(key)s“", key=q.key)
            where[f"question.{q.id}.high"] = _("Beschriftung für 5 zu „%(key)s“", key=q.key)
            for option in q.options:
                where[f"option.{option.id}"] = _(
                    "Antwortmöglichkeit „%(code)s“ zu „%(key)s“", code=option.value, key=q.key
                )
    rows = []
    for name, german in definition.translatable_texts(survey):
        long = name == "survey.intro" or name.endswith(".help") or len(german) > 100 or "\n" in german
        rows.append({
            "name": name, "id": "t-" + name.replace(".", "-"), "german": german, "where": where.get(name, name),
            "value": values.get(name, ""), "long": long,
        })
    return rows


def _translation_page(
    survey: SurveyDef, language: str, values: dict[str, str], errors: dict[str, str] | None = None
) -> Template:
    return Template(
        "surveys/office_translation.html",
        context={
            "survey": survey, "language": language, "language_name": LANGUAGE_NAMES[language],
            "direction": text_direction(language), "rows": translation_rows(survey, language, values),
            "errors": errors or {},
        },
        status_code=400 if errors else 200,
    )


# --- codes ---------------------------------------------------------------------------------------------------------

async def _codes_form(formdata: FormInput | None = None, **data) -> CodesForm:
    form = bind_form(CodesForm, formdata, **data)
    form.centre.choices = [("", _("– bitte wählen –"))] + [(str(c.id), c.name) for c in await list_centres()]
    return form


async def _codes_page(survey: SurveyDef, form: CodesForm | None = None) -> Template:
    return Template(
        "surveys/office_codes.html",
        context={
            "survey": survey, "summary": await codes.code_summary(survey.id),
            "form": form or await _codes_form(), "max_codes": codes.MAX_CODES_PER_REQUEST,
        },
        status_code=200 if form is None else 400,
    )


class SurveyEditorController(Controller):
    """The office writes, translates, previews and publishes the surveys of the rounds."""

    path = "/verwaltung/umfragen"
    guards = [office_only]
    dependencies = EDITOR_DEPENDENCIES

    @get("/", name="surveys")
    async def list_surveys(self, threshold: NamedDependency[int]) -> Template:
        """Every survey with its status, window and number of responses (rounded while open)."""
        from participation.surveys.services.results import published_response_count

        surveys = await definition.list_surveys()
        counts = {s.id: published_response_count(s.responses, s.status, threshold) for s in surveys}
        return Template(
            "surveys/office_list.html",
            context={"surveys": surveys, "status_labels": STATUS_LABELS, "berlin_time": city_time,
                     "counts": counts, "threshold": threshold},
        )

    @get("/{survey_id:int}", name="survey_editor")
    async def editor(self, survey: NamedDependency[SurveyDef]) -> Template:
        """The editor: texts, sections and questions, publishing, translations."""
        return await _editor(survey)

    @post("/{survey_id:int}", name="survey_texts_update")
    async def update_texts(self, request: Request, survey: NamedDependency[SurveyDef]) -> Template | Redirect:
        """Change the German title and intro, and whether codes are needed."""
        form = bind_form(SurveyTextsForm, await read_form(request))
        if form.validate():
            try:
                await definition.update_survey_texts(
                    survey.id, form.title.data, form.intro.data or "", bool(form.uses_codes.data)
                )
            except definition.SurveyError as error:
                show_error(form, error)
            else:
                flash(request, _("Die Angaben zur Umfrage wurden gespeichert."), category="success")
                return redirect_to(request, "survey_editor", survey_id=survey.id)
        return await _editor(survey, status_code=400, texts_form=form)

    # --- sections ---

    @post("/{survey_id:int}/abschnitte", name="section_create")
    async def add_section(self, request: Request, survey: NamedDependency[SurveyDef]) -> Template | Redirect:
        """Add a section at the end of the survey."""
        form = bind_form(SectionForm, await read_form(request), prefix="new_section")
        if form.validate():
            try:
                section_id = await definition.add_section(survey.id, form.title.data)
            except definition.SurveyError as error:
                show_error(form, error, "title")
            else:
                flash(request, _("Der Abschnitt wurde angelegt."), category="success")
                return redirect_to(request, "survey_editor", survey_id=survey.id, fragment=f"abschnitt-{section_id}")
        return await _editor(survey, status_code=400, new_section_form=form)

    @post("/{survey_id:int}/abschnitte/{section_id:int}", name="section_update")
    async def rename_section(
        self, request: Request, survey: NamedDependency[SurveyDef], section: NamedDependency[SectionDef],
    ) -> Template | Redirect:
        """Change a section's German texts: its title and the parents' heading and intro."""
        form = bind_form(SectionTextsForm, await read_form(request), prefix=f"section{section.id}")
        if form.validate():
            try:
                await definition.rename_section(survey.id, section.id, form.title.data,
                                                form.parents_title.data or "", form.parents_intro.data or "")
            except definition.SurveyError as error:
                show_error(form, error, "title")
            else:
                flash(request, _("Der Abschnitt wurde umbenannt."), category="success")
                return redirect_to(request, "survey_editor", survey_id=survey.id, fragment=f"abschnitt-{section.id}")
        return await _editor(survey, status_code=400, section_forms={section.id: form})

    @post("/{survey_id:int}/abschnitte/{section_id:int}/loeschen", name="section_delete")
    async def delete_section(
        self, request: Request, survey: NamedDependency[SurveyDef], section: NamedDependency[SectionDef],
    ) -> Template | Redirect:
        """Delete an empty section of a draft."""
        try:
            await definition.delete_section(survey.id, section.id)
        except definition.SurveyError as error:
            return await _editor(survey, status_code=400, action_error=str(error))
        flash(request, _("Der Abschnitt wurde gelöscht."), category="success")
        return redirect_to(request, "survey_editor", survey_id=survey.id)

    # --- questions ---

    @get("/{survey_id:int}/abschnitte/{section_id:int}/fragen/neu", name="question_new")
    async def new_question(
        self, request: Request, survey: NamedDependency[SurveyDef], section: NamedDependency[SectionDef],
        vorlage: FromQuery[int | None] = None,
    ) -> Template:
        """The form for a new question at the end of a section; `vorlage` fills it from the question bank."""
        data = {}
        if vorlage is not None:
            template = await definition.bank_question(survey, vorlage)
            if template is None:
                raise NotFoundException(_("Diese Frage gibt es in früheren Runden nicht."))
            # A condition names a key of the other survey; the office sets it anew here.
            data = {**_question_data(template), "condition": "", "condition_key": "", "condition_value": ""}
        form, candidates = _question_form(survey, section.id, None, **data)
        page = _question_page(request, survey, section, None, form, candidates)
        page.context["bank"] = await definition.question_bank(survey)
        page.context["chosen"] = vorlage
        page.context["kind_labels"] = KIND_LABELS
        return page

    @post("/{survey_id:int}/abschnitte/{section_id:int}/fragen/neu", name="question_create")
    async def create_question(
        self, request: Request, survey: NamedDependency[SurveyDef], section: NamedDependency[SectionDef],
    ) -> Template | Redirect:
        """Add a question to a section."""
        return await self._save_question(request, survey, section, None)

    @get("/{survey_id:int}/fragen/{question_id:int}", name="question_edit")
    async def edit_question(
        self, request: Request, survey: NamedDependency[SurveyDef], question: NamedDependency[QuestionDef],
    ) -> Template:
        """The form of an existing question."""
        form, candidates = _question_form(survey, question.section_id, question.id, **_question_data(question))
        return _question_page(request, survey, _section_of(survey, question), question.id, form, candidates)

    @post("/{survey_id:int}/fragen/{question_id:int}", name="question_update")
    async def update_question(
        self, request: Request, survey: NamedDependency[SurveyDef], question: NamedDependency[QuestionDef],
    ) -> Template | Redirect:
        """Change a question; on a published survey only what keeps earlier answers meaningful."""
        return await self._save_question(request, survey, _section_of(survey, question), question.id)

    async def _save_question(
        self, request: Request, survey: SurveyDef, section: SectionDef, question_id: int | None
    ) -> Template | Redirect:
        form, candidates = _question_form(survey, section.id, question_id, await read_form(request))
        if form.validate():
            try:
                saved_id = await definition.save_question(survey.id, section.id, question_id, _question_input(form))
            except definition.SurveyError as error:
                show_error(form, error)
                # The page shows the condition as one select.
                form.condition.errors = [*form.condition_key.errors, *form.condition_value.errors]
            else:
                flash(request, _("Die Frage wurde gespeichert."), category="success")
                return redirect_to(request, "survey_editor", survey_id=survey.id, fragment=f"frage-{saved_id}")
        return _question_page(request, survey, section, question_id, form, candidates, status_code=400)

    @post("/{survey_id:int}/fragen/{question_id:int}/loeschen", name="question_delete")
    async def delete_question(
        self, request: Request, survey: NamedDependency[SurveyDef], question: NamedDependency[QuestionDef],
    ) -> Template | Redirect:
        """Delete a question of a draft."""
        try:
            await definition.delete_question(survey.id, question.id)
        except definition.SurveyError as error:
            return await _editor(survey, status_code=400, action_error=str(error))
        flash(request, _("Die Frage wurde gelöscht."), category="success")
        return redirect_to(request, "survey_editor", survey_id=survey.id)

    @post("/{survey_id:int}/fragen/{question_id:int}/verschieben", name="question_move")
    async def move_question(
        self, request: Request, survey: NamedDependency[SurveyDef], question: NamedDependency[QuestionDef],
    ) -> Template | Redirect:
        """Move a question one place up or down within its section."""
        offset = _move_offset(await read_form(request))
        try:
            await definition.move_question(survey.id, question.id, offset)
        except definition.SurveyError as error:
            return await _editor(survey, status_code=400, action_error=str(error))
        return redirect_to(request, "survey_editor", survey_id=survey.id, fragment=f"frage-{question.id}")

    # --- publishing ---

    @post("/{survey_id:int}/veroeffentlichen", name="survey_publish")
    async def publish(self, request: Request, survey: NamedDependency[SurveyDef]) -> Template | Redirect:
        """Publish for a window given in Berlin time."""
        form = bind_form(PublishForm, await read_form(request))
        if form.validate():
            try:
                await definition.publish_survey(
                    survey.id, from_city_time(form.opens_at.data), from_city_time(form.closes_at.data)
                )
            except definition.SurveyError as error:
                show_error(form, error)
            else:
                flash(request, _("Die Umfrage wurde veröffentlicht."), category="success")
                return redirect_to(request, "survey_editor", survey_id=survey.id)
        return await _editor(survey, status_code=400, publish_form=form)

    @post("/{survey_id:int}/schliessen", name="survey_close")
    async def close(self, request: Request, survey: NamedDependency[SurveyDef]) -> Template | Redirect:
        """Close an open (or scheduled) survey now."""
        try:
            await definition.close_survey(survey.id)
        except definition.SurveyError as error:
            return await _editor(survey, status_code=400, action_error=str(error))
        flash(request, _("Die Umfrage wurde geschlossen."), category="success")
        return redirect_to(request, "survey_editor", survey_id=survey.id)

    @post("/{survey_id:int}/wieder-oeffnen", name="survey_reopen")
    async def reopen(self, request: Request, survey: NamedDependency[SurveyDef]) -> Template | Redirect:
        """Open a published survey (again) until a new end."""
        form = bind_form(ReopenForm, await read_form(request))
        if form.validate():
            try:
                await definition.reopen_survey(survey.id, from_city_time(form.closes_at.data))
            except definition.SurveyError as error:
                show_error(form, error)
            else:
                end = city_time(from_city_time(form.closes_at.data))
                flash(request, _("Die Umfrage ist bis %(end)s geöffnet.", end=end), category="success")
                return redirect_to(request, "survey_editor", survey_id=survey.id)
        return await _editor(survey, status_code=400, reopen_form=form)

    # --- translations and preview ---

    @get("/{survey_id:int}/uebersetzung/{language:str}", name="survey_translation")
    async def translation(
        self, survey: NamedDependency[SurveyDef], translation_language: NamedDependency[str],
    ) -> Template:
        """Every German text of the survey with its translation into `language`."""
        language = translation_language
        return _translation_page(survey, language, definition.translation_of(survey, language))

    @post("/{survey_id:int}/uebersetzung/{language:str}", name="survey_translation_save")
    async def save_translation(
        self, request: Request, survey: NamedDependency[SurveyDef], translation_language: NamedDependency[str],
    ) -> Template | Redirect:
        """Store the translations of one language; empty fields stay untranslated."""
        language = translation_language
        formdata = await read_form(request)
        values = {name: (formdata.get(name) or "").strip() for name, _text in definition.translatable_texts(survey)}
        errors = {
            name: _("Bitte kürzen Sie den Text auf höchstens %(n)s Zeichen.", n=TRANSLATION_MAX)
            for name, value in values.items() if len(value) > TRANSLATION_MAX
        }
        if errors:
            return _translation_page(survey, language, values, errors)
        try:
            await definition.save_translation(survey.id, language, values)
        except definition.SurveyError as error:
            raise NotFoundException(str(error)) from error
        flash(
            request, _("Die Übersetzung (%(language)s) wurde gespeichert.", language=LANGUAGE_NAMES[language]),
            category="success",
        )
        return redirect_to(request, "survey_editor", survey_id=survey.id, fragment="uebersetzungen")

    @get("/{survey_id:int}/vorschau", name="survey_preview")
    async def preview(self, survey: NamedDependency[SurveyDef], sprache: FromQuery[str] = "de") -> Template:
        """The survey as parents see it, read-only, in one of its complete languages.

        The query parameter is `sprache`, not `lang`: `?lang=` would switch the office's own interface language.
        """
        complete = definition.complete_languages(survey)
        language = sprache if sprache in complete else "de"
        return Template(
            "surveys/office_preview.html",
            context={
                "survey": survey, "language": language, "direction": text_direction(language),
                "complete": complete, "language_names": LANGUAGE_NAMES, "requested": sprache,
                "t": translations_for(language).gettext,
            },
        )

    # --- invitation codes ---

    @get("/{survey_id:int}/codes", name="survey_codes")
    async def codes_page(self, survey: NamedDependency[SurveyDef]) -> Template:
        """Invitation codes per centre and the form to generate more."""
        return await _codes_page(survey)

    @post("/{survey_id:int}/codes", name="survey_codes_generate")
    async def generate_codes(self, request: Request, survey: NamedDependency[SurveyDef]) -> Template | Redirect:
        """Generate N new codes for a centre."""
        form = await _codes_form(await read_form(request))
        if form.validate():
            if not survey.uses_codes:
                form.form_errors.append(_("Diese Umfrage verwendet keine Einladungscodes. Schalten Sie sie zuerst "
                                          "im Editor ein."))
            elif not form.centre.data or not form.centre.data.isdigit():
                form.centre.errors = [_("Bitte wählen Sie ein Zentrum.")]
            else:
                try:
                    created = await codes.generate_codes(survey.id, int(form.centre.data), form.count.data)
                except codes.CodeError as error:
                    show_error(form, error, "centre")
                else:
                    flash(request, _("%(n)s neue Codes wurden erzeugt.", n=len(created)), category="success")
                    return redirect_to(request, "survey_codes", survey_id=survey.id)
        return await _codes_page(survey, form)

    @get("/{survey_id:int}/qr.svg", name="survey_qr")
    async def qr_code(self, request: Request, settings: NamedDependency[Settings],
                      survey: NamedDependency[SurveyDef]) -> Response[bytes]:
        """The QR code of the parents' link, to show in the editor and to print on posters and flyers."""
        link = settings.base_url + request.app.route_reverse("survey_start", survey_id=survey.id)
        return Response(qr_code_svg(link, title=survey.title("de")), media_type="image/svg+xml", headers={
            "Content-Disposition": f'inline; filename="umfrage-{survey.id}-qr-code.svg"'})

    @get("/{survey_id:int}/codes/{centre_id:int}/einladungscodes.pdf", name="survey_codes_pdf")
    async def codes_pdf(
        self, request: Request, settings: NamedDependency[Settings], survey: NamedDependency[SurveyDef],
        centre: NamedDependency[CentreOut],
    ) -> Response:
        """The printable sheet of a centre's unused codes, with QR codes, as a PDF download."""
        unused = await codes.unused_codes(survey.id, centre.id)
        env = pdf_templates()
        survey_url = settings.base_url + request.app.route_reverse("survey_start", survey_id=survey.id)
        try:
            # WeasyPrint is CPU-bound; the worker thread keeps the request's language (contextvars are copied).
            pdf = await asyncio.to_thread(
                invitation_sheet_pdf, unused, centre_name=centre.name, survey_title=survey.title("de"),
                survey_url=survey_url, env=env,
            )
        except DocumentError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error
        filename = f"einladungscodes-{survey.id}-{slugify(centre.name) or centre.id}.pdf"
        return Response(
            pdf, media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


def _section_of(survey: SurveyDef, question: QuestionDef) -> SectionDef:
    """The section a question of the survey belongs to."""
    return next(s for s in survey.sections if s.id == question.section_id)


OFFICE_CONTROLLERS: list = [SurveyEditorController]
