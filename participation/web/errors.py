"""Error pages: JSON under /api/, a page in the visitor's language elsewhere; never a bare 500 for bad input."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from participation.i18n import gettext as _
from participation.i18n import reset_language, set_language
from participation.web.context import negotiate_language

log = logging.getLogger(__name__)


#: The errors a signed-in JSON API operation may answer with, for its OpenAPI description (``raises=``): not signed
#: in (401), not allowed (403), no such object (404); Litestar adds the 400 of invalid parameters itself.
API_ERRORS = [NotAuthorizedException, PermissionDeniedException, NotFoundException]

def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/health"))


def _title_for(status: int) -> str:
    return {
        400: _("Die Eingabe konnte nicht verarbeitet werden"),
        401: _("Bitte melden Sie sich an"),
        403: _("Kein Zugriff"),
        404: _("Seite nicht gefunden"),
        405: _("Diese Aktion ist hier nicht möglich"),
        413: _("Die Eingabe ist zu groß"),
        429: _("Zu viele Anfragen"),
        503: _("Gerade ausgelastet"),
    }.get(status, _("Ein Fehler ist aufgetreten"))


def _message_for(exc: HTTPException) -> str:
    if exc.status_code == 403 and "CSRF" in str(exc.detail):
        return _("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu und senden Sie es noch einmal.")
    if exc.status_code == 404:
        return _("Die angeforderte Seite gibt es nicht (mehr). Prüfen Sie die Adresse oder gehen Sie zur Startseite.")
    if isinstance(exc, ValidationException):
        return _("Einige Angaben in der Adresse oder im Formular sind ungültig.")
    if exc.status_code == 405:
        return _("Diese Seite kann so nicht aufgerufen werden.")
    return str(exc.detail) if exc.detail and exc.status_code < 500 else _("Bitte versuchen Sie es später noch einmal.")


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    """Render an HTTP error for people (HTML) or programs (JSON)."""
    if _wants_json(request):
        body: dict = {"status_code": exc.status_code, "detail": exc.detail}
        if isinstance(exc, ValidationException) and exc.extra:
            body["extra"] = exc.extra
        return Response(body, status_code=exc.status_code, media_type=MediaType.JSON, headers=exc.headers)
    if isinstance(exc, NotAuthorizedException):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/anmelden?next={quote(target, safe='/')}", status_code=303)
    response = _error_page(request, exc.status_code, lambda: _message_for(exc))
    # The exception's own headers hold (Allow on a 405, Retry-After on a 429 …), on pages as in the API.
    response.headers.update(exc.headers or {})
    return response


def internal_error_handler(request: Request, exc: Exception) -> Response:
    """Log the fault and show a calm page; the details stay in the log."""
    log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if _wants_json(request):
        return Response(
            {"status_code": 500, "detail": "Internal Server Error"},
            status_code=HTTP_500_INTERNAL_SERVER_ERROR,
            media_type=MediaType.JSON,
        )
    return _error_page(request, 500, lambda: _("Bitte versuchen Sie es später noch einmal."))


#: Seconds after which a client may try again when the database was unreachable or busy.
RETRY_AFTER_SECONDS = 5


def database_unavailable_handler(request: Request, exc: Exception) -> Response:
    """503 with Retry-After when the database is unreachable or no connection became free in time (worth a retry)."""
    log.warning("Database unavailable on %s %s: %s", request.method, request.url.path, exc)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if _wants_json(request):
        return Response(
            {"status_code": 503, "detail": "Service Unavailable: the database is not reachable right now."},
            status_code=503, media_type=MediaType.JSON, headers=headers,
        )
    response = _error_page(request, 503, lambda: _(
        "Die Seite ist gerade ausgelastet. Bitte versuchen Sie es in einem Moment noch einmal. Haben Sie gerade "
        "Antworten abgeschickt, gehen Sie zurück und senden Sie sie erneut; sie werden nur einmal gezählt."
    ))
    response.headers.update(headers)
    return response


def _error_page(request: Request, status: int, message: Callable[[], str]) -> Response:
    """The error page, rendered now, in the visitor's language."""
    # Routing errors (404, 405) happen before the request-context middleware, so the language is negotiated here.
    token = None
    if "language" not in request.scope.get("state", {}):
        language, _chosen = negotiate_language(request.scope, request.app.state.settings.languages)
        token = set_language(language)
    try:
        template = request.app.template_engine.get_template("errors/error.html")
        html = template.render(
            request=request, user=request.scope.get("user"), status=status, title=_title_for(status),
            message=message(),
        )
    finally:
        if token is not None:
            reset_language(token)
    return Response(html, status_code=status, media_type=MediaType.HTML)
