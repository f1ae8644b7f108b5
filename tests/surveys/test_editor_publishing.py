"""The office publishes, closes and reopens a survey, translates it, previews it and hands out invitation codes."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from participation.surveys.schemas import SurveyStatus
from participation.surveys.services import codes, definition
from tests.factories import post_form, sign_in, text_of

BERLIN = ZoneInfo("Europe/Berlin")


def _local(moment: datetime) -> str:
    """A moment as a browser's datetime-local field sends it, in Berlin time."""
    return moment.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


def _status(survey) -> SurveyStatus:
    return survey.status(definition.now())


@pytest.fixture
async def office(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")


async def test_publishing_stores_the_berlin_window_in_utc(client, office, make):
    survey_id = await make.survey(published=False)
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/veroeffentlichen", {
        "opens_at": "2030-03-01T09:00", "closes_at": "2030-03-31T18:00",
    })
    assert response.status_code == 303
    survey = await definition.load_survey(survey_id)
    assert survey.published and _status(survey) is SurveyStatus.SCHEDULED
    assert survey.opens_at == datetime(2030, 3, 1, 8, 0, tzinfo=UTC)  # CET is UTC+1
    assert survey.closes_at == datetime(2030, 3, 31, 16, 0, tzinfo=UTC)  # CEST is UTC+2
    editor = text_of((await client.get(f"/verwaltung/umfragen/{survey_id}")).text)
    assert "01.03.2030, 09:00" in editor and "Gesperrt nach Veröffentlichung" in editor


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"opens_at": "2030-03-31T09:00", "closes_at": "2030-03-01T09:00"}, "closes_at"),
        ({"opens_at": "2020-01-01T09:00", "closes_at": "2020-02-01T09:00"}, "closes_at"),
        ({"opens_at": "morgen", "closes_at": "2030-03-01T09:00"}, "opens_at"),
        ({"opens_at": "", "closes_at": ""}, "opens_at"),
    ],
)
async def test_a_bad_window_is_refused_at_the_field(client, office, make, data, field):
    survey_id = await make.survey(published=False)
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/veroeffentlichen", data)
    assert response.status_code == 400 and f'id="{field}-error"' in response.text
    assert not (await definition.load_survey(survey_id)).published


async def test_a_survey_without_questions_cannot_be_published(client, office, make):
    survey_id = await make.survey(questions=[], published=False)
    now = datetime.now(UTC)
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/veroeffentlichen", {
        "opens_at": _local(now), "closes_at": _local(now + timedelta(days=7)),
    })
    assert response.status_code == 400 and "ohne Fragen" in text_of(response.text)


async def test_after_publishing_structure_is_locked_but_wording_can_change(client, office, make):
    survey_id = await make.survey()  # published and open
    survey = await definition.load_survey(survey_id)
    question = survey.question_by_key("betreuung")
    url = f"/verwaltung/umfragen/{survey_id}/fragen/{question.id}"
    form = {"key": "betreuung", "kind": "single", "text": "Wie wird Ihr Kind tagsüber betreut?", "required": "y",
            "options": "kita | Kita\ntagespflege | Tagespflege\nzuhause | Zu Hause"}

    page = text_of((await client.get(url)).text)
    assert "Schlüssel, Fragetyp, Codes der Antwortmöglichkeiten, Wertebereich und Bedingung sind gesperrt" in page

    changed_kind = await post_form(client, url, {**form, "kind": "multiple"})
    assert changed_kind.status_code == 400
    message = text_of(changed_kind.text)
    assert "veröffentlicht" in message and "Fragetyp" in message
    removed_option = await post_form(client, url, {**form, "options": "kita | Kita\ntagespflege | Tagespflege"})
    assert removed_option.status_code == 400 and "zuhause" in text_of(removed_option.text)
    new_required = await post_form(
        client, f"/verwaltung/umfragen/{survey_id}/abschnitte/{question.section_id}/fragen/neu",
        {"key": "neu", "kind": "yesno", "text": "Neu?", "required": "y"},
    )
    assert new_required.status_code == 400 and 'id="required-error"' in new_required.text
    delete = await post_form(client, f"{url}/loeschen")
    assert delete.status_code == 400 and "veröffentlicht" in text_of(delete.text)

    reworded = await post_form(client, url, {**form, "options": form["options"] + "\noma | Bei den Großeltern"})
    assert reworded.status_code == 303
    question = (await definition.load_survey(survey_id)).question_by_key("betreuung")
    assert question.text("de") == "Wie wird Ihr Kind tagsüber betreut?"
    assert [o.value for o in question.options] == ["kita", "tagespflege", "zuhause", "oma"]


