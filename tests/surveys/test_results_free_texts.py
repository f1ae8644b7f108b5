"""Free-text answers: listing, search, hiding abusive text (logged, reversible) and who sees what."""

from __future__ import annotations

from participation.surveys.tables import Answer, ModerationEntry
from tests.factories import post_form, sign_in, text_of

TEXTS = ["Mehr Kita-Plätze bitte", "Das Elterncafé ist TOLL", "100% zufrieden", "Öffnungszeiten_lang",
         "Du bist ein Idiot", "Längere Öffnungszeiten", "Ärger mit dem Amt"]


async def populate(make):
    survey = await make.survey()
    nord = await make.district("Nord")
    centre = await make.centre("Zentrum Nord", district=nord)
    for index, text in enumerate(TEXTS):
        wishes = {"wuensche": ["beratung"]} if index < 4 else {}
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4", "anregung": text, **wishes})
    await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4",
                                       "wuensche": ["beratung", "other"], "q_wuensche_other": "Spielplatz"})
    await make.close(survey)
    return survey, nord, centre


async def answer_id(text: str) -> int:
    return (await Answer.select(Answer.id).where(Answer.text == text).first())["id"]


async def test_office_reads_and_searches_free_texts_case_insensitively(client, make):
    survey, _nord, _centre = await populate(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = await client.get(f"/verwaltung/umfragen/{survey}/freitext")
    assert page.status_code == 200
    text = text_of(page.text)
    assert all(t in text for t in TEXTS) and "Spielplatz" in text
    assert '<label for="suche">Suchbegriff</label>' in page.text
    found = text_of((await client.get(f"/verwaltung/umfragen/{survey}/freitext", params={"suche": "toll"})).text)
    assert "Das Elterncafé ist TOLL" in found and "Kita-Plätze" not in found
    umlaut = text_of((await client.get(f"/verwaltung/umfragen/{survey}/freitext", params={"suche": "ärger"})).text)
    assert "Ärger mit dem Amt" in umlaut and "1 Antwort" in umlaut


async def test_search_treats_percent_and_underscore_literally(client, make):
    survey, _nord, _centre = await populate(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    percent = text_of((await client.get(f"/verwaltung/umfragen/{survey}/freitext", params={"suche": "%"})).text)
    assert "100% zufrieden" in percent and "1 Antwort" in percent
    underscore = text_of((await client.get(f"/verwaltung/umfragen/{survey}/freitext", params={"suche": "n_l"})).text)
    assert "Öffnungszeiten_lang" in underscore and "1 Antwort" in underscore


async def test_hiding_is_logged_removes_the_text_for_centres_and_can_be_undone(client, make):
    survey, _nord, centre = await populate(make)
    office = await make.office_user()
    await make.centre_user(centre=centre)
    await sign_in(client, "buero@example.org")
    abusive = await answer_id("Du bist ein Idiot")

    hidden = await post_form(client, f"/verwaltung/umfragen/{survey}/freitext/{abusive}/ausblenden", {"suche": "idiot"})
    assert hidden.status_code == 303
    assert hidden.headers["location"] == f"/verwaltung/umfragen/{survey}/freitext?suche=idiot#antwort-{abusive}"
    assert (await Answer.select(Answer.hidden).where(Answer.id == abusive).first())["hidden"] is True
    entry = await ModerationEntry.select().where(ModerationEntry.answer == abusive).first()
    assert entry["user"] == office and entry["action"] == "hide"
    office_view = text_of((await client.get(f"/verwaltung/umfragen/{survey}/freitext")).text)
    assert "ausgeblendet – von Büro am" in office_view and "Du bist ein Idiot" in office_view
    assert "Wieder anzeigen" in office_view

    await client.post("/abmelden", data={"_csrf_token": client.cookies["fd_csrf"]})
    client.cookies.clear()
    await sign_in(client, "zentrum@example.org")
    centre_view = await client.get(f"/zentrum/umfragen/{survey}/freitext")
    assert centre_view.status_code == 200
    assert "Du bist ein Idiot" not in centre_view.text and "Mehr Kita-Plätze bitte" in centre_view.text
    assert "Ausblenden" not in centre_view.text

    client.cookies.clear()
    await sign_in(client, "buero@example.org")
    shown = await post_form(client, f"/verwaltung/umfragen/{survey}/freitext/{abusive}/einblenden")
    assert shown.status_code == 303
    assert (await Answer.select(Answer.hidden).where(Answer.id == abusive).first())["hidden"] is False
    actions = await ModerationEntry.select(ModerationEntry.action).where(ModerationEntry.answer == abusive).order_by(
        ModerationEntry.id)
    assert [a["action"] for a in actions] == ["hide", "show"]


async def test_free_texts_of_a_small_group_are_not_listed(client, make):
    survey = await make.survey()
    nord = await make.district("Nord")
    for text in ("eins", "zwei", "drei"):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4", "anregung": text})
    await make.close(survey)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    text = text_of((await client.get(f"/verwaltung/umfragen/{survey}/freitext")).text)
    assert "mindestens 5 Antworten" in text and "zwei" not in text


async def test_unknown_answer_or_question_gives_a_page_not_a_crash(client, make):
    survey, _nord, _centre = await populate(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    assert (await post_form(client, f"/verwaltung/umfragen/{survey}/freitext/99999/ausblenden")).status_code == 404
    bad = await client.get(f"/verwaltung/umfragen/{survey}/freitext", params={"frage": "gibtsnicht"})
    assert bad.status_code == 400
    assert (await client.get("/verwaltung/umfragen/9999/freitext")).status_code == 404
