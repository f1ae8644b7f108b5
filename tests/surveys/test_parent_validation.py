"""What a parent may enter: counts as whole numbers, "Sonstiges" text only with Sonstiges ticked, follow-ups only
when their condition holds; an error summary that names each question and leads to its field."""

from __future__ import annotations

import re

import pytest

from participation.surveys.tables import Answer, Response
from tests.factories import post_form, text_of

COUNT = {"key": "kinder", "kind": "number", "text": "Wie viele Kinder leben in Ihrem Haushalt?",
         "min_value": 1, "max_value": 12, "whole_number": True}
HOURS = {"key": "stunden", "kind": "number", "text": "Wie viele Stunden arbeiten Sie?", "min_value": 0,
         "max_value": 60}
WISHES = {"key": "wuensche", "kind": "multiple", "text": "Welche Angebote wünschen Sie sich?", "allow_other": True,
          "options": [("sprachkurs", "Sprachkurs"), ("elterncafe", "Elterncafé")]}
WORKS = {"key": "berufstaetig", "kind": "yesno", "text": "Sind Sie berufstätig?"}
WORK_HOURS = {**HOURS, "condition_key": "berufstaetig", "condition_value": "yes"}


async def _send(client, survey: int, district: int, answers: list[tuple[str, str]], nav: str = "submit"):
    return await post_form(client, f"/umfrage/{survey}/antworten", [
        ("page", "1"), ("submission_id", f"s-{len(answers)}-{nav}"), ("district", str(district)), *answers,
        ("nav", nav)])


@pytest.mark.parametrize("typed", ["2,5", "2.5", "1e1", "zwei", "2 Kinder", "inf"])
async def test_a_count_of_children_is_refused_unless_a_whole_number(client, make, typed):
    district = await make.district()
    survey = await make.survey([COUNT])
    response = await _send(client, survey, district, [("q_kinder", typed)])
    assert response.status_code == 400
    assert "Bitte geben Sie eine ganze Zahl ohne Komma ein, zum Beispiel 2." in text_of(response.text)
    assert await Response.count() == 0


async def test_a_whole_count_is_stored(client, make):
    district = await make.district()
    survey = await make.survey([COUNT])
    assert (await _send(client, survey, district, [("q_kinder", " 3 ")])).status_code == 303
    assert [a["number"] for a in await Answer.select(Answer.number)] == [3.0]


@pytest.mark.parametrize(("typed", "stored"), [("37,5", 37.5), ("20", 20.0)])
async def test_hours_may_have_a_decimal_comma(client, make, typed, stored):
    district = await make.district()
    survey = await make.survey([HOURS])
    assert (await _send(client, survey, district, [("q_stunden", typed)])).status_code == 303
    assert [a["number"] for a in await Answer.select(Answer.number)] == [stored]


async def test_hours_in_exponent_notation_are_refused(client, make):
    district = await make.district()
    survey = await make.survey([HOURS])
    response = await _send(client, survey, district, [("q_stunden", "1e1")])
    assert response.status_code == 400
    assert "Bitte geben Sie eine Zahl ein, zum Beispiel 2 oder 2,5." in text_of(response.text)


async def test_other_text_without_ticking_sonstiges_is_refused_and_kept(client, make):
    district = await make.district()
    survey = await make.survey([WISHES])
    response = await _send(client, survey, district, [("q_wuensche", "sprachkurs"),
                                                      ("q_wuensche_other", "Schwimmkurs")])
    assert response.status_code == 400
    assert "Bitte kreuzen Sie auch „Sonstiges“ an oder leeren Sie das Feld." in text_of(response.text)
    assert 'value="Schwimmkurs"' in response.text
    assert await Response.count() == 0


async def test_a_follow_up_answered_although_its_condition_is_not_met_is_refused(client, make):
    district = await make.district()
    survey = await make.survey([WORKS, WORK_HOURS])
    response = await _send(client, survey, district, [("q_berufstaetig", "no"), ("q_stunden", "20")])
    assert response.status_code == 400
    assert ("Diese Frage gilt nur, wenn Sie bei „Sind Sie berufstätig?“ „Ja“ gewählt haben. Bitte lassen Sie sie "
            "leer oder ändern Sie Ihre Antwort dort.") in text_of(response.text)
    assert await Response.count() == 0
    fine = await _send(client, survey, district, [("q_berufstaetig", "yes"), ("q_stunden", "20")])
    assert fine.status_code == 303


