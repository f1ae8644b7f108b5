"""Reading all answers at once gives what reading them one by one gives: the same languages, stems and spellings."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from participation.analysis import corpus as corpus_module
from participation.analysis.corpus import read_corpus
from participation.analysis.language import detect_language
from participation.analysis.preprocess import prepare

DEMO = Path(__file__).resolve().parents[2] / "participation" / "demo" / "data" / "freitext_eltern.jsonl"

TRICKY = [
    "",
    "ok",
    "Kita-Platz fehlt seit einem Jahr!!!",
    "Mehr Infos auf www.stadt-ludwigsburg.de oder per mail an kita@stadt.de bitte",
    "Siehe https://example.org/de/es/fr – die Gebühren sind zu hoch",
    "Merhaba, çocuğum için kreş yeri yok, çok zor.",
    "We need more places for children, the waiting list is too long.",
    "Нет места в детском саду уже год",
    "Немає місця в дитячому садку",
    "لا يوجد مكان في الحضانة لمدة عام",
    "Brak miejsca w żłobku, czekamy już rok.",
    "Spielplatz 👍 ist super, danke 😊",
    unicodedata.normalize("NFD", "Die Gebühren für die Krippe sind zu hoch, Öffnungszeiten zu kurz."),
    "Ein Text mit dem Trennzeichen \ua66e mitten drin und Kitaplatz",
    "sooooo viele Wartezeiten, Betreuuuung fehlt",
    "12345 !!! ???",
    "Die Öffnungszeiten der Kita sind zu kurz. " * 30,
]


def _texts() -> list[str]:
    demo = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    return TRICKY + demo + TRICKY


def test_languages_are_those_of_detect_language():
    texts = _texts()
    read = read_corpus(texts)
    assert read.languages == [detect_language(text) for text in texts]
    # the sample has answers in several languages, so the comparison is not trivially all German
    assert {"tr", "en", "ru", "uk", "ar", "pl"} <= set(read.languages)


def test_stems_character_view_and_spellings_are_those_of_prepare():
    texts = _texts()
    read = read_corpus(texts)
    german = [texts[i] for i in read.rows]
    one_by_one = prepare(german)
    assert [read.stem_list(d) for d in range(len(read))] == one_by_one.stems
    assert [read.char_view(d) for d in range(len(read))] == one_by_one.chars
    assert read.surface == one_by_one.surface
    assert read.surface_form("gebuhr") == one_by_one.surface_form("gebuhr") == "Gebühren"


def test_answers_are_read_in_chunks_without_mixing_them(monkeypatch):
    texts = _texts()
    whole = read_corpus(texts)
    monkeypatch.setattr(corpus_module, "CHUNK", 7)
    chunked = read_corpus(texts)
    assert chunked.languages == whole.languages
    assert [chunked.stem_list(d) for d in range(len(chunked))] == [whole.stem_list(d) for d in range(len(whole))]


def test_links_do_not_vote_for_a_language():
    # Read as words, these addresses made the answer English ("www", "de", "x" are function words elsewhere).
    assert detect_language("www.kita.de www.familie.de www.stadt.de www.land.de www.x.de www.y.de") is None
    assert detect_language("Mehr Infos für Eltern auf www.kita-ludwigsburg.de") == "de"
