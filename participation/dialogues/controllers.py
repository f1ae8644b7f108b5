"""The office's pages of dialogue rounds: the list of rounds, a round's session details and topics, and starting
the round's survey (new, or a copy of the previous round's).
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.dialogues.dependencies import ROUND_DEPENDENCIES
from participation.dialogues.schemas import RoundForm, RoundOut, Season, TopicForm, TopicOut
from participation.dialogues.services import rounds
from participation.i18n import gettext as _
from participation.surveys.forms import NewSurveyForm
from participation.surveys.services import definition
from participation.web.forms import FormInput, bind_form, read_form, show_error
from participation.web.guards import office_only
from participation.web.redirects import redirect_to

#: The values of the move buttons: up is -1, down is +1 in the order.
MOVES = {"hoch": -1, "runter": 1}


def _details_form(formdata: FormInput | None = None, **data) -> RoundForm:
    """The round form without season and year, which name the round and do not change."""
    form = bind_form(RoundForm, formdata, **data)
    del form["season"]
    del form["year"]
    return form


def _topic_form(topic_id: int, formdata: FormInput | None = None, **data) -> TopicForm:
    return bind_form(TopicForm, formdata, prefix=f"topic{topic_id}", **data)


async def _round_page(round_: RoundOut, *, status_code: int = 200, **context) -> Template:
    """The round's page; forms passed in `context` (bound, with errors) replace the empty ones."""
    previous = await rounds.previous_round(round_.id)
    topic_forms = {
        topic.id: _topic_form(topic.id, title=topic.title, description=topic.description) for topic in round_.topics
    }
    topic_forms.update(context.pop("topic_forms", {}))
    context.setdefault(
        "details_form", _details_form(session_date=round_.session_date, session_venue=round_.session_venue)
    )
    context.setdefault("new_topic_form", bind_form(TopicForm, prefix="new"))
    context.setdefault("survey_form", bind_form(NewSurveyForm, prefix="survey"))
    context.setdefault("copy_error", None)
    return Template(
        "dialogues/round.html",
        context={"round": round_, "previous": previous, "topic_forms": topic_forms, **context},
        status_code=status_code,
    )


async def _rounds_page(form: RoundForm | None = None) -> Template:
    return Template(
        "dialogues/rounds.html",
        context={"rounds": await rounds.list_rounds(), "form": form or bind_form(RoundForm)},
        status_code=200 if form is None else 400,
    )


