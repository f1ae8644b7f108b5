"""The dialogue session's pages: the office builds the agenda and records the minutes, publishes frozen versions;
centre staff read every published version, the public those marked public. PDFs are rendered by jobs.
"""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts.schemas import CurrentUser
from participation.dialogues.controllers import MOVES
from participation.dialogues.dependencies import ROUND_DEPENDENCIES, provide_public_version, provide_version
from participation.dialogues.minutes_schemas import (
    ActionItemForm,
    AgendaFreeForm,
    AgendaThemeForm,
    AgendaTopicForm,
    ItemMinutesForm,
    PollForm,
    PublishForm,
    attendance_form_class,
)
from participation.dialogues.schemas import RoundOut
from participation.dialogues.services import (
    actions,
    agenda,
    attendance,
    pdfs,
    polls,
    published,
    publishing,
    snapshots,
)
from participation.directory.services import list_centres
from participation.documents.markdown import render_markdown
from participation.i18n import gettext as _
from participation.notifications.services import sending
from participation.web.forms import FormInput, bind_form, read_form, show_error
from participation.web.guards import centre_staff_only, office_only
from participation.web.redirects import redirect_to


def _wake(request: Request) -> None:
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        runner.wake()


# --- forms with their choices ----------------------------------------------------------------------------------------

def _agenda_forms(round_: RoundOut, theme_choices: list[tuple[int, str]], formdata: FormInput | None = None,
                  art: str | None = None) -> dict:
    topic_form = bind_form(AgendaTopicForm, formdata if art == "topic" else None, prefix="topic")
    topic_form.topic.choices = [(t.id, t.title) for t in round_.topics]
    theme_form = bind_form(AgendaThemeForm, formdata if art == "theme" else None, prefix="theme")
    theme_form.theme.choices = theme_choices
    free_form = bind_form(AgendaFreeForm, formdata if art == "free" else None, prefix="free")
    return {"topic_form": topic_form, "theme_form": theme_form, "free_form": free_form}


async def _action_form(round_: RoundOut, formdata: FormInput | None = None, **data) -> ActionItemForm:
    form = bind_form(ActionItemForm, formdata, prefix="action", **data)
    form.centre.choices = [("", _("Stadtverwaltung"))] + [(c.id, c.name) for c in await list_centres()]
    form.topic.choices = [("", _("– kein Bezug –"))] + [(t.id, t.title) for t in round_.topics]
    form.theme.choices = [("", _("– kein Bezug –"))] + await agenda.theme_choices(round_.id)
    return form


def _action_input(form: ActionItemForm) -> actions.ActionInput:
    return actions.ActionInput(
        title=form.title.data or "", description=form.description.data or "", centre_id=form.centre.data,
        due_date=form.due_date.data, topic_id=form.topic.data, theme_id=form.theme.data,
    )


def _item_form(item_id: int, formdata: FormInput | None = None, **data) -> ItemMinutesForm:
    return bind_form(ItemMinutesForm, formdata, prefix=f"item{item_id}", **data)


# --- pages -----------------------------------------------------------------------------------------------------------

async def _session_page(round_: RoundOut, threshold: int, *, status_code: int = 200,
                        error: str | None = None, **forms) -> Template:
    round_id = round_.id
    snapshot = await snapshots.build_snapshot(round_id, threshold=threshold)
    theme_choices = await agenda.theme_choices(round_id)
    context = _agenda_forms(round_, theme_choices)
    context["poll_form"] = bind_form(PollForm, prefix="poll")
    context.update(forms)
    return Template("dialogues/session_agenda.html", status_code=status_code, context={
        "round": round_, "snapshot": snapshot, "has_survey": round_.survey_id is not None, "agenda_error": error,
        "max_items": agenda.MAX_AGENDA_ITEMS, "polls": await polls.list_polls(round_id), **context,
    })


