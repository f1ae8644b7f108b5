"""'Was ist aus Ihren Anregungen geworden?': every published action item with its status and the centre's words,
in the visitor's language where the centre gave it; linked from the next round's survey."""

from __future__ import annotations

from datetime import date, timedelta

from participation.offerings.services import follow_ups, plans
from tests.factories import sign_in, text_of


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


async def _discussed(loop, themes: list[dict], figures: list[dict]) -> None:
    """The session discussed a topic, decided something and gave the first item that topic; the public minutes show
    the topic's figures and themes (written into the published snapshot as the minutes would carry them)."""
    from participation.dialogues.services import agenda, publishing
    from participation.dialogues.services.snapshots import _loads
    from participation.dialogues.tables import ActionItem, MinutesVersion, Topic

    topic = await Topic.select(Topic.id).where(Topic.round == loop.round_id).first()
    if topic is None:
        topic = (await Topic.insert(Topic(round=loop.round_id, title="Betreuungsarrangements")).returning(
            Topic.id))[0]
    item_id = await agenda.add_topic_item(loop.round_id, topic["id"])
    await agenda.save_item_minutes(loop.round_id, item_id, "Randzeiten fehlen.",
                                   "Die Zentren öffnen samstags zur Probe.\nDie Stadt baut neue Krippen.")
    await ActionItem.update({ActionItem.topic: topic["id"]}).where(ActionItem.id == loop.action_a)
    await publishing.publish_minutes(loop.round_id, public=True, threshold=5)
    version = await MinutesVersion.select().order_by(MinutesVersion.id, ascending=False).first()
    snapshot = _loads(version["snapshot"])
    entry = next(i for i in snapshot["items"] if i["id"] == item_id)
    entry["themes"], entry["figures"] = themes, figures
    await MinutesVersion.update({MinutesVersion.snapshot: snapshot}).where(MinutesVersion.id == version["id"])


async def test_each_item_says_what_led_to_it_and_a_small_theme_shows_no_number(client, loop):
    await _discussed(loop, themes=[
        {"id": 1, "label": "Samstage", "size": 12, "quotes": ["Samstags wäre gut.", "<b>Am Wochenende</b>",
                                                              "Dritte Stimme"]},
        {"id": 2, "label": "Väter", "size": 3, "quotes": ["Mehr für Väter."]},
    ], figures=[{"key": "zufrieden", "text": "Wie zufrieden sind Sie?", "kind": "scale", "respondents": 40,
                 "mean": 3.4, "low_label": "gar nicht", "high_label": "sehr", "options": []}])
    page = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}")
    assert page.status_code == 200
    text = text_of(page.text)
    cafe = text[text.index("Elterncafé am Samstag"):text.index("Sprachkurs für Mütter")]
    assert "Besprochen im Familiendialog unter: Betreuungsarrangements" in cafe
    assert "Samstage – 12 Antworten" in cafe
    assert "„Samstags wäre gut.“" in cafe and "„&lt;b&gt;Am Wochenende&lt;/b&gt;“" in cafe
    assert "Dritte Stimme" not in cafe  # two quotes at most
    assert "<b>Am Wochenende" not in page.text  # parents' text escaped
    # A theme below the threshold is named, but its size is not shown.
    assert "Väter – weniger als 5 Antworten" in cafe and "3 Antworten" not in cafe
    assert "Wie zufrieden sind Sie? – 40 Personen; Mittelwert 3,4 (1 = gar nicht" in cafe
    assert "Beschluss im Protokoll: Die Zentren öffnen samstags zur Probe." in cafe
    assert "Die Stadt baut neue Krippen." not in cafe  # the item's decision, not every decision of the topic
    # Every item has a status with a date; one without the centre's words says who answers by when.
    assert text.count("Stand: vorgeschlagen (seit ") == 4
    city = text[text.index("Mehr Kitaplätze im Stadtteil"):]
    due = (date.today() - timedelta(days=1))
    assert ("Noch keine Stellungnahme. Eine Antwort wird erwartet von Stadtverwaltung bis "
            f"{due.day}. ") in city
    other = text[text.index("Längere Öffnungszeiten"):]
    assert "Eine Antwort wird erwartet von Kinder- und Familienzentrum Oßweil." in other
    # Items of another topic do not borrow this topic's origin.
    assert "Samstage" not in text[text.index("Sprachkurs für Mütter"):]


