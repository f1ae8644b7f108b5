"""Per-request context: the language negotiated for the visitor, the signed-in user and the site settings.

An ASGI middleware (inside the session middleware) sets them before guards run, so guards, handlers and templates
all see the same `request.user` (None for parents), language and `site`. A new installation (no settings, no
account) sends every page to the first-run page until it is done.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from participation.accounts.services import load_current_user
from participation.accounts.sessions import signed_in_user_id
from participation.i18n import best_match, parse_accept_language, reset_language, set_language
from participation.settings import UI_LANGUAGES, Settings
from participation.site.services import first_run_pending, reset_site, site_settings, use_site

LANGUAGE_COOKIE = "lang"
#: Paths that need no site settings (and work before the first run): probes, static files and the API.
_WITHOUT_SITE = ("/health", "/static/", "/api/")
#: Paths a new installation may reach before its first run is done (the first-run page and what it shows).
FIRST_RUN_PATHS = ("/einrichtung", "/gestaltung.css", "/logo")
_ONE_YEAR = 365 * 24 * 3600


def negotiate_language(scope: Scope, allowed: tuple[str, ...]) -> tuple[str, str | None]:
    """The language for this request and, when the visitor just chose one with ?lang=, that choice."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    chosen = best_match(query.get("lang", []), allowed)
    headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope.get("headers", [])}
    cookie_value = None
    if "cookie" in headers:
        cookie = SimpleCookie()
        try:
            cookie.load(headers["cookie"])
        except Exception:
            cookie = SimpleCookie()
        if LANGUAGE_COOKIE in cookie:
            cookie_value = cookie[LANGUAGE_COOKIE].value
    accepted = parse_accept_language(headers.get("accept-language", ""))
    language = best_match([chosen, cookie_value, *accepted], allowed) or "de"
    return language, chosen


class RequestContextMiddleware:
    """Sets `scope["user"]` and the request's language; remembers a language chosen with ?lang= in a cookie."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.startswith(_WITHOUT_SITE):
            await self._handle(scope, receive, send)
            return
        site_token = use_site(await site_settings())
        try:
            if not path.startswith(FIRST_RUN_PATHS) and await first_run_pending():
                await _redirect_to_first_run(scope, receive, send)
                return
            await self._handle(scope, receive, send)
        finally:
            reset_site(site_token)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = scope.get("session")
        user_id = await signed_in_user_id(ASGIConnection(scope))
        user = await load_current_user(user_id) if user_id is not None else None
        if user is None and isinstance(session, dict) and session.get("user_id") is not None:
            session.clear()  # the session was revoked, or the account deactivated or deleted: sign out
        scope["user"] = user
        # Staff pages exist in German and English; parents may use every survey language.
        allowed = UI_LANGUAGES if user is not None else self.settings.languages
        language, chosen = negotiate_language(scope, allowed)
        scope.setdefault("state", {})["language"] = language
        token = set_language(language)

        async def send_with_cookie(message: Message) -> None:
            if chosen and message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                secure = "; Secure" if self.settings.secure_cookies else ""
                headers.add(
                    "set-cookie", f"{LANGUAGE_COOKIE}={chosen}; Path=/; Max-Age={_ONE_YEAR}; SameSite=Lax{secure}"
                )
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            reset_language(token)


async def _redirect_to_first_run(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer with a redirect to the first-run page (303 after a form post, else 302)."""
    target = scope["app"].route_reverse("first_run")
    status = 302 if scope.get("method", "GET") in {"GET", "HEAD"} else 303
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"location", target.encode()), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
