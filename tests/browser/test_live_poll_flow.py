"""The live poll in the room: the office opens a top-3 poll on the demo session, the projector page shows it, 30 phones
vote (29 simulated with httpx, each with its own cookies, and one real browser in Arabic), the projector updates
without reloading, the office closes the poll and the minutes show its result. Every page passes axe."""

from __future__ import annotations

import asyncio
import os
import random
import re

import httpx
import pytest

from participation.demo import OFFICE_USER
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser

#: Set to a folder to keep screenshots of the projector and the phone page (for looking at them).
SCREENSHOTS = os.environ.get("LIVE_POLL_SCREENSHOTS")


async def _demo_round_with_agenda() -> int:
    """The newest demo round, with at least three agenda items (the live server reads the same database)."""
    from participation.dialogues.services import agenda
    from participation.dialogues.services.rounds import list_rounds

    round_id = (await list_rounds())[0].id
    for title in ("Kita-Plätze und Öffnungszeiten", "Ferienbetreuung", "Treffpunkte im Stadtteil"):
        if len(await agenda.list_agenda(round_id)) < 3:
            await agenda.add_free_item(round_id, title)
    return round_id


async def _phone_votes(base_url: str, code: str, rng: random.Random) -> int:
    """One phone: open the address (token and cookie), choose one to three topics, vote. The response's status."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as phone:
        page = await phone.get(f"/s/{code}")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        options = re.findall(r'name="choice" value="(\d+)"', page.text)
        chosen = rng.sample(options, rng.randint(1, 3))
        response = await phone.post(f"/s/{code}", data={"_csrf_token": token, "choice": chosen})
        assert "Danke, Ihre Stimme ist gezählt." in response.text
        return response.status_code


async def test_a_room_votes_and_the_projector_follows_live(live_server, browser):
    round_id = await _demo_round_with_agenda()
    context = await browser.new_context(locale="de-DE", viewport={"width": 1600, "height": 900})
    page = await context.new_page()
    await sign_in(page, live_server, OFFICE_USER[0], OFFICE_USER[2])
    await page.goto(f"{live_server}/verwaltung/runden/{round_id}/sitzung")
    await page.get_by_label("Art der Abstimmung").select_option("top3")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Abstimmung vorbereiten").click()
    violations = await axe_violations(page)
    if SCREENSHOTS:
        await page.locator("#stimmungsbild").screenshot(path=f"{SCREENSHOTS}/session.png")
    async with page.expect_navigation():
        await page.get_by_role("button", name=re.compile("^Abstimmung öffnen")).first.click()
    assert page.url.endswith("/projektor")
    address = (await page.locator(".projector-address").inner_text()).strip()
    code = address.rsplit("/", 1)[1]
    received = page.locator("[data-received-line]")
    assert (await received.inner_text()).strip() == "0 Stimmen abgegeben"
    violations += await axe_violations(page)
    await page.evaluate("window.sameProjectorPage = true")  # gone if the page reloads

    # One phone is a real browser, in Arabic, right to left.
    phone_context = await browser.new_context(locale="ar", viewport={"width": 390, "height": 844})
    phone = await phone_context.new_page()
    await phone.goto(f"{live_server}/s/{code}?lang=ar")
    assert await phone.get_attribute("html", "dir") == "rtl"
    violations += await axe_violations(phone)
    if SCREENSHOTS:
        await phone.screenshot(path=f"{SCREENSHOTS}/phone-ar.png", full_page=True)
    await phone.locator("input[name=choice]").nth(0).check()
    await phone.locator("input[name=choice]").nth(2).check()
    async with phone.expect_navigation():
        await phone.get_by_role("button", name="أدلِ بصوتك").click()
    assert "شكرًا، تم احتساب صوتك." in await phone.inner_text("main")
    violations += await axe_violations(phone)
    await phone_context.close()

    rng = random.Random(30)
    statuses = await asyncio.gather(*[_phone_votes(live_server, code, rng) for _ in range(29)])
    assert statuses == [200] * 29

    # The projector follows by itself: the same page object, no reload, the count now 30 and a result shown.
    await received.filter(has_text="30 Stimmen abgegeben").wait_for(timeout=15_000)
    assert await page.evaluate("window.sameProjectorPage === true")
    step = await page.locator("[data-step-line]").inner_text()
    assert int(re.search(r"\d+", step).group()) >= 25  # in steps of at least five votes
    assert await page.locator("[data-bars] .poll-bar").count() >= 3
    if SCREENSHOTS:
        await page.screenshot(path=f"{SCREENSHOTS}/projector.png", full_page=True)

    async with page.expect_navigation():
        await page.get_by_role("button", name="Abstimmung schließen").click()
    assert "Die Abstimmung ist geschlossen." in await page.inner_text("main")
    violations += await axe_violations(page)
    await page.goto(f"{live_server}/verwaltung/runden/{round_id}/protokoll#stimmungsbilder")
    minutes = await page.inner_text("#stimmungsbilder")
    assert "Welche drei Themen sind Ihnen am wichtigsten?" in minutes
    assert int(re.search(r"(\d+) Stimmen", minutes).group(1)) >= 25
    violations += await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)


async def test_the_event_stream_brings_each_step_and_ends_when_the_poll_closes(live_server):
    """Server-sent events over a real server: a state after the votes, then the closed state, then the end."""
    import json

    from participation.dialogues.services import polls

    round_id = await _demo_round_with_agenda()
    poll_id = await polls.create_poll(round_id, "yes_no")
    await polls.open_poll(round_id, poll_id)
    poll = await polls.get_poll(round_id, poll_id)
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as office:
        await office.get("/anmelden")
        await office.post("/anmelden", data={"_csrf_token": office.cookies["fd_csrf"], "email": OFFICE_USER[0],
                                             "password": OFFICE_USER[2]})
        states = []

        async def listen() -> None:
            url = f"/verwaltung/runden/{round_id}/sitzung/umfrage/{poll_id}/live"
            async with office.stream("GET", url) as response:
                assert response.headers["content-type"].startswith("text/event-stream")
                async for line in response.aiter_lines():
                    if line.startswith("data: "):
                        states.append(json.loads(line[6:]))

        listener = asyncio.create_task(listen())
        await asyncio.sleep(1.5)
        assert states and states[0]["received"] == 0 and not states[0]["shown"]
        for _ in range(6):
            await polls.cast_vote(poll, polls.new_token(), [poll.options[0].id])
        for _ in range(50):
            if states[-1]["received"] == 6:
                break
            await asyncio.sleep(0.2)
        assert states[-1]["shown"] and states[-1]["options"][0]["count"] == states[-1]["voters"] >= 5
        await polls.close_poll(round_id, poll_id, threshold=5)
        await asyncio.wait_for(listener, 10)  # the stream ends by itself
        assert states[-1]["status"] == "closed"