async def _minutes_page(round_: RoundOut, threshold: int, *, status_code: int = 200, **override) -> Template:
    round_id = round_.id
    snapshot = await snapshots.build_snapshot(round_id, threshold=threshold)
    items = await agenda.list_agenda(round_id)
    item_forms = {item.id: _item_form(item.id, notes=item.notes, decisions=item.decisions) for item in items}
    item_forms.update(override.pop("item_forms", {}))
    rows = await attendance.attendance(round_id)
    attendance_form = override.pop("attendance_form", None) or bind_form(
        attendance_form_class([r.district_id for r in rows]), prefix="att",
        data={**{f"parents_{r.district_id}": r.parents for r in rows}, **{f"staff_{r.district_id}": r.staff
                                                                              for r in rows}},
    )
    versions = await published.list_versions(round_id)
    states = await pdfs.version_pdf_states(versions)
    differs = None if not versions else snapshots.content_hash(snapshot) != versions[0].content_hash
    context = {
        "round": round_, "items": items, "snapshot": snapshot, "item_forms": item_forms,
        "previews": {item.id: render_markdown(item.notes) for item in items},
        "attendance_rows": rows, "attendance_form": attendance_form,
        "actions": await actions.list_actions(round_id),
        "action_form": override.pop("action_form", None) or await _action_form(round_),
        "publish_form": override.pop("publish_form", None) or bind_form(
            PublishForm, prefix="publish", public=bool(versions and versions[0].public)),
        "publish_error": override.pop("publish_error", None),
        "versions": versions, "states": states, "draft_differs": differs,
        "centres": await snapshots.centres_for_links(),
        "poll_results": await polls.round_results(round_id),
    }
    return Template("dialogues/minutes_edit.html", status_code=status_code, context=context)


def _pdf_page(state: pdfs.PdfState, *, title: str, here: str, back: str, back_label: str,
              signed_in: bool) -> Template:
    return Template("dialogues/minutes_pdf_status.html", status_code=400 if state.error else 202, context={
        "state": state, "title": title, "here": here, "back": back, "back_label": back_label,
        "signed_in": signed_in,
    })


def _pdf_response(pdf: bytes, filename: str) -> Response:
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private"})


async def _version_pdf(request: Request, version: published.VersionOut, *, here: str, back: str, back_label: str,
                       signed_in: bool) -> Response | Template:
    state = await pdfs.request_minutes_pdf(version.content_hash)
    if state.ready:
        return _pdf_response(state.pdf, pdfs.pdf_filename("protokoll", version.round_title, f"v{version.number}"))
    if state.job is not None:
        _wake(request)
    return _pdf_page(state, title=_("Protokoll %(round)s, Version %(n)s", round=version.round_title,
                                    n=version.number),
                     here=here, back=back, back_label=back_label, signed_in=signed_in)


async def _summary_pdf(request: Request, threshold: int, centre_id: int, round_id: int | None, *, here: str, back: str
                       ) -> Response | Template:
    snapshot = await snapshots.centre_summary_snapshot(
        centre_id, threshold=threshold, round_id=round_id
    )
    if snapshot is None:
        raise NotFoundException(_("Für dieses Zentrum gibt es (noch) keine Runde mit Umfrage."))
    state = await pdfs.request_centre_summary_pdf(snapshot)
    if state.ready:
        return _pdf_response(state.pdf, pdfs.pdf_filename(
            "zusammenfassung", snapshot["centre"]["name"], snapshot["round"]["title"]))
    if state.job is not None:
        _wake(request)
    return _pdf_page(state, title=pdfs.centre_summary_title(snapshot), here=here, back=back,
                     back_label=_("Zurück"), signed_in=True)


