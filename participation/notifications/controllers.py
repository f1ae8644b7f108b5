"""Parents leave, confirm and withdraw an address to be told of a round's outcomes; the office sees counts only.

The links in the mails carry the subscription's token; opening one (GET) only shows a page with a button, so a
mail scanner that follows links confirms or unsubscribes nothing. The unsubscribe POST needs no form token: the
token in the address is the authority, as RFC 8058's one-click unsubscribe (a POST from the mail provider) needs.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.dialogues.schemas import translated_round_title
from participation.i18n import current_language
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.notifications.schemas import RoundToFollow
from participation.notifications.services import sending, subscriptions
from participation.notifications.services.subscriptions import CONFIRM_PATH, UNSUBSCRIBE_PATH, NotificationError
from participation.settings import Settings
from participation.web.cookieless_csrf import EXCLUDE_FROM_COOKIE_CSRF, form_is_genuine, issue_token
from participation.web.forms import read_form
from participation.web.guards import office_only
from participation.web.redirects import redirect_to


def _wake(request: Request) -> None:
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        runner.wake()


def _form_page(round_: RoundToFollow | None, email: str = "", error: str | None = None,
               status_code: int = 200) -> Template:
    return Template("notifications/subscribe.html", status_code=status_code, context={
        "notify_round": round_, "email": email, "error": error,
    })


def _invalid_link() -> Template:
    return Template("notifications/link_invalid.html", status_code=404)


class NotificationController(Controller):
    """The parents' side: leave an address, confirm it, withdraw it."""

    path = "/benachrichtigung"

    @get("/", name="notification_form")
    async def form(self, runde: FromQuery[str | None] = None) -> Template:
        round_id = parse_id(runde or "")
        return _form_page(await subscriptions.round_to_follow(round_id) if round_id or not runde else None)

    @post("/", name="notification_subscribe", opt=EXCLUDE_FROM_COOKIE_CSRF)
    async def subscribe(self, request: Request, settings: NamedDependency[Settings]) -> Template:
        form = await read_form(request)
        issue_token(request)
        email = (form.get("email") or "").strip()[:400]
        round_id = parse_id(form.get("round") or "")
        round_ = await subscriptions.round_to_follow(round_id) if round_id else None
        if round_ is None:
            return _form_page(None, email, _("Für diese Runde können Sie sich nicht mehr anmelden: ihre "
                                             "Ergebnisse sind schon veröffentlicht."), 400)
        if not form_is_genuine(request, form.get("_csrf_token")):
            return _form_page(round_, email, _("Bitte senden Sie das Formular noch einmal."), 400)
        try:
            address = subscriptions.normalised_address(email)
        except NotificationError as error:
            return _form_page(round_, email, str(error), 400)
        if not await request.app.state.subscription_limiter.allow(request.scope):
            return _form_page(round_, email, _("Von diesem Anschluss kamen gerade sehr viele Anmeldungen. Bitte "
                                               "versuchen Sie es in einer Stunde noch einmal."), 429)
        try:
            queued = await subscriptions.subscribe(round_.id, address, current_language(),
                                                   secret_key=settings.secret_key)
        except NotificationError as error:
            return _form_page(round_, email, str(error), 400)
        if queued:
            await sending.ensure_send_job(settings)
            _wake(request)
        # The same page whether the address was new, known or over its limit: nobody learns who subscribed.
        return Template("notifications/check_mail.html", context={"round_title": translated_round_title(
            round_.title)})

    @get(CONFIRM_PATH.removeprefix("/benachrichtigung"), name="notification_confirm_page")
    async def confirm_page(self, token: FromPath[str]) -> Template:
        view = await subscriptions.by_token(token)
        if view is None:
            return _invalid_link()
        return Template("notifications/confirm.html", context={
            "token": token, "round_title": translated_round_title(view.round_title),
            "confirmed": view.status == subscriptions.CONFIRMED})

    @post(CONFIRM_PATH.removeprefix("/benachrichtigung"), name="notification_confirm", opt=EXCLUDE_FROM_COOKIE_CSRF)
    async def confirm(self, request: Request, settings: NamedDependency[Settings], token: FromPath[str]) -> Template:
        form = await read_form(request)
        issue_token(request)
        view = await subscriptions.by_token(token)
        if view is None:
            return _invalid_link()
        if not form_is_genuine(request, form.get("_csrf_token")):
            return Template("notifications/confirm.html", status_code=400, context={
                "token": token, "round_title": translated_round_title(view.round_title), "confirmed": False,
                "error": _("Bitte klicken Sie noch einmal auf „Bestätigen“.")})
        await subscriptions.confirm(token)
        await sending.ensure_send_job(settings)
        _wake(request)
        return Template("notifications/confirm.html", context={
            "token": token, "round_title": translated_round_title(view.round_title), "confirmed": True,
            "just_confirmed": True})

    @get(UNSUBSCRIBE_PATH.removeprefix("/benachrichtigung"), name="notification_unsubscribe_page")
    async def unsubscribe_page(self, token: FromPath[str]) -> Template:
        view = await subscriptions.by_token(token)
        if view is None:
            return _invalid_link()
        return Template("notifications/unsubscribe.html", context={
            "token": token, "round_title": translated_round_title(view.round_title)})

    @post(UNSUBSCRIBE_PATH.removeprefix("/benachrichtigung"), name="notification_unsubscribe",
          opt=EXCLUDE_FROM_COOKIE_CSRF)
    async def unsubscribe(self, token: FromPath[str]) -> Template:
        """Also RFC 8058's one-click POST ("List-Unsubscribe=One-Click") from the mail provider."""
        if not await subscriptions.unsubscribe(token):
            return _invalid_link()
        return Template("notifications/unsubscribed.html")


class OfficeNotificationController(Controller):
    """How many were told: counts per round, never an address."""

    path = "/verwaltung/benachrichtigungen"
    guards = [office_only]

    @get("/", name="office_notifications")
    async def overview(self, settings: NamedDependency[Settings]) -> Template:
        return Template("notifications/office.html", context={
            "rounds": await subscriptions.counts_per_round(), "configured": bool(settings.smtp_url),
            "max_attempts": sending.MAX_ATTEMPTS})

    @post("/{round_id:int}/erneut", name="office_notifications_retry")
    async def retry(self, request: Request, settings: NamedDependency[Settings], round_id: FromPath[int]) -> Redirect:
        count = await subscriptions.retry_failed(round_id)
        await sending.ensure_send_job(settings)
        _wake(request)
        flash(request, _("%(n)s Benachrichtigungen werden erneut versandt.", n=count), category="success")
        return redirect_to(request, "office_notifications")


NOTIFICATION_CONTROLLERS = [NotificationController, OfficeNotificationController]
