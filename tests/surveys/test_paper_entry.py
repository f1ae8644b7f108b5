"""Centre staff type in paper forms: checked like the online form, recorded with channel "paper", counted per staff
member for the office without any link to the responses."""

from __future__ import annotations

from participation.surveys.services.definition import load_survey, question_numbers
from participation.surveys.tables import Answer, PaperEntryCount, Response
from tests.factories import STANDARD_QUESTIONS, post_form, sign_in, text_of

GOOD = [("q_betreuung", "kita"), ("q_zufriedenheit", "4"), ("q_berufstaetig", "yes"), ("q_stunden", "20")]


async def _staff(client, make, *, email="zentrum@example.org"):
    district = await make.district("Eglosheim")
    centre = await make.centre("KiFaZ Eglosheim", district=district)
    await make.centre_user(email, centre=centre)
    await sign_in(client, email)
    return district, centre


async def _enter(client, survey, district, answers, submission="bogen-1"):
    return await post_form(client, f"/zentrum/umfragen/{survey}/papier",
                           [("submission_id", submission), ("district", str(district)), *answers])


async def test_questions_are_numbered_in_form_order_across_sections(make):
    survey = await load_survey(await make.survey())
    numbers = question_numbers(survey)
    assert [numbers[q.id] for q in survey.questions] == list(range(1, len(STANDARD_QUESTIONS) + 1))


async def test_the_entry_screen_numbers_every_question(client, make):
    _district, _centre = await _staff(client, make)
    survey = await make.survey()
    page = await client.get(f"/zentrum/umfragen/{survey}/papier")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Frage 1: Wie wird Ihr Kind betreut?" in text
    assert "Frage 5: Wie viele Stunden arbeiten Sie pro Woche?" in text
    assert 'id="district" name="district" required autofocus' in page.text


async def test_a_paper_form_is_saved_with_channel_paper_and_the_staff_centre(client, make):
    district, centre = await _staff(client, make)
    survey = await make.survey()
    await make.response(survey, district, {"betreuung": "zuhause", "zufriedenheit": "2"})
    response = await _enter(client, survey, district, GOOD)
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "Bogen 1 gespeichert" in text_of(page.text)
    rows = await Response.select(Response.channel, Response.centre).order_by(Response.id)
    assert rows == [{"channel": "online", "centre": None}, {"channel": "paper", "centre": centre}]
    assert await Answer.count().where(Answer.response.channel == "paper") == 4


async def test_pressing_enter_twice_saves_one_form_and_counts_it_once(client, make):
    district, _centre = await _staff(client, make)
    survey = await make.survey()
    assert (await _enter(client, survey, district, GOOD)).status_code == 303
    again = await _enter(client, survey, district, GOOD)
    assert again.status_code == 303
    assert await Response.count() == 1
    assert [r["forms"] for r in await PaperEntryCount.select(PaperEntryCount.forms)] == [1]
    second = await _enter(client, survey, district, GOOD, submission="bogen-2")
    assert "Bogen 2 gespeichert" in text_of((await client.get(second.headers["location"])).text)


async def test_a_family_from_another_district_is_saved_without_the_centre(client, make):
    _district, _centre = await _staff(client, make)
    elsewhere = await make.district("Hoheneck")
    survey = await make.survey()
    assert (await _enter(client, survey, elsewhere, GOOD)).status_code == 303
    assert await Response.select(Response.district, Response.centre) == [{"district": elsewhere, "centre": None}]


async def test_a_bad_number_is_refused_like_online_and_the_typed_values_are_kept(client, make):
    district, _centre = await _staff(client, make)
    survey = await make.survey()
    answers = [("q_betreuung", "tagespflege"), ("q_zufriedenheit", "3"), ("q_berufstaetig", "yes"),
               ("q_stunden", "zwanzig"), ("q_anregung", "Mehr Plätze")]
    response = await _enter(client, survey, district, answers)
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Frage 5 – Bitte geben Sie eine Zahl ein, zum Beispiel 2 oder 2,5." in text
    assert 'value="zwanzig"' in response.text and "Mehr Plätze</textarea>" in response.text
    assert 'value="tagespflege" checked' in response.text
    assert f'<option value="{district}" selected>' in response.text
    # focus goes to the field with the error, not to the district
    assert 'id="q-stunden" name="q_stunden"' in response.text and "autofocus" in response.text.split(
        'id="q-stunden"')[1].split(">")[0]
    assert await Response.count() == 0 and await PaperEntryCount.count() == 0


async def test_district_and_required_questions_are_required(client, make):
    _district, _centre = await _staff(client, make)
    survey = await make.survey()
    response = await post_form(client, f"/zentrum/umfragen/{survey}/papier",
                               [("submission_id", "x"), ("district", ""), ("q_berufstaetig", "no")])
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Bitte wählen Sie den Stadtteil, den die Familie angekreuzt hat." in text
    assert "Frage 1 – Bitte beantworten Sie diese Frage." in text
    response = await post_form(client, f"/zentrum/umfragen/{survey}/papier",
                               [("submission_id", "x"), ("district", "99999"), *GOOD])
    assert response.status_code == 400
    assert await Response.count() == 0


async def test_paper_forms_need_no_invitation_code(client, make):
    district, _centre = await _staff(client, make)
    survey = await make.survey(uses_codes=True)
    assert (await _enter(client, survey, district, GOOD)).status_code == 303
    assert await Response.count() == 1


async def test_no_paper_forms_after_the_survey_closed(client, make):
    district, _centre = await _staff(client, make)
    survey = await make.survey()
    await make.close(survey)
    assert (await client.get(f"/zentrum/umfragen/{survey}/papier")).status_code == 409
    response = await _enter(client, survey, district, GOOD)
    assert response.status_code == 409
    assert "solange die Umfrage läuft" in text_of(response.text)
    assert await Response.count() == 0


async def test_a_draft_survey_is_not_found_and_the_office_cannot_type_forms(client, make):
    _district, _centre = await _staff(client, make)
    draft = await make.survey(published=False)
    assert (await client.get(f"/zentrum/umfragen/{draft}/papier")).status_code == 404
    assert (await client.get("/verwaltung/papiererfassung")).status_code == 403
    await make.office_user()
    await sign_in(client, "buero@example.org")
    open_survey = await make.survey(round_id=await make.round(year=2028))
    assert (await client.get(f"/zentrum/umfragen/{open_survey}/papier")).status_code == 403


async def test_the_office_log_counts_forms_per_person_without_linking_them_to_responses(client, make):
    district, centre = await _staff(client, make)
    survey = await make.survey()
    for number in range(3):
        assert (await _enter(client, survey, district, GOOD, submission=f"b{number}")).status_code == 303
    await make.centre_user("zweite@example.org", centre=centre)
    await sign_in(client, "zweite@example.org")
    assert (await _enter(client, survey, district, GOOD, submission="b-other")).status_code == 303
    # The log holds counts per person, survey and day: no response ids, no times.
    columns = {c._meta.name for c in PaperEntryCount._meta.columns}
    assert columns == {"id", "user", "survey", "day", "forms"}
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = await client.get("/verwaltung/papiererfassung")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Zentrum (zentrum@example.org) 3" in text
    assert "Zentrum (zweite@example.org) 1" in text
