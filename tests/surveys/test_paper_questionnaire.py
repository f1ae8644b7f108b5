"""The office and centre staff print a survey's paper questionnaire; its question numbers stay put once published."""

from __future__ import annotations

import io

from pypdf import PdfReader

from participation.directory.tables import Centre
from participation.surveys.services import definition
from tests.factories import post_form, sign_in, text_of


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


async def test_office_prints_the_paper_form_in_german_and_arabic(client, make, settings):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    await make.district("Grünbühl")
    survey_id = await make.survey()

    editor = await client.get(f"/verwaltung/umfragen/{survey_id}")
    assert f'href="/verwaltung/umfragen/{survey_id}/fragebogen.pdf?sprache=ar"' in editor.text
    german = await client.get(f"/verwaltung/umfragen/{survey_id}/fragebogen.pdf?sprache=de")
    assert german.status_code == 200 and german.headers["content-type"].startswith("application/pdf")
    assert german.headers["content-disposition"] == f'attachment; filename="fragebogen-{survey_id}-de.pdf"'
    text = pdf_text(german.content)
    assert "1 Wie wird Ihr Kind betreut?" in text and "6 Was möchten Sie dem Bürgermeister sagen?" in text
    assert "Ja Nein → weiter mit Frage 6" in text  # "stunden" (5) only for the employed
    assert "Nur beantworten, wenn Sie bei Frage 4 „Ja“ angekreuzt haben." in text
    assert "Grünbühl" in text and "Sie können bis" in text
    assert f"/umfrage/{survey_id}" in text.replace("\u200b", "").replace(" ", "")

    arabic = await client.get(f"/verwaltung/umfragen/{survey_id}/fragebogen.pdf?sprache=ar")
    assert arabic.status_code == 200
    assert "في أي حي تسكن؟" in pdf_text(arabic.content)


async def test_an_unknown_language_is_refused_clearly_and_an_unknown_survey_is_404(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    survey_id = await make.survey()
    unknown = await client.get(f"/verwaltung/umfragen/{survey_id}/fragebogen.pdf?sprache=xx")
    assert unknown.status_code == 400 and "Diese Sprache wird nicht angeboten." in text_of(unknown.text)
    assert (await client.get("/verwaltung/umfragen/999999/fragebogen.pdf")).status_code == 404


async def test_centre_staff_print_published_surveys_to_be_handed_in_at_their_centre(client, make):
    centre = await make.centre("KiFaZ Oßweil")
    await Centre.update({Centre.address: "Marktplatz 3, 71640 Musterstadt"}).where(Centre.id == centre)
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    published = await make.survey()
    draft = await make.survey(published=False, round_id=await make.round("autumn", 2027))

    dashboard = await client.get("/zentrum")
    assert f'href="/zentrum/umfragen/{published}/fragebogen.pdf?sprache=tr"' in dashboard.text
    response = await client.get(f"/zentrum/umfragen/{published}/fragebogen.pdf?sprache=tr")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Lütfen doldurduğunuz formu buraya teslim edin: KiFaZ Oßweil, Marktplatz 3, 71640 Musterstadt" in text
    assert (await client.get(f"/zentrum/umfragen/{draft}/fragebogen.pdf")).status_code == 404
    assert (await client.get(f"/verwaltung/umfragen/{published}/fragebogen.pdf")).status_code in (401, 403)


async def test_a_published_surveys_numbers_stay_put(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    survey_id = await make.survey()
    section = await definition.add_section(survey_id, "Nachträge")
    survey = await definition.load_survey(survey_id)
    before = definition.question_numbers(survey)
    first_section = survey.sections[0].id
    second = survey.questions[1]

    moved = await post_form(client, f"/verwaltung/umfragen/{survey_id}/fragen/{second.id}/verschieben",
                            {"richtung": "hoch"})
    assert moved.status_code == 400 and "behalten ihre Reihenfolge" in text_of(moved.text)
    added_early = await post_form(
        client, f"/verwaltung/umfragen/{survey_id}/abschnitte/{first_section}/fragen/neu",
        {"key": "neu_vorne", "kind": "yesno", "text": "Neu vorne?"})
    assert added_early.status_code == 400 and "letzten Abschnitt" in text_of(added_early.text)
    added_last = await post_form(
        client, f"/verwaltung/umfragen/{survey_id}/abschnitte/{section}/fragen/neu",
        {"key": "neu_hinten", "kind": "yesno", "text": "Neu hinten?"})
    assert added_last.status_code == 303

    after = definition.question_numbers(await definition.load_survey(survey_id))
    assert {qid: after[qid] for qid in before} == before
    assert sorted(after.values()) == list(range(1, len(before) + 2))


async def test_a_draft_can_still_be_reordered(make):
    survey_id = await make.survey(published=False, questions=[
        {"key": "erste", "kind": "yesno", "text": "Erste?"}, {"key": "zweite", "kind": "short_text", "text": "Zw?"}])
    first, second = (await definition.load_survey(survey_id)).questions
    await definition.move_question(survey_id, second.id, -1)
    numbers = definition.question_numbers(await definition.load_survey(survey_id))
    assert numbers == {second.id: 1, first.id: 2}
