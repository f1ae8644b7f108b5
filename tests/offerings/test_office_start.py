"""The office's start page shows the next steps of the current round, not master-data counts."""

from __future__ import annotations

import re

from participation.offerings.services import follow_ups
from tests.factories import sign_in, text_of

ANSWERS = {"betreuung": "kita", "zufriedenheit": "4"}


def _row(html: str, name: str) -> str:
    match = re.search(r"<tr><th scope=\"row\">" + re.escape(name) + r"</th>(.*?)</tr>", html)
    assert match, name
    return text_of(match.group(1)).strip()


async def test_start_page_shows_the_open_survey_with_rounded_counts_per_district_only(client, loop, make):
    for _ in range(7):
        await make.response(loop.survey_id, loop.district_a, ANSWERS)
    for _ in range(2):
        await make.response(loop.survey_id, loop.district_b, ANSWERS)
    await sign_in(client, "buero@example.org")
    page = await client.get("/verwaltung")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Nächste Schritte: Frühjahr 2027" in text and "Stammdaten" not in text.split("Übersicht der")[1]
    assert "Offen bis" in text and "Bisher etwa 10 Antworten." in text  # 9, rounded to 5
    # While the survey is open only rounded counts per district are shown: 7 and 2 must not be readable.
    assert _row(page.text, "Eglosheim") == "5" and _row(page.text, "Oßweil") == "5"
    assert "Themen lassen sich benennen, wenn die Umfrage geschlossen ist." in text
    assert "Noch kein Termin." in text and "Version 1 ist veröffentlicht" in text


async def test_start_page_lists_overdue_action_items_and_those_nobody_answered(client, loop):
    actor = follow_ups.Actor(loop.staff_b, "Zentrum B", loop.centre_b, False)
    await follow_ups.decline_action(loop.action_b, actor, reason="Personal fehlt")
    await sign_in(client, "buero@example.org")
    text = text_of((await client.get("/verwaltung")).text)
    overdue = text.split("Überfällige Maßnahmen")[1].split("Maßnahmen ohne Antwort")[0]
    assert "(2)" in overdue and "Elterncafé am Samstag" in overdue and "Mehr Kitaplätze im Stadtteil" in overdue
    assert "Sprachkurs für Mütter" not in overdue
    unanswered = text.split("Maßnahmen ohne Antwort")[1]
    assert "(3)" in unanswered and "Sprachkurs für Mütter" in unanswered
    assert "Längere Öffnungszeiten" not in unanswered  # declined: answered


async def test_after_closing_the_next_step_is_naming_themes_and_the_total_is_exact(client, loop, make):
    for _ in range(6):
        await make.response(loop.survey_id, loop.district_a, ANSWERS)
    await make.close(loop.survey_id)
    await sign_in(client, "buero@example.org")
    page = await client.get("/verwaltung")
    text = text_of(page.text)
    assert "Themen benennen (als Nächstes)" in text and "Antworten (erledigt)" in text
    assert "6 Antworten." in text and "Antworten je Stadtteil bisher" not in text
    assert f'href="/verwaltung/umfragen/{loop.survey_id}/themen"' in page.text
