"""The live poll of the session (*Stimmungsbild*): the office prepares, opens and closes polls on the session page and
shows the projector view; parents vote with their phones at the short address /s/{code}, without an account.

One vote per phone: a random per-poll token in a cookie limited to the poll's address (HttpOnly, SameSite=Lax, no
personal data), whose hash the database keeps under a unique constraint. The vote form is protected like the parents'
survey form (`web.cookieless_csrf`) and throttled per client address.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import segno
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, ServerSentEvent, Template
from litestar.response.sse import ServerSentEventMessage

from participation.dialogues.dependencies import ROUND_DEPENDENCIES
from participation.dialogues.minutes_schemas import PollForm
from participation.dialogues.schemas import RoundOut
from participation.dialogues.services import polls
from participation.dialogues.services.live import PollHub
from participation.i18n import gettext as _
from participation.settings import Settings
from participation.web.cookieless_csrf import EXCLUDE_FROM_COOKIE_CSRF, form_is_genuine, issue_token
from participation.web.forms import bind_form, read_form
from participation.web.guards import office_only
from participation.web.redirects import redirect_to

#: The phone's per-poll token; its path is the poll's address, so each poll has its own.
VOTER_COOKIE = "fd_poll"
TOKEN_MAX_AGE = 24 * 3600


async def provide_poll(round_: NamedDependency[RoundOut], poll_id: FromPath[int]) -> polls.PollOut:
    """A poll of the path's round."""
    poll = await polls.get_poll(round_.id, poll_id)
    if poll is None:
        raise NotFoundException(_("Diese Abstimmung gibt es in dieser Runde nicht."))
    return poll


def _hub(request: Request) -> PollHub:
    return request.app.state.poll_hub


def short_address(request: Request, settings: Settings, code: str) -> str:
    return settings.base_url.rstrip("/") + request.app.route_reverse("poll_vote_page", code=code)


def qr_svg(link: str) -> str:
    """The QR code of the poll's address as inline SVG (decorative: the address is printed next to it)."""
    svg = segno.make(link, error="m", micro=False).svg_inline(scale=10, border=4, dark="#000", light="#fff",
                                                                 svgclass="poll-qr-code", omitsize=True)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


class PollOfficeController(Controller):
    """The office's polls of a round's session."""

    path = "/verwaltung/runden/{round_id:int}/sitzung/umfrage"
    guards = [office_only]
    dependencies = {**ROUND_DEPENDENCIES, "poll": Provide(provide_poll)}

    @post("/", name="poll_create")
    async def create(self, request: Request, threshold: NamedDependency[int],
                     round_: NamedDependency[RoundOut]) -> Template | Redirect:
        """Prepare a poll (a top-3 poll takes the agenda's items as its answers)."""
        from participation.dialogues.session_controllers import _session_page

        form = bind_form(PollForm, await read_form(request), prefix="poll")
        if form.validate():
            try:
                await polls.create_poll(round_.id, form.kind.data, form.question.data or "")
            except polls.PollError as error:
                form[error.field or "kind"].errors = [*form[error.field or "kind"].errors, str(error)]
            else:
                flash(request, _("Die Abstimmung ist vorbereitet. Öffnen Sie sie, wenn es so weit ist."),
                      category="success")
                return redirect_to(request, "session_agenda", round_id=round_.id, fragment="stimmungsbild")
        return await _session_page(round_, threshold, status_code=400, poll_form=form)

    @post("/{poll_id:int}/oeffnen", name="poll_open")
    async def open(self, request: Request, round_: NamedDependency[RoundOut],
                   poll: NamedDependency[polls.PollOut]) -> Redirect:
        """Open the poll for votes and go to its projector view."""
        try:
            await polls.open_poll(round_.id, poll.id)
        except polls.PollError as error:
            flash(request, str(error), category="error")
            return redirect_to(request, "session_agenda", round_id=round_.id, fragment="stimmungsbild")
        return redirect_to(request, "poll_projector", round_id=round_.id, poll_id=poll.id)

    @post("/{poll_id:int}/schliessen", name="poll_close")
    async def close(self, request: Request, threshold: NamedDependency[int], round_: NamedDependency[RoundOut],
                    poll: NamedDependency[polls.PollOut]) -> Redirect:
        """Close the poll; its result is stored for the minutes."""
        try:
            await polls.close_poll(round_.id, poll.id, threshold=threshold)
        except polls.PollError as error:
            flash(request, str(error), category="error")
        else:
            flash(request, _("Die Abstimmung ist geschlossen; ihr Ergebnis steht im Protokoll."), category="success")
        return redirect_to(request, "poll_projector", round_id=round_.id, poll_id=poll.id)

    @post("/{poll_id:int}/loeschen", name="poll_delete")
    async def delete(self, request: Request, round_: NamedDependency[RoundOut],
                     poll: NamedDependency[polls.PollOut]) -> Redirect:
        try:
            await polls.delete_poll(round_.id, poll.id)
        except polls.PollError as error:
            flash(request, str(error), category="error")
        else:
            flash(request, _("Die Abstimmung wurde entfernt."), category="success")
        return redirect_to(request, "session_agenda", round_id=round_.id, fragment="stimmungsbild")

    @get("/{poll_id:int}/projektor", name="poll_projector")
    async def projector(self, request: Request, settings: NamedDependency[Settings], threshold: NamedDependency[int],
                        round_: NamedDependency[RoundOut], poll: NamedDependency[polls.PollOut]) -> Template:
        """The view for the projector: QR code and short address, the result as large bars, updated live."""
        address = short_address(request, settings, poll.code)
        view = await polls.live_view(poll.id, threshold=threshold)
        return Template("dialogues/poll_projector.html", context={
            "round": round_, "poll": poll, "view": view, "qr": qr_svg(address),
            # Two parts, so a narrow column breaks the address before its path, not inside the host.
            "address_host": settings.base_url.rstrip("/"),
            "address_path": request.app.route_reverse("poll_vote_page", code=poll.code),
            "stream_url": request.app.route_reverse("poll_live", round_id=round_.id, poll_id=poll.id),
            "state_url": request.app.route_reverse("poll_state", round_id=round_.id, poll_id=poll.id),
        })

    @get("/{poll_id:int}/stand", name="poll_state")
    async def state(self, threshold: NamedDependency[int], poll: NamedDependency[polls.PollOut]) -> dict:
        """The shown state as JSON: the projector's fallback when server-sent events do not get through."""
        return (await polls.live_view(poll.id, threshold=threshold)).as_json()

    @get("/{poll_id:int}/live", name="poll_live")
    async def live(self, request: Request, threshold: NamedDependency[int],
                   poll: NamedDependency[polls.PollOut]) -> ServerSentEvent:
        """Server-sent events: each new shown state (event "stand") until the poll closes."""
        hub = _hub(request)

        async def events() -> AsyncIterator[ServerSentEventMessage]:
            async for view in hub.stream(poll.id, threshold):
                yield ServerSentEventMessage(data=json.dumps(view.as_json(), ensure_ascii=False), event="stand")

        return ServerSentEvent(events(), retry_duration=3000, headers={"Cache-Control": "no-store",
                                                                      "X-Accel-Buffering": "no"})


