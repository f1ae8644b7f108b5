"""Centre staff type in paper forms: checked like the online form, recorded with channel "paper", counted per staff
member for the office without any link to the responses."""

from __future__ import annotations

from participation.surveys.services.definition import load_survey, question_numbers
from participation.surveys.tables import Answer, PaperDraft, PaperEntryCount, Response
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


# --- double entry (Zweiterfassung) ---------------------------------------------------------------------------------

async def _kept_by_first_person(client, make, answers=GOOD):
    district, centre = await _staff(client, make)
    survey = await make.survey()
    response = await post_form(client, f"/zentrum/umfragen/{survey}/papier",
                               [("submission_id", "erst-1"), ("district", str(district)), *answers, ("ablage", "1")])
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "Der Bogen liegt zur Zweiterfassung bereit." in text_of(page.text)
    draft = (await PaperDraft.select(PaperDraft.id).first())["id"]
    await make.centre_user("zweite@example.org", centre=centre)
    return survey, district, draft


async def _second(client, survey, district, draft, answers, extra=()):
    await sign_in(client, "zweite@example.org")
    return await post_form(client, f"/zentrum/umfragen/{survey}/papier/zweiterfassung",
                           [("bogen", str(draft)), ("district", str(district)), *answers, *extra])


async def test_a_kept_form_is_no_response_and_counted_nowhere_until_a_second_person_types_it(client, make):
    survey, district, draft = await _kept_by_first_person(client, make)
    assert await Response.count() == 0 and await PaperEntryCount.count() == 0
    page = await client.get(f"/zentrum/umfragen/{survey}/papier")
    assert "wartet auf eine zweite Person" in text_of(page.text)
    # The first person cannot do the second entry.
    response = await post_form(client, f"/zentrum/umfragen/{survey}/papier/zweiterfassung",
                               [("bogen", str(draft)), ("district", str(district)), *GOOD])
    assert response.status_code == 409 and "eine andere Person" in text_of(response.text)
    assert await Response.count() == 0
    # A second person typing the same answers saves one response at once.
    await sign_in(client, "zweite@example.org")
    form = await client.get(f"/zentrum/umfragen/{survey}/papier/zweiterfassung", params={"bogen": draft})
    assert form.status_code == 200 and "Zweiterfassung eines Papierbogens" in text_of(form.text)
    assert 'value="kita" checked' not in form.text  # blind: nothing of the first entry is shown
    response = await _second(client, survey, district, draft, GOOD)
    assert response.status_code == 303
    assert await Response.select(Response.channel) == [{"channel": "paper"}]
    assert await PaperDraft.count() == 0
    assert sorted(r["forms"] for r in await PaperEntryCount.select(PaperEntryCount.forms)) == [1, 1]


async def test_differences_are_listed_question_by_question_and_the_chosen_values_saved(client, make):
    survey, district, draft = await _kept_by_first_person(client, make)
    other = await make.district("Hoheneck")
    typed = [("q_betreuung", "zuhause"), ("q_zufriedenheit", "4"), ("q_berufstaetig", "yes"), ("q_stunden", "25")]
    response = await _second(client, survey, other, draft, typed)
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Abweichungen zwischen erster und zweiter Eingabe" in text
    assert "Stadtteil Erste Eingabe: Eglosheim Zweite Eingabe: Hoheneck" in text
    assert "Frage 1: Wie wird Ihr Kind betreut? Erste Eingabe: Kita Zweite Eingabe: Zu Hause" in text
    assert "Frage 5: Wie viele Stunden arbeiten Sie pro Woche? Erste Eingabe: 20 Zweite Eingabe: 25" in text
    assert "Frage 2" not in text  # equal answers are not listed
    assert await Response.count() == 0
    # Not every difference decided: nothing is saved.
    response = await _second(client, survey, other, draft, typed,
                             [("schritt", "abgleich"), ("wahl_district", "first"), ("wahl_betreuung", "second")])
    assert response.status_code == 400 and await Response.count() == 0
    assert "Bitte wählen Sie bei jeder Abweichung den richtigen Wert." in text_of(response.text)
    response = await _second(client, survey, other, draft, typed, [
        ("schritt", "abgleich"), ("wahl_district", "first"), ("wahl_betreuung", "second"), ("wahl_stunden", "first"),
    ])
    assert response.status_code == 303
    saved = await Response.select(Response.id, Response.district).first()
    assert saved["district"] == district
    answers = {(row["question.key"], row["choice"], row["number"]) for row in await Answer.select(
        Answer.question.key, Answer.choice, Answer.number)}
    assert ("betreuung", "zuhause", None) in answers and ("stunden", None, 20.0) in answers
    assert await PaperDraft.count() == 0 and await Response.count() == 1


async def test_a_second_entry_is_checked_like_any_form(client, make):
    survey, district, draft = await _kept_by_first_person(client, make)
    response = await _second(client, survey, district, draft, [("q_betreuung", "kita"), ("q_stunden", "viel")])
    assert response.status_code == 400
    assert "Bitte beantworten Sie diese Frage." in text_of(response.text)
    assert await Response.count() == 0 and await PaperDraft.count() == 1
    assert (await _second(client, survey, district, 999999, GOOD)).status_code == 404


async def test_the_retention_job_deletes_drafts_after_the_days_the_privacy_notice_states(client, make):
    import re
    from datetime import UTC, datetime, timedelta

    from participation.retention.services import apply_retention

    notice = (await client.get("/datenschutz")).text
    days = int(re.search(r'data-paper-draft-days="(\d+)"', notice).group(1))
    assert f"höchstens {days} Tage" in text_of(notice)
    _survey, _district, _draft = await _kept_by_first_person(client, make)
    assert (await apply_retention(datetime.now(UTC) + timedelta(days=days - 1), 24))["paper_drafts"] == 0
    assert (await apply_retention(datetime.now(UTC) + timedelta(days=days), 24))["paper_drafts"] == 1
    assert await PaperDraft.count() == 0


async def test_the_parents_online_form_records_channel_online(client, make):
    district = await make.district()
    survey = await make.survey()
    response = await post_form(client, f"/umfrage/{survey}/antworten", [
        ("page", "1"), ("submission_id", "online-1"), ("district", str(district)), *GOOD, ("nav", "submit")])
    assert response.status_code == 303
    assert await Response.select(Response.channel) == [{"channel": "online"}]