async def test_a_follow_up_on_a_later_page_is_dropped_when_the_parent_changes_the_condition(client, make):
    from datetime import UTC, datetime, timedelta

    from participation.surveys.schemas import QuestionKind
    from participation.surveys.services import definition

    district = await make.district()
    survey = await make.survey([WORKS], published=False)
    later = await definition.add_section(survey, "Arbeit")
    await definition.save_question(survey, later, None, definition.QuestionInput(
        kind=QuestionKind.NUMBER, **{k: v for k, v in WORK_HOURS.items() if k != "kind"}))
    await definition.publish_survey(survey, datetime.now(UTC) - timedelta(hours=1),
                                    datetime.now(UTC) + timedelta(days=1))
    # The parent said "yes" and gave hours on page 3, went back to page 2 and changed to "no", then submits.
    done = await post_form(client, f"/umfrage/{survey}/antworten", [
        ("page", "2"), ("submission_id", "changed"), ("district", str(district)), ("q_berufstaetig", "no"),
        ("q_stunden", "20"), ("nav", "submit")])
    assert done.status_code == 303
    stored = {(a["question.key"], a["choice"], a["number"]) for a in await Answer.select(
        Answer.question.key, Answer.choice, Answer.number)}
    assert stored == {("berufstaetig", "no", None)}


async def test_the_error_summary_names_each_question_links_to_its_field_and_takes_the_focus(client, make):
    district = await make.district()
    survey = await make.survey([
        {"key": "betreuung", "kind": "single", "text": "Wie wird Ihr Kind betreut?", "required": True,
         "options": [("kita", "Kita"), ("zuhause", "Zu Hause")]},
        COUNT,
    ])
    response = await _send(client, survey, district, [("q_kinder", "2,5")])
    assert response.status_code == 400
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', response.text, re.S)
    assert summary and "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary.group(1), re.S)
    assert [(anchor, text_of(label).strip()) for anchor, label in links] == [
        ("q-betreuung-kita", "Wie wird Ihr Kind betreut? – Bitte beantworten Sie diese Frage."),
        ("q-kinder", "Wie viele Kinder leben in Ihrem Haushalt? – Bitte geben Sie eine ganze Zahl ohne Komma "
                     "ein, zum Beispiel 2."),
    ]
    for anchor, _label in links:
        assert f'id="{anchor}"' in response.text


async def test_parents_read_the_sections_plain_title_and_intro_in_their_language_the_office_the_topic(
    client, make,
):
    from participation.surveys.services import definition

    district = await make.district()
    survey = await make.survey(published=False)
    loaded = await definition.load_survey(survey)
    section = loaded.sections[0]
    await definition.rename_section(survey, section.id, section.title("de"), "Wer betreut Ihre Kinder?",
                                    "Wir möchten wissen, wer sich um Ihre Kinder kümmert.")
    loaded = await definition.load_survey(survey)
    names = dict(definition.translatable_texts(loaded))
    assert names[f"section.{section.id}.parents_title"] == "Wer betreut Ihre Kinder?"
    await definition.save_translation(survey, "tr", {name: f"TR {text}" for name, text in names.items()})
    from datetime import UTC, datetime, timedelta
    await definition.publish_survey(survey, datetime.now(UTC) - timedelta(hours=1),
                                    datetime.now(UTC) + timedelta(days=1))
    page = await post_form(client, f"/umfrage/{survey}/antworten",
                           [("page", "0"), ("district", str(district)), ("nav", "next")])
    assert re.search(r"<h1>\s*Wer betreut Ihre Kinder\?\s*</h1>", page.text)
    assert "Wir möchten wissen, wer sich um Ihre Kinder kümmert." in page.text
    assert "Betreuungsarrangements" not in page.text  # the office's topic name stays with the office
    turkish = await post_form(client, f"/umfrage/{survey}/antworten?lang=tr",
                              [("page", "0"), ("district", str(district)), ("nav", "next")])
    assert "TR Wer betreut Ihre Kinder?" in turkish.text
    assert (await definition.load_survey(survey)).sections[0].title("de") == section.title("de")


async def test_the_count_error_and_the_round_name_reach_an_arabic_reader_in_arabic(client, make):
    from participation.surveys.services import definition

    district = await make.district()
    survey = await make.survey([COUNT])
    loaded = await definition.load_survey(survey)
    await definition.save_translation(survey, "ar", {name: f"نص {text}" for name, text in
                                                     definition.translatable_texts(loaded)})
    response = await post_form(client, f"/umfrage/{survey}/antworten?lang=ar", [
        ("page", "1"), ("submission_id", "ar-1"), ("district", str(district)), ("q_kinder", "2,5"),
        ("nav", "submit")])
    assert response.status_code == 400
    assert "يُرجى إدخال عدد صحيح بدون فاصلة، مثلًا 2." in response.text
    assert "ربيع 2027" in response.text and "Frühjahr" not in response.text
