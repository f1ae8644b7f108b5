"""The office writes a survey: sections, every kind of question, keys, options and conditions."""

from __future__ import annotations

import pytest

from participation.surveys.schemas import QuestionKind
from participation.surveys.services import definition
from tests.factories import post_form, sign_in, text_of


@pytest.fixture
async def office(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")


@pytest.fixture
async def draft(make) -> int:
    """A draft survey with one empty section ("Betreuungsarrangements")."""
    return await make.survey(questions=[], published=False)


async def _section_id(survey_id: int) -> int:
    return (await definition.load_survey(survey_id)).sections[0].id


def _question(key: str, kind: str, text: str, **extra) -> dict:
    return {"key": key, "kind": kind, "text": text, **extra}


async def test_office_adds_a_question_of_every_kind_through_the_form(client, office, draft):
    section_id = await _section_id(draft)
    url = f"/verwaltung/umfragen/{draft}/abschnitte/{section_id}/fragen/neu"
    form_page = await client.get(url)
    assert form_page.status_code == 200 and 'name="options"' in form_page.text

    questions = [
        _question("betreuung", "single", "Wie wird Ihr Kind betreut?", required="y",
                  options="Kita\nTagespflege\nzuhause | Zu Hause"),
        _question("wuensche", "multiple", "Welche Angebote wünschen Sie sich?",
                  options="sprachkurs | Sprachkurs\nelterncafe | Elterncafé", allow_other="y"),
        _question("zufriedenheit", "scale", "Wie zufrieden sind Sie?", low_label="gar nicht", high_label="sehr"),
        _question("berufstaetig", "yesno", "Sind Sie berufstätig?"),
        _question("stunden", "number", "Wie viele Stunden arbeiten Sie?", min_value="0", max_value="60",
                  condition_key="berufstaetig", condition_value="yes"),
        _question("stadtteil_wunsch", "short_text", "Was fehlt im Stadtteil?", help="Ein Stichwort genügt."),
        _question("anregung", "long_text", "Was möchten Sie dem Bürgermeister sagen?"),
    ]
    for data in questions:
        response = await post_form(client, url, data)
        assert response.status_code == 303, text_of(response.text)
        assert response.headers["location"].startswith(f"/verwaltung/umfragen/{draft}#frage-")

    survey = await definition.load_survey(draft)
    assert [q.key for q in survey.questions] == [d["key"] for d in questions]
    assert [q.kind for q in survey.questions] == [QuestionKind(d["kind"]) for d in questions]
    single = survey.question_by_key("betreuung")
    assert single.required and [(o.value, o.label("de")) for o in single.options] == [
        ("kita", "Kita"), ("tagespflege", "Tagespflege"), ("zuhause", "Zu Hause"),
    ]
    assert survey.question_by_key("wuensche").allow_other
    assert survey.question_by_key("zufriedenheit").text("de", "low") == "gar nicht"
    number = survey.question_by_key("stunden")
    assert (number.min_value, number.max_value) == (0, 60)
    assert (number.condition_key, number.condition_value) == ("berufstaetig", "yes")
    assert survey.question_by_key("stadtteil_wunsch").text("de", "help") == "Ein Stichwort genügt."

    editor = text_of((await client.get(f"/verwaltung/umfragen/{draft}")).text)
    assert "stunden" in editor and "nur wenn „berufstaetig“ = „yes“" in editor
    assert "Mehrfachauswahl" in editor and "Skala 1–5" in editor


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_question("Bad Key!", "yesno", "Frage?"), "key", "Kleinbuchstaben"),
        (_question("betreuung", "yesno", "Noch einmal?"), "key", "schon eine andere Frage"),
        (_question("angebot", "single", "Welches Angebot?", options="Nur eine"), "options", "mindestens zwei"),
        (_question("angebot", "multiple", "Welche Angebote?", options=""), "options", "mindestens zwei"),
        (_question("spaeter", "yesno", "Frage?", condition="unbekannt=yes"), "condition", "frühere Frage"),
        (_question("anzahl", "number", "Wie viele?", min_value="10", max_value="2"), "min_value", "größer"),
        (_question("anzahl", "number", "Wie viele?", min_value="zehn"), "min_value", ""),
        (_question("leer", "yesno", ""), "text", "Fragetext"),
        (_question("art", "kaputt", "Frage?"), "kind", ""),
    ],
)
async def test_bad_questions_are_refused_at_the_field(client, office, make, data, field, message):
    survey_id = await make.survey(
        questions=[{"key": "betreuung", "kind": "yesno", "text": "Betreut?"}], published=False
    )
    section_id = await _section_id(survey_id)
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu", data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert message in text_of(response.text)
    assert len((await definition.load_survey(survey_id)).questions) == 1


