"""Security headers on every response: a strict Content-Security-Policy and the usual companions.

A ``before_send`` hook rather than Litestar's per-handler ``response_headers`` or a route middleware: the app calls
it for every message it sends, so the headers also reach static files, error pages and responses that never pass
through a route handler (an unknown path's 404, a wrong method's 405).
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

#: No inline script and no inline style anywhere: scripts and style sheets come from /static only. Pages may fetch
#: the JSON API of their own origin (the job-progress script), nothing is embedded or embeddable, forms post home.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])

#: Two years, the preload list's minimum; only sent when PRODUCTION=1 (a developer's http://127.0.0.1 must not
#: teach the browser to insist on HTTPS).
STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains"


def security_headers(production: bool) -> dict[str, str]:
    """The headers every response carries."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if production:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return headers


def security_headers_hook(production: bool) -> BeforeMessageSendHookHandler:
    """A ``before_send`` hook that adds :func:`security_headers` to every HTTP response not already setting them."""
    added = security_headers(production)

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            headers = MutableScopeHeaders.from_message(message)
            for name, value in added.items():
                if name not in headers:
                    headers[name] = value

    return add_security_headers
