"""The office defines two categories, labels the answers the page proposes, and sees the rest sorted (in German)."""

from __future__ import annotations

import re

import pytest

from participation.demo import OFFICE_USER
from participation.surveys.services.definition import list_surveys, load_survey
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


async def test_office_labels_proposed_answers_and_sees_the_rest_sorted(live_server, browser):
    closed = max((s for s in await list_surveys() if s.status == "closed"), key=lambda s: s.responses)
    survey = await load_survey(closed.id)
    question = next(q for q in survey.questions if q.kind.is_text)
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await sign_in(page, live_server, OFFICE_USER[0], OFFICE_USER[2])
    await page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/themen")
    await page.get_by_role("link", name=re.compile("Eigene Kategorien")).click()
    await page.wait_for_load_state()
    violations = await axe_violations(page)
    for name, description in [("Betreuung", "Öffnungszeiten, Plätze, Ferien"), ("Angebote", "Kurse und Treffen")]:
        await page.get_by_label(re.compile("^Name")).and_(page.locator("#name")).fill(name)
        await page.get_by_label("Beschreibung").and_(page.locator("#description")).fill(description)
        await page.get_by_role("button", name="Kategorie anlegen").click()
        await page.wait_for_load_state()
    assert await page.get_by_role("row", name=re.compile("Betreuung")).count() == 1
    violations += await axe_violations(page)

    await page.get_by_role("link", name=question.text("de")).click()
    await page.wait_for_load_state()
    assert "Ordnen Sie einige Antworten ein" in await page.locator("#vorschlaege").locator("..").inner_text()
    violations += await axe_violations(page)
    # label the proposed answers by the buttons beside them, alternating, until the page has a model
    for round_number in range(4):
        proposals = page.locator("ol.proposals > li")
        assert await proposals.count() == 5
        text = await proposals.first.locator("blockquote").inner_text()
        category = "Betreuung" if round_number % 2 == 0 else "Angebote"
        await proposals.first.get_by_role("button", name=re.compile(f"^{category}")).click()
        await page.wait_for_load_state()
        assert "Die Antwort wurde eingeordnet." in await page.locator(".flashes").inner_text()
        assert text not in await page.locator("ol.proposals").inner_text()  # a labelled answer is proposed no more
    section = await page.locator("#vorschlaege").locator("..").inner_text()
    assert "am wenigsten sicher" in section  # uncertainty sampling now
    assert "Vermutung:" in section

    await page.get_by_label("Mindestsicherheit in Prozent").fill("99")
    await page.get_by_role("button", name="Anwenden").click()
    await page.wait_for_load_state()
    unsorted = await page.locator("section[aria-labelledby=unsortiert]").inner_text()
    assert "unter 99 % sicher" in unsorted and "Vermutung:" in unsorted  # nobody is that sure: a person decides
    violations += await axe_violations(page)

    await page.get_by_label("Mindestsicherheit in Prozent").fill("30")
    await page.get_by_role("button", name="Anwenden").click()
    await page.wait_for_load_state()
    overview = await page.get_by_role("table", name="Antworten je Kategorie").inner_text()
    betreuung = re.search(r"Betreuung\s+(\d+)\s+(\d+)\s+(\d+)", overview)
    assert betreuung and int(betreuung[1]) == 2 and int(betreuung[2]) > 0
    await page.locator("summary", has_text="Antworten zeigen").first.click()
    rows = await page.get_by_role("table", name="Antworten in „Betreuung“").inner_text()
    assert "von Ihnen eingeordnet" in rows and re.search(r"\d+ %", rows)  # the rest with its confidence
    assert "Keine." in await page.locator("section[aria-labelledby=unsortiert]").inner_text()
    violations += await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)
