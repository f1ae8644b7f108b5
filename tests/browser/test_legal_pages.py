"""The legal pages, the retention overview and the parents' privacy notice pass axe, in German and in Arabic."""

from __future__ import annotations

import pytest

from participation.demo import OFFICE_USER
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser

PUBLIC = ["/impressum", "/datenschutz", "/barrierefreiheit", "/leichte-sprache"]


@pytest.mark.parametrize("language", ["de", "ar"])
async def test_legal_pages_and_the_privacy_notice_pass_axe(live_server, browser, language):
    from participation.surveys.services.definition import list_surveys

    survey = next(s for s in await list_surveys() if s.status == "open")
    context = await browser.new_context(locale=language)
    page = await context.new_page()
    violations = []
    for path in [*PUBLIC, f"/umfrage/{survey.id}"]:
        response = await page.goto(f"{live_server}{path}?lang={language}")
        assert response is not None and response.status == 200, path
        violations += await axe_violations(page)
    assert await page.locator(".privacy-notice a[href='/datenschutz']").count() == 1
    await context.close()
    assert not violations, "\n".join(violations)


async def test_office_pages_and_their_form_errors_pass_axe(live_server, browser):
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await sign_in(page, live_server, OFFICE_USER[0], OFFICE_USER[2])
    violations = []
    await page.goto(f"{live_server}/verwaltung/aufbewahrung")
    violations += await axe_violations(page)
    await page.goto(f"{live_server}/verwaltung/rechtliches")
    violations += await axe_violations(page)
    await page.get_by_label("Link zum Video in Deutscher Gebärdensprache (DGS)").fill("kein Link")
    await page.get_by_role("button", name="Speichern").click()
    await page.wait_for_load_state()
    assert await page.locator(".error-summary").count() == 1
    violations += await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)