class RoundController(Controller):
    """The office plans the rounds of the Familiendialog and their topics."""

    path = "/verwaltung/runden"
    guards = [office_only]
    dependencies = ROUND_DEPENDENCIES

    @get("/", name="rounds")
    async def list_rounds(self) -> Template:
        """All rounds, newest first, and the form for a new one."""
        return await _rounds_page()

    @post("/", name="round_create")
    async def create_round(self, request: Request) -> Template | Redirect:
        """Open a new round with the city's usual topics."""
        form = bind_form(RoundForm, await read_form(request))
        if form.validate():
            try:
                round_id = await rounds.create_round(
                    Season(form.season.data), form.year.data, session_date=form.session_date.data,
                    session_venue=form.session_venue.data or "",
                )
            except rounds.RoundError as error:
                show_error(form, error, "year")
            else:
                flash(request, _("Die Runde wurde angelegt."), category="success")
                return redirect_to(request, "round", round_id=round_id)
        return await _rounds_page(form)

    @get("/{round_id:int}", name="round")
    async def show_round(self, round_: NamedDependency[RoundOut]) -> Template:
        """A round: session details, topics, and its survey."""
        return await _round_page(round_)

    @post("/{round_id:int}", name="round_update")
    async def update_round(self, request: Request, round_: NamedDependency[RoundOut]) -> Template | Redirect:
        """Change the session's date and venue."""
        form = _details_form(await read_form(request))
        if form.validate():
            await rounds.update_round(
                round_.id, session_date=form.session_date.data, session_venue=form.session_venue.data or ""
            )
            flash(request, _("Die Angaben zur Runde wurden gespeichert."), category="success")
            return redirect_to(request, "round", round_id=round_.id)
        return await _round_page(round_, status_code=400, details_form=form)

    @post("/{round_id:int}/themen", name="topic_create")
    async def add_topic(self, request: Request, round_: NamedDependency[RoundOut]) -> Template | Redirect:
        """Add a topic at the end of the round's list."""
        form = bind_form(TopicForm, await read_form(request), prefix="new")
        if form.validate():
            await rounds.add_topic(round_.id, form.title.data, form.description.data or "")
            flash(request, _("Das Thema wurde hinzugefügt."), category="success")
            return redirect_to(request, "round", round_id=round_.id, fragment="themen")
        return await _round_page(round_, status_code=400, new_topic_form=form)

    @post("/{round_id:int}/themen/{topic_id:int}", name="topic_update")
    async def rename_topic(
        self, request: Request, round_: NamedDependency[RoundOut], topic: NamedDependency[TopicOut],
    ) -> Template | Redirect:
        """Rename a topic or change its description."""
        form = _topic_form(topic.id, await read_form(request))
        if form.validate():
            await rounds.update_topic(topic.id, form.title.data, form.description.data or "")
            flash(request, _("Das Thema wurde gespeichert."), category="success")
            return redirect_to(request, "round", round_id=round_.id, fragment="themen")
        return await _round_page(round_, status_code=400, topic_forms={topic.id: form})

    @post("/{round_id:int}/themen/{topic_id:int}/loeschen", name="topic_delete")
    async def delete_topic(
        self, request: Request, round_: NamedDependency[RoundOut], topic: NamedDependency[TopicOut],
    ) -> Redirect:
        """Remove a topic; a survey section made for it stays, without the link to the topic."""
        await rounds.delete_topic(topic.id)
        flash(request, _("Das Thema wurde entfernt."), category="success")
        return redirect_to(request, "round", round_id=round_.id, fragment="themen")

    @post("/{round_id:int}/themen/{topic_id:int}/verschieben", name="topic_move")
    async def move_topic(
        self, request: Request, round_: NamedDependency[RoundOut], topic: NamedDependency[TopicOut],
    ) -> Redirect:
        """Move a topic one place up or down."""
        offset = MOVES.get((await read_form(request)).get("richtung", ""))
        if offset is None:
            raise HTTPException(status_code=400, detail=_("Bitte wählen Sie „nach oben“ oder „nach unten“."))
        await rounds.move_topic(round_.id, topic.id, offset)
        return redirect_to(request, "round", round_id=round_.id, fragment="themen")

    @post("/{round_id:int}/umfrage", name="round_survey_create")
    async def create_survey(self, request: Request, round_: NamedDependency[RoundOut]) -> Template | Redirect:
        """Start the round's survey with one section per topic."""
        form = bind_form(NewSurveyForm, await read_form(request), prefix="survey")
        if form.validate():
            try:
                survey_id = await definition.create_survey(round_.id, form.title.data, form.intro.data or "")
            except definition.SurveyError as error:
                show_error(form, error, "title")
            else:
                flash(request, _("Die Umfrage wurde angelegt."), category="success")
                return redirect_to(request, "survey_editor", survey_id=survey_id)
        return await _round_page(round_, status_code=400, survey_form=form)

    @post("/{round_id:int}/umfrage/kopieren", name="round_survey_copy")
    async def copy_survey(self, request: Request, round_: NamedDependency[RoundOut]) -> Template | Redirect:
        """Copy the previous round's survey (same keys, translations) as this round's draft."""
        previous = await rounds.previous_round(round_.id)
        if previous is None or previous.survey_id is None:
            error = _("Die vorige Runde hat keine Umfrage, die kopiert werden könnte.")
        else:
            try:
                survey_id = await definition.copy_survey(previous.survey_id, round_.id)
            except definition.SurveyError as exc:
                error = str(exc)
            else:
                flash(request, _("Die Umfrage der vorigen Runde wurde kopiert."), category="success")
                return redirect_to(request, "survey_editor", survey_id=survey_id)
        return await _round_page(round_, status_code=400, copy_error=error)


ROUND_CONTROLLERS: list = [RoundController]
