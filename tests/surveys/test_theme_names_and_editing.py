"""Readable theme names that staff confirm before a theme reaches the agenda, and full editing: split a theme by
clustering or by picking answers, create a theme and move answers into it; every edit stays on its run's version."""

from __future__ import annotations

import pytest

from participation import jobs
from participation.dialogues.services import agenda
from participation.surveys.services import themes
from participation.surveys.tables import Survey
from tests.factories import post_form, sign_in, text_of
from tests.surveys.test_themes import OPENING_HOURS, PLAYGROUND

LANGUAGE_SUPPORT = [
    "Mehr Sprachförderung für Kinder, die zu Hause kein Deutsch sprechen.",
    "Sprachförderung in der Kita sollte täglich stattfinden.",
    "Wir wünschen uns Sprachförderung schon ab zwei Jahren.",
    "Die Sprachförderung ist zu selten, unser Sohn braucht mehr Unterstützung.",
    "Sprachförderung mit kleinen Gruppen wäre besser.",
    "Bitte mehr Sprachförderung und Vorlesen in der Kita.",
]


@pytest.fixture
async def one_district(make):
    district = await make.district("Eglosheim")
    survey = await make.survey([{"key": "wunsch", "kind": "long_text", "text": "Was wünschen Sie sich?"}])
    for text in OPENING_HOURS + PLAYGROUND + LANGUAGE_SUPPORT:
        await make.response(survey, district, {"wunsch": text})
    await make.close(survey)
    await make.office_user()
    from participation.surveys.services.definition import load_survey

    question = (await load_survey(survey)).questions[0]
    return {"survey": survey, "question": question.id}


async def _run(client, survey_id: int, question_id: int, **extra) -> int:
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/themen",
                               {"target": f"q:{question_id}", **extra})
    assert response.status_code == 303, response.text
    assert await jobs.run_until_idle()
    return int(response.headers["location"].rsplit("/", 1)[-1])


async def _edit(client, run_id: int, data: dict | list):
    response = await post_form(client, f"/verwaltung/themen/{run_id}/bearbeiten", data)
    assert response.status_code == 303
    return text_of((await client.get(response.headers["location"])).text)


def _theme_about(view, word: str):
    return next(t for t in view.themes if any(word in q for _id, q in t.quotes))


async def test_a_theme_is_named_by_a_phrase_and_reaches_the_agenda_only_once_confirmed(client, one_district):
    await sign_in(client, "buero@example.org")
    run_id = await _run(client, one_district["survey"], one_district["question"])
    view = await themes.get_run(run_id, threshold=5)
    hours = _theme_about(view, "Öffnungszeiten")
    assert hours.label == "Längere Öffnungszeiten" and hours.needs_name  # a phrase the parents wrote
    assert " · " not in hours.label and "Öffnungszeiten" in hours.terms  # keywords stay beside it
    page = text_of((await client.get(f"/verwaltung/themen/{run_id}")).text)
    assert "Vorgeschlagener Name: „Längere Öffnungszeiten“" in page and "Vorschlag übernehmen" in page

    shown = await _edit(client, run_id, {"action": "agenda", "theme": str(hours.id)})
    assert "noch keinen bestätigten Namen" in shown
    assert await themes.agenda_candidates(one_district["survey"]) == []
    round_id = (await Survey.select(Survey.round).where(Survey.id == one_district["survey"]).first())["round"]
    with pytest.raises(agenda.SessionError, match="noch keinen bestätigten Namen"):
        await agenda.add_theme_item(round_id, hours.id)

    shown = await _edit(client, run_id, {"action": "accept", "theme": str(hours.id)})
    assert "Der vorgeschlagene Name wurde übernommen." in shown
    await _edit(client, run_id, {"action": "agenda", "theme": str(hours.id)})
    item = await agenda.add_theme_item(round_id, hours.id)
    assert [(i.id, i.title) for i in await agenda.list_agenda(round_id)] == [(item, "Längere Öffnungszeiten")]


async def test_a_theme_renamed_by_staff_counts_as_confirmed(client, one_district):
    await sign_in(client, "buero@example.org")
    run_id = await _run(client, one_district["survey"], one_district["question"])
    play = _theme_about(await themes.get_run(run_id, threshold=5), "Spielplatz")
    await _edit(client, run_id, {"action": "rename", "theme": str(play.id), "label": "  Spielplätze  pflegen "})
    await _edit(client, run_id, {"action": "agenda", "theme": str(play.id)})
    assert [c["label"] for c in await themes.agenda_candidates(one_district["survey"])] == ["Spielplätze pflegen"]


async def test_publishing_minutes_is_refused_while_a_theme_item_has_no_confirmed_name(client, one_district):
    from participation.dialogues.services.publishing import publish_minutes
    from participation.surveys.tables import Theme

    await sign_in(client, "buero@example.org")
    run_id = await _run(client, one_district["survey"], one_district["question"])
    hours = _theme_about(await themes.get_run(run_id, threshold=5), "Öffnungszeiten")
    await themes.accept_suggestion(run_id, hours.id)
    await themes.set_agenda_candidate(run_id, hours.id, True)
    round_id = (await Survey.select(Survey.round).where(Survey.id == one_district["survey"]).first())["round"]
    await agenda.add_theme_item(round_id, hours.id)
    # a theme marked before names had to be confirmed (data from before this rule)
    await Theme.update({Theme.confirmed: False}).where(Theme.id == hours.id)
    with pytest.raises(agenda.SessionError, match="noch keinen bestätigten Namen"):
        await publish_minutes(round_id, public=True, threshold=5)


