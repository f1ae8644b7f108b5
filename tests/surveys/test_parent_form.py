"""A parent answers a survey on the phone: no account, paged, every answer kept on errors, one response counted."""

from __future__ import annotations

import re

import pytest

from participation.surveys.tables import Answer, InvitationCode, Response
from tests.factories import post_form, text_of


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


@pytest.fixture
async def survey_setup(make):
    district = await make.district("Eglosheim")
    other_district = await make.district("Oßweil")
    centre = await make.centre("KiFaZ Eglosheim", district=district)
    foreign_centre = await make.centre("KiFaZ Oßweil", district=other_district)
    survey = await make.survey()
    return {"survey": survey, "district": district, "centre": centre, "foreign_centre": foreign_centre}


VALID_PAGE_1 = {
    "q_betreuung": "kita", "q_wuensche": ["sprachkurs", "other"], "q_wuensche_other": "Schwimmkurs",
    "q_zufriedenheit": "4", "q_berufstaetig": "yes", "q_stunden": "20,5", "q_anregung": "Mehr Kitaplätze bitte!",
}


def _fields(base: dict, extra: dict) -> list[tuple[str, str]]:
    fields = []
    for key, value in {**base, **extra}.items():
        for item in value if isinstance(value, list) else [value]:
            fields.append((key, str(item)))
    return fields


async def _start(client, survey_id: int) -> str:
    page = await client.get(f"/umfrage/{survey_id}/antworten")
    assert page.status_code == 200
    return _hidden(page.text, "submission_id")


async def test_start_page_lists_the_survey_and_explains_anonymity(client, survey_setup):
    home = await client.get("/")
    assert "Familienumfrage" in home.text
    assert f'href="/umfrage/{survey_setup["survey"]}"' in home.text
    start = await client.get(f"/umfrage/{survey_setup['survey']}")
    assert "Sie brauchen kein Konto" in text_of(start.text)


async def test_parent_answers_every_question_type_and_one_response_is_stored(client, survey_setup):
    survey = survey_setup["survey"]
    submission = await _start(client, survey)
    first = await post_form(client, f"/umfrage/{survey}/antworten", [
        ("page", "0"), ("submission_id", submission), ("district", str(survey_setup["district"])), ("nav", "next"),
    ])
    assert first.status_code == 200
    assert "Seite 2 von 2" in first.text
    assert "KiFaZ Eglosheim" in first.text and "KiFaZ Oßweil" not in first.text  # centres filtered by district
    done = await post_form(client, f"/umfrage/{survey}/antworten", _fields(VALID_PAGE_1, {
        "page": "1", "submission_id": submission, "district": str(survey_setup["district"]),
        "centre": str(survey_setup["centre"]), "nav": "submit",
    }))
    assert done.status_code == 303
    assert done.headers["location"] == f"/umfrage/{survey}/danke"
    responses = await Response.select()
    assert len(responses) == 1
    assert responses[0]["district"] == survey_setup["district"]
    assert responses[0]["centre"] == survey_setup["centre"]
    stored = {(a["question.key"], a["choice"], a["number"], a["text"]) for a in await Answer.select(
        Answer.question.key, Answer.choice, Answer.number, Answer.text)}
    assert ("stunden", None, 20.5, None) in stored
    assert ("wuensche", "other", None, "Schwimmkurs") in stored
    assert ("zufriedenheit", "4", 4.0, None) in stored
    thanks = await client.get(done.headers["location"])
    assert "Vielen Dank" in thanks.text and "Wie geht es weiter?" in thanks.text


async def test_response_stores_no_address_browser_or_time(client, survey_setup):
    columns = set(Response._meta.column_names if hasattr(Response._meta, "column_names") else [
        c._meta.name for c in Response._meta.columns])
    assert columns == {"id", "survey", "district", "centre", "language", "submitted_on", "submission_id",
                       "channel"}  # "online" or "paper", never who typed it


async def test_double_submission_records_one_response(client, survey_setup):
    survey = survey_setup["survey"]
    submission = await _start(client, survey)
    fields = _fields(VALID_PAGE_1, {"page": "1", "submission_id": submission,
                                    "district": str(survey_setup["district"]), "nav": "submit"})
    first = await post_form(client, f"/umfrage/{survey}/antworten", fields)
    again = await post_form(client, f"/umfrage/{survey}/antworten", fields)
    assert first.status_code == again.status_code == 303
    assert await Response.count() == 1


async def test_invalid_answers_come_back_with_messages_and_every_answer_kept(client, survey_setup):
    survey = survey_setup["survey"]
    submission = await _start(client, survey)
    response = await post_form(client, f"/umfrage/{survey}/antworten", _fields({
        "q_wuensche": ["other"], "q_berufstaetig": "yes", "q_stunden": "99", "q_anregung": "Bitte <b>mehr</b> Plätze",
    }, {"page": "1", "submission_id": submission, "district": str(survey_setup["district"]), "nav": "submit"}))
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Bitte beantworten Sie diese Frage." in text  # required single choice and scale
    assert "Bitte beschreiben Sie kurz, was Sie mit „Sonstiges“ meinen." in text
    assert "Bitte geben Sie eine Zahl bis 60 ein." in text
    assert 'value="99"' in response.text
    assert "Bitte &lt;b&gt;mehr&lt;/b&gt; Plätze" in response.text  # kept, and escaped
    assert await Response.count() == 0


