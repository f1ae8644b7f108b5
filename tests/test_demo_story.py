"""The demo tells a consistent story from the parents' answers to the outcome page: no decision in the minutes is
contradicted by its action item's status, and the outcome page shows what led to each item."""

from __future__ import annotations

import re

from participation.demo import load_demo
from participation.dialogues.services.notes import decision_lines
from participation.dialogues.tables import ActionItem, AgendaItem
from participation.offerings.schemas import FollowUpStatus
from participation.offerings.services import follow_ups
from tests.factories import text_of


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w{5,}", text)}


async def test_no_decision_in_the_demo_minutes_is_contradicted_by_its_action_items_status(db) -> None:
    await load_demo()
    decisions: dict[int, list[str]] = {}
    for item in await AgendaItem.select(AgendaItem.topic, AgendaItem.decisions):
        if item["topic"] is not None:
            decisions.setdefault(item["topic"], []).extend(decision_lines(item["decisions"]))
    topics = {r["id"]: r["topic"] for r in await ActionItem.select(ActionItem.id, ActionItem.topic)}
    views = await follow_ups._follow_ups(with_history=True)
    assert len(views) == 8
    statuses = {v.status for v in views}
    assert statuses == set(FollowUpStatus), "the demo shows every status"
    for view in views:
        lines = decisions.get(topics[view.action_id], [])
        assert lines, f"{view.title}: no decision in the minutes led to it"
        # The decision about this item: the line that shares a word with its title or description.
        about = [line for line in lines if _words(line) & _words(f"{view.title} {view.description}")]
        assert about, f"{view.title}: no decision in the minutes names it ({lines})"
        if view.status is FollowUpStatus.DECLINED:
            assert all("prüf" in line for line in about), (
                f"{view.title} is declined, but the minutes decided: {about}")
            assert view.history and view.history[-1].note, f"{view.title}: declined without a reason"
        if view.due_date is not None and view.status is FollowUpStatus.IMPLEMENTED:
            assert view.history[-1].note, f"{view.title}: implemented without a note"
        if view.status is not FollowUpStatus.PROPOSED:
            assert view.statement and not view.missing_languages(("en", "tr", "ar", "ru", "uk")), (
                f"{view.title}: the centre's words are not in every parents' language")


async def test_demo_outcome_page_shows_what_led_to_each_item(client) -> None:
    await load_demo()
    views = await follow_ups._follow_ups()
    round_id = views[0].round_id
    page = await client.get(f"/was-wurde-aus-ihren-anregungen/{round_id}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert text.count("Was dazu geführt hat") == len(views)
    assert text.count("Beschluss im Protokoll:") == len(views)
    assert re.search(r"– \d+ Antworten „", text), "a theme with its size and a quote"
    assert re.search(r"– \d+ Personen; (Mittelwert|am häufigsten)", text), "a survey figure"
    assert "Eine Antwort wird erwartet von Kinder- und Familienzentrum Eglosheim bis" in text
    arabic = await client.get(f"/was-wurde-aus-ihren-anregungen/{round_id}?lang=ar")
    assert "تجتمع مجموعة الآباء كل أربعاء ثانٍ في الساعة السادسة مساءً." in arabic.text
    assert '<h3 lang="ar" dir="rtl">إطلاق مجموعة للآباء</h3>' in arabic.text