async def test_office_closes_early_and_reopens(client, office, make):
    survey_id = await make.survey()
    assert _status(await definition.load_survey(survey_id)) is SurveyStatus.OPEN

    assert (await post_form(client, f"/verwaltung/umfragen/{survey_id}/schliessen")).status_code == 303
    assert _status(await definition.load_survey(survey_id)) is SurveyStatus.CLOSED
    again = await post_form(client, f"/verwaltung/umfragen/{survey_id}/schliessen")
    assert again.status_code == 400

    past = await post_form(client, f"/verwaltung/umfragen/{survey_id}/wieder-oeffnen", {
        "closes_at": "2020-01-01T12:00",
    })
    assert past.status_code == 400 and 'id="closes_at-error"' in past.text
    new_end = datetime.now(UTC) + timedelta(days=14)
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/wieder-oeffnen", {
        "closes_at": _local(new_end),
    })
    assert response.status_code == 303
    survey = await definition.load_survey(survey_id)
    assert _status(survey) is SurveyStatus.OPEN
    assert abs(survey.closes_at - new_end) < timedelta(minutes=1)


async def test_a_draft_cannot_be_closed_or_reopened(client, office, make):
    survey_id = await make.survey(published=False)
    assert (await post_form(client, f"/verwaltung/umfragen/{survey_id}/schliessen")).status_code == 400
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/wieder-oeffnen", {
        "closes_at": _local(datetime.now(UTC) + timedelta(days=3)),
    })
    assert response.status_code == 400 and "veröffentlichte" in text_of(response.text)


async def test_a_translation_saved_on_its_page_makes_the_language_complete(client, office, make):
    survey_id = await make.survey(published=False)
    survey = await definition.load_survey(survey_id)
    fields = definition.translatable_texts(survey)
    editor = text_of((await client.get(f"/verwaltung/umfragen/{survey_id}")).text)
    assert f"0/{len(fields)} Texte" in editor

    page = await client.get(f"/verwaltung/umfragen/{survey_id}/uebersetzung/en")
    assert page.status_code == 200
    for name, _german in fields:
        assert f'name="{name}"' in page.text
    assert "Wie wird Ihr Kind betreut?" in page.text

    half = {name: f"EN {text}" for name, text in fields[:3]}
    assert (await post_form(client, f"/verwaltung/umfragen/{survey_id}/uebersetzung/en", half)).status_code == 303
    editor = text_of((await client.get(f"/verwaltung/umfragen/{survey_id}")).text)
    assert f"3/{len(fields)} Texte" in editor
    assert "en" not in definition.complete_languages(await definition.load_survey(survey_id))

    full = {name: f"EN {text}" for name, text in fields}
    assert (await post_form(client, f"/verwaltung/umfragen/{survey_id}/uebersetzung/en", full)).status_code == 303
    survey = await definition.load_survey(survey_id)
    assert "en" in definition.complete_languages(survey)
    assert survey.question_by_key("betreuung").text("en") == "EN Wie wird Ihr Kind betreut?"
    editor = text_of((await client.get(f"/verwaltung/umfragen/{survey_id}")).text)
    assert f"{len(fields)}/{len(fields)} Texte vollständig" in editor


async def test_arabic_is_entered_right_to_left(client, office, make):
    survey_id = await make.survey(published=False)
    page = await client.get(f"/verwaltung/umfragen/{survey_id}/uebersetzung/ar")
    assert page.status_code == 200
    assert 'name="survey.title" value="" lang="ar" dir="rtl"' in page.text


