"""The office prints a survey's paper questionnaire from the survey's page, in German and in Arabic: the PDF holds
the numbered questions, the filter instruction of a follow-up question and the QR code's address."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from participation.demo import OFFICE_USER
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


async def _open_demo_survey():
    """The demo's open survey, with a follow-up question (the live server reads the same database)."""
    from participation.surveys.schemas import SurveyStatus
    from participation.surveys.services.definition import list_surveys, load_survey

    item = next(s for s in await list_surveys() if s.status is SurveyStatus.OPEN)
    survey = await load_survey(item.id)
    assert any(q.condition_key for q in survey.questions)
    return survey


async def _download(page, link_name: str) -> bytes:
    async with page.expect_download() as info:
        await page.get_by_role("link", name=link_name).click()
    download = await info.value
    return (await download.path()).read_bytes()


async def test_office_prints_the_paper_questionnaire_in_german_and_arabic(live_server, browser):
    from participation.surveys.services.definition import question_numbers

    survey = await _open_demo_survey()
    numbers = question_numbers(survey)
    follow_up = next(q for q in survey.questions if q.condition_key)
    condition = survey.question_by_key(follow_up.condition_key)
    context = await browser.new_context(locale="de-DE", accept_downloads=True)
    page = await context.new_page()
    await sign_in(page, live_server, OFFICE_USER[0], OFFICE_USER[2])
    await page.goto(f"{live_server}/verwaltung/umfragen")
    await page.get_by_role("link", name=survey.title("de")).first.click()
    await page.wait_for_load_state()
    assert await page.get_by_role("heading", name="Papierfragebogen").count() == 1
    assert await axe_violations(page) == []

    german = pdf_text(await _download(page, "Papierfragebogen (PDF): Deutsch"))
    for question in survey.questions:
        assert f"{numbers[question.id]} {question.text('de')}" in german
    assert (f"Nur beantworten, wenn Sie bei Frage {numbers[condition.id]} „Ja“ angekreuzt haben."
            in german)
    assert "QR-Code scannen oder Adresse eingeben:" in german
    assert f"/umfrage/{survey.id}" in german.replace("\u200b", "").replace(" ", "")

    arabic = pdf_text(await _download(page, "Papierfragebogen (PDF): العربية"))
    assert follow_up.text("ar") and follow_up.text("ar") in arabic
    assert "امسحوا" in arabic  # "scan the QR code", from the catalogue
    assert f"/umfrage/{survey.id}?lang=ar" in arabic.replace("\u200b", "").replace(" ", "")
    await context.close()
