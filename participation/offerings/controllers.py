"""Pages of offering plans and the follow-up of action items.

Centre staff: their dashboard (/zentrum), their offering plan, their inbox of action items. The office: the overview
of all action items, the city's own items, any centre's plan (read-only) and trends. Everyone: "Was ist aus Ihren
Anregungen geworden?". Another centre's offering or action item answers 404, like an unknown id.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from wtforms import Form

from participation.accounts.schemas import CurrentUser
from participation.directory.dependencies import OWN_CENTRE_DEPENDENCIES, provide_centre
from participation.directory.schemas import CentreOut
from participation.i18n import current_language
from participation.i18n import gettext as _
from participation.notifications.services.subscriptions import round_to_follow
from participation.offerings.dependencies import (
    FOLLOW_UP_DEPENDENCIES,
    provide_own_offering,
    provide_public_outcomes,
    provide_published_follow_up,
)
from participation.offerings.schemas import (
    FOLLOW_UP_LABELS,
    FollowUpStatus,
    OfferingForm,
    accept_form_class,
    decline_form_class,
    implement_form_class,
    statement_form_class,
)
from participation.offerings.services import dashboard, exports, follow_ups, outcomes, overview, plans, trends
from participation.settings import Settings
from participation.surveys.schemas import SurveyStatus
from participation.surveys.services.definition import list_surveys
from participation.web.forms import FormInput, bind_form, read_form, show_error
from participation.web.guards import centre_staff_only, office_only
from participation.web.redirects import redirect_to


def _not_found(message: str | None = None) -> NotFoundException:
    return NotFoundException(message or _("Diese Seite gibt es nicht."))


def _csv_response(data: bytes, filename: str) -> Response[bytes]:
    return Response(data, media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _pdf_response(data: bytes, filename: str) -> Response[bytes]:
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


#: On the accept form, a new offering's title and kind have their own fields.
NEW_OFFERING_FIELDS = {"title": "new_title", "kind": "new_kind"}


def _assigned(own_centre: CentreOut | None) -> CentreOut:
    """The staff's own centre; an account without one has no plan to export."""
    if own_centre is None:
        raise _not_found(_("Ihr Zugang ist keinem Zentrum zugeordnet."))
    return own_centre


# --- the offering plan -----------------------------------------------------------------------------------------------

def _offering_input(form: OfferingForm) -> plans.OfferingInput:
    return plans.OfferingInput(
        title=form.title.data or "", kind=form.kind.data or "", topic=form.topic.data or "",
        target_group=form.target_group.data or "", languages=form.languages.data or "",
        schedule=form.schedule.data or "", capacity=form.capacity.data, status=form.status.data or "planned",
    )


async def _offering_page(form: OfferingForm, offering: plans.OfferingOut | None, status_code: int = 200,
                         centre_id: int | None = None) -> Template:
    """The offering's form; an existing offering lists the action items it answers (links to the parents' input)."""
    actions = await outcomes.actions_of_offering(centre_id, offering.id) if offering and centre_id else []
    return Template("offerings/offering_form.html", status_code=status_code,
                    context={"f": form, "offering": offering, "actions": actions})


# --- action items: one page with the decisions, used by centre staff and the office --------------------------------

def _words_data(view: follow_ups.FollowUpView) -> dict:
    return {"statement": view.statement, **{f"statement_{k}": v for k, v in view.translations.items()},
            **{f"title_{k}": v for k, v in view.public_translations.get("title", {}).items()},
            **{f"reason_{k}": v for k, v in view.public_translations.get("reason", {}).items()}}


