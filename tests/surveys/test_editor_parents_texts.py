"""The office gives each section a heading and an intro for parents (the topic name stays the office's) and marks a
number question as a count."""

from __future__ import annotations

from participation.surveys.services import definition
from tests.factories import post_form, sign_in, text_of


async def test_office_writes_the_parents_heading_and_intro_of_a_section(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    survey = await make.survey(questions=[], published=False)
    section = (await definition.load_survey(survey)).sections[0]
    editor = await client.get(f"/verwaltung/umfragen/{survey}")
    assert "Überschrift für Eltern" in text_of(editor.text) and "Einleitung für Eltern" in text_of(editor.text)
    saved = await post_form(client, f"/verwaltung/umfragen/{survey}/abschnitte/{section.id}", {
        f"section{section.id}-title": "Betreuungsarrangements",
        f"section{section.id}-parents_title": "Wer betreut Ihre Kinder?",
        f"section{section.id}-parents_intro": "Wir möchten wissen, wer sich kümmert.",
    })
    assert saved.status_code == 303
    stored = (await definition.load_survey(survey)).sections[0]
    assert stored.title("de") == "Betreuungsarrangements"
    assert stored.parents_title("de") == "Wer betreut Ihre Kinder?"
    assert stored.parents_intro("de") == "Wir möchten wissen, wer sich kümmert."
    translation = await client.get(f"/verwaltung/umfragen/{survey}/uebersetzung/tr")
    assert "Abschnitt 1: Überschrift für Eltern" in text_of(translation.text)


async def test_office_marks_a_number_question_as_a_count(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    survey = await make.survey(questions=[], published=False)
    section = (await definition.load_survey(survey)).sections[0]
    created = await post_form(client, f"/verwaltung/umfragen/{survey}/abschnitte/{section.id}/fragen/neu", {
        "key": "kinder", "kind": "number", "text": "Wie viele Kinder?", "min_value": "1", "max_value": "12",
        "whole_number": "y"})
    assert created.status_code == 303, text_of(created.text)
    assert (await definition.load_survey(survey)).question_by_key("kinder").whole_number is True
    refused = await post_form(client, f"/verwaltung/umfragen/{survey}/abschnitte/{section.id}/fragen/neu", {
        "key": "geschwister", "kind": "number", "text": "Wie viele Geschwister?", "min_value": "0.5",
        "whole_number": "y"})
    assert refused.status_code == 400
    assert "Bei ganzen Zahlen müssen auch die Grenzen ganze Zahlen sein." in text_of(refused.text)