@pytest.mark.parametrize(("kind", "spec", "value", "message"), [
    ("single", {"options": [("a", "A"), ("b", "B")]}, "c", "Bitte wählen Sie eine der angebotenen Antworten."),
    ("scale", {}, "7", "Bitte wählen Sie eine der angebotenen Antworten."),
    ("yesno", {}, "vielleicht", "Bitte wählen Sie eine der angebotenen Antworten."),
    ("number", {"min_value": 1, "max_value": 10}, "zwei", "Bitte geben Sie eine Zahl ein, zum Beispiel 2 oder 2,5."),
    ("number", {"min_value": 1, "max_value": 10}, "0", "Bitte geben Sie eine Zahl ab 1 ein."),
    ("short_text", {}, "x" * 301, "höchstens 300 Zeichen"),
    ("long_text", {}, "x" * 5001, "höchstens 5000 Zeichen"),
    ("multiple", {"options": [("a", "A"), ("b", "B")]}, "other", "Bitte wählen Sie eine der angebotenen Antworten."),
])
async def test_each_question_type_validates_its_input(client, make, kind, spec, value, message):
    district = await make.district()
    survey = await make.survey([{"key": "frage", "kind": kind, "text": "Frage?", **spec}])
    response = await post_form(client, f"/umfrage/{survey}/antworten", [
        ("page", "1"), ("submission_id", "s1"), ("district", str(district)), ("q_frage", value), ("nav", "submit"),
    ])
    assert response.status_code == 400
    assert message in text_of(response.text)


async def test_a_conditional_question_is_skipped_when_its_condition_is_not_met(client, survey_setup):
    survey = survey_setup["survey"]
    response = await post_form(client, f"/umfrage/{survey}/antworten", _fields(
        {"q_betreuung": "kita", "q_zufriedenheit": "3", "q_berufstaetig": "no"},
        {"page": "1", "submission_id": "cond-1", "district": str(survey_setup["district"]), "nav": "submit"},
    ))
    assert response.status_code == 303  # the unanswered hours are not asked for: the condition is not met
    keys = {a["question.key"] for a in await Answer.select(Answer.question.key)}
    assert "stunden" not in keys and "berufstaetig" in keys


async def test_conditional_question_on_a_later_page_is_hidden_when_not_applicable(client, make):
    from participation.surveys.services import definition

    district = await make.district()
    survey_id = await make.survey(published=False, questions=[
        {"key": "kinder", "kind": "yesno", "text": "Haben Sie Kinder unter 3?", "required": True}])
    survey = await definition.load_survey(survey_id)
    second = await definition.add_section(survey_id, "Krippe")
    await definition.save_question(survey_id, second, None, definition.QuestionInput(
        key="krippe", kind=definition.QuestionKind.YESNO, text="Suchen Sie einen Krippenplatz?",
        condition_key="kinder", condition_value="yes"))
    from datetime import UTC, datetime, timedelta
    await definition.publish_survey(survey_id, datetime.now(UTC) - timedelta(hours=1),
                                    datetime.now(UTC) + timedelta(days=3))
    page = await post_form(client, f"/umfrage/{survey_id}/antworten", [
        ("page", "1"), ("submission_id", "x"), ("district", str(district)), ("q_kinder", "no"), ("nav", "next")])
    assert page.status_code == 200 and "Seite 3 von 3" in page.text
    assert "Suchen Sie einen Krippenplatz?" not in page.text
    assert "Auf dieser Seite gibt es für Sie keine Fragen." in page.text
    assert survey.sections[0].questions[0].key == "kinder"


async def test_back_button_keeps_answers(client, survey_setup):
    survey = survey_setup["survey"]
    back = await post_form(client, f"/umfrage/{survey}/antworten", _fields(
        {"q_betreuung": "tagespflege"},
        {"page": "1", "submission_id": "b1", "district": str(survey_setup["district"]), "nav": "back"}))
    assert back.status_code == 200
    assert "Ihr Stadtteil" in back.text
    assert 'name="q_betreuung" value="tagespflege"' in back.text
    assert f'value="{survey_setup["district"]}" checked' in back.text