def _words(form: Form, languages: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    return form.statement.data or "", {lang: form._fields[f"statement_{lang}"].data or "" for lang in languages}


def _translated(form: Form, prefix: str, languages: tuple[str, ...]) -> dict[str, str] | None:
    """The form's translations of one text (`title`, `reason`) by language; None when the form has no such fields."""
    if not any(f"{prefix}_{lang}" in form._fields for lang in languages):
        return None
    return {lang: form._fields[f"{prefix}_{lang}"].data or "" for lang in languages}


@dataclass(frozen=True, slots=True)
class Inbox:
    """Where action items are listed and shown: the centre's inbox or the office's overview (route names)."""

    listing: str
    item: str


CENTRE_INBOX = Inbox(listing="centre_inbox", item="centre_action")
OFFICE_INBOX = Inbox(listing="office_actions", item="office_action")


async def _action_forms(languages: tuple[str, ...], view: follow_ups.FollowUpView, formdata: FormInput | None = None,
                        which: str | None = None) -> dict[str, Form]:
    data = _words_data(view)
    with_offering = view.centre_id is not None
    accept = bind_form(accept_form_class(languages, with_offering=with_offering),
                       formdata if which == "accept" else None, prefix="accept", data=data)
    if with_offering:
        accept.offering.choices = [("", _("– ein neues Angebot anlegen –"))] + [
            (str(o.id), o.title) for o in await plans.list_offerings(view.centre_id)
        ]
        if which != "accept":
            accept.new_title.data = view.title[:200]
    return {
        "accept_form": accept,
        "implement_form": bind_form(implement_form_class(languages), formdata if which == "implement" else None,
                                    prefix="implement", data=data),
        "decline_form": bind_form(decline_form_class(languages), formdata if which == "decline" else None,
                                  prefix="decline", data=data),
        "statement_form": bind_form(statement_form_class(languages), formdata if which == "statement" else None,
                                    prefix="words", data=data),
    }


async def _action_page(
    request: Request, actor: follow_ups.Actor, languages: tuple[str, ...], view: follow_ups.FollowUpView,
    inbox: Inbox, *, status_code: int = 200, forms: dict | None = None,
) -> Template:
    can_act = follow_ups.may_act(actor, view)
    origin, origin_threshold = await outcomes.action_origin(view.action_id, view.round_id)
    context = {
        "a": view, "can_act": can_act, "languages": languages,
        "allowed": follow_ups.allowed_decisions(view), "origin": origin, "origin_threshold": origin_threshold,
    }
    if can_act:
        context.update(forms or await _action_forms(languages, view))
    return Template("offerings/action.html", status_code=status_code, context=context)


async def _decide(
    request: Request, actor: follow_ups.Actor, languages: tuple[str, ...], view: follow_ups.FollowUpView, which: str,
    inbox: Inbox,
) -> Template | Redirect:
    """Parse one decision form, call its service, and come back to the item (400 with messages on bad input)."""
    action_id = view.action_id
    formdata = await read_form(request)
    forms = await _action_forms(languages, view, formdata, which)
    form = forms[f"{which}_form"]
    if form.validate():
        statement, translations = _words(form, languages)
        titles = _translated(form, "title", languages)
        try:
            if which == "accept":
                offering_id, new_offering = follow_ups.chosen_offering(
                    view, form.data.get("offering"), form.data.get("new_title"), form.data.get("new_kind"))
                await follow_ups.accept_action(action_id, actor, offering_id=offering_id, new_offering=new_offering,
                                               note=form.note.data or "", statement=statement,
                                               translations=translations, titles=titles)
            elif which == "implement":
                await follow_ups.implement_action(action_id, actor, note=form.note.data or "", statement=statement,
                                                  translations=translations, titles=titles)
            elif which == "decline":
                await follow_ups.decline_action(action_id, actor, reason=form.reason.data or "", statement=statement,
                                                translations=translations, titles=titles,
                                                reasons=_translated(form, "reason", languages))
            else:
                await follow_ups.update_statement(action_id, actor, statement=statement, translations=translations,
                                                  titles=titles)
        except plans.OfferingError as error:
            show_error(form, error, "statement", aliases=NEW_OFFERING_FIELDS)
        else:
            updated = await follow_ups.get_follow_up(action_id)
            flash(request, _("Gespeichert: Die Maßnahme ist jetzt „%(status)s“.", status=updated.status_label),
                  category="success")
            return redirect_to(request, inbox.item, action_id=action_id)
    return await _action_page(request, actor, languages, view, inbox, status_code=400, forms=forms)


# --- centre staff ----------------------------------------------------------------------------------------------------

class CentreOfferingController(Controller):
    """A centre's dashboard, offering plan and inbox of action items (its own centre only)."""

    guards = [centre_staff_only]
    dependencies = {**FOLLOW_UP_DEPENDENCIES, **OWN_CENTRE_DEPENDENCIES, "offering": Provide(provide_own_offering)}

    @get("/zentrum", name="centre_home")
    async def dashboard(
        self, current_user: NamedDependency[CurrentUser], threshold: NamedDependency[int],
        runde: FromQuery[int | None] = None,
    ) -> Template:
        """The centre's feedback summary for a round with results (`?runde=`, default the newest): district and
        centre results, themes, trends, action items by status, its plan."""
        try:
            board = await dashboard.centre_dashboard(current_user.centre_id, threshold=threshold, round_id=runde)
        except dashboard.UnknownRound:
            raise ClientException(_("Für diese Runde gibt es noch keine Ergebnisse. Wählen Sie eine andere Runde."),
                                  status_code=400) from None
        if board is None:
            raise _not_found(_("Ihr Zugang ist keinem Zentrum zugeordnet."))
        charts = {t.key: trends.trend_chart(t, chart_id=f"trend-{t.key}") for t in board.trends}
        surveys = [s for s in await list_surveys() if s.status != SurveyStatus.DRAFT]
        return Template("offerings/dashboard.html", context={
            "d": board, "charts": charts, "surveys": surveys, "status_labels": FOLLOW_UP_LABELS,
            "statuses": list(FollowUpStatus),
        })

    @get("/zentrum/angebote", name="centre_plan")
    async def plan(
        self, current_user: NamedDependency[CurrentUser], own_centre: NamedDependency[CentreOut | None],
    ) -> Template:
        return Template("offerings/plan.html", context={
            "centre": own_centre, "offerings": await plans.list_offerings(current_user.centre_id), "editable": True,
        })

    @get("/zentrum/angebote/neu", name="centre_offering_new")
    async def new(self) -> Template:
        return await _offering_page(bind_form(OfferingForm), None)

    @post("/zentrum/angebote/neu", name="centre_offering_create")
    async def create(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        form = bind_form(OfferingForm, await read_form(request))
        if form.validate():
            try:
                await plans.create_offering(current_user.centre_id, _offering_input(form))
            except plans.OfferingError as error:
                show_error(form, error, "title")
            else:
                flash(request, _("Das Angebot „%(title)s“ ist im Angebotsplan.", title=form.title.data.strip()),
                      category="success")
                return redirect_to(request, "centre_plan")
        return await _offering_page(form, None, status_code=400)

    @get("/zentrum/angebote/{offering_id:int}", name="centre_offering_edit")
    async def edit(
        self, current_user: NamedDependency[CurrentUser], offering: NamedDependency[plans.OfferingOut],
    ) -> Template:
        form = bind_form(OfferingForm, data={
            "title": offering.title, "kind": offering.kind.value, "topic": offering.topic,
            "target_group": offering.target_group, "languages": offering.languages, "schedule": offering.schedule,
            "capacity": offering.capacity, "status": offering.status.value,
        })
        return await _offering_page(form, offering, centre_id=current_user.centre_id)

    @post("/zentrum/angebote/{offering_id:int}", name="centre_offering_update")
    async def update(
        self, request: Request, current_user: NamedDependency[CurrentUser],
        offering: NamedDependency[plans.OfferingOut],
    ) -> Template | Redirect:
        form = bind_form(OfferingForm, await read_form(request))
        if form.validate():
            try:
                await plans.update_offering(current_user.centre_id, offering.id, _offering_input(form))
            except plans.OfferingError as error:
                show_error(form, error, "title")
            else:
                flash(request, _("Das Angebot wurde gespeichert."), category="success")
                return redirect_to(request, "centre_plan")
        return await _offering_page(form, offering, status_code=400, centre_id=current_user.centre_id)

    @get("/zentrum/angebote/plan.csv", name="centre_plan_csv")
    async def plan_csv(self, own_centre: NamedDependency[CentreOut | None]) -> Response[bytes]:
        centre = _assigned(own_centre)
        return _csv_response(await exports.plan_csv(centre.id), exports.plan_filename(centre, "csv"))

    @get("/zentrum/angebote/plan.pdf", name="centre_plan_pdf")
    async def plan_pdf(self, own_centre: NamedDependency[CentreOut | None]) -> Response[bytes]:
        """The plan as PDF, rendered right away (a plan is a few pages at most)."""
        centre = _assigned(own_centre)
        return _pdf_response(await exports.plan_pdf(centre.id), exports.plan_filename(centre, "pdf"))

    @get("/zentrum/massnahmen", name="centre_inbox")
    async def inbox(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template:
        """The centre's published action items: proposals first."""
        return Template("offerings/inbox.html", context={
            "actions": await follow_ups.inbox(current_user.centre_id),
            "title": _("Vorschläge"),
        })

    @get("/zentrum/massnahmen/{action_id:int}", name="centre_action")
    async def action(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template:
        return await _action_page(request, actor, languages, follow_up, CENTRE_INBOX)

    @post("/zentrum/massnahmen/{action_id:int}/annehmen", name="centre_action_accept")
    async def accept(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template | Redirect:
        return await _decide(request, actor, languages, follow_up, "accept", CENTRE_INBOX)

    @post("/zentrum/massnahmen/{action_id:int}/umgesetzt", name="centre_action_implement")
    async def implement(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template | Redirect:
        return await _decide(request, actor, languages, follow_up, "implement", CENTRE_INBOX)

    @post("/zentrum/massnahmen/{action_id:int}/ablehnen", name="centre_action_decline")
    async def decline(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template | Redirect:
        return await _decide(request, actor, languages, follow_up, "decline", CENTRE_INBOX)

    @post("/zentrum/massnahmen/{action_id:int}/stellungnahme", name="centre_action_statement")
    async def statement(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template | Redirect:
        return await _decide(request, actor, languages, follow_up, "statement", CENTRE_INBOX)


# --- the office ------------------------------------------------------------------------------------------------------

class OfficeFollowUpController(Controller):
    """The office: all action items by centre and operator, the city's own items, any centre's plan, trends."""

    guards = [office_only]
    dependencies = {
        **FOLLOW_UP_DEPENDENCIES, "published_follow_up": Provide(provide_published_follow_up),
        "centre": Provide(provide_centre),
    }

    @get("/verwaltung/massnahmen", name="office_actions")
    async def overview(self, stand: FromQuery[str | None] = None) -> Template:
        status = stand if stand in {s.value for s in FollowUpStatus} else None
        return Template("offerings/overview.html", context={
            "groups": await overview.office_overview(status=status), "stand": status,
            "status_labels": FOLLOW_UP_LABELS, "statuses": list(FollowUpStatus),
        })

    @get("/verwaltung/massnahmen/export.csv", name="office_actions_csv")
    async def overview_csv(self) -> Response[bytes]:
        return _csv_response(await exports.overview_csv(), "massnahmen.csv")

    @get("/verwaltung/massnahmen/{action_id:int}", name="office_action")
    async def action(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        published_follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template:
        """Any published item with its history; the city's own items with the decisions."""
        return await _action_page(request, actor, languages, published_follow_up, OFFICE_INBOX)

    @post("/verwaltung/massnahmen/{action_id:int}/annehmen", name="office_action_accept")
    async def accept(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template | Redirect:
        return await _decide(request, actor, languages, follow_up, "accept", OFFICE_INBOX)

    @post("/verwaltung/massnahmen/{action_id:int}/umgesetzt", name="office_action_implement")
    async def implement(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template | Redirect:
        return await _decide(request, actor, languages, follow_up, "implement", OFFICE_INBOX)

    @post("/verwaltung/massnahmen/{action_id:int}/ablehnen", name="office_action_decline")
    async def decline(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template | Redirect:
        return await _decide(request, actor, languages, follow_up, "decline", OFFICE_INBOX)

    @post("/verwaltung/massnahmen/{action_id:int}/stellungnahme", name="office_action_statement")
    async def statement(
        self, request: Request, actor: NamedDependency[follow_ups.Actor], languages: NamedDependency[tuple[str, ...]],
        follow_up: NamedDependency[follow_ups.FollowUpView],
    ) -> Template | Redirect:
        return await _decide(request, actor, languages, follow_up, "statement", OFFICE_INBOX)

    @get("/verwaltung/trends", name="office_trends")
    async def trends(
        self, threshold: NamedDependency[int], frage: FromQuery[str | None] = None,
        antwort: FromQuery[str | None] = None,
    ) -> Template:
        """A question asked in several rounds, per district over the rounds: chart and table."""
        keys = await trends.trend_keys()
        known = {k.key for k in keys}
        key = frage if frage in known else (keys[0].key if keys else None)
        status_code = 400 if frage and frage not in known else 200
        trend = await trends.district_trend(key, threshold=threshold,
                                            option=antwort or None) if key else None
        if trend is not None and trend.kind == "single" and trend.option not in dict(trend.options):
            trend = await trends.district_trend(key, threshold=threshold)
        return Template("offerings/trends.html", status_code=status_code, context={
            "keys": keys, "key": key, "trend": trend, "unknown_key": status_code == 400,
            "chart": trends.trend_chart(trend) if trend and trend.rounds else None,
        })

    @get("/verwaltung/zentren/{centre_id:int}/angebote", name="office_centre_plan")
    async def centre_plan(self, centre: NamedDependency[CentreOut]) -> Template:
        return Template("offerings/plan.html", context={
            "centre": centre, "offerings": await plans.list_offerings(centre.id), "editable": False,
        })

    @get("/verwaltung/zentren/{centre_id:int}/angebote.csv", name="office_centre_plan_csv")
    async def centre_plan_csv(self, centre: NamedDependency[CentreOut]) -> Response[bytes]:
        return _csv_response(await exports.plan_csv(centre.id), exports.plan_filename(centre, "csv"))

    @get("/verwaltung/zentren/{centre_id:int}/angebote.pdf", name="office_centre_plan_pdf")
    async def centre_plan_pdf(self, centre: NamedDependency[CentreOut]) -> Response[bytes]:
        return _pdf_response(await exports.plan_pdf(centre.id), exports.plan_filename(centre, "pdf"))


# --- everyone --------------------------------------------------------------------------------------------------------

class PublicOutcomesController(Controller):
    """"Was ist aus Ihren Anregungen geworden?": every published action item with its status and the centre's words."""

    path = "/was-wurde-aus-ihren-anregungen"
    dependencies = {"round_outcomes": Provide(provide_public_outcomes)}

    @get("/", name="public_outcomes")
    async def listing(self, settings: NamedDependency[Settings]) -> Template:
        return Template("public/outcomes.html", context={
            "rounds": await outcomes.public_rounds(),
            "available_languages": settings.languages, "notify_round": await round_to_follow(),
        })

    @get("/{round_id:int}", name="public_outcomes_round")
    async def round_page(
        self, settings: NamedDependency[Settings], round_outcomes: NamedDependency[outcomes.PublicOutcomes],
    ) -> Template:
        language = current_language()
        words = {view.action_id: outcomes.public_words(view, language)
                 for _name, views in round_outcomes.groups for view in views}
        return Template("public/outcomes_round.html", context={
            "o": round_outcomes, "words": words, "status_labels": FOLLOW_UP_LABELS, "statuses": list(FollowUpStatus),
            "available_languages": settings.languages, "notify_round": await round_to_follow(),
        })


OFFERING_CONTROLLERS: list = [CentreOfferingController, OfficeFollowUpController, PublicOutcomesController]