# --- parents' phones ----------------------------------------------------------------------------------------------

def _missing(status_code: int = 404) -> Template:
    return Template("dialogues/poll_missing.html", status_code=status_code, context={"closed": status_code == 410})


async def _poll_or_page(code: str) -> polls.PollOut | Template:
    poll = await polls.poll_by_code(code)
    if poll is None or poll.status == "draft":
        return _missing(404)
    if poll.status == "closed":
        return _missing(410)
    return poll


def _vote_page(poll: polls.PollOut, *, status_code: int = 200, error: str | None = None,
               chosen: list[int] | None = None, voted: str | None = None, view: polls.PollView | None = None
               ) -> Template:
    return Template("dialogues/poll_vote.html", status_code=status_code, context={
        "poll": poll, "error": error, "chosen": chosen or [], "voted": voted, "view": view,
    })


def _with_token(response: Template, settings: Settings, code: str, token: str) -> Template:
    response.set_cookie(VOTER_COOKIE, token, path=f"/s/{code}", max_age=TOKEN_MAX_AGE, httponly=True,
                        samesite="lax", secure=settings.secure_cookies)
    return response


class PollVoteController(Controller):
    """A parent's phone: the open poll at its short address, and the vote."""

    @get("/s/{code:str}", name="poll_vote_page")
    async def page(self, request: Request, settings: NamedDependency[Settings], threshold: NamedDependency[int],
                   code: FromPath[str]) -> Template:
        issue_token(request)
        poll = await _poll_or_page(code)
        if isinstance(poll, Template):
            return poll
        token = request.cookies.get(VOTER_COOKIE)
        if await polls.has_voted(poll.id, token):
            return _vote_page(poll, voted="thanks", view=await polls.live_view(poll.id, threshold=threshold))
        response = _vote_page(poll)
        return _with_token(response, settings, poll.code, token) if token else _with_token(
            response, settings, poll.code, polls.new_token())

    @post("/s/{code:str}", name="poll_vote", opt=EXCLUDE_FROM_COOKIE_CSRF)
    async def vote(self, request: Request, settings: NamedDependency[Settings], threshold: NamedDependency[int],
                   code: FromPath[str]) -> Template:
        form = await read_form(request)
        issue_token(request)
        raw = form.getlist("choice")
        poll = await _poll_or_page(code)
        if isinstance(poll, Template):
            return poll
        token = request.cookies.get(VOTER_COOKIE)
        if not token:
            # No token cookie came back (cookies blocked, or it expired): give one and ask once more.
            return _with_token(_vote_page(poll, status_code=400, error=_(
                "Bitte senden Sie Ihre Stimme noch einmal. Ihr Browser muss dafür Cookies erlauben."
            )), settings, poll.code, polls.new_token())
        if not form_is_genuine(request, form.get("_csrf_token")):
            return _vote_page(poll, status_code=400, error=_("Bitte senden Sie Ihre Stimme noch einmal."))
        try:
            chosen = polls.check_choices(poll, raw)
        except polls.PollError as error:
            return _vote_page(poll, status_code=400, error=str(error))
        if not await request.app.state.poll_vote_limiter.allow(request.scope):
            response = _vote_page(poll, status_code=429, chosen=chosen, error=_(
                "Von diesem Anschluss kamen gerade sehr viele Stimmen. Bitte versuchen Sie es in einigen Minuten "
                "noch einmal."))
            response.headers["Retry-After"] = "60"
            return response
        try:
            counted = await polls.cast_vote(poll, token, chosen)
        except polls.PollError as error:  # closed between the two reads
            return _vote_page(poll, status_code=410, error=str(error))
        return _vote_page(poll, voted="thanks" if counted else "already",
                          view=await polls.live_view(poll.id, threshold=threshold))


POLL_CONTROLLERS: list = [PollOfficeController, PollVoteController]
