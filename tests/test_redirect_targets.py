"""After a form, people land where they were: redirects are built from route names and keep the exact place
(path, #anchor, the list's filters) and status code they had when they were written by hand."""

from __future__ import annotations

from participation.dialogues.services import rounds
from participation.surveys.services import definition
from tests.factories import post_form, sign_in


async def test_the_office_lands_back_at_the_section_topic_and_codes_it_changed(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    draft = await make.survey(published=False, uses_codes=True)
    added = await post_form(client, f"/verwaltung/umfragen/{draft}/abschnitte", {"new_section-title": "Zum Schluss"})
    section = (await definition.load_survey(draft)).sections[-1]
    assert added.status_code == 303
    assert added.headers["location"] == f"/verwaltung/umfragen/{draft}#abschnitt-{section.id}"

    translated = await post_form(client, f"/verwaltung/umfragen/{draft}/uebersetzung/en", {})
    assert translated.headers["location"] == f"/verwaltung/umfragen/{draft}#uebersetzungen"

    centre = await make.centre()
    generated = await post_form(client, f"/verwaltung/umfragen/{draft}/codes", {"centre": str(centre), "count": "3"})
    assert (generated.status_code, generated.headers["location"]) == (303, f"/verwaltung/umfragen/{draft}/codes")

    round_id = (await definition.load_survey(draft)).round_id
    topic = (await rounds.get_round(round_id)).topics[0]
    moved = await post_form(client, f"/verwaltung/runden/{round_id}/themen/{topic.id}/verschieben",
                            {"richtung": "runter"})
    assert (moved.status_code, moved.headers["location"]) == (303, f"/verwaltung/runden/{round_id}#themen")


async def test_start_sends_each_person_to_their_own_page_and_sign_out_to_the_home_page(client, make):
    assert (await client.get("/start")).headers["location"] == "/"
    await make.office_user()
    await make.centre_user(centre=await make.centre())
    await sign_in(client, "buero@example.org")
    start = await client.get("/start")
    assert (start.status_code, start.headers["location"]) == (302, "/verwaltung")
    signed_out = await post_form(client, "/abmelden")
    assert (signed_out.status_code, signed_out.headers["location"]) == (303, "/")
    await sign_in(client, "zentrum@example.org")
    assert (await client.get("/start")).headers["location"] == "/zentrum"

