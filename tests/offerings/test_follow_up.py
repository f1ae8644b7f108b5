"""Action items reach the responsible centre as proposals; accept, implement, decline, all kept as a history."""

from __future__ import annotations

from participation.dialogues.services import actions
from participation.offerings.schemas import FollowUpStatus
from participation.offerings.services import follow_ups, plans
from tests.factories import post_form, sign_in, text_of
from tests.offerings.conftest import publish_round_with_actions


async def test_published_action_items_land_in_the_responsible_centres_inbox(client, loop, make):
    unpublished_round = await make.round("autumn", 2027)
    await actions.add_action(unpublished_round, actions.ActionInput(title="Noch nicht beschlossen",
                                                                   centre_id=loop.centre_a))
    await sign_in(client, "zentrum@example.org")
    response = await client.get("/zentrum/massnahmen")
    # The menu says "Vorschläge"; the page the link opens is called the same.
    assert "<title>Vorschläge – " in response.text and "<h1>Vorschläge</h1>" in response.text
    assert '<a href="/zentrum/massnahmen">Vorschläge</a>' in response.text
    page = text_of(response.text)
    assert "Elterncafé am Samstag" in page and "Sprachkurs für Mütter" in page
    assert "Längere Öffnungszeiten" not in page  # centre B's
    assert "Mehr Kitaplätze" not in page  # the city's
    assert "Noch nicht beschlossen" not in page  # minutes not published
    assert "überfällig" in page


async def test_centre_accepts_with_a_new_offering_then_implements_and_the_history_keeps_both(client, loop):
    await sign_in(client, "zentrum@example.org")
    base = f"/zentrum/massnahmen/{loop.action_a}"
    assert (await client.get(base)).status_code == 200
    response = await post_form(client, f"{base}/annehmen", {
        "accept-offering": "", "accept-new_title": "Samstagscafé", "accept-new_kind": "encounter",
        "accept-note": "Raum ist frei", "accept-statement": "Ab Mai samstags geöffnet.",
        "accept-statement_ar": "مفتوح أيام السبت من مايو.",
    })
    assert response.status_code == 303, response.text
    view = await follow_ups.get_follow_up(loop.action_a)
    assert view.status is FollowUpStatus.ACCEPTED and view.offering_title == "Samstagscafé"
    assert view.translations == {"ar": "مفتوح أيام السبت من مايو."}
    (offering,) = await plans.list_offerings(loop.centre_a)
    assert offering.title == "Samstagscafé" and offering.kind.value == "encounter"

    response = await post_form(client, f"{base}/umgesetzt", {"implement-note": "Läuft seit Mai",
                                                             "implement-statement": "Das Café ist offen."})
    assert response.status_code == 303
    view = await follow_ups.get_follow_up(loop.action_a)
    assert view.status is FollowUpStatus.IMPLEMENTED
    assert [(h.status, h.note, h.author) for h in view.history] == [
        (FollowUpStatus.ACCEPTED, "Raum ist frei", "Zentrum"),
        (FollowUpStatus.IMPLEMENTED, "Läuft seit Mai", "Zentrum"),
    ]
    assert all(h.at is not None for h in view.history)
    page = text_of((await client.get(base)).text)
    assert "Verlauf" in page and "Raum ist frei" in page and "Läuft seit Mai" in page and "umgesetzt" in page


async def test_centre_links_an_existing_offering(client, loop):
    offering_id = await plans.create_offering(loop.centre_a, plans.OfferingInput(title="Deutschkurs",
                                                                                 kind="education"))
    await sign_in(client, "zentrum@example.org")
    response = await post_form(client, f"/zentrum/massnahmen/{loop.action_a2}/annehmen",
                               {"accept-offering": str(offering_id)})
    assert response.status_code == 303
    assert (await follow_ups.get_follow_up(loop.action_a2)).offering_id == offering_id


async def test_accepting_with_another_centres_offering_is_refused(client, loop):
    foreign = await plans.create_offering(loop.centre_b, plans.OfferingInput(title="Fremd", kind="care"))
    await sign_in(client, "zentrum@example.org")
    response = await post_form(client, f"/zentrum/massnahmen/{loop.action_a}/annehmen",
                               {"accept-offering": str(foreign)})
    assert response.status_code == 400
    assert "gibt es im Angebotsplan nicht" in response.text
    assert (await follow_ups.get_follow_up(loop.action_a)).status is FollowUpStatus.PROPOSED


async def test_accepting_needs_an_offering(client, loop):
    await sign_in(client, "zentrum@example.org")
    response = await post_form(client, f"/zentrum/massnahmen/{loop.action_a}/annehmen",
                               {"accept-offering": "", "accept-new_title": ""})
    assert response.status_code == 400
    assert "Titel eines neuen Angebots" in response.text


