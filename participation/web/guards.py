"""Role guards: every non-public route names one of these (DESIGN.md, "Users and roles").

Async although they never wait: Litestar runs a sync guard in a worker thread, a thread hop on every request.
"""

from __future__ import annotations

from typing import Annotated

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Parameter

from participation.accounts.schemas import CurrentUser
from participation.i18n import gettext as _
from participation.ids import ID_MAX, is_valid_id


def _signed_in_user(connection: ASGIConnection) -> CurrentUser:
    user = connection.scope.get("user")
    if user is None:
        raise NotAuthorizedException(_("Bitte melden Sie sich an."))
    return user


async def signed_in(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Office or centre staff."""
    _signed_in_user(connection)


async def office_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The mayor's office (coordination)."""
    if not _signed_in_user(connection).is_office:
        raise PermissionDeniedException(_("Diese Seite ist der Stadtverwaltung vorbehalten."))


async def centre_staff_only(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Staff of a centre (their own centre's pages)."""
    if not _signed_in_user(connection).is_centre_staff:
        raise PermissionDeniedException(_("Diese Seite ist Mitarbeitenden eines Zentrums vorbehalten."))



async def ids_in_range(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """App-wide: an integer path parameter beyond the id columns' range names nothing, so the page is not found.

    Runs before the role guards, so such an id is a 404 for everyone (it names no row anyone could see).
    """
    if any(isinstance(value, int) and not is_valid_id(value) for value in connection.path_params.values()):
        raise NotFoundException(_("Seite nicht gefunden"))


#: An optional id in a query string (``?district=3``): a number past the id columns is a 400, and the OpenAPI
#: schema says so.
OptionalIdQuery = Annotated[int | None, Parameter(ge=1, le=ID_MAX)]