async def test_district_is_required_and_centre_must_be_in_it(client, survey_setup):
    survey = survey_setup["survey"]
    no_district = await post_form(client, f"/umfrage/{survey}/antworten", [("page", "0"), ("nav", "next")])
    assert no_district.status_code == 400
    assert "Bitte wählen Sie Ihren Stadtteil." in no_district.text
    wrong_centre = await post_form(client, f"/umfrage/{survey}/antworten", _fields(VALID_PAGE_1, {
        "page": "1", "submission_id": "c1", "district": str(survey_setup["district"]),
        "centre": str(survey_setup["foreign_centre"]), "nav": "submit"}))
    assert wrong_centre.status_code == 400
    assert "Dieses Zentrum liegt nicht in dem gewählten Stadtteil." in wrong_centre.text
    assert await Response.count() == 0


async def test_errors_are_shown_in_the_parents_language(client, survey_setup):
    from participation.surveys.services import definition

    survey = survey_setup["survey"]
    loaded = await definition.load_survey(survey)
    await definition.save_translation(
        survey, "en", {name: f"EN {text}" for name, text in definition.translatable_texts(loaded)})
    response = await post_form(client, f"/umfrage/{survey}/antworten?lang=en", [("page", "0"), ("nav", "next")])
    assert response.status_code == 400
    assert "Please choose your district." in response.text


async def test_closed_survey_takes_no_answers(client, survey_setup):
    from participation.surveys.services.definition import close_survey

    await close_survey(survey_setup["survey"])
    response = await post_form(client, f"/umfrage/{survey_setup['survey']}/antworten", _fields(VALID_PAGE_1, {
        "page": "1", "submission_id": "late", "district": str(survey_setup["district"]), "nav": "submit"}))
    assert response.status_code == 409
    assert "Diese Umfrage ist beendet." in response.text
    assert await Response.count() == 0
    assert f'/umfrage/{survey_setup["survey"]}"' not in (await client.get("/")).text


async def test_draft_survey_is_not_reachable_for_parents(client, make):
    survey = await make.survey(published=False)
    assert (await client.get(f"/umfrage/{survey}")).status_code == 404


async def test_invitation_code_is_required_and_can_be_used_only_once(client, make):
    from participation.surveys.services.codes import generate_codes

    district = await make.district()
    centre = await make.centre(district=district)
    survey = await make.survey(uses_codes=True)
    [code] = await generate_codes(survey, centre, 1)
    missing = await post_form(client, f"/umfrage/{survey}/antworten", [
        ("page", "0"), ("district", str(district)), ("nav", "next")])
    assert "Bitte geben Sie Ihren Einladungscode ein." in text_of(missing.text)
    fields = _fields(VALID_PAGE_1, {"page": "1", "district": str(district), "code": code.lower().replace("-", ""),
                                    "nav": "submit"})
    first = await post_form(client, f"/umfrage/{survey}/antworten", [*fields, ("submission_id", "one")])
    assert first.status_code == 303
    second = await post_form(client, f"/umfrage/{survey}/antworten", [*fields, ("submission_id", "two")])
    assert second.status_code == 400
    assert "Dieser Einladungscode wurde schon benutzt oder ist ungültig." in text_of(second.text)
    assert 'value="Mehr Kitaplätze bitte!"' in second.text or "Mehr Kitaplätze bitte!" in second.text
    assert await Response.count() == 1
    assert (await InvitationCode.select(InvitationCode.used))[0]["used"] is True


async def test_rate_limit_keeps_the_answers_and_says_to_retry(client, app, survey_setup):
    app.state.submission_limiter.per_hour = 1
    survey = survey_setup["survey"]
    base = {"page": "1", "district": str(survey_setup["district"]), "nav": "submit"}
    ok = await post_form(client, f"/umfrage/{survey}/antworten", _fields(VALID_PAGE_1, {**base, "submission_id": "r1"}))
    assert ok.status_code == 303
    limited = await post_form(client, f"/umfrage/{survey}/antworten",
                              _fields(VALID_PAGE_1, {**base, "submission_id": "r2"}))
    assert limited.status_code == 429
    assert "Ihre Antworten bleiben auf dieser Seite erhalten" in text_of(limited.text)
    assert "Mehr Kitaplätze bitte!" in limited.text
    assert await Response.count() == 1


async def test_only_complete_languages_are_offered_and_used(client, make):
    from participation.surveys.services import definition

    survey_id = await make.survey(questions=[
        {"key": "frage", "kind": "yesno", "text": "Gehen Sie gern ins Zentrum?"}])
    survey = await definition.load_survey(survey_id)
    names = [name for name, _text in definition.translatable_texts(survey)]
    await definition.save_translation(survey_id, "tr", {name: "Türkçe metin" for name in names})
    await definition.save_translation(survey_id, "ar", {names[0]: "نص"})  # incomplete
    start = await client.get(f"/umfrage/{survey_id}", headers={"Accept-Language": "ar"})
    assert '<html lang="de"' in start.text  # Arabic incomplete: German
    assert 'hreflang="tr"' in start.text and 'hreflang="ar"' not in start.text
    turkish = await client.get(f"/umfrage/{survey_id}?lang=tr")
    assert '<html lang="tr"' in turkish.text and "Türkçe metin" in turkish.text