async def test_an_overlong_translation_is_refused_at_the_field(client, office, make):
    survey_id = await make.survey(published=False)
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/uebersetzung/tr",
                               {"survey.title": "x" * 5001})
    assert response.status_code == 400 and 'id="t-survey-title-error"' in response.text


async def test_unknown_languages_are_404(client, office, make):
    survey_id = await make.survey(published=False)
    for language in ("xx", "de"):
        assert (await client.get(f"/verwaltung/umfragen/{survey_id}/uebersetzung/{language}")).status_code == 404
        response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/uebersetzung/{language}", {})
        assert response.status_code == 404


async def test_the_preview_shows_the_survey_as_parents_see_it(client, office, make):
    survey_id = await make.survey(published=False)
    survey = await definition.load_survey(survey_id)
    await definition.save_translation(survey_id, "ar", {name: f"ع {text}" for name, text in
                                                        definition.translatable_texts(survey)})

    german = await client.get(f"/verwaltung/umfragen/{survey_id}/vorschau")
    assert german.status_code == 200
    page = text_of(german.text)
    assert "Vorschau" in page and "Wie wird Ihr Kind betreut?" in page and "Tagespflege" in page
    assert "gar nicht" in page and "berufstaetig" in page
    assert german.text.count("disabled") >= len(survey.questions)

    arabic = await client.get(f"/verwaltung/umfragen/{survey_id}/vorschau?sprache=ar")
    assert 'lang="ar" dir="rtl"' in arabic.text and "ع Wie wird Ihr Kind betreut?" in arabic.text
    incomplete = await client.get(f"/verwaltung/umfragen/{survey_id}/vorschau?sprache=tr")
    assert "noch nicht vollständig" in text_of(incomplete.text)


async def test_office_generates_codes_and_downloads_the_sheet(client, office, make, settings):
    survey_id = await make.survey(uses_codes=True)
    centre = await make.centre("KiFaZ Grünbühl")
    page = await client.get(f"/verwaltung/umfragen/{survey_id}/codes")
    assert page.status_code == 200 and "KiFaZ Grünbühl" in page.text

    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/codes", {"centre": centre, "count": 6})
    assert response.status_code == 303
    issued = await codes.unused_codes(survey_id, centre)
    assert len(issued) == 6
    await codes.consume_code(survey_id, issued[0])
    table = text_of((await client.get(f"/verwaltung/umfragen/{survey_id}/codes")).text)
    assert "KiFaZ Grünbühl 6 1" in table

    pdf = await client.get(f"/verwaltung/umfragen/{survey_id}/codes/{centre}/einladungscodes.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.headers["content-disposition"].startswith("attachment;")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for code in issued[1:]:
        assert code in text
    assert issued[0] not in text


@pytest.mark.parametrize(
    ("data", "field"),
    [({"centre": "", "count": "5"}, "centre"), ({"centre": "999", "count": "5"}, "centre"),
     ({"count": "0"}, "count"), ({"count": "100000"}, "count"), ({"count": "viele"}, "count")],
)
async def test_bad_code_requests_are_refused_at_the_field(client, office, make, data, field):
    survey_id = await make.survey(uses_codes=True)
    data = {"centre": str(await make.centre()), **data}
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/codes", data)
    assert response.status_code == 400 and f'id="{field}-error"' in response.text


async def test_codes_need_a_survey_that_uses_them(client, office, make):
    survey_id = await make.survey()
    centre = await make.centre()
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/codes", {"centre": centre, "count": 3})
    assert response.status_code == 400 and "keine Einladungscodes" in text_of(response.text)
    assert await codes.code_summary(survey_id) == []


async def test_the_sheet_of_an_unknown_centre_is_404(client, office, make):
    survey_id = await make.survey(uses_codes=True)
    assert (await client.get(f"/verwaltung/umfragen/{survey_id}/codes/999/einladungscodes.pdf")).status_code == 404
    assert (await client.get("/verwaltung/umfragen/999/codes")).status_code == 404