async def test_split_a_mixed_theme_by_clustering_it_again(client, one_district):
    await sign_in(client, "buero@example.org")
    run_id = await _run(client, one_district["survey"], one_district["question"])
    view = await themes.get_run(run_id, threshold=5)
    hours, play = _theme_about(view, "Öffnungszeiten"), _theme_about(view, "Spielplatz")
    await themes.accept_suggestion(run_id, hours.id)
    await _edit(client, run_id, {"action": "merge", "theme": str(hours.id), "source": str(play.id)})
    shown = await _edit(client, run_id, {"action": "split", "theme": str(hours.id), "parts": "2"})
    assert "1 neues Thema ist dazugekommen" in shown
    after = await themes.get_run(run_id, threshold=5)
    kept = next(t for t in after.themes if t.id == hours.id)
    new = next(t for t in after.themes if t.id not in {x.id for x in view.themes})
    texts = {t.id: {a["text"] for a in await themes.theme_answers(run_id, t.id)} for t in (kept, new)}
    assert {frozenset(v) for v in texts.values()} == {frozenset(OPENING_HOURS), frozenset(PLAYGROUND)}
    assert kept.confirmed and new.needs_name and new.label == "Spielplatz"
    assert after.edited


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "split", "parts": "9"}, "in 2 bis 8 Teile"),
    ({"action": "split", "parts": "viele"}, "in wie viele Teile"),
    ({"action": "split_pick", "new_label": "Neu"}, "Bitte wählen Sie die Antworten"),
    ({"action": "split_pick", "new_label": " ", "answers": "ANSWER"}, "Bitte geben Sie einen Namen"),
])
async def test_bad_split_requests_say_what_is_wrong(client, one_district, data, message):
    await sign_in(client, "buero@example.org")
    run_id = await _run(client, one_district["survey"], one_district["question"])
    before = await themes.get_run(run_id, threshold=5)
    hours = _theme_about(before, "Öffnungszeiten")
    answer = (await themes.theme_answers(run_id, hours.id))[0]["answer"]
    data = {key: value.replace("ANSWER", str(answer)) for key, value in data.items()}
    shown = await _edit(client, run_id, {"theme": str(hours.id), **data})
    assert message in shown
    after = await themes.get_run(run_id, threshold=5)
    assert [(t.id, t.size) for t in after.themes] == [(t.id, t.size) for t in before.themes]


async def test_split_off_picked_answers_and_move_answers_into_a_new_theme(client, one_district):
    await sign_in(client, "buero@example.org")
    run_id = await _run(client, one_district["survey"], one_district["question"])
    view = await themes.get_run(run_id, threshold=5)
    hours = _theme_about(view, "Öffnungszeiten")
    members = await themes.theme_answers(run_id, hours.id)
    holidays = [a["answer"] for a in members if "Ferien" in a["text"] or "Arbeitszeit" in a["text"]]
    assert len(holidays) == 3
    shown = await _edit(client, run_id, [("action", "split_pick"), ("theme", str(hours.id)),
                                         ("new_label", "Betreuung passend zur Arbeit"),
                                         *[("answers", str(a)) for a in holidays]])
    assert "Die gewählten Antworten bilden jetzt ein eigenes Thema." in shown

    shown = await _edit(client, run_id, {"action": "new_theme", "new_label": "Sauberkeit"})
    assert "Das neue Thema wurde angelegt." in shown and "Sauberkeit" in shown
    after = await themes.get_run(run_id, threshold=5)
    clean = next(t for t in after.themes if t.label == "Sauberkeit")
    assert clean.size == 0 and clean.confirmed
    play = _theme_about(after, "Spielplatz")
    dirty = [a["answer"] for a in await themes.theme_answers(run_id, play.id)
             if "sauber" in a["text"] or "dreckig" in a["text"]]
    shown = await _edit(client, run_id, [("action", "move_many"), ("target_theme", str(clean.id)),
                                         *[("answers", str(a)) for a in dirty]])
    assert "3 Antworten wurden verschoben." in shown
    final = await themes.get_run(run_id, threshold=5)
    sizes = {t.label: t.size for t in final.themes}
    assert sizes["Sauberkeit"] == 3 and sizes["Betreuung passend zur Arbeit"] == 3
    assert sizes[hours.label] == hours.size - 3 and sizes[play.label] == play.size - 3
    # shares per district still come from the protected view: one district, all of a theme's answers
    assert dict(next(t for t in final.themes if t.label == "Sauberkeit").district_shares) == {"Eglosheim": 3}

    # a re-run is a new version; the edited one keeps every edit
    rerun = await _run(client, one_district["survey"], one_district["question"])
    assert all(t.label != "Sauberkeit" for t in (await themes.get_run(rerun, threshold=5)).themes)
    assert {t.label for t in (await themes.get_run(run_id, threshold=5)).themes} >= {
        "Sauberkeit", "Betreuung passend zur Arbeit"}


async def test_answers_of_another_run_cannot_be_moved_in(client, one_district):
    await sign_in(client, "buero@example.org")
    first = await _run(client, one_district["survey"], one_district["question"])
    second = await _run(client, one_district["survey"], one_district["question"])
    target = (await themes.get_run(second, threshold=5)).themes[0]
    shown = await _edit(client, first, [("action", "move_many"), ("target_theme", str(target.id)),
                                        ("answers", "1")])
    assert "gehört nicht zu dieser Auswertung" in shown
