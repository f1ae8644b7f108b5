"""Demo: each centre's small offering plan, and the centres' answers to some published action items."""

from __future__ import annotations

from participation.directory.services import list_centres
from participation.offerings.schemas import FollowUpStatus
from participation.offerings.services.follow_ups import (
    Actor,
    _follow_ups,
    accept_action,
    decline_action,
    implement_action,
)
from participation.offerings.services.plans import OfferingInput, create_offering
from participation.offerings.tables import Offering


async def add_demo_follow_ups() -> int:
    """Demo: give each centre a small plan and let the centres answer some published action items; returns how many
    follow-ups were recorded. Safe to call once after the demo's minutes are published (needs a centre user or an
    office user as author)."""
    from participation.accounts.tables import User

    count = 0
    for centre in await list_centres():
        if not await Offering.exists().where(Offering.centre == centre.id):
            await create_offering(centre.id, OfferingInput(
                title="Elterncafé", kind="encounter", topic="Austausch im Stadtteil", target_group="Eltern mit Kindern "
                "bis 6 Jahre", languages="Deutsch, Türkisch, Arabisch", schedule="dienstags 9–11 Uhr", capacity=20,
                status="running"))
            await create_offering(centre.id, OfferingInput(
                title="Sprechstunde Erziehungsberatung", kind="counselling", target_group="Familien",
                languages="Deutsch", schedule="jeden ersten Donnerstag im Monat", capacity=6, status="planned"))
    users = await User.select(User.id, User.display_name, User.centre, User.role)
    for view in await _follow_ups():
        if view.status is not FollowUpStatus.PROPOSED:
            continue
        author = next((u for u in users if (u["centre"] == view.centre_id if view.centre_id else u["role"] ==
                                            "office")), None)
        if author is None:
            continue
        actor = Actor(author["id"], author["display_name"], view.centre_id, view.centre_id is None)
        if view.action_id % 3 == 0:
            await decline_action(view.action_id, actor, reason="Dafür fehlen uns derzeit Räume.",
                                 statement="Das können wir leider nicht anbieten: Uns fehlen die Räume.")
        else:
            new = None if view.centre_id is None else OfferingInput(title=view.title[:200], kind="education",
                                                                    status="planned")
            await accept_action(view.action_id, actor, new_offering=new,
                                statement="Wir setzen das um.", translations={"en": "We are doing this."})
            if view.action_id % 3 == 1:
                await implement_action(view.action_id, actor, note="Läuft seit diesem Monat.")
        count += 1
    return count
