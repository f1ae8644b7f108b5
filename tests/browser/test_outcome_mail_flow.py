"""Done when (issue 14, part 3): a parent answers the demo survey, leaves an address on the thank-you page,
confirms it from the mail that arrives in a local SMTP server, the office publishes the round's outcomes, and the
outcome mail arrives. Every page on the way passes axe."""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from participation.demo import OFFICE_USER
from participation.surveys.services.definition import open_surveys
from tests.browser.conftest import _load_demo_database, axe_violations, serving_by_uvicorn, sign_in
from tests.browser.test_parent_flow import _answer_current_page, _next
from tests.notifications.conftest import Inbox, LocalSmtp, text_part
from tests.support.private_postgres import free_port

pytestmark = pytest.mark.browser

ADDRESS = "mutter.beispiel@example.org"


@pytest.fixture(scope="module")
def smtp():
    server = LocalSmtp(free_port(), Inbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def mail_server(engine, smtp):
    """The demo, served with SMTP_URL pointing at the local SMTP server (the app's own job runner sends)."""
    await _load_demo_database(engine)
    async with serving_by_uvicorn(DB_POOL_MAX="4", RUN_JOBS_IN_APP="1", SMTP_URL=smtp.url,
                                  MAIL_FROM="familiendialog@stadt.example") as base_url:
        yield base_url


async def _mail(smtp, subject_start: str, limit: float = 60.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        for message in smtp.inbox.to(ADDRESS):
            if message["Subject"].startswith(subject_start):
                return message
        await asyncio.sleep(0.2)
    raise AssertionError(f"no mail {subject_start!r} arrived: {[m['Subject'] for m in smtp.inbox.messages]}")


async def test_parent_subscribes_confirms_and_gets_the_outcome_mail_when_the_office_publishes(
        mail_server, smtp, browser):
    from participation.dialogues.services import agenda

    survey = (await open_surveys())[0]
    violations = []
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()

    # The parent answers the spring survey ...
    await page.goto(f"{mail_server}/umfrage/{survey.id}")
    async with page.expect_navigation():
        await page.locator(".start-card button[type=submit]").click()
    for _ in range(12):
        await _answer_current_page(page)
        if await page.locator(".form-nav button[name=nav][value=submit]").count():
            await _next(page, "submit")
            break
        await _next(page)
    assert page.url.endswith(f"/umfrage/{survey.id}/danke"), page.url

    # ... and leaves an address on the thank-you page.
    violations += await axe_violations(page)
    await page.get_by_label("Ihre E-Mail-Adresse").fill(ADDRESS)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Benachrichtigen Sie mich").click()
    assert await page.locator("h1").inner_text() == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    violations += await axe_violations(page)

    # The confirm mail arrives; its link shows a button, the button confirms.
    confirm_mail = await _mail(smtp, "Bitte bestätigen")
    link = re.search(r"https?://[^/]+(/benachrichtigung/bestaetigen/\S+)", text_part(confirm_mail)).group(1)
    await page.goto(mail_server + link)  # the mail's links use BASE_URL; the test server has a port of its own
    violations += await axe_violations(page)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Bestätigen").click()
    assert await page.locator("h1").inner_text() == "Ihre E-Mail-Adresse ist bestätigt"
    violations += await axe_violations(page)

    # The office publishes the spring round's minutes publicly.
    if not await agenda.list_agenda(survey.round_id):
        await agenda.add_free_item(survey.round_id, "Rückblick und Ausblick")
    office = await browser.new_context(locale="de-DE")
    office_page = await office.new_page()
    await sign_in(office_page, mail_server, OFFICE_USER[0], OFFICE_USER[2])
    await office_page.goto(f"{mail_server}/verwaltung/runden/{survey.round_id}/protokoll")
    await office_page.get_by_label("öffentlich – auch für Eltern").check()
    async with office_page.expect_navigation():
        await office_page.get_by_role("button", name="Protokoll veröffentlichen").click()

    # The outcome mail arrives, with the link to what became of the parents' input.
    outcome_mail = await _mail(smtp, "Die Ergebnisse des Familiendialogs")
    outcomes = re.search(r"https?://[^/]+(/was-wurde-aus-ihren-anregungen/\d+)", text_part(outcome_mail)).group(1)
    assert outcomes == f"/was-wurde-aus-ihren-anregungen/{survey.round_id}"
    response = await page.goto(mail_server + outcomes)
    assert response is not None and response.status == 200
    assert len(smtp.inbox.to(ADDRESS)) == 2

    # The office sees how many were told, and no address.
    await office_page.goto(f"{mail_server}/verwaltung/benachrichtigungen")
    text = await office_page.locator("main").inner_text()
    assert "1 Benachrichtigung versandt" in text and ADDRESS not in text
    violations += await axe_violations(office_page)
    await office.close()
    await context.close()
    assert not violations, "\n".join(violations)
