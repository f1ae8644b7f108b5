"""Themes in free text: the office clusters answers as a job, reads themes with quotes and district shares, edits."""

from __future__ import annotations

import re

import pytest

from participation import jobs
from participation.surveys.services import themes
from participation.surveys.tables import AnalysisRun, Answer
from tests.factories import post_form, sign_in, text_of

OPENING_HOURS = [
    "Die Öffnungszeiten der Kita sind zu kurz, wir brauchen Betreuung bis 17 Uhr.",
    "Längere Öffnungszeiten am Nachmittag wären eine große Hilfe für berufstätige Eltern.",
    "Kita schließt um 14 Uhr, das passt nicht zu meiner Arbeitszeit. Bitte längere Öffnungszeiten.",
    "Öffnungszeiten bis 17 Uhr, sonst schaffe ich die Arbeit nicht.",
    "Wir wünschen uns flexiblere Öffnungszeiten in der Kita, auch in den Ferien.",
    "Die Kita macht zu früh zu. Längere Öffnungszeiten bitte!",
    "Betreuung nur bis mittags reicht nicht, längere Öffnungszeiten wären toll.",
    "Öffnungszeiten der Kita an die Arbeitszeiten der Eltern anpassen.",
]
PLAYGROUND = [
    "Der Spielplatz im Stadtteil ist kaputt und dreckig, bitte reparieren.",
    "Wir brauchen einen sauberen Spielplatz mit Schatten für kleine Kinder.",
    "Auf dem Spielplatz liegen Scherben, das ist gefährlich für die Kinder.",
    "Ein neuer Spielplatz mit Klettergerüst wäre schön.",
    "Der Spielplatz braucht dringend neue Schaukeln und eine Rutsche.",
    "Spielplatz am Park ist in schlechtem Zustand, die Geräte sind kaputt.",
    "Bitte mehr Bänke und Schatten am Spielplatz für Eltern und Kinder.",
    "Der Spielplatz sollte abends beleuchtet und sauber gehalten werden.",
]


@pytest.fixture
async def clustered(make):
    big = await make.district("Eglosheim")
    small = await make.district("Hoheneck")
    survey = await make.survey([{"key": "wunsch", "kind": "long_text", "text": "Was wünschen Sie sich?"}])
    for index, text in enumerate(OPENING_HOURS + PLAYGROUND):
        await make.response(survey, small if index in (0, 1, 8) else big, {"wunsch": text})
    await make.close(survey)
    await make.office_user()
    from participation.surveys.services.definition import load_survey

    question = (await load_survey(survey)).questions[0]
    return {"survey": survey, "question": question.id, "big": big, "small": small}


async def _start_and_run(client, survey_id: int, target: str, **extra) -> int:
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/themen", {"target": target, **extra})
    assert response.status_code == 303, response.text
    run_id = int(response.headers["location"].rsplit("/", 1)[-1])
    waiting = await client.get(f"/verwaltung/themen/{run_id}")
    assert "Die Themen werden berechnet" in waiting.text  # the job's progress is shown while it waits
    assert await jobs.run_until_idle()
    return run_id


async def test_office_clusters_a_question_and_sees_themes_with_quotes(client, clustered):
    await sign_in(client, "buero@example.org")
    run_id = await _start_and_run(client, clustered["survey"], f"q:{clustered['question']}")
    page = await client.get(f"/verwaltung/themen/{run_id}")
    text = text_of(page.text)
    assert page.status_code == 200
    assert "Öffnungszeiten" in text and "Spielplatz" in text
    assert "13 Antworten" in text  # Hoheneck's 3 are too few even on their own residual: not clustered
    assert text.count("<blockquote>") == 0 and page.text.count("<blockquote>") >= 4  # quotes as blockquotes
    view = await themes.get_run(run_id, threshold=5)
    real = [t for t in view.themes if not t.is_sonstiges]
    assert len(real) == 2
    for theme in real:
        assert {"Öffnungszeiten" in q for _id, q in theme.quotes} in ({True}, {False})  # quotes stay on topic
    # Hoheneck's answers are in no theme, so a theme's size minus Eglosheim's share reveals nothing about them
    for theme in real:
        assert dict(theme.district_shares) == {"Eglosheim": theme.size}
    assert "Hoheneck" not in text


async def test_job_status_api_reports_progress(client, clustered):
    await sign_in(client, "buero@example.org")
    run_id = await _start_and_run(client, clustered["survey"], f"q:{clustered['question']}")
    job_id = (await AnalysisRun.select(AnalysisRun.job).where(AnalysisRun.id == run_id).first())["job"]
    status = (await client.get(f"/api/jobs/{job_id}")).json()
    assert status["status"] == "done" and status["progress"] == 1.0
    assert status["result"]["answers"] == 13


