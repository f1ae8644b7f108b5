"""The office clusters free text in the browser: the job's progress updates live, themes pass axe."""

from __future__ import annotations

import pytest

from participation.demo import OFFICE_USER
from participation.surveys.services.definition import list_surveys
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


async def test_office_starts_clustering_and_watches_it_finish(live_server, browser):
    survey = max((s for s in await list_surveys()), key=lambda s: s.responses)
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await sign_in(page, live_server, OFFICE_USER[0], OFFICE_USER[2])
    await page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/themen")
    violations = await axe_violations(page)
    await page.select_option(
        "#target", label="Was wünschen Sie sich vom Kinder- und Familienzentrum in Ihrem Stadtteil?")
    await page.get_by_role("button", name="Themen berechnen").click()
    await page.wait_for_load_state()
    violations += await axe_violations(page)
    # When the job is done the heading says so and the page moves on to the themes by itself (no click).
    await page.locator(".job-label", has_text="Die Themen sind fertig").wait_for(timeout=60_000)
    await page.locator("section.theme").first.wait_for(timeout=15_000)
    await page.wait_for_load_state()
    assert await page.locator("section.theme").count() >= 2
    violations += await axe_violations(page)
    await page.locator("section.theme a", has_text="Alle Antworten").first.click()
    await page.wait_for_load_state()
    violations += await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)
