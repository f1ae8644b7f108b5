"""The accessibility walk: every page, as every role, in German and in Arabic, passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import pytest

from participation.accounts.services import list_users
from participation.demo import CENTRE_USER, OFFICE_USER
from participation.directory.services import list_centres
from tests.browser.conftest import axe_violations, sign_in
from tests.notifications.route_access_notifications import sample_token
from tests.route_access import NOT_PAGES, ROUTES, fill_path, job_every_signed_in_user_may_see

pytestmark = pytest.mark.browser

ROLE_LOGINS = {"office": (OFFICE_USER[0], OFFICE_USER[2]), "centre": (CENTRE_USER[0], CENTRE_USER[2])}


async def _walk_ids() -> dict[str, int | str]:
    """Real ids of the demo for every path parameter (the surveys' from the walk of the authorisation test)."""
    from participation.directory.services import list_districts
    from participation.surveys.services.definition import list_surveys
    from participation.surveys.tables import AnalysisRun
    from tests.test_authorization import survey_part_ids


    users = await list_users()
    centres = await list_centres()
    ids: dict[str, int | str] = {"user_id": users[0].id, "centre_id": centres[0].id, "language": "ar",
                                 "district_id": (await list_districts())[0].id}
    surveys = await list_surveys()
    if surveys:
        # The open survey, so the parents' form pages are reachable; any finished run for the themes pages.
        survey = next(s for s in surveys if s.status == "open")
        run = await AnalysisRun.select(AnalysisRun.id).first()
        ids.update(await survey_part_ids(survey.id, run_id=run["id"] if run else None))
        ids["closed_survey"] = await _closed_survey_ids(surveys)
    ids.update(await session_ids(ids))
    ids.update(await offering_ids(ids))
    ids["job_id"] = await job_every_signed_in_user_may_see(ids["version_id"])
    ids["token"] = await sample_token()
    return ids


async def _closed_survey_ids(surveys) -> dict[str, int]:
    """The closed survey and one of its free-text questions: pages that sort answers exist only once it closed."""
    from participation.surveys.schemas import QuestionKind
    from participation.surveys.services.definition import load_survey

    closed = await load_survey(next(s for s in surveys if s.status == "closed").id)
    text = next(q for q in closed.questions if q.kind in (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT))
    return {"survey_id": closed.id, "question_id": text.id}


#: Pages filled with the closed survey's ids instead of the open one's.
CLOSED_SURVEY_PAGES = ("/kategorien",)


async def offering_ids(ids: dict) -> dict[str, int]:
    """An offering of the walk's centre and an action item for it (made once per server)."""
    from participation.offerings.tables import Offering
    from tests.offerings.route_access_offerings import sample_ids

    existing = await Offering.select(Offering.id).where(Offering.centre == ids["centre_id"]).first()
    if existing:
        from participation.dialogues.tables import ActionItem

        action = await ActionItem.select(ActionItem.id).where(ActionItem.centre == ids["centre_id"]).first()
        return {"offering_id": existing["id"], "action_id": action["id"]}
    return await sample_ids(ids["round_id"], ids["centre_id"])


async def session_ids(ids: dict) -> dict[str, int]:
    """Agenda item, action item and published version of the demo's closed round (made once per server)."""
    from participation.dialogues.tables import ActionItem, AgendaItem, MinutesVersion, Round, Topic
    from tests.dialogues.route_access_session import sample_ids

    if await MinutesVersion.count():
        from participation.dialogues.tables import Poll

        item = await AgendaItem.select(AgendaItem.id, AgendaItem.round).first()
        from tests.dialogues.route_access_session import poll_sample_ids

        closed = await Poll.select(Poll.id).where(Poll.status == "closed").first()
        opened = await Poll.select(Poll.code).where(Poll.status == "open").first()
        polls = ({"poll_id": closed["id"], "code": opened["code"]} if closed and opened
                 else await poll_sample_ids(item["round"]))
        return {"item_id": item["id"], "round_id": item["round"],
                "action_id": (await ActionItem.select(ActionItem.id).first())["id"],
                "version_id": (await MinutesVersion.select(MinutesVersion.id).first())["id"], **polls}
    past = await Round.select(Round.id).where(Round.year == 2026).first()
    topic = await Topic.select(Topic.id).where(Topic.round == past["id"]).first()
    return {"round_id": past["id"], **await sample_ids(past["id"], ids["centre_id"], topic["id"])}


def _pages_for(role: str) -> list[str]:
    pages = []
    for (method, path), access in sorted(ROUTES.items()):
        if method != "GET" or path in NOT_PAGES or path.startswith("/api/"):
            continue
        if access == "public" or access == role or (access == "signed_in" and role != "anonymous"):
            pages.append(path)
    return pages


@pytest.mark.parametrize("role", ["anonymous", "centre", "office"])
async def test_every_page_passes_axe_for_each_role(live_server, browser, role):
    ids = await _walk_ids()
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    if role != "anonymous":
        email, password = ROLE_LOGINS[role]
        await sign_in(page, live_server, email, password)
        assert "/anmelden" not in page.url, f"{role} could not sign in"
    violations = []
    for path in _pages_for(role):
        path_ids = {**ids, **ids["closed_survey"]} if any(part in path for part in CLOSED_SURVEY_PAGES) else ids
        response = await page.goto(live_server + fill_path(path, path_ids))
        assert response is not None and response.status < 400, f"{role} {path} -> {response and response.status}"
        violations += await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)


async def test_form_errors_and_error_pages_pass_axe(live_server, browser):
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await page.goto(f"{live_server}/anmelden")
    await page.get_by_role("button", name="Anmelden").click()
    await page.wait_for_load_state()
    assert await page.locator(".error-summary").count() == 1
    violations = await axe_violations(page)
    await page.goto(f"{live_server}/gibt-es-nicht")
    violations += await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)


async def test_arabic_start_page_is_right_to_left_and_passes_axe(live_server, browser):
    context = await browser.new_context(locale="ar")
    page = await context.new_page()
    await page.goto(f"{live_server}/?lang=ar")
    assert await page.get_attribute("html", "dir") == "rtl"
    violations = await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)


async def test_keyboard_user_reaches_the_skip_link_first_and_it_moves_focus_to_main(live_server, browser):
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await page.goto(live_server)
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "main"
    await context.close()


async def test_office_signs_in_with_the_demo_account_in_the_browser(live_server, browser):
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    email, password = ROLE_LOGINS["office"]
    await sign_in(page, live_server, email, password)
    assert page.url.endswith("/verwaltung")
    assert await page.get_by_role("heading", level=1).inner_text() == "Übersicht der Stadtverwaltung"
    await context.close()


async def test_the_axe_harness_reports_a_known_violation(browser):
    """Guards the walk itself: a page with an unlabelled field and a missing alt text must be reported."""
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await page.set_content('<html lang="de"><title>x</title><main><img src="data:,"><input type="text"></main></html>')
    violations = await axe_violations(page)
    await context.close()
    assert any("image-alt" in line for line in violations)
    assert any("label" in line for line in violations)
