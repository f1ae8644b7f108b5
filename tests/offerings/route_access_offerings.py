"""Access levels of the offerings routes (merged into tests/route_access.py), and sample ids for the walks."""

from __future__ import annotations

ROUTES: dict[tuple[str, str], str] = {
    # centre staff: dashboard, offering plan, inbox of action items
    ("GET", "/zentrum"): "centre",
    ("GET", "/zentrum/angebote"): "centre",
    ("GET", "/zentrum/angebote/neu"): "centre",
    ("POST", "/zentrum/angebote/neu"): "centre",
    ("GET", "/zentrum/angebote/{offering_id:int}"): "centre",
    ("POST", "/zentrum/angebote/{offering_id:int}"): "centre",
    ("GET", "/zentrum/angebote/plan.csv"): "centre",
    ("GET", "/zentrum/angebote/plan.pdf"): "centre",
    ("GET", "/zentrum/massnahmen"): "centre",
    ("GET", "/zentrum/massnahmen/{action_id:int}"): "centre",
    ("POST", "/zentrum/massnahmen/{action_id:int}/annehmen"): "centre",
    ("POST", "/zentrum/massnahmen/{action_id:int}/umgesetzt"): "centre",
    ("POST", "/zentrum/massnahmen/{action_id:int}/ablehnen"): "centre",
    ("POST", "/zentrum/massnahmen/{action_id:int}/stellungnahme"): "centre",
    # the office: overview, city items, any centre's plan, trends
    ("GET", "/verwaltung/massnahmen"): "office",
    ("GET", "/verwaltung/massnahmen/export.csv"): "office",
    ("GET", "/verwaltung/massnahmen/{action_id:int}"): "office",
    ("POST", "/verwaltung/massnahmen/{action_id:int}/annehmen"): "office",
    ("POST", "/verwaltung/massnahmen/{action_id:int}/umgesetzt"): "office",
    ("POST", "/verwaltung/massnahmen/{action_id:int}/ablehnen"): "office",
    ("POST", "/verwaltung/massnahmen/{action_id:int}/stellungnahme"): "office",
    ("GET", "/verwaltung/trends"): "office",
    ("GET", "/verwaltung/zentren/{centre_id:int}/angebote"): "office",
    ("GET", "/verwaltung/zentren/{centre_id:int}/angebote.csv"): "office",
    ("GET", "/verwaltung/zentren/{centre_id:int}/angebote.pdf"): "office",
    # everyone
    ("GET", "/was-wurde-aus-ihren-anregungen"): "public",
    ("GET", "/was-wurde-aus-ihren-anregungen/{round_id:int}"): "public",
}

#: Not HTML pages (the accessibility walk skips them).
NOT_PAGES = {
    "/zentrum/angebote/plan.csv", "/zentrum/angebote/plan.pdf", "/verwaltung/massnahmen/export.csv",
    "/verwaltung/zentren/{centre_id:int}/angebote.csv", "/verwaltung/zentren/{centre_id:int}/angebote.pdf",
}


async def sample_ids(round_id: int, centre_id: int) -> dict[str, int]:
    """An offering of the centre and a published action item for it (the round's minutes get published), so every
    offerings page of the walks answers 200: {"offering_id", "action_id"}; `round_id` then has a public page."""
    from participation.dialogues.services import actions, agenda, publishing
    from participation.offerings.services import plans

    offering_id = await plans.create_offering(centre_id, plans.OfferingInput(title="Elterncafé",
                                                                             kind="encounter"))
    if not await agenda.list_agenda(round_id):
        await agenda.add_free_item(round_id, "Rückblick")
    action_id = await actions.add_action(round_id, actions.ActionInput(title="Samstagsangebot", centre_id=centre_id))
    await publishing.publish_minutes(round_id, public=True, threshold=5)
    return {"offering_id": offering_id, "action_id": action_id}
