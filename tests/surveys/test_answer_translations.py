"""Every language in one theme space: answers in another language join German themes through a German translation
(typed by staff or made by a LibreTranslate-compatible service); without one they are listed as "noch nicht
übersetzt", never as a theme named after their language."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from participation import jobs
from participation.surveys.services import themes, translations
from participation.surveys.tables import Answer
from tests.factories import post_form, sign_in, text_of
from tests.surveys.test_theme_names_and_editing import LANGUAGE_SUPPORT
from tests.surveys.test_themes import OPENING_HOURS, PLAYGROUND

TURKISH = [
    "Kreşin açılış saatleri çok kısa, öğleden sonra da açık olmalı.",
    "Çalışıyorum, kreş saat beşe kadar açık olmalı.",
    "Açılış saatleri daha uzun olmalı, işten geç çıkıyorum.",
]
ARABIC = "لا يوجد مكان في الحضانة منذ عام"
GERMAN_OF = {
    TURKISH[0]: "Die Öffnungszeiten der Kita sind zu kurz, sie sollte auch am Nachmittag geöffnet sein.",
    TURKISH[1]: "Ich arbeite, längere Öffnungszeiten der Kita bis 17 Uhr bitte.",
    TURKISH[2]: "Die Öffnungszeiten sollten länger sein, ich komme spät von der Arbeit.",
    ARABIC: "Seit einem Jahr keinen Kitaplatz, das ist schwer für uns Mütter.",
}


class _StandIn(BaseHTTPRequestHandler):
    """A LibreTranslate stand-in: POST /translate {q, source, target, format} -> {"translatedText": …}."""

    requests: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if self.path != "/translate" or body["q"] not in GERMAN_OF:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(b'{"error": "cannot translate"}')
            return
        payload = json.dumps({"translatedText": GERMAN_OF[body["q"]]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def translate_server():
    _StandIn.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _StandIn.requests
    server.shutdown()
    server.server_close()


@pytest.fixture
async def many_languages(make):
    district = await make.district("Eglosheim")
    survey = await make.survey([{"key": "wunsch", "kind": "long_text", "text": "Was wünschen Sie sich?"}])
    for text in OPENING_HOURS + PLAYGROUND + LANGUAGE_SUPPORT + TURKISH + [ARABIC]:
        await make.response(survey, district, {"wunsch": text})
    await make.close(survey)
    await make.office_user()
    from participation.surveys.services.definition import load_survey

    question = (await load_survey(survey)).questions[0]
    return {"survey": survey, "question": question.id}


async def _run(client, data) -> int:
    response = await post_form(client, f"/verwaltung/umfragen/{data['survey']}/themen",
                               {"target": f"q:{data['question']}"})
    assert response.status_code == 303, response.text
    assert await jobs.run_until_idle()
    return int(response.headers["location"].rsplit("/", 1)[-1])


async def _answer_id(text: str) -> int:
    return (await Answer.select(Answer.id).where(Answer.text == text).first())["id"]


def _theme_of(view, answer_texts: dict[int, set[str]], text: str):
    return next((t for t in view.themes if text in answer_texts[t.id]), None)


async def _members(run_id: int, view) -> dict[int, set[str]]:
    return {t.id: {a["text"] for a in await themes.theme_answers(run_id, t.id)} for t in view.themes}


async def test_untranslated_answers_are_listed_not_a_language_theme(client, many_languages):
    await sign_in(client, "buero@example.org")
    run_id = await _run(client, many_languages)
    view = await themes.get_run(run_id, threshold=5)
    assert not any("Türkisch" in t.label or "Weitere Sprachen" in t.label for t in view.themes)
    members = await _members(run_id, view)
    assert not any(text in texts for texts in members.values() for text in [*TURKISH, ARABIC])
    page = await client.get(f"/verwaltung/themen/{run_id}")
    shown = text_of(page.text)
    assert "4 Antworten in anderen Sprachen sind noch nicht übersetzt" in shown
    assert f'href="/verwaltung/umfragen/{many_languages["survey"]}/antworten-uebersetzen"' in page.text
    listing = await client.get(f"/verwaltung/umfragen/{many_languages['survey']}/antworten-uebersetzen")
    assert listing.status_code == 200
    listed = text_of(listing.text)
    assert "4 Antworten noch nicht übersetzt" in listed and "Türkisch" in listed and "Arabisch" in listed
    assert all(text in listing.text for text in TURKISH) and ARABIC in listing.text
    assert OPENING_HOURS[0] not in listing.text  # German answers need no translation


async def test_a_staff_translation_brings_the_answer_into_the_german_theme(client, many_languages):
    await sign_in(client, "buero@example.org")
    answer = await _answer_id(TURKISH[0])
    url = f"/verwaltung/umfragen/{many_languages['survey']}/antworten-uebersetzen"
    saved = await post_form(client, url, {"answer": str(answer), "translation": GERMAN_OF[TURKISH[0]]})
    assert saved.status_code == 303
    listing = text_of((await client.get(saved.headers["location"])).text)
    assert "Die Übersetzung wurde gespeichert." in listing and "3 Antworten noch nicht übersetzt" in listing
    run_id = await _run(client, many_languages)
    view = await themes.get_run(run_id, threshold=5)
    members = await _members(run_id, view)
    joined = _theme_of(view, members, TURKISH[0])
    assert joined is not None and OPENING_HOURS[1] in members[joined.id]  # with the German opening-hours answers
    assert view.untranslated_count == 3
    detail = await client.get(f"/verwaltung/themen/{run_id}/thema/{joined.id}")
    assert TURKISH[0] in detail.text and GERMAN_OF[TURKISH[0]] in detail.text  # original and translation side by side


@pytest.mark.parametrize(("answer", "translation", "message"), [
    ("TURKISH", "x" * 5001, "Die Übersetzung ist zu lang"),
    ("999999", "Hallo", "gehört nicht zu dieser Umfrage"),
    ("abc", "Hallo", "gehört nicht zu dieser Umfrage"),
])
async def test_bad_translations_say_what_is_wrong_and_keep_the_answer(client, many_languages, answer, translation,
                                                                      message):
    await sign_in(client, "buero@example.org")
    answer = answer.replace("TURKISH", str(await _answer_id(TURKISH[0])))
    url = f"/verwaltung/umfragen/{many_languages['survey']}/antworten-uebersetzen"
    saved = await post_form(client, url, {"answer": answer, "translation": translation})
    assert message in text_of((await client.get(saved.headers["location"])).text)
    row = await Answer.select(Answer.text, Answer.translation).where(Answer.text == TURKISH[0]).first()
    assert row == {"text": TURKISH[0], "translation": None}


async def test_the_translation_service_translates_before_clustering(client, many_languages, translate_server):
    url, requests = translate_server
    staff = "Ein Kitaplatz fehlt uns seit einem Jahr."
    await translations.save_translation(many_languages["survey"], await _answer_id(ARABIC), staff)
    run_id, _job = await themes.start_run(many_languages["survey"], question_id=many_languages["question"],
                                          translate_url=url)
    assert await jobs.run_until_idle()
    assert {r["q"] for r in requests} == set(TURKISH)  # the staff translation is not asked for again
    assert all(r["source"] == "auto" and r["target"] == "de" and r["format"] == "text" for r in requests)
    rows = {r["text"]: r for r in await Answer.select(Answer.text, Answer.translation, Answer.translated_by)}
    assert rows[TURKISH[1]]["translation"] == GERMAN_OF[TURKISH[1]] and rows[TURKISH[1]]["translated_by"] == "machine"
    assert rows[ARABIC]["translation"] == staff and rows[ARABIC]["translated_by"] == "staff"
    view = await themes.get_run(run_id, threshold=5)
    assert view.untranslated_count == 0
    members = await _members(run_id, view)
    hours = _theme_of(view, members, OPENING_HOURS[1])
    assert set(TURKISH) <= members[hours.id]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_translation_service_that_is_down_leaves_answers_for_staff(client, many_languages):
    run_id, _job = await themes.start_run(many_languages["survey"], question_id=many_languages["question"],
                                          translate_url=f"http://127.0.0.1:{_closed_port()}")
    assert await jobs.run_until_idle()
    view = await themes.get_run(run_id, threshold=5)
    assert view.status == "done" and view.untranslated_count == 4


async def test_the_translation_job_fills_in_missing_translations(many_languages, translate_server):
    url, _requests = translate_server
    job_id = await translations.start_machine_translation(many_languages["survey"], url, 5)
    assert await jobs.run_until_idle()
    job = await jobs.get_job(job_id)
    assert job.result == {"survey_id": many_languages["survey"], "translated": 4, "left": 0}
    listed = await translations.foreign_answers(many_languages["survey"], 5)
    assert {a.translated_by for a in listed} == {"machine"} and len(listed) == 4


async def test_search_finds_an_answer_by_its_translation(client, many_languages):
    await sign_in(client, "buero@example.org")
    await translations.save_translation(many_languages["survey"], await _answer_id(ARABIC), GERMAN_OF[ARABIC])
    for search in ("Kitaplatz", "kitaplatz", "MÜTTER"):  # in SQL and (beyond ASCII on SQLite) in Python
        page = await client.get(f"/verwaltung/umfragen/{many_languages['survey']}/freitext", params={"suche": search})
        assert page.status_code == 200
        assert ARABIC in page.text and GERMAN_OF[ARABIC] in page.text, search


def test_the_operator_sets_the_translation_service_by_its_address():
    from participation.settings import Settings, SettingsError

    assert Settings.from_env({}).translate_url == ""
    assert Settings.from_env({"TRANSLATE_URL": "http://127.0.0.1:5000/"}).translate_url == "http://127.0.0.1:5000"
    with pytest.raises(SettingsError, match="TRANSLATE_URL must start with http"):
        Settings.from_env({"TRANSLATE_URL": "127.0.0.1:5000"})