async def test_staff_edits_are_kept_on_their_version_when_re_run(client, clustered):
    await sign_in(client, "buero@example.org")
    run_id = await _start_and_run(client, clustered["survey"], f"q:{clustered['question']}")
    view = await themes.get_run(run_id, threshold=5)
    first, second = [t for t in view.themes if not t.is_sonstiges][:2]
    await post_form(client, f"/verwaltung/themen/{run_id}/bearbeiten",
                    {"action": "rename", "theme": str(first.id), "label": "Betreuungszeiten"})
    answer = (await themes.theme_answers(run_id, second.id))[0]["answer"]
    await post_form(client, f"/verwaltung/themen/{run_id}/bearbeiten",
                    {"action": "move", "answer": str(answer), "target_theme": str(first.id)})
    excluded = (await themes.theme_answers(run_id, second.id))[0]["answer"]
    await post_form(client, f"/verwaltung/themen/{run_id}/bearbeiten", {"action": "exclude", "answer": str(excluded)})
    edited = await themes.get_run(run_id, threshold=5)
    renamed = next(t for t in edited.themes if t.id == first.id)
    assert renamed.label == "Betreuungszeiten" and renamed.size == first.size + 1
    assert next(t for t in edited.themes if t.id == second.id).size == second.size - 2
    assert edited.edited

    rerun_id = await _start_and_run(client, clustered["survey"], f"q:{clustered['question']}")
    rerun = await client.get(f"/verwaltung/themen/{rerun_id}")
    assert "Version 2" in rerun.text
    assert "Ihre Bearbeitungen bleiben in der bearbeiteten Version erhalten" in text_of(rerun.text)
    kept = await themes.get_run(run_id, threshold=5)
    assert any(t.label == "Betreuungszeiten" for t in kept.themes)


async def test_merging_two_themes_and_marking_an_agenda_candidate(client, clustered):
    await sign_in(client, "buero@example.org")
    run_id = await _start_and_run(client, clustered["survey"], f"q:{clustered['question']}")
    view = await themes.get_run(run_id, threshold=5)
    first, second = [t for t in view.themes if not t.is_sonstiges][:2]
    await post_form(client, f"/verwaltung/themen/{run_id}/bearbeiten",
                    {"action": "merge", "theme": str(first.id), "source": str(second.id)})
    await post_form(client, f"/verwaltung/themen/{run_id}/bearbeiten", {"action": "accept", "theme": str(first.id)})
    await post_form(client, f"/verwaltung/themen/{run_id}/bearbeiten", {"action": "agenda", "theme": str(first.id)})
    merged = await themes.get_run(run_id, threshold=5)
    assert [t.size for t in merged.themes if t.id == first.id] == [first.size + second.size]
    assert all(t.id != second.id for t in merged.themes)
    candidates = await themes.agenda_candidates(clustered["survey"])
    assert [c["id"] for c in candidates] == [first.id]
    page = await client.get(f"/verwaltung/themen/{run_id}")
    assert "für die Tagesordnung vorgemerkt" in page.text


async def test_hidden_abusive_answers_are_not_clustered(client, clustered):
    await Answer.update({Answer.hidden: True}).where(Answer.text == PLAYGROUND[0])
    await sign_in(client, "buero@example.org")
    run_id = await _start_and_run(client, clustered["survey"], f"q:{clustered['question']}")
    view = await themes.get_run(run_id, threshold=5)
    assert view.answer_count == 13  # 16, less the hidden one, less Hoheneck's 2 left (too few to be shown)
    assert all(PLAYGROUND[0] not in q for t in view.themes for _id, q in t.quotes)


@pytest.mark.parametrize(("data", "message"), [
    ({"target": ""}, "Bitte wählen Sie entweder eine Frage oder ein Thema."),
    ({"target": "q:999999"}, "Bitte wählen Sie eine Frage mit Freitext-Antworten."),
    ({"target": "TARGET", "k": "viele"}, "Bitte geben Sie eine ganze Zahl ein"),
    ({"target": "TARGET", "k": "99"}, "zwischen 2 und 30"),
])
async def test_bad_cluster_requests_say_what_is_wrong(client, clustered, data, message):
    await sign_in(client, "buero@example.org")
    data = {key: value.replace("TARGET", f"q:{clustered['question']}") for key, value in data.items()}
    response = await post_form(client, f"/verwaltung/umfragen/{clustered['survey']}/themen", data)
    assert response.status_code == 400
    assert message in text_of(response.text)
    assert await AnalysisRun.count() == 0


async def test_topic_run_covers_all_free_text_of_the_section_and_one_district(client, clustered):
    from participation.surveys.services.definition import load_survey

    section = (await load_survey(clustered["survey"])).sections[0].id
    await sign_in(client, "buero@example.org")
    run_id = await _start_and_run(client, clustered["survey"], f"s:{section}", district=str(clustered["big"]))
    view = await themes.get_run(run_id, threshold=5)
    assert view.answer_count == 13
    assert view.district_name == "Eglosheim"
    assert re.search(r"Thema: ", view.target_label)