class SessionController(Controller):
    """The office's agenda and minutes of a round's session."""

    path = "/verwaltung/runden/{round_id:int}"
    guards = [office_only]
    dependencies = ROUND_DEPENDENCIES

    @get("/sitzung", name="session_agenda")
    async def agenda(self, threshold: NamedDependency[int], round_: NamedDependency[RoundOut]) -> Template:
        """The agenda with each item's survey figures and theme quotes for the moderator."""
        return await _session_page(round_, threshold)

    @post("/sitzung/punkte", name="session_agenda_add")
    async def add_item(
        self, request: Request, threshold: NamedDependency[int], round_: NamedDependency[RoundOut],
    ) -> Template | Redirect:
        """Add an item from a topic, from an agenda-candidate theme, or as free text (the `art` says which)."""
        round_id = round_.id
        data = await read_form(request)
        art = data.get("art") or ""
        if art not in ("topic", "theme", "free"):
            raise HTTPException(status_code=400, detail=_("Bitte wählen Sie, woraus der Punkt entstehen soll."))
        forms = _agenda_forms(round_, await agenda.theme_choices(round_id), data, art)
        form = forms[f"{art}_form"]
        if form.validate():
            try:
                if art == "topic":
                    await agenda.add_topic_item(round_id, form.topic.data)
                elif art == "theme":
                    await agenda.add_theme_item(round_id, form.theme.data)
                else:
                    await agenda.add_free_item(round_id, form.title.data)
            except agenda.SessionError as error:
                if error.field is None:  # about the agenda as a whole
                    return await _session_page(round_, threshold, status_code=400, error=str(error), **forms)
                show_error(form, error)
            else:
                flash(request, _("Der Punkt wurde der Tagesordnung hinzugefügt."), category="success")
                return redirect_to(request, "session_agenda", round_id=round_id, fragment="tagesordnung")
        return await _session_page(round_, threshold, status_code=400, **forms)

    @post("/sitzung/punkte/{item_id:int}/verschieben", name="session_agenda_move")
    async def move_item(
        self, request: Request, round_: NamedDependency[RoundOut], item: NamedDependency[agenda.AgendaItemOut],
    ) -> Redirect:
        """Move an item one place up or down (buttons, no JavaScript needed)."""
        offset = MOVES.get((await read_form(request)).get("richtung") or "")
        if offset is None:
            raise HTTPException(status_code=400, detail=_("Bitte wählen Sie „nach oben“ oder „nach unten“."))
        await agenda.move_item(round_.id, item.id, offset)
        return redirect_to(request, "session_agenda", round_id=round_.id, fragment=f"punkt-{item.id}")

    @post("/sitzung/punkte/{item_id:int}/loeschen", name="session_agenda_delete")
    async def delete_item(
        self, request: Request, round_: NamedDependency[RoundOut], item: NamedDependency[agenda.AgendaItemOut],
    ) -> Redirect:
        """Take an item off the agenda (with its notes)."""
        await agenda.delete_item(round_.id, item.id)
        flash(request, _("Der Punkt wurde von der Tagesordnung genommen."), category="success")
        return redirect_to(request, "session_agenda", round_id=round_.id, fragment="tagesordnung")

    @get("/protokoll", name="minutes_edit")
    async def minutes_page(self, threshold: NamedDependency[int], round_: NamedDependency[RoundOut]) -> Template:
        """Attendance, notes and decisions per item, action items, publishing and the published versions."""
        return await _minutes_page(round_, threshold)

    @post("/protokoll/teilnahme", name="minutes_attendance")
    async def save_attendance(
        self, request: Request, threshold: NamedDependency[int], round_: NamedDependency[RoundOut],
    ) -> Template | Redirect:
        """Parents and staff present, per district."""
        round_id = round_.id
        rows = await attendance.attendance(round_id)
        form = bind_form(attendance_form_class([r.district_id for r in rows]), await read_form(request), prefix="att")
        if not form.validate():
            return await _minutes_page(round_, threshold, status_code=400, attendance_form=form)
        counts = {
            r.district_id: (form[f"parents_{r.district_id}"].data or 0, form[f"staff_{r.district_id}"].data or 0)
            for r in rows
        }
        await attendance.save_attendance(round_id, counts)
        flash(request, _("Die Teilnahme wurde gespeichert."), category="success")
        return redirect_to(request, "minutes_edit", round_id=round_id, fragment="teilnahme")

    @post("/protokoll/punkte/{item_id:int}", name="minutes_item")
    async def save_item(
        self, request: Request, threshold: NamedDependency[int], round_: NamedDependency[RoundOut],
        item: NamedDependency[agenda.AgendaItemOut],
    ) -> Template | Redirect:
        """Notes (Markdown) and decisions of one agenda item."""
        round_id, item_id = round_.id, item.id
        form = _item_form(item_id, await read_form(request))
        if form.validate():
            try:
                await agenda.save_item_minutes(round_id, item_id, form.notes.data or "", form.decisions.data or "")
            except agenda.SessionError as error:
                show_error(form, error, "notes")
            else:
                flash(request, _("Notizen und Beschlüsse wurden gespeichert."), category="success")
                return redirect_to(request, "minutes_edit", round_id=round_id, fragment=f"punkt-{item_id}")
        return await _minutes_page(round_, threshold, status_code=400, item_forms={item_id: form})

    @post("/protokoll/massnahmen", name="minutes_action_add")
    async def add_action(
        self, request: Request, threshold: NamedDependency[int], round_: NamedDependency[RoundOut],
    ) -> Template | Redirect:
        """A new action item: who (a centre or the city office), until when, linked to a topic or theme."""
        form = await _action_form(round_, await read_form(request))
        if form.validate():
            try:
                await actions.add_action(round_.id, _action_input(form))
            except agenda.SessionError as error:
                show_error(form, error, "title")
            else:
                flash(request, _("Die Maßnahme wurde hinzugefügt."), category="success")
                return redirect_to(request, "minutes_edit", round_id=round_.id, fragment="massnahmen")
        return await _minutes_page(round_, threshold, status_code=400, action_form=form)

    @get("/protokoll/massnahmen/{action_id:int}", name="minutes_action")
    async def action_page(
        self, round_: NamedDependency[RoundOut], action: NamedDependency[actions.ActionItemOut],
    ) -> Template:
        """The form to change an action item."""
        form = await _action_form(
            round_, title=action.title, description=action.description, centre=action.centre_id or "",
            due_date=action.due_date, topic=action.topic_id or "", theme=action.theme_id or "",
        )
        return Template("dialogues/minutes_action.html", context={"round": round_, "action": action, "form": form})

    @post("/protokoll/massnahmen/{action_id:int}", name="minutes_action_update")
    async def update_action(
        self, request: Request, round_: NamedDependency[RoundOut], action: NamedDependency[actions.ActionItemOut],
    ) -> Template | Redirect:
        form = await _action_form(round_, await read_form(request))
        if form.validate():
            try:
                await actions.update_action(round_.id, action.id, _action_input(form))
            except agenda.SessionError as error:
                show_error(form, error, "title")
            else:
                flash(request, _("Die Maßnahme wurde gespeichert."), category="success")
                return redirect_to(request, "minutes_edit", round_id=round_.id, fragment="massnahmen")
        return Template("dialogues/minutes_action.html", status_code=400,
                        context={"round": round_, "action": action, "form": form})

    @post("/protokoll/massnahmen/{action_id:int}/loeschen", name="minutes_action_delete")
    async def delete_action(
        self, request: Request, round_: NamedDependency[RoundOut], action: NamedDependency[actions.ActionItemOut],
    ) -> Redirect:
        await actions.delete_action(round_.id, action.id)
        flash(request, _("Die Maßnahme wurde entfernt."), category="success")
        return redirect_to(request, "minutes_edit", round_id=round_.id, fragment="massnahmen")

    @post("/protokoll/veroeffentlichen", name="minutes_publish")
    async def publish(
        self, request: Request, current_user: NamedDependency[CurrentUser], threshold: NamedDependency[int],
        round_: NamedDependency[RoundOut],
    ) -> Template | Redirect:
        """Freeze the minutes as a version (unchanged content keeps its version) and render its PDF as a job."""
        form = bind_form(PublishForm, await read_form(request), prefix="publish")
        form.validate()
        try:
            outcome = await publishing.publish_minutes(
                round_.id, public=bool(form.public.data), threshold=threshold,
                user_id=current_user.id,
            )
        except agenda.SessionError as error:
            return await _minutes_page(round_, threshold, status_code=400, publish_form=form,
                                       publish_error=str(error))
        await sending.ensure_send_job(request.app.state.settings)
        _wake(request)
        if outcome.created:
            flash(request, _("Version %(n)s wurde veröffentlicht; das PDF wird erstellt.", n=outcome.number),
                  category="success")
        else:
            flash(request, _("Der Inhalt ist unverändert: Version %(n)s bleibt gültig.", n=outcome.number),
                  category="success")
        return redirect_to(request, "minutes_edit", round_id=round_.id, fragment="versionen")

    @get("/protokoll/versionen/{version_id:int}/pdf", name="minutes_version_pdf")
    async def version_pdf(
        self, request: Request, version: NamedDependency[published.VersionOut],
    ) -> Response | Template:
        """The version's PDF, or the progress of its rendering job."""
        reverse = request.app.route_reverse
        return await _version_pdf(
            request, version, here=reverse("minutes_version_pdf", round_id=version.round_id, version_id=version.id),
            back=reverse("minutes_edit", round_id=version.round_id), back_label=_("Zurück zum Protokoll"),
            signed_in=True,
        )