async def test_declining_requires_a_reason(client, loop):
    await sign_in(client, "zentrum@example.org")
    url = f"/zentrum/massnahmen/{loop.action_a2}/ablehnen"
    response = await post_form(client, url, {"decline-reason": "   "})
    assert response.status_code == 400
    assert "Bitte begründen Sie die Ablehnung." in response.text
    assert (await follow_ups.get_follow_up(loop.action_a2)).status is FollowUpStatus.PROPOSED
    response = await post_form(client, url, {"decline-reason": "Keine Kursleitung gefunden"})
    assert response.status_code == 303
    view = await follow_ups.get_follow_up(loop.action_a2)
    assert view.status is FollowUpStatus.DECLINED
    assert view.history[-1].note == "Keine Kursleitung gefunden"


async def test_a_status_that_does_not_follow_is_refused(client, loop):
    await sign_in(client, "zentrum@example.org")
    response = await post_form(client, f"/zentrum/massnahmen/{loop.action_a}/umgesetzt", {})
    assert response.status_code == 400
    assert (await follow_ups.get_follow_up(loop.action_a)).history == []


async def test_a_centre_cannot_act_on_another_centres_or_the_citys_items(client, loop):
    await sign_in(client, "zentrum@example.org")
    for action_id in (loop.action_b, loop.action_city, 999999):
        assert (await client.get(f"/zentrum/massnahmen/{action_id}")).status_code == 404
        response = await post_form(client, f"/zentrum/massnahmen/{action_id}/ablehnen", {"decline-reason": "Nein"})
        assert response.status_code == 404
    assert (await follow_ups.get_follow_up(loop.action_b)).status is FollowUpStatus.PROPOSED


async def test_the_office_acts_on_city_items_and_only_reads_centre_items(client, loop):
    await sign_in(client, "buero@example.org")
    response = await post_form(client, f"/verwaltung/massnahmen/{loop.action_city}/annehmen",
                               {"accept-statement": "Der Gemeinderat berät im Juli."})
    assert response.status_code == 303
    view = await follow_ups.get_follow_up(loop.action_city)
    assert view.status is FollowUpStatus.ACCEPTED and view.offering_id is None
    assert view.history[0].author == "Büro"
    page = await client.get(f"/verwaltung/massnahmen/{loop.action_a}")
    assert page.status_code == 200 and "Maßnahme annehmen" not in page.text
    response = await post_form(client, f"/verwaltung/massnahmen/{loop.action_a}/ablehnen",
                               {"decline-reason": "Nein"})
    assert response.status_code == 404


async def test_office_overview_groups_by_centre_highlights_overdue_and_exports_csv(client, loop):
    actor = follow_ups.Actor(loop.staff_b, "Zentrum B", loop.centre_b, False)
    await follow_ups.decline_action(loop.action_b, actor, reason="Personal fehlt")
    await sign_in(client, "buero@example.org")
    page = await client.get("/verwaltung/massnahmen")
    assert page.status_code == 200
    text = text_of(page.text)
    assert text.index("Stadtverwaltung") < text.index("Kinder- und Familienzentrum Eglosheim")
    assert "Kinder- und Familienzentrum Oßweil" in text
    assert text.count("überfällig") >= 2  # the city's and centre A's item are past due
    declined_only = text_of((await client.get("/verwaltung/massnahmen?stand=declined")).text)
    assert "Längere Öffnungszeiten" in declined_only and "Elterncafé am Samstag" not in declined_only
    csv_response = await client.get("/verwaltung/massnahmen/export.csv")
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Runde;Träger;Zuständig;Maßnahme")
    assert len(lines) == 5
    assert any("Längere Öffnungszeiten" in line and "abgelehnt" in line for line in lines)
    assert any("Elterncafé am Samstag" in line and ";ja;" in line for line in lines)


async def test_centre_staff_cannot_reach_the_office_overview(client, loop):
    await sign_in(client, "zentrum@example.org")
    assert (await client.get("/verwaltung/massnahmen")).status_code == 403
    assert (await client.get("/verwaltung/massnahmen/export.csv")).status_code == 403


async def test_dashboard_shows_action_items_by_status_and_the_plan(client, loop):
    await plans.create_offering(loop.centre_a, plans.OfferingInput(title="Krabbelgruppe", kind="care"))
    await publish_round_with_actions(loop.round_id, [("Noch eine Idee", loop.centre_a, None)])
    await sign_in(client, "zentrum@example.org")
    page = await client.get("/zentrum")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "vorgeschlagen: 3" in text
    assert "Krabbelgruppe" in text and "Ergebnisse für Ihren Stadtteil" in text
