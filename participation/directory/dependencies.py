"""Objects of the directory loaded from path ids, for Litestar's dependency injection (404 when unknown)."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from participation.accounts.schemas import CurrentUser
from participation.directory.schemas import CentreOut
from participation.directory.services import get_centre
from participation.i18n import gettext as _


async def provide_centre(centre_id: FromPath[int]) -> CentreOut:
    """The centre of the path; an unknown id answers 404."""
    return await existing_centre(centre_id)


async def existing_centre(centre_id: int) -> CentreOut:
    """The centre with this id, or 404 (for dependencies of other domains that load a centre after their own)."""
    centre = await get_centre(centre_id)
    if centre is None:
        raise NotFoundException(_("Dieses Zentrum gibt es nicht."))
    return centre


async def provide_own_centre(current_user: NamedDependency[CurrentUser]) -> CentreOut | None:
    """The signed-in staff's own centre (None for an account without one)."""
    return await own_centre_of(current_user)


async def own_centre_of(user: CurrentUser) -> CentreOut | None:
    """The user's centre, for dependencies of other domains that load it after their own."""
    return await get_centre(user.centre_id) if user.centre_id else None


CENTRE_DEPENDENCIES = {"centre": Provide(provide_centre)}
OWN_CENTRE_DEPENDENCIES = {"own_centre": Provide(provide_own_centre)}
