"""App-level dependencies: what a handler needs reaches it by name through Litestar's `Provide`.

`settings`, `threshold` and the signed-in user (`current_user`, or `visitor` where parents come too) are available
to every handler; objects loaded from path ids come from each domain's `dependencies.py` (the background job of
a path, which belongs to no domain, from here).
"""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromPath

from participation import jobs
from participation.accounts.schemas import CurrentUser
from participation.i18n import gettext as _
from participation.settings import Settings


def provide_settings(state: State) -> Settings:
    """The settings the app was built with (tests build apps on their own settings)."""
    return state.settings


def provide_threshold(settings: NamedDependency[Settings]) -> int:
    """The privacy threshold: groups smaller than this are never shown."""
    return settings.privacy_threshold


def provide_visitor(request: Request) -> CurrentUser | None:
    """The signed-in user, or None for parents and the public (set on the scope by `RequestContextMiddleware`)."""
    return request.scope.get("user")


def provide_current_user(visitor: NamedDependency[CurrentUser | None]) -> CurrentUser:
    """The signed-in user of a guarded route (the guard has already turned everyone else away)."""
    if visitor is None:
        raise NotAuthorizedException(_("Bitte melden Sie sich an."))
    return visitor


async def provide_job(current_user: NamedDependency[CurrentUser], job_id: FromPath[int]) -> jobs.JobView:
    """The job, if the signed-in user may see its result (else 404, as if it did not exist)."""
    job = await jobs.get_job(job_id)
    if job is None or not job.visible_to(is_office=current_user.is_office, centre_id=current_user.centre_id):
        raise NotFoundException(_("Diesen Auftrag gibt es nicht."))
    return job


APP_DEPENDENCIES: dict[str, Provide] = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "threshold": Provide(provide_threshold, sync_to_thread=False),
    "visitor": Provide(provide_visitor, sync_to_thread=False),
    "current_user": Provide(provide_current_user, sync_to_thread=False),
}
