"""Language identification for short survey answers, without a model download.

Two signals, both shipped with the installed packages: the writing system (Arabic, Cyrillic, Greek, ... letters
identify a language or family at once) and, for Latin script, the share of function words from the maintained
``stop-words`` lists, helped by letters typical of one language ("ß", "ş", "ł"). Answers come from a German survey,
so German wins unless another language is clearly ahead; an answer without any signal (a single noun, "ok") is
undetermined (``None``), and callers treat it as German.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np
from stop_words import get_stop_words

from .preprocess import _WORD as _TOKEN
from .preprocess import _drop_links, fold

__all__ = ["LANGUAGE_NAMES", "detect_language", "language_name"]

LANGUAGE_NAMES: dict[str, str] = {
    "de": "Deutsch", "en": "Englisch", "tr": "Türkisch", "ar": "Arabisch", "fa": "Persisch", "ru": "Russisch",
    "uk": "Ukrainisch", "pl": "Polnisch", "ro": "Rumänisch", "it": "Italienisch", "fr": "Französisch",
    "es": "Spanisch", "pt": "Portugiesisch", "nl": "Niederländisch", "hu": "Ungarisch", "cs": "Tschechisch",
    "el": "Griechisch", "he": "Hebräisch", "hi": "Hindi", "zh": "Chinesisch", "ja": "Japanisch",
    "ko": "Koreanisch", "ka": "Georgisch", "hy": "Armenisch", "th": "Thai", "ta": "Tamil", "ti": "Tigrinya",
}

_LATIN_LANGUAGES = ("de", "en", "tr", "fr", "es", "it", "pl", "pt", "nl", "ro", "hu", "cs")

# Entries of other languages' lists that are everyday German words in parents' answers ("Kind", "alte", "nie").
_GERMAN_LOOKALIKES = frozenset(
    "kind per problem ran homepage okay los total nie tempo worden alt alte kam am an in im so um man was will "
    "also er es die hat bin war rund hand art top".split()
)

# Letters that point to one Latin-script language; weight per occurrence.
_LETTER_CUES: dict[str, tuple[str, float]] = {
    **{c: ("de", 1.0) for c in "äß"},
    **{c: ("de", 0.5) for c in "öü"},  # shared with Turkish and Hungarian
    **{c: ("tr", 2.0) for c in "şğı"},
    "ç": ("tr", 1.0),
    **{c: ("pl", 2.0) for c in "ąęłśźżńć"},
    **{c: ("es", 2.0) for c in "ñ¿¡"},
    **{c: ("pt", 2.0) for c in "ãõ"},
    **{c: ("ro", 2.0) for c in "șțăţ"},
    **{c: ("hu", 2.0) for c in "őű"},
    **{c: ("cs", 2.0) for c in "řěů"},
}
_CUE_CHARS = frozenset(_LETTER_CUES)
_GERMAN_ENDINGS = re.compile(r"(ung|ungen|keit|heit|lich|chen|schaft|isch|tz|sch\w*)$")
_WORD = re.compile(r"[^\W\d_]+")

# (first, last, code): the first matching range wins; Latin letters are counted separately.
_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "el"), (0x0400, 0x052F, "cyrillic"), (0x0530, 0x058F, "hy"), (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"), (0x08A0, 0x08FF, "arabic"),
    (0x0900, 0x097F, "hi"), (0x0B80, 0x0BFF, "ta"), (0x0E00, 0x0E7F, "th"), (0x10A0, 0x10FF, "ka"),
    (0x1100, 0x11FF, "ko"), (0x1200, 0x139F, "ti"), (0x3040, 0x30FF, "ja"), (0x3400, 0x9FFF, "zh"),
    (0xAC00, 0xD7AF, "ko"), (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
)


def _fix_turkish(word: str) -> str:
    # The packaged Turkish list is stored in Latin-1 mojibake ("þ" for "ş", "ý" for "ı").
    return word.translate(str.maketrans({"ý": "ı", "þ": "ş", "ð": "ğ", "Ý": "İ", "Þ": "Ş", "Ð": "Ğ"}))


@lru_cache(maxsize=1)
def _stop_weights() -> dict[str, dict[str, float]]:
    """For each folded function word: the languages it belongs to, each weighted 1/number of such languages."""
    owners: dict[str, set[str]] = {}
    for lang in _LATIN_LANGUAGES:
        for word in get_stop_words(lang):
            if lang == "tr":
                word = _fix_turkish(word)
            key = fold(word)
            if len(key) < 2 or (lang != "de" and key in _GERMAN_LOOKALIKES):
                continue
            owners.setdefault(key, set()).add(lang)
    return {key: {lang: 1.0 / len(langs) for lang in langs} for key, langs in owners.items()}


def _script_of(char: str) -> str | None:
    code = ord(char)
    if code < 0x0250:
        return "latin"
    for first, last, name in _SCRIPTS:
        if first <= code <= last:
            return name
    return None


def _non_latin(script: str, text: str) -> str:
    if script == "arabic":
        return "fa" if any(c in text for c in "پچژگ") else "ar"
    if script == "cyrillic":
        return "uk" if any(c in text.lower() for c in "іїєґ") else "ru"
    if script == "zh" and any(0x3040 <= ord(c) <= 0x30FF for c in text):
        return "ja"
    return script


class _Votes(dict):
    """word -> its votes (see `_word_votes`), filled on first look-up."""

    def __missing__(self, word: str) -> tuple[tuple[str, float], ...]:
        votes = self[word] = _word_votes(word)
        return votes


_VOTES = _Votes()


def _word_votes(word: str) -> tuple[tuple[str, float], ...]:
    """What one word says about the language: its function-word owners, and "de" for a German word ending."""
    key = fold(word)
    votes = list(_stop_weights().get(key, {}).items())
    if len(key) > 4 and _GERMAN_ENDINGS.search(key):
        votes.append(("de", 0.5))
    return tuple(votes)


LATIN_ORDER: tuple[str, ...] = _LATIN_LANGUAGES
"""The columns of `word_scores`: German first, then English, which wins a tie between other languages."""
_COLUMN = {lang: i for i, lang in enumerate(LATIN_ORDER)}


def word_scores(token: str) -> np.ndarray:
    """What one written word (hyphenated parts included) says about the language, one score per `LATIN_ORDER`
    column: its parts' function-word votes and German endings, and its letters typical of one language."""
    votes = token_scores(token)
    return np.asarray(votes if votes is not None else [0.0] * len(LATIN_ORDER), dtype=np.float64)


