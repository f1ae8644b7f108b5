"""CSRF protection for a form that must keep working when the visitor's cookies are gone (the parents' form).

Litestar's CSRF check compares the form's token with a cookie; a parent whose browser dropped or expired the cookie
mid-form would lose every answer given so far to a 403. Parents have no account and no session, so there is nothing
a forged request could act on except submitting a survey, which anyone may do. The form is therefore excluded from
the cookie check and protected without state the parent cannot see:

- the browser's own word on where the request comes from (`Sec-Fetch-Site`, else `Origin`) must be this site, and
- the form's token must carry this app's signature (Litestar's token format: random part + its HMAC), so a form that
  was not issued by this app is refused.

A refused request is never an error page: the caller shows the page again with every answer kept and a fresh token.
"""

from __future__ import annotations

from hmac import compare_digest
from urllib.parse import urlsplit

from litestar import Request
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, generate_csrf_hash, generate_csrf_token
from litestar.utils.scope.state import ScopeState

#: The route option that takes a handler out of Litestar's cookie-based CSRF check.
EXCLUDE_FROM_COOKIE_CSRF = {"exclude_from_csrf": True}


def _secret(request: Request) -> str:
    config = request.app.csrf_config
    if config is None:  # pragma: no cover - the app always configures CSRF
        raise RuntimeError("CSRF is not configured")
    return config.secret


def _same_site(request: Request) -> bool:
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None  # no Origin (old browsers, tools): the signed token alone decides
    own_host = request.headers.get("host", "")
    return urlsplit(origin).netloc == own_host


def _signed_by_us(token: str, secret: str) -> bool:
    if len(token) <= CSRF_SECRET_LENGTH:
        return False
    random_part, signature = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    return compare_digest(signature, generate_csrf_hash(token=random_part, secret=secret))


def form_is_genuine(request: Request, token: str | None) -> bool:
    """True when the POST comes from this site's own form (see the module's docstring)."""
    return bool(token) and _same_site(request) and _signed_by_us(token, _secret(request))


def issue_token(request: Request) -> None:
    """Give the page being rendered a token for its form (`csrf_input`), the visitor's cookie or none."""
    state = ScopeState.from_scope(request.scope)
    if not isinstance(state.csrf_token, str) or not state.csrf_token:
        state.csrf_token = generate_csrf_token(secret=_secret(request))
