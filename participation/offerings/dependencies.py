"""Offerings, action items and public outcomes loaded from path ids, for Litestar's dependency injection.

Another centre's offering or action item answers 404 like an unknown id, so the access check lives here with the
look-up.
"""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from participation.accounts.schemas import CurrentUser
from participation.i18n import gettext as _
from participation.offerings.services import follow_ups, outcomes, plans
from participation.settings import Settings


def provide_actor(current_user: NamedDependency[CurrentUser]) -> follow_ups.Actor:
    """Who acts on action items: a centre's staff for their centre, or the office for the city."""
    return follow_ups.Actor(
        user_id=current_user.id, name=current_user.display_name,
        centre_id=current_user.centre_id if current_user.is_centre_staff else None, is_office=current_user.is_office,
    )


def provide_statement_languages(settings: NamedDependency[Settings]) -> tuple[str, ...]:
    """The parents' languages besides German: the public words may be translated into these."""
    return tuple(code for code in settings.languages if code != "de")


async def provide_own_offering(
    current_user: NamedDependency[CurrentUser], offering_id: FromPath[int]
) -> plans.OfferingOut:
    """An offering of the signed-in staff's own centre."""
    try:
        return await plans.get_offering(current_user.centre_id, offering_id)
    except plans.NotFound:
        raise NotFoundException(_("Dieses Angebot gibt es in Ihrem Angebotsplan nicht.")) from None


async def provide_follow_up(actor: NamedDependency[follow_ups.Actor], action_id: FromPath[int]
                            ) -> follow_ups.FollowUpView:
    """An action item the actor may act on: a centre's own items, the office's the city's."""
    try:
        return await follow_ups.get_follow_up(action_id, actor)
    except plans.NotFound:
        raise NotFoundException(_("Diese Maßnahme gibt es nicht oder Sie sind nicht zuständig.")) from None


async def provide_published_follow_up(action_id: FromPath[int]) -> follow_ups.FollowUpView:
    """Any published action item (the office reads them all)."""
    try:
        return await follow_ups.get_follow_up(action_id)
    except plans.NotFound:
        raise NotFoundException(
            _("Diese Maßnahme gibt es nicht oder sie ist noch nicht veröffentlicht.")) from None


async def provide_public_outcomes(round_id: FromPath[int]) -> outcomes.PublicOutcomes:
    """What became of a round's action items, once its minutes are published."""
    try:
        return await outcomes.public_outcomes(round_id)
    except plans.NotFound:
        raise NotFoundException(_("Zu dieser Runde gibt es noch kein veröffentlichtes Protokoll.")) from None


#: Action items seen and decided by centre staff or the office.
FOLLOW_UP_DEPENDENCIES = {
    "actor": Provide(provide_actor, sync_to_thread=False),
    "languages": Provide(provide_statement_languages, sync_to_thread=False),
    "follow_up": Provide(provide_follow_up),
}