@lru_cache(maxsize=100_000)
def token_scores(token: str) -> tuple[float, ...] | None:
    """`word_scores` as a tuple, or None for a word that says nothing about the language (most words)."""
    if len(_VOTES) > 200_000:  # a long-running worker reads many rounds: keep the memory bounded
        _VOTES.clear()
    scores: dict[int, float] = {}
    for part in _WORD.findall(token) if "-" in token else (token,):
        for lang, weight in _VOTES[part]:
            column = _COLUMN[lang]
            scores[column] = scores.get(column, 0.0) + weight
    lowered = token.lower()
    if not lowered.isascii():
        for char in _CUE_CHARS.intersection(lowered):
            lang, weight = _LETTER_CUES[char]
            column = _COLUMN[lang]
            scores[column] = scores.get(column, 0.0) + weight * lowered.count(char)
    if not scores:
        return None
    row = [0.0] * len(LATIN_ORDER)
    for column, score in scores.items():
        row[column] = score
    return tuple(row)


def decide_latin(scores: np.ndarray) -> str | None:
    """The language of a Latin-script answer from its summed `word_scores`: another language only when it is
    clearly ahead of German (at least 1.5 and more than 1.5 times German's score); German if it has any score;
    else undetermined."""
    if not scores.any():
        return None
    german = float(scores[0])
    others = scores[1:]
    best = int(np.argmax(others))  # the first of equal scores: English, then the order of LATIN_ORDER
    best_score = float(others[best])
    if best_score >= 1.5 and best_score > 1.5 * german:
        return LATIN_ORDER[best + 1]
    if german > 0:
        return "de"
    return None


def decide_latin_all(scores: np.ndarray) -> list[str | None]:
    """`decide_latin` of every row of a matrix of summed scores, at once."""
    german = scores[:, 0]
    others = scores[:, 1:]
    best = others.argmax(axis=1)
    best_score = others[np.arange(len(scores)), best]
    foreign = (best_score >= 1.5) & (best_score > 1.5 * german)
    names = np.array([None, "de", *LATIN_ORDER[1:]], dtype=object)
    choice = np.where(foreign, best + 2, np.where(german > 0, 1, 0))
    return names[choice].tolist()


def _latin(text: str) -> str | None:
    total = np.zeros(len(LATIN_ORDER), dtype=np.float64)
    for scores in filter(None, map(token_scores, _TOKEN.findall(text))):
        total += scores
    return decide_latin(total)


def detect_language(text: str) -> str | None:
    """The language of an answer as an ISO 639-1 code ("de", "tr", "ar", ...), or ``None`` if undetermined.

    Deterministic and fast (no model). Short German answers without any German function word or letter
    ("Kitaplatz", "mehr Spielplätze") may come back ``None`` or "de"; they are never guessed to be foreign. Links
    and e-mail addresses are not read ("bonn.de" is no Spanish "de"); `corpus.read_corpus` gives the same answer
    for many answers at once.
    """
    if not text:
        return None
    if max(text) < "\u0250":  # Latin script only: the common case, decided without a per-letter loop
        return _latin(_drop_links(text))
    text = _drop_links(unicodedata.normalize("NFC", text))
    if not text:
        return None
    if max(text) < "\u0250":
        return _latin(text)
    letters: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            script = _script_of(char)
            if script:
                letters[script] += 1
    if not letters:
        return None
    script, count = letters.most_common(1)[0]
    if script != "latin" and count >= 2:
        return _non_latin(script, text)
    return _latin(text)


def language_name(code: str | None) -> str:
    """German name of a language code for labels ("tr" -> "Türkisch"); the code itself when unknown."""
    if code is None:
        return "unbestimmt"
    return LANGUAGE_NAMES.get(code, code)
