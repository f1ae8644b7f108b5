"""The office plans dialogue rounds: topics, session details, and starting (or copying) the round's survey."""

from __future__ import annotations

import pytest

from participation.dialogues.schemas import DEFAULT_TOPICS, Season
from participation.dialogues.services import rounds
from participation.surveys.services import definition
from tests.factories import post_form, sign_in, text_of


@pytest.fixture
async def office(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")


async def test_office_creates_a_round_with_the_citys_usual_topics(client, office):
    response = await post_form(client, "/verwaltung/runden", {
        "season": "spring", "year": "2027", "session_date": "2027-03-20", "session_venue": "Rathaus, Ratssaal",
    })
    assert response.status_code == 303
    round_id = int(response.headers["location"].rsplit("/", 1)[1])
    created = await rounds.get_round(round_id)
    assert created.title == "Frühjahr 2027"
    assert [t.title for t in created.topics] == DEFAULT_TOPICS
    assert created.session_venue == "Rathaus, Ratssaal"

    page = text_of((await client.get(f"/verwaltung/runden/{round_id}")).text)
    assert "Betreuungsarrangements" in page and "Neue Umfrage" in page
    listing = text_of((await client.get("/verwaltung/runden")).text)
    assert "Frühjahr 2027" in listing


async def test_the_same_round_twice_is_refused_at_the_year(client, office):
    await rounds.create_round(Season.SPRING, 2027)
    response = await post_form(client, "/verwaltung/runden", {"season": "spring", "year": "2027"})
    assert response.status_code == 400
    assert 'id="year-error"' in response.text and "Diese Runde gibt es schon" in response.text


async def test_a_round_without_a_year_is_refused(client, office):
    response = await post_form(client, "/verwaltung/runden", {"season": "spring", "year": ""})
    assert response.status_code == 400
    assert 'id="year-error"' in response.text


async def test_office_changes_date_and_venue(client, office):
    round_id = await rounds.create_round(Season.AUTUMN, 2027)
    response = await post_form(client, f"/verwaltung/runden/{round_id}", {
        "session_date": "2027-10-14", "session_venue": "Forum am Schlosspark",
    })
    assert response.status_code == 303
    changed = await rounds.get_round(round_id)
    assert str(changed.session_date) == "2027-10-14" and changed.session_venue == "Forum am Schlosspark"

    bad = await post_form(client, f"/verwaltung/runden/{round_id}", {"session_date": "14.10.", "session_venue": ""})
    assert bad.status_code == 400 and 'id="session_date-error"' in bad.text


async def test_office_renames_moves_removes_and_adds_topics(client, office):
    round_id = await rounds.create_round(Season.SPRING, 2027)
    first, second, third, *_rest = (await rounds.get_round(round_id)).topics
    base = f"/verwaltung/runden/{round_id}/themen"

    renamed = await post_form(client, f"{base}/{first.id}", {
        f"topic{first.id}-title": "Familie und Beruf", f"topic{first.id}-description": "Arbeitszeiten, Kita-Zeiten",
    })
    assert renamed.status_code == 303
    assert (await post_form(client, f"{base}/{first.id}/verschieben", {"richtung": "runter"})).status_code == 303
    assert (await post_form(client, f"{base}/{third.id}/verschieben", {"richtung": "hoch"})).status_code == 303
    assert (await post_form(client, f"{base}/{second.id}/loeschen")).status_code == 303
    assert (await post_form(client, base, {"new-title": "Gesundheit"})).status_code == 303

    topics = (await rounds.get_round(round_id)).topics
    assert [t.title for t in topics] == [
        "Angebotsportfolio", "Familie und Beruf", "Entwicklungen im Stadtteil", "Fördermöglichkeiten", "Gesundheit",
    ]
    assert topics[1].description == "Arbeitszeiten, Kita-Zeiten"


async def test_an_empty_topic_title_is_shown_at_the_field(client, office):
    round_id = await rounds.create_round(Season.SPRING, 2027)
    topic = (await rounds.get_round(round_id)).topics[0]
    response = await post_form(client, f"/verwaltung/runden/{round_id}/themen/{topic.id}", {
        f"topic{topic.id}-title": "",
    })
    assert response.status_code == 400
    assert f'id="topic{topic.id}-title-error"' in response.text
    added = await post_form(client, f"/verwaltung/runden/{round_id}/themen", {"new-title": " "})
    assert added.status_code == 400 and 'id="new-title-error"' in added.text


async def test_a_bad_move_is_a_400(client, office):
    round_id = await rounds.create_round(Season.SPRING, 2027)
    topic = (await rounds.get_round(round_id)).topics[0]
    response = await post_form(client, f"/verwaltung/runden/{round_id}/themen/{topic.id}/verschieben",
                               {"richtung": "seitwaerts"})
    assert response.status_code == 400


async def test_unknown_rounds_and_foreign_topics_are_404(client, office):
    round_id = await rounds.create_round(Season.SPRING, 2027)
    other = await rounds.create_round(Season.AUTUMN, 2027)
    foreign = (await rounds.get_round(other)).topics[0]
    assert (await client.get("/verwaltung/runden/999")).status_code == 404
    response = await post_form(client, f"/verwaltung/runden/{round_id}/themen/{foreign.id}/loeschen")
    assert response.status_code == 404
    assert len((await rounds.get_round(other)).topics) == len(DEFAULT_TOPICS)


async def test_a_new_survey_gets_one_section_per_topic(client, office):
    round_id = await rounds.create_round(Season.SPRING, 2027)
    response = await post_form(client, f"/verwaltung/runden/{round_id}/umfrage", {
        "survey-title": "Familienumfrage Frühjahr 2027", "survey-intro": "Ihre Meinung zählt.",
    })
    assert response.status_code == 303
    survey_id = int(response.headers["location"].rsplit("/", 1)[1])
    survey = await definition.load_survey(survey_id)
    assert [s.title("de") for s in survey.sections] == DEFAULT_TOPICS
    assert survey.title("de") == "Familienumfrage Frühjahr 2027"

    again = await post_form(client, f"/verwaltung/runden/{round_id}/umfrage", {"survey-title": "Noch eine"})
    assert again.status_code == 400 and "schon eine Umfrage" in again.text
    no_title = await post_form(client, f"/verwaltung/runden/{round_id}/umfrage", {"survey-title": ""})
    assert no_title.status_code == 400


async def test_copying_the_previous_rounds_survey_keeps_keys_and_translations(client, office, make):
    autumn = await rounds.create_round(Season.AUTUMN, 2026, topics=["Betreuungsarrangements"])
    old_id = await make.survey(round_id=autumn, published=False)
    old = await definition.load_survey(old_id)
    await definition.save_translation(old_id, "en", {name: f"EN {text}" for name, text in
                                                     definition.translatable_texts(old)})
    spring = await rounds.create_round(Season.SPRING, 2027, topics=["Betreuungsarrangements"])

    page = await client.get(f"/verwaltung/runden/{spring}")
    assert "Umfrage der vorigen Runde kopieren" in page.text
    response = await post_form(client, f"/verwaltung/runden/{spring}/umfrage/kopieren")
    assert response.status_code == 303
    copy = await definition.load_survey(int(response.headers["location"].rsplit("/", 1)[1]))
    assert copy.round_id == spring and not copy.published
    assert [q.key for q in copy.questions] == [q.key for q in old.questions]
    assert copy.question_by_key("betreuung").text("en") == "EN Wie wird Ihr Kind betreut?"
    assert "en" in definition.complete_languages(copy)


async def test_copying_without_a_previous_survey_explains_why(client, office):
    round_id = await rounds.create_round(Season.SPRING, 2027)
    response = await post_form(client, f"/verwaltung/runden/{round_id}/umfrage/kopieren")
    assert response.status_code == 400
    assert "keine Umfrage" in response.text


async def test_centre_staff_cannot_plan_rounds(client, make):
    round_id = await rounds.create_round(Season.SPRING, 2027)
    await make.centre_user()
    await sign_in(client, "zentrum@example.org")
    assert (await client.get("/verwaltung/runden")).status_code == 403
    assert (await client.get(f"/verwaltung/runden/{round_id}")).status_code == 403
    response = await post_form(client, "/verwaltung/runden", {"season": "autumn", "year": "2027"})
    assert response.status_code == 403
