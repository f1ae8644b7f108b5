"""'Was ist aus Ihren Anregungen geworden?': every published action item with its status and the centre's words,
in the visitor's language where the centre gave it; linked from the next round's survey."""

from __future__ import annotations

from participation.offerings.services import follow_ups, plans
from tests.factories import text_of


async def _answer(loop) -> None:
    centre_a = follow_ups.Actor(loop.staff_a, "Zentrum", loop.centre_a, False)
    centre_b = follow_ups.Actor(loop.staff_b, "Zentrum B", loop.centre_b, False)
    await follow_ups.accept_action(
        loop.action_a, centre_a, new_offering=plans.OfferingInput(title="Samstagscafé", kind="encounter"),
        statement="Ab Mai samstags geöffnet.", translations={"ar": "مفتوح أيام السبت من مايو.", "en": "Open on"
                                                              " Saturdays from May."})
    await follow_ups.decline_action(loop.action_b, centre_b, reason="Uns fehlt das Personal für längere Zeiten.")


async def test_public_page_lists_rounds_and_every_action_item_with_its_status(client, loop):
    await _answer(loop)
    listing = await client.get("/was-wurde-aus-ihren-anregungen")
    assert listing.status_code == 200
    assert f"/was-wurde-aus-ihren-anregungen/{loop.round_id}" in listing.text
    page = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}")
    assert page.status_code == 200
    text = text_of(page.text)
    for title in ("Elterncafé am Samstag", "Sprachkurs für Mütter", "Längere Öffnungszeiten",
                  "Mehr Kitaplätze im Stadtteil"):
        assert title in text
    assert "Stand: angenommen – in Planung" in text and "Stand: vorgeschlagen" in text
    assert "Stand: abgelehnt" in text
    assert "Ab Mai samstags geöffnet." in text
    # A declined item without own words shows the reason.
    assert "Uns fehlt das Personal für längere Zeiten." in text
    assert "Samstagscafé" in text


async def test_public_page_speaks_the_visitors_language_where_the_centre_gave_it(client, loop):
    await _answer(loop)
    page = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}?lang=ar")
    assert page.status_code == 200
    assert 'lang="ar" dir="rtl"' in page.text
    assert "مفتوح أيام السبت من مايو." in page.text
    assert "Ab Mai samstags geöffnet." not in page.text
    # No Russian words given: German, marked as German.
    ru = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}?lang=ru")
    assert '<blockquote lang="de" dir="ltr">Ab Mai samstags geöffnet.</blockquote>' in ru.text


async def test_rounds_without_published_minutes_are_not_public(client, loop, make):
    other = await make.round("autumn", 2027)
    assert (await client.get(f"/was-wurde-aus-ihren-anregungen/{other}")).status_code == 404
    assert (await client.get("/was-wurde-aus-ihren-anregungen/999999")).status_code == 404


async def test_next_rounds_survey_start_page_links_to_the_outcomes(client, loop, make):
    next_round = await make.round("autumn", 2027)
    survey_id = await make.survey(round_id=next_round)
    page = await client.get(f"/umfrage/{survey_id}")
    assert page.status_code == 200
    assert f'href="/was-wurde-aus-ihren-anregungen/{loop.round_id}"' in page.text
    # The round's own survey does not link to itself.
    own = await client.get(f"/umfrage/{loop.survey_id}")
    assert "/was-wurde-aus-ihren-anregungen/" not in own.text


async def test_minutes_published_for_centres_only_stay_off_the_public_page(client, loop, make):
    from participation.dialogues.services import actions, agenda, publishing

    internal = await make.round("autumn", 2027)
    await agenda.add_free_item(internal, "Intern")
    await actions.add_action(internal, actions.ActionInput(title="Interne Maßnahme", centre_id=loop.centre_a))
    await publishing.publish_minutes(internal, public=False, threshold=5)
    assert (await client.get(f"/was-wurde-aus-ihren-anregungen/{internal}")).status_code == 404
    assert "Interne Maßnahme" not in (await client.get("/was-wurde-aus-ihren-anregungen")).text
    # ... but the centre has the proposal in its inbox, because the minutes are published to the centres.
    views = await follow_ups._follow_ups(follow_ups.ActionItem.round == internal)
    assert [v.title for v in views] == ["Interne Maßnahme"]


async def test_an_action_item_added_after_publishing_waits_for_the_next_version(client, loop):
    from participation.dialogues.services import actions, publishing

    late = await actions.add_action(loop.round_id, actions.ActionInput(title="Nachtrag", centre_id=loop.centre_a))
    page = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}")
    assert "Nachtrag" not in page.text
    await publishing.publish_minutes(loop.round_id, public=True, threshold=5)
    page = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}")
    assert "Nachtrag" in page.text
    assert late in await follow_ups.published_action_ids(public_only=True)