async def test_a_condition_on_a_later_question_is_refused(client, office, make):
    survey_id = await make.survey(questions=[
        {"key": "erste", "kind": "yesno", "text": "Erste?"},
        {"key": "zweite", "kind": "yesno", "text": "Zweite?"},
    ], published=False)
    first = (await definition.load_survey(survey_id)).question_by_key("erste")
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/fragen/{first.id}", _question(
        "erste", "yesno", "Erste?", condition_key="zweite", condition_value="yes",
    ))
    assert response.status_code == 400 and 'id="condition-error"' in response.text  # shown at the one select


async def test_a_condition_value_that_is_no_answer_is_refused(client, office, make):
    survey_id = await make.survey(questions=[{"key": "erste", "kind": "yesno", "text": "Erste?"}], published=False)
    section_id = await _section_id(survey_id)
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu",
                               _question("zweite", "short_text", "Warum?", condition_key="erste",
                                         condition_value="vielleicht"))
    assert response.status_code == 400
    assert 'id="condition-error"' in response.text and "yes, no" in response.text


async def test_the_edit_form_shows_options_as_code_and_label(client, office, make):
    survey_id = await make.survey(published=False)
    question = (await definition.load_survey(survey_id)).question_by_key("betreuung")
    page = await client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{question.id}")
    assert page.status_code == 200
    assert "kita | Kita\ntagespflege | Tagespflege\nzuhause | Zu Hause" in page.text
    assert 'value="betreuung"' in page.text


async def test_a_later_question_offers_earlier_ones_as_conditions(client, office, make):
    survey_id = await make.survey(published=False)
    question = (await definition.load_survey(survey_id)).question_by_key("stunden")
    page = await client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{question.id}")
    assert '<option selected value="berufstaetig=yes">' in page.text
    assert 'value="anregung=' not in page.text  # a later (and free-text) question is no condition


async def test_office_moves_and_deletes_questions_of_a_draft(client, office, make):
    survey_id = await make.survey(questions=[
        {"key": "erste", "kind": "yesno", "text": "Erste?"},
        {"key": "zweite", "kind": "short_text", "text": "Zweite?"},
        {"key": "dritte", "kind": "yesno", "text": "Dritte?", "condition_key": "erste", "condition_value": "yes"},
    ], published=False)
    survey = await definition.load_survey(survey_id)
    first, second, third = survey.questions
    base = f"/verwaltung/umfragen/{survey_id}/fragen"

    assert (await post_form(client, f"{base}/{second.id}/verschieben", {"richtung": "hoch"})).status_code == 303
    assert [q.key for q in (await definition.load_survey(survey_id)).questions] == ["zweite", "erste", "dritte"]
    refused = await post_form(client, f"{base}/{third.id}/verschieben", {"richtung": "hoch"})
    assert refused.status_code == 400 and "abhängt" in text_of(refused.text)

    in_use = await post_form(client, f"{base}/{first.id}/loeschen")
    assert in_use.status_code == 400 and "dritte" in text_of(in_use.text)
    assert (await post_form(client, f"{base}/{third.id}/loeschen")).status_code == 303
    assert [q.key for q in (await definition.load_survey(survey_id)).questions] == ["zweite", "erste"]


async def test_office_adds_renames_and_deletes_sections(client, office, draft):
    base = f"/verwaltung/umfragen/{draft}/abschnitte"
    added = await post_form(client, base, {"new_section-title": "Zum Schluss"})
    assert added.status_code == 303
    section = (await definition.load_survey(draft)).sections[-1]
    assert section.title("de") == "Zum Schluss"

    renamed = await post_form(client, f"{base}/{section.id}", {f"section{section.id}-title": "Abschließend"})
    assert renamed.status_code == 303
    assert (await definition.load_survey(draft)).sections[-1].title("de") == "Abschließend"
    empty = await post_form(client, f"{base}/{section.id}", {f"section{section.id}-title": ""})
    assert empty.status_code == 400 and f'id="section{section.id}-title-error"' in empty.text

    assert (await post_form(client, f"{base}/{section.id}/loeschen")).status_code == 303
    assert len((await definition.load_survey(draft)).sections) == 1


