"""The office builds a round's session agenda from topics, themes and free text, with figures and quotes."""

from __future__ import annotations

from participation.dialogues.services.agenda import list_agenda
from tests.factories import post_form, text_of


async def _add(client, round_id: int, data: dict):
    return await post_form(client, f"/verwaltung/runden/{round_id}/sitzung/punkte", data)


async def test_office_builds_the_agenda_from_a_topic_a_theme_and_free_text(client, office, setting):
    r = setting.round_id
    assert (await _add(client, r, {"art": "topic", "topic-topic": str(setting.topic_id)})).status_code == 303
    assert (await _add(client, r, {"art": "theme", "theme-theme": str(setting.theme_id)})).status_code == 303
    assert (await _add(client, r, {"art": "free", "free-title": "Verschiedenes"})).status_code == 303

    agenda = await list_agenda(r)
    assert [item.kind for item in agenda] == ["topic", "theme", "free"]
    page = await client.get(f"/verwaltung/runden/{r}/sitzung")
    assert page.status_code == 200
    text = text_of(page.text)
    # Figures of the topic's questions (12 responses: above the threshold) and the theme's quotes for the moderator.
    assert "Wie wird Ihr Kind betreut?" in text and "Kita" in text and "12 Personen haben geantwortet" in text
    assert "Themen aus den Freitexten" in text and "<blockquote>" in page.text
    assert "1. Betreuungsarrangements" in text and "3. Verschiedenes" in text


async def test_small_groups_are_never_shown_on_the_agenda(client, office, make):
    survey_id = await make.survey()
    district = await make.district()
    for _ in range(3):
        await make.response(survey_id, district, {"betreuung": "kita", "zufriedenheit": "3"})
    await make.close(survey_id)
    from participation.surveys.services.definition import load_survey

    survey = await load_survey(survey_id)
    topic = survey.sections[0].topic_id
    await _add(client, survey.round_id, {"art": "topic", "topic-topic": str(topic)})
    text = text_of((await client.get(f"/verwaltung/runden/{survey.round_id}/sitzung")).text)
    assert "Ergebnisse werden erst ab 5 Antworten gezeigt" in text
    assert "Zahlen aus der Umfrage" not in text


async def test_items_move_up_and_down_with_buttons_and_are_removed(client, office, setting):
    r = setting.round_id
    for title in ("Erstens", "Zweitens", "Drittens"):
        await _add(client, r, {"art": "free", "free-title": title})
    first, second, third = await list_agenda(r)
    response = await post_form(client, f"/verwaltung/runden/{r}/sitzung/punkte/{third.id}/verschieben",
                               {"richtung": "hoch"})
    assert response.status_code == 303
    assert [i.title for i in await list_agenda(r)] == ["Erstens", "Drittens", "Zweitens"]
    await post_form(client, f"/verwaltung/runden/{r}/sitzung/punkte/{first.id}/verschieben", {"richtung": "runter"})
    assert [i.title for i in await list_agenda(r)] == ["Drittens", "Erstens", "Zweitens"]
    bad = await post_form(client, f"/verwaltung/runden/{r}/sitzung/punkte/{first.id}/verschieben",
                          {"richtung": "seitwärts"})
    assert bad.status_code == 400

    assert (await post_form(client, f"/verwaltung/runden/{r}/sitzung/punkte/{second.id}/loeschen")).status_code == 303
    agenda = await list_agenda(r)
    assert [i.title for i in agenda] == ["Drittens", "Erstens"] and [i.position for i in agenda] == [0, 1]


async def test_bad_agenda_input_is_a_400_with_a_message_and_unknown_ids_are_404(client, office, setting, make):
    r = setting.round_id
    other_round = await make.round(season="autumn", year=2027)
    from participation.dialogues.services.rounds import get_round

    foreign_topic = (await get_round(other_round)).topics[0].id
    response = await _add(client, r, {"art": "topic", "topic-topic": str(foreign_topic)})
    assert response.status_code == 400 and 'id="topic-topic-error"' in response.text
    response = await _add(client, r, {"art": "free", "free-title": ""})
    assert response.status_code == 400 and "Bitte geben Sie einen Titel ein" in response.text
    response = await _add(client, r, {"art": "theme", "theme-theme": "999999"})
    assert response.status_code == 400
    assert (await _add(client, r, {"art": "quatsch"})).status_code == 400
    assert (await client.get("/verwaltung/runden/999999/sitzung")).status_code == 404
    assert (await post_form(client, f"/verwaltung/runden/{r}/sitzung/punkte/999999/loeschen")).status_code == 404
    assert (await _add(client, r, {"art": "free", "free-title": "x" * 301})).status_code == 400


async def test_centre_staff_and_anonymous_visitors_cannot_open_the_agenda(client, make, setting):
    from tests.factories import sign_in

    anonymous = await client.get(f"/verwaltung/runden/{setting.round_id}/sitzung")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/anmelden")
    await make.centre_user(centre=setting.centre_a)
    await sign_in(client, "zentrum@example.org")
    assert (await client.get(f"/verwaltung/runden/{setting.round_id}/sitzung")).status_code == 403
