"""A parent answers the demo's open survey in the browser, in German and in Arabic, keyboard and axe included."""

from __future__ import annotations

import pytest

from participation.surveys.services.definition import open_surveys
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


async def _answer_current_page(page) -> None:
    """Pick the first option of every radio group and write something into required text fields."""
    groups = await page.eval_on_selector_all(
        "form.survey-form input[type=radio]", "els => [...new Set(els.map(e => e.name))]")
    for name in groups:
        await page.locator(f"input[type=radio][name='{name}']").first.check()
    for field in await page.locator("form.survey-form input[type=text][required]").all():
        await field.fill("3")


async def _walk_survey(page, base_url: str, survey_id: int, language: str) -> list[str]:
    violations = []
    await page.goto(f"{base_url}/umfrage/{survey_id}?lang={language}")
    violations += await axe_violations(page)
    async with page.expect_navigation():
        await page.locator("form[action$='/antworten'] button[type=submit]").click()
    # Submitting the district page empty shows an error summary that is itself accessible.
    async with page.expect_navigation():
        await page.locator("button[name=nav][value=next]").click()
    assert await page.locator(".error-summary").count() == 1
    violations += await axe_violations(page)
    for _ in range(20):
        await _answer_current_page(page)
        violations += await axe_violations(page)
        submit = page.locator("button[name=nav][value=submit]")
        if await submit.count():
            async with page.expect_navigation():
                await submit.click()
            break
        async with page.expect_navigation():
            await page.locator("button[name=nav][value=next]").click()
        assert await page.locator(".error-summary").count() == 0, await page.locator(".error-summary").inner_text()
    assert page.url.endswith(f"/umfrage/{survey_id}/danke"), page.url
    violations += await axe_violations(page)
    return violations


async def test_parent_answers_the_open_survey_in_german(live_server, browser):
    survey = (await open_surveys())[0]
    context = await browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    violations = await _walk_survey(page, live_server, survey.id, "de")
    assert await page.locator("h1").inner_text() == "Vielen Dank!"
    await context.close()
    assert not violations, "\n".join(violations)


async def test_parent_answers_the_open_survey_in_arabic_right_to_left(live_server, browser):
    survey = (await open_surveys())[0]
    context = await browser.new_context(locale="ar", viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(f"{live_server}/umfrage/{survey.id}?lang=ar")
    assert await page.get_attribute("html", "dir") == "rtl"
    assert await page.get_attribute("html", "lang") == "ar"
    violations = await _walk_survey(page, live_server, survey.id, "ar")
    assert await page.get_attribute("html", "lang") == "ar"
    await context.close()
    assert not violations, "\n".join(violations)


async def test_the_form_works_with_the_keyboard_alone(live_server, browser):
    survey = (await open_surveys())[0]
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await page.goto(f"{live_server}/umfrage/{survey.id}/antworten")
    first_radio = page.locator("input[name=district]").first
    await first_radio.focus()
    await page.keyboard.press("Space")
    assert await first_radio.is_checked()
    await page.locator("button[name=nav][value=next]").focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "Seite 2 von" in await page.locator("#progress-label").inner_text()
    await context.close()