async def test_the_origin_is_in_the_visitors_language_around_the_german_minutes(client, loop):
    await _discussed(loop, themes=[{"id": 1, "label": "Samstage", "size": 12, "quotes": ["Samstags wäre gut."]}],
                     figures=[])
    page = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}?lang=tr")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Buna ne yol açtı" in text and "Was dazu geführt hat" not in text
    assert "Samstage – 12 yanıt" in text
    # The minutes' German words stay German and are marked so for screen readers.
    assert '<li lang="de" dir="ltr">Die Zentren öffnen samstags zur Probe.</li>' in page.text
    assert "tarafından yanıt bekleniyor" in text


async def test_an_offering_links_back_to_its_action_item_and_the_parents_input(client, loop):
    await _discussed(loop, themes=[{"id": 1, "label": "Samstage", "size": 12, "quotes": ["Samstags wäre gut."]}],
                     figures=[])
    await _answer(loop)
    offering = next(v for v in await follow_ups.inbox(loop.centre_a) if v.action_id == loop.action_a).offering_id
    await sign_in(client, "zentrum@example.org")
    page = await client.get(f"/zentrum/angebote/{offering}")
    assert page.status_code == 200
    assert f'href="/zentrum/massnahmen/{loop.action_a}">Elterncafé am Samstag</a>' in page.text
    item = text_of((await client.get(f"/zentrum/massnahmen/{loop.action_a}")).text)
    assert "Was dazu geführt hat" in item and "Samstage – 12 Antworten" in item and "„Samstags wäre gut.“" in item
    assert "Beschluss im Protokoll: Die Zentren öffnen samstags zur Probe." in item
    # An offering that answers no action item says nothing of the kind.
    other = await plans.create_offering(loop.centre_a, plans.OfferingInput(title="Krabbelgruppe", kind="care"))
    assert "Aus dem Familiendialog" not in (await client.get(f"/zentrum/angebote/{other}")).text


async def test_titles_and_decline_reasons_in_the_parents_language_and_missing_ones_flagged(client, loop, make):
    from tests.factories import post_form

    await sign_in(client, "zentrum@example.org")
    base = f"/zentrum/massnahmen/{loop.action_a}"
    accepted = await post_form(client, f"{base}/annehmen", {
        "accept-offering": "", "accept-new_title": "Samstagscafé", "accept-new_kind": "encounter",
        "accept-statement": "Ab Mai samstags geöffnet.", "accept-statement_ar": "مفتوح أيام السبت من مايو.",
        "accept-title_ar": "مقهى الأهل يوم السبت",
    })
    assert accepted.status_code in (302, 303)
    item = text_of((await client.get(base)).text)
    # Every parents' language without the title or the statement is named; Arabic is complete.
    assert "Noch ohne Übersetzung English, Türkçe, Русский, Українська" in item
    assert "Fehlt noch: Eltern, die diese Sprache lesen, sehen den deutschen Text" in item
    staff_b = "zentrum-b@example.org"
    await client.post("/abmelden", follow_redirects=True)
    client.cookies.clear()
    await sign_in(client, staff_b)
    declined = await post_form(client, f"/zentrum/massnahmen/{loop.action_b}/ablehnen", {
        "decline-reason": "Uns fehlt das Personal.", "decline-reason_tr": "Personelimiz yetersiz.",
        "decline-title_tr": "Daha uzun açılış saatleri",
    })
    assert declined.status_code in (302, 303)
    client.cookies.clear()  # parents read the public page signed out

    arabic = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}?lang=ar")
    assert '<h3 lang="ar" dir="rtl">مقهى الأهل يوم السبت</h3>' in arabic.text
    assert "مفتوح أيام السبت من مايو." in arabic.text
    turkish = text_of((await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}?lang=tr")).text)
    assert "Daha uzun açılış saatleri" in turkish and "Personelimiz yetersiz." in turkish
    assert "Uns fehlt das Personal." not in turkish
    russian = await client.get(f"/was-wurde-aus-ihren-anregungen/{loop.round_id}?lang=ru")
    assert '<h3 lang="de" dir="ltr">Elterncafé am Samstag</h3>' in russian.text
    # German shown in place of a missing translation says so, in the visitor's language.
    assert text_of(russian.text).count("Перевода пока нет; вы читаете текст на немецком языке.") == 4
