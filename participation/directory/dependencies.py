"""Objects of the directory loaded from path ids, for Litestar's dependency injection (404 when unknown)."""

from __future__ import annotations

from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

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


CENTRE_DEPENDENCIES = {"centre": Provide(provide_centre)}
