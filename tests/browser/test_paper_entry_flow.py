"""Centre staff type three paper forms with the keyboard only (no clicks): Tab from question to question in the
order of their numbers, Space and the arrow keys for answers, Enter to save; a wrong number comes back with the
focus on it. The office then reads the three forms in the results with the channel "Papier". Every page passes axe."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from participation.demo import CENTRE_USER, OFFICE_USER
from tests.browser.conftest import _load_demo_database, axe_violations, serving_by_uvicorn, sign_in

pytestmark = [pytest.mark.browser]

QUESTIONS = [
    {"key": "papier_betreuung", "kind": "single", "text": "Wie wird Ihr Kind betreut?", "required": True,
     "options": [("kita", "Kita"), ("tagespflege", "Tagespflege"), ("zuhause", "Zu Hause")]},
    {"key": "papier_zufrieden", "kind": "scale", "text": "Wie zufrieden sind Sie?", "required": True},
    {"key": "papier_kinder", "kind": "number", "text": "Wie viele Kinder leben bei Ihnen?", "min_value": 0,
     "max_value": 12, "whole_number": True},
]
SHOTS = os.environ.get("PAPER_SHOTS")  # a folder: screenshots of each page, for looking at them


@pytest.fixture(scope="module")
async def paper_server(engine):
    """The demo, served with a privacy threshold of 3 so that three paper forms make a group of their own."""
    await _load_demo_database(engine)
    async with serving_by_uvicorn(DB_POOL_MAX="4", RUN_JOBS_IN_APP="0", PRIVACY_THRESHOLD="3") as base_url:
        yield base_url


async def _open_paper_survey(year: int = 2031) -> int:
    """A survey of its own round, open now (the live server reads the same database)."""
    from participation.dialogues.schemas import Season
    from participation.dialogues.services.rounds import create_round
    from participation.surveys.schemas import QuestionKind
    from participation.surveys.services import definition

    round_id = await create_round(Season.AUTUMN, year, topics=["Betreuungsarrangements"])
    survey_id = await definition.create_survey(round_id, "Papierumfrage", "Ihre Meinung zählt.")
    survey = await definition.load_survey(survey_id)
    for spec in QUESTIONS:
        spec = dict(spec)
        kind = QuestionKind(spec.pop("kind"))
        await definition.save_question(survey_id, survey.sections[0].id, None,
                                       definition.QuestionInput(kind=kind, **spec))
    now = datetime.now(UTC)
    await definition.publish_survey(survey_id, now - timedelta(days=1), now + timedelta(days=30))
    return survey_id


async def _focused_id(page) -> str:
    return await page.evaluate("document.activeElement && document.activeElement.id")


async def _type_form(page, *, district: str, choice_steps: int, scale: int, children: str,
                     keep: bool = False) -> None:
    """One form by keyboard: the district, then Tab to each question in turn."""
    assert await _focused_id(page) == "district"
    await page.keyboard.type(district)
    await page.keyboard.press("Tab")
    assert await _focused_id(page) == "q-papier_betreuung-kita"
    await page.keyboard.press("Space")
    for _ in range(choice_steps):
        await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Tab")
    assert await _focused_id(page) == "q-papier_zufrieden-1"
    await page.keyboard.press("Space")
    for _ in range(scale - 1):
        await page.keyboard.press("ArrowRight")
    await page.keyboard.press("Tab")
    assert await _focused_id(page) == "q-papier_kinder"
    await page.keyboard.type(children)
    if keep:  # the second button: "Zur Zweiterfassung ablegen"
        await page.keyboard.press("Tab")
        await page.keyboard.press("Tab")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


async def _shot(page, name: str) -> None:
    if SHOTS:
        await page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


async def test_centre_staff_type_three_paper_forms_by_keyboard_and_the_office_sees_them(paper_server, browser):
    from participation.surveys.services.definition import close_survey
    from participation.surveys.tables import Response

    survey_id = await _open_paper_survey()
    violations: list[str] = []
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await sign_in(page, paper_server, CENTRE_USER[0], CENTRE_USER[2])
    await page.goto(f"{paper_server}/zentrum")
    assert await page.get_by_role("link", name="Papierbögen eingeben – Papierumfrage").count() == 1
    await page.goto(f"{paper_server}/zentrum/umfragen/{survey_id}/papier")
    assert await page.get_by_text("Frage 3: Wie viele Kinder leben bei Ihnen?").count() == 1
    violations += await axe_violations(page)
    await _shot(page, "paper-entry")

    # Form 1, with a wrong number first: the form comes back as typed, the focus on the number.
    await _type_form(page, district="Eglosheim", choice_steps=0, scale=4, children="zwei")
    assert await page.get_by_text("Bitte geben Sie eine ganze Zahl ohne Komma ein, zum Beispiel 2.").count() >= 1
    assert await _focused_id(page) == "q-papier_kinder"
    assert await page.locator("#q-papier_zufrieden-4").is_checked()
    violations += await axe_violations(page)
    await _shot(page, "paper-entry-error")
    await page.keyboard.press("Control+A")
    await page.keyboard.type("2")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert await page.get_by_text("Bogen 1 gespeichert").count() == 1
    await _shot(page, "paper-entry-saved")
    # Forms 2 and 3: each starts empty with the focus on the district.
    await _type_form(page, district="Eglosheim", choice_steps=1, scale=5, children="1")
    assert await page.get_by_text("Bogen 2 gespeichert").count() == 1
    await _type_form(page, district="Eglosheim", choice_steps=2, scale=3, children="3")
    assert await page.get_by_text("Bogen 3 gespeichert").count() == 1
    assert await _focused_id(page) == "district"
    violations += await axe_violations(page)
    await context.close()

    rows = await Response.select(Response.channel).where(Response.survey == survey_id)
    assert [row["channel"] for row in rows] == ["paper"] * 3
    await close_survey(survey_id)

    office = await browser.new_context(locale="de-DE")
    page = await office.new_page()
    await sign_in(page, paper_server, OFFICE_USER[0], OFFICE_USER[2])
    await page.goto(f"{paper_server}/verwaltung/umfragen/{survey_id}/ergebnisse?kanal=papier")
    assert await page.locator("#channel-shown").get_by_text("Papier").count() == 1
    assert await page.locator("#kanal").input_value() == "papier"
    question = page.locator("section.result-question", has=page.locator("#q-papier_betreuung"))
    assert "3 Personen haben diese Frage beantwortet." in await question.inner_text()
    assert "keine Zahlen nach Eingangsweg" not in await page.content()
    violations += await axe_violations(page)
    await _shot(page, "results-paper")
    await page.goto(f"{paper_server}/verwaltung/papiererfassung")
    assert await page.get_by_role("cell", name="3", exact=True).count() >= 1
    violations += await axe_violations(page)
    await _shot(page, "paper-log")
    await office.close()
    assert not violations, "\n".join(violations)


async def test_a_second_person_types_a_kept_form_blind_and_chooses_at_the_difference(paper_server, browser):
    from participation.accounts.schemas import Role
    from participation.accounts.services import create_user
    from participation.directory.services import list_centres
    from participation.surveys.tables import Answer, Response

    survey_id = await _open_paper_survey(2032)
    centre = next(c for c in await list_centres() if c.name == CENTRE_USER[3])
    await create_user(email="zweite@familiendialog.example", display_name="Zweite Person", password="zweite-2026-x",
                      role=Role.CENTRE, centre_id=centre.id)
    violations: list[str] = []
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await sign_in(page, paper_server, CENTRE_USER[0], CENTRE_USER[2])
    await page.goto(f"{paper_server}/zentrum/umfragen/{survey_id}/papier")
    await _type_form(page, district="Eglosheim", choice_steps=1, scale=4, children="2", keep=True)
    assert await page.get_by_text("Der Bogen liegt zur Zweiterfassung bereit.").count() == 1
    assert await page.get_by_text("wartet auf eine zweite Person").count() == 1
    await context.close()
    assert await Response.count().where(Response.survey == survey_id) == 0

    second = await browser.new_context(locale="de-DE")
    page = await second.new_page()
    await sign_in(page, paper_server, "zweite@familiendialog.example", "zweite-2026-x")
    await page.goto(f"{paper_server}/zentrum/umfragen/{survey_id}/papier")
    violations += await axe_violations(page)
    link = page.get_by_role("link", name="Zweiterfassung beginnen")
    await page.goto(paper_server + await link.get_attribute("href"))
    await _shot(page, "second-entry")
    await _type_form(page, district="Eglosheim", choice_steps=1, scale=5, children="2")
    assert await page.get_by_text("Abweichungen zwischen erster und zweiter Eingabe").count() == 1
    assert await page.get_by_text("Erste Eingabe: 4").count() == 1
    violations += await axe_violations(page)
    await _shot(page, "second-entry-differences")
    assert await _focused_id(page) == "wahl-papier_zufrieden-first"
    await page.keyboard.press("Space")  # the first entry was right
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert await page.get_by_text("Bogen 1 gespeichert").count() == 1
    await second.close()
    scale = await Answer.select(Answer.number).where(
        (Answer.response.survey == survey_id) & (Answer.question.key == "papier_zufrieden"))
    assert scale == [{"number": 4.0}]
    assert not violations, "\n".join(violations)