class CentreSummaryOfficeController(Controller):
    """The office reads any centre's summary."""

    guards = [office_only]

    @get("/verwaltung/zentren/{centre_id:int}/zusammenfassung.pdf", name="office_centre_summary")
    async def summary(
        self, request: Request, threshold: NamedDependency[int], centre_id: FromPath[int],
        runde: FromQuery[int | None] = None,
    ) -> Response | Template:
        """A centre's district results, themes and action items as a PDF (latest round, or `?runde=`)."""
        suffix = f"?runde={runde}" if runde else ""
        return await _summary_pdf(request, threshold, centre_id, runde,
                                  here=request.app.route_reverse("office_centre_summary", centre_id=centre_id) + suffix,
                                  back=request.app.route_reverse("rounds"))


class CentreMinutesController(Controller):
    """Centre staff read every published version and their own centre's summary."""

    guards = [centre_staff_only]
    dependencies = {"version": Provide(provide_version)}

    @get("/zentrum/protokolle", name="centre_minutes")
    async def listing(self) -> Template:
        return Template("dialogues/minutes_published.html", context={
            "versions": await published.list_versions(), "public_view": False,
        })

    @get("/zentrum/protokolle/{version_id:int}/pdf", name="centre_minutes_pdf")
    async def version_pdf(
        self, request: Request, version: NamedDependency[published.VersionOut],
    ) -> Response | Template:
        return await _version_pdf(
            request, version, here=request.app.route_reverse("centre_minutes_pdf", version_id=version.id),
            back=request.app.route_reverse("centre_minutes"), back_label=_("Zurück zu den Protokollen"),
            signed_in=True,
        )

    @get("/zentrum/zusammenfassung.pdf", name="centre_summary")
    async def summary(
        self, request: Request, current_user: NamedDependency[CurrentUser], threshold: NamedDependency[int],
        runde: FromQuery[int | None] = None,
    ) -> Response | Template:
        suffix = f"?runde={runde}" if runde else ""
        return await _summary_pdf(request, threshold, current_user.centre_id, runde,
                                  here=request.app.route_reverse("centre_summary") + suffix,
                                  back=request.app.route_reverse("centre_home"))


class PublicMinutesController(Controller):
    """Everyone reads the minutes the office marked public."""

    dependencies = {"version": Provide(provide_public_version)}

    @get("/protokolle", name="public_minutes")
    async def listing(self) -> Template:
        return Template("public/minutes.html", context={
            "versions": await published.list_versions(public_only=True), "public_view": True,
        })

    @get("/protokolle/{version_id:int}/pdf", name="public_minutes_pdf")
    async def version_pdf(
        self, request: Request, visitor: NamedDependency[CurrentUser | None],
        version: NamedDependency[published.VersionOut],
    ) -> Response | Template:
        return await _version_pdf(
            request, version, here=request.app.route_reverse("public_minutes_pdf", version_id=version.id),
            back=request.app.route_reverse("public_minutes"), back_label=_("Zurück zu den Protokollen"),
            signed_in=visitor is not None,
        )


SESSION_CONTROLLERS: list = [
    SessionController, CentreSummaryOfficeController, CentreMinutesController, PublicMinutesController,
]