async def test_a_section_with_questions_cannot_be_deleted(client, office, make):
    survey_id = await make.survey(published=False)
    section_id = await _section_id(survey_id)
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/loeschen")
    assert response.status_code == 400 and "zuerst die Fragen" in text_of(response.text)


async def test_office_changes_title_intro_and_codes(client, office, draft):
    response = await post_form(client, f"/verwaltung/umfragen/{draft}", {
        "title": "Familienumfrage 2027", "intro": "Danke!", "uses_codes": "y",
    })
    assert response.status_code == 303
    survey = await definition.load_survey(draft)
    assert survey.title("de") == "Familienumfrage 2027" and survey.intro("de") == "Danke!" and survey.uses_codes
    editor = await client.get(f"/verwaltung/umfragen/{draft}")
    assert f'href="/verwaltung/umfragen/{draft}/codes"' in editor.text
    assert f'href="/verwaltung/umfragen/{draft}/ergebnisse"' in editor.text


async def test_the_survey_list_shows_status_and_responses(client, office, make):
    published = await make.survey(title="Veröffentlichte Umfrage")
    await make.response(published, await make.district(), {"betreuung": "kita", "zufriedenheit": "4"})
    listing = text_of((await client.get("/verwaltung/umfragen")).text)
    assert "Veröffentlichte Umfrage" in listing and "Geöffnet" in listing
    assert "1" in listing


async def test_unknown_surveys_sections_and_questions_are_404(client, office, make):
    survey_id = await make.survey(published=False)
    other = await make.survey(round_id=await make.round(year=2028), published=False)
    foreign_question = (await definition.load_survey(other)).questions[0]
    foreign_section = await _section_id(other)
    assert (await client.get("/verwaltung/umfragen/999")).status_code == 404
    assert (await client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{foreign_question.id}")).status_code == 404
    assert (await client.get(
        f"/verwaltung/umfragen/{survey_id}/abschnitte/{foreign_section}/fragen/neu"
    )).status_code == 404
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/fragen/{foreign_question.id}/loeschen")
    assert response.status_code == 404
    assert len((await definition.load_survey(other)).questions) == len((await definition.load_survey(survey_id))
                                                                         .questions)


async def test_centre_staff_cannot_open_the_editor(client, make):
    survey_id = await make.survey(uses_codes=True)
    question = (await definition.load_survey(survey_id)).questions[0]
    centre = await make.centre()
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    for url in (
        "/verwaltung/umfragen", f"/verwaltung/umfragen/{survey_id}",
        f"/verwaltung/umfragen/{survey_id}/fragen/{question.id}", f"/verwaltung/umfragen/{survey_id}/vorschau",
        f"/verwaltung/umfragen/{survey_id}/uebersetzung/en", f"/verwaltung/umfragen/{survey_id}/codes",
        f"/verwaltung/umfragen/{survey_id}/codes/{centre}/einladungscodes.pdf",
    ):
        assert (await client.get(url)).status_code == 403, url
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/codes", {"centre": centre, "count": 5})
    assert response.status_code == 403


async def test_a_condition_is_chosen_from_the_earlier_questions_answers_in_words(client, office, make):
    survey_id = await make.survey(questions=[
        {"key": "betreuung", "kind": "single", "text": "Wie wird Ihr Kind betreut?",
         "options": [("kita", "Kita"), ("zuhause", "Zu Hause")]},
        {"key": "berufstaetig", "kind": "yesno", "text": "Sind Sie berufstätig?"},
        {"key": "anregung", "kind": "long_text", "text": "Was noch?"},
    ], published=False)
    section_id = await _section_id(survey_id)
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section_id}/fragen/neu"
    page = (await client.get(url)).text
    select = page.split('name="condition"')[1].split("</select>")[0]
    assert '<option value="berufstaetig=yes">Sind Sie berufstätig? – Ja</option>' in select
    assert '<option value="betreuung=zuhause">Wie wird Ihr Kind betreut? – Zu Hause</option>' in select
    assert "Was noch?" not in select  # free text cannot be a condition
    assert 'name="condition_value"' not in page  # no raw answer codes to type
    response = await post_form(client, url, _question("stunden", "number", "Wie viele Stunden?",
                                                       condition="berufstaetig=yes"))
    assert response.status_code == 303
    saved = (await definition.load_survey(survey_id)).question_by_key("stunden")
    assert (saved.condition_key, saved.condition_value) == ("berufstaetig", "yes")
    edit_page = (await client.get(f"/verwaltung/umfragen/{survey_id}/fragen/{saved.id}")).text
    assert '<option selected value="berufstaetig=yes">' in edit_page
