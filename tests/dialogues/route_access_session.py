"""Access levels of the session, minutes and published-minutes routes (merged into tests/route_access.py).

Path parameters: round_id, item_id, action_id, version_id, centre_id, poll_id, code. `sample_ids` makes an agenda
item, an action item, a public published version and two polls (closed; open) for the authorisation walk.
"""

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/verwaltung/runden/{round_id:int}/sitzung"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/sitzung/punkte"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/sitzung/punkte/{item_id:int}/verschieben"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/sitzung/punkte/{item_id:int}/loeschen"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}/protokoll"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/protokoll/teilnahme"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/protokoll/punkte/{item_id:int}"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/protokoll/massnahmen"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}/protokoll/massnahmen/{action_id:int}"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/protokoll/massnahmen/{action_id:int}"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/protokoll/massnahmen/{action_id:int}/loeschen"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/protokoll/veroeffentlichen"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}/protokoll/versionen/{version_id:int}/pdf"): "office",
    ("GET", "/verwaltung/zentren/{centre_id:int}/zusammenfassung.pdf"): "office",
    ("GET", "/zentrum/protokolle"): "centre",
    ("GET", "/zentrum/protokolle/{version_id:int}/pdf"): "centre",
    ("GET", "/zentrum/zusammenfassung.pdf"): "centre",
    ("GET", "/protokolle"): "public",
    ("GET", "/protokolle/{version_id:int}/pdf"): "public",
    # the live poll: the office's controls and projector, parents' phones at the short address
    ("POST", "/verwaltung/runden/{round_id:int}/sitzung/umfrage"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/sitzung/umfrage/{poll_id:int}/oeffnen"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/sitzung/umfrage/{poll_id:int}/schliessen"): "office",
    ("POST", "/verwaltung/runden/{round_id:int}/sitzung/umfrage/{poll_id:int}/loeschen"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}/sitzung/umfrage/{poll_id:int}/projektor"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}/sitzung/umfrage/{poll_id:int}/stand"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}/sitzung/umfrage/{poll_id:int}/live"): "office",
    ("GET", "/s/{code:str}"): "public",
    ("POST", "/s/{code:str}"): "public",
}

#: Not HTML pages when the PDF is ready (the accessibility walk may skip them).
NOT_PAGES = {
    "/verwaltung/runden/{round_id:int}/protokoll/versionen/{version_id:int}/pdf",
    "/verwaltung/zentren/{centre_id:int}/zusammenfassung.pdf",
    "/zentrum/protokolle/{version_id:int}/pdf",
    "/zentrum/zusammenfassung.pdf",
    "/protokolle/{version_id:int}/pdf",
    "/verwaltung/runden/{round_id:int}/sitzung/umfrage/{poll_id:int}/stand",
    "/verwaltung/runden/{round_id:int}/sitzung/umfrage/{poll_id:int}/live",
}


async def sample_ids(round_id: int, centre_id: int, topic_id: int) -> dict[str, int]:
    """An agenda item with notes, an action item and a public published version of `round_id`."""
    from participation.dialogues.services import actions, agenda, publishing

    item_id = await agenda.add_topic_item(round_id, topic_id)
    await agenda.save_item_minutes(round_id, item_id, "Notiz", "Beschluss")
    action_id = await actions.add_action(round_id, actions.ActionInput(title="Maßnahme", centre_id=centre_id))
    outcome = await publishing.publish_minutes(round_id, public=True, threshold=5)
    return {"item_id": item_id, "action_id": action_id, "version_id": outcome.version_id,
            **await poll_sample_ids(round_id)}


async def poll_sample_ids(round_id: int) -> dict[str, int | str]:
    """A closed poll of `round_id` (`poll_id`: its live stream ends at once) and the short code of an open one."""
    from participation.dialogues.services import polls

    closed = await polls.create_poll(round_id, "yes_no")
    await polls.open_poll(round_id, closed)
    await polls.close_poll(round_id, closed, threshold=5)
    open_id = await polls.create_poll(round_id, "scale")
    await polls.open_poll(round_id, open_id)
    return {"poll_id": closed, "code": (await polls.get_poll(round_id, open_id)).code}
