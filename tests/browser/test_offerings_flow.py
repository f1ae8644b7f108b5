"""Centre staff answer proposals in the browser (accept with a new offering, decline with a reason); parents read
the outcome in Arabic. Every page passes axe."""

from __future__ import annotations

import pytest

import participation.app as app_module
from participation.demo import CENTRE_USER
from participation.offerings.controllers import OFFERING_CONTROLLERS
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not set(OFFERING_CONTROLLERS) <= set(app_module.ROUTE_HANDLERS),
                       reason="participation/app.py does not register OFFERING_CONTROLLERS yet"),
]


async def _published_proposals() -> tuple[int, int, int]:
    """Two action items for the demo user's centre in the latest demo round, whose minutes are then published
    (the live server reads the same database)."""
    from participation.dialogues.services import actions, agenda, publishing
    from participation.dialogues.services.rounds import list_rounds
    from participation.directory.services import list_centres

    centre = next(c for c in await list_centres() if c.name == CENTRE_USER[3])
    round_id = (await list_rounds())[0].id
    if not await agenda.list_agenda(round_id):
        await agenda.add_free_item(round_id, "Rückblick und Ausblick")
    accept = await actions.add_action(round_id, actions.ActionInput(title="Elterncafé am Samstag",
                                                                   centre_id=centre.id))
    decline = await actions.add_action(round_id, actions.ActionInput(title="Schwimmkurs für Eltern",
                                                                    centre_id=centre.id))
    await publishing.publish_minutes(round_id, public=True, threshold=5)
    return round_id, accept, decline


async def test_centre_accepts_and_declines_proposals_and_parents_read_the_outcome(live_server, browser):
    round_id, _accept_id, decline_id = await _published_proposals()
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await sign_in(page, live_server, CENTRE_USER[0], CENTRE_USER[2])
    violations = []
    await page.goto(f"{live_server}/zentrum")
    violations += await axe_violations(page)
    await page.goto(f"{live_server}/zentrum/massnahmen")
    violations += await axe_violations(page)

    await page.get_by_role("link", name="Elterncafé am Samstag").click()
    await page.wait_for_load_state()
    violations += await axe_violations(page)
    await page.get_by_label("Titel des neuen Angebots").fill("Samstagscafé")
    await page.locator("#accept-statement").fill("Ab Mai öffnen wir samstags das Elterncafé.")
    await page.locator("#accept-statement_ar").fill("سنفتح مقهى الأهل أيام السبت من شهر مايو.")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Maßnahme annehmen").click()
    assert await page.get_by_text("angenommen – in Planung").count() >= 1
    violations += await axe_violations(page)

    await page.goto(f"{live_server}/zentrum/massnahmen/{decline_id}")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Maßnahme ablehnen").click()
    assert await page.locator(".error-summary").count() >= 1  # a reason is required
    violations += await axe_violations(page)
    await page.locator("#decline-reason").fill("Wir haben kein Schwimmbad in der Nähe.")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Maßnahme ablehnen").click()
    assert await page.locator("td", has_text="Wir haben kein Schwimmbad in der Nähe.").count() == 1

    await page.goto(f"{live_server}/zentrum/angebote")
    assert await page.get_by_text("Samstagscafé").count() >= 1
    violations += await axe_violations(page)
    await context.close()

    parents = await browser.new_context(locale="ar")
    public = await parents.new_page()
    await public.goto(f"{live_server}/was-wurde-aus-ihren-anregungen/{round_id}?lang=ar")
    assert await public.locator("html[lang=ar][dir=rtl]").count() == 1
    assert await public.get_by_text("سنفتح مقهى الأهل أيام السبت من شهر مايو.").count() == 1
    violations += await axe_violations(public)
    await public.goto(f"{live_server}/was-wurde-aus-ihren-anregungen?lang=ar")
    violations += await axe_violations(public)
    await parents.close()
    assert not violations, "\n".join(violations)


async def test_centre_walks_from_its_dashboard_to_an_offering_and_back_to_the_parents_input(live_server, browser):
    """The demo's Eglosheim centre: from its dashboard to the open proposal, which shows what parents said; accepted
    with a new offering; from the dashboard to that offering, and from there back to the item and the parents'
    themes and quotes."""
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await sign_in(page, live_server, CENTRE_USER[0], CENTRE_USER[2])
    violations = []
    await page.goto(f"{live_server}/zentrum")
    assert await page.get_by_role("heading", name="Ergebnisse für Ihren Stadtteil und Ihr Zentrum").count() == 1
    assert await page.get_by_role("columnheader", name="Ihr Zentrum").count() > 0
    violations += await axe_violations(page)

    await page.get_by_role("link", name="Samstagsangebot testen").click()
    await page.wait_for_load_state()
    assert await page.get_by_role("heading", name="Was dazu geführt hat").count() == 1
    assert await page.locator("blockquote.quote").count() >= 1
    violations += await axe_violations(page)
    await page.get_by_label("Titel des neuen Angebots").fill("Familienfrühstück am Samstag")
    await page.locator("#accept-statement").fill("Ab März einmal im Monat samstags.")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Maßnahme annehmen").click()

    await page.goto(f"{live_server}/zentrum")
    await page.get_by_role("link", name="Familienfrühstück am Samstag").click()
    await page.wait_for_load_state()
    assert "/zentrum/angebote/" in page.url
    assert await page.get_by_role("heading", name="Aus dem Familiendialog").count() == 1
    violations += await axe_violations(page)
    await page.get_by_role("link", name="Samstagsangebot testen").click()
    await page.wait_for_load_state()
    assert "/zentrum/massnahmen/" in page.url
    assert await page.get_by_text("Das haben Eltern in der Umfrage geschrieben:").count() == 1
    assert await page.locator("blockquote.quote").count() >= 1
    assert await page.get_by_text("Drei Zentren testen ein Samstagsangebot im Frühjahr.").count() == 1
    violations += await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)
