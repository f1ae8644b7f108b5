"""Language identification for short survey answers, without a model download.

Two signals, both shipped with the installed packages: the writing system (Arabic, Cyrillic, Greek, ... letters
identify a language or family at once) and, for Latin script, the share of function words from the maintained
``stop-words`` lists, helped by letters typical of one language ("ß", "ş", "ł"). Answers come from a German survey,
so German wins unless another language is clearly ahead; an answer without any signal (a single noun, "ok") is
undetermined (``None``), and callers treat it as German.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from stop_words import get_stop_words

from .preprocess import fold

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


def _latin(text: str) -> str | None:
    scores: dict[str, float] = {}
    if len(_VOTES) > 200_000:  # a long-running worker reads many rounds: keep the memory bounded
        _VOTES.clear()
    for votes in filter(None, map(_VOTES.__getitem__, _WORD.findall(text))):  # most words have no vote
        for lang, weight in votes:
            scores[lang] = scores.get(lang, 0.0) + weight
    lowered = text.lower()
    for char in _CUE_CHARS.intersection(lowered):
        lang, weight = _LETTER_CUES[char]
        scores[lang] = scores.get(lang, 0.0) + weight * lowered.count(char)
    if not scores:
        return None
    german = scores.get("de", 0.0)
    best, best_score = max(((lang, s) for lang, s in scores.items() if lang != "de"),
                           key=lambda ls: (ls[1], ls[0] == "en"), default=(None, 0.0))
    if best is not None and best_score >= 1.5 and best_score > 1.5 * german:
        return best
    if german > 0:
        return "de"
    return None


LANGUAGE_CHARS = 300
"""Only the start of an answer is read: some 40 words tell the language as well as a long answer's 200."""


def detect_language(text: str) -> str | None:
    """The language of an answer as an ISO 639-1 code ("de", "tr", "ar", ...), or ``None`` if undetermined.

    Deterministic and fast (no model). Short German answers without any German function word or letter
    ("Kitaplatz", "mehr Spielplätze") may come back ``None`` or "de"; they are never guessed to be foreign.
    """
    if not text:
        return None
    text = text[:LANGUAGE_CHARS]
    if max(text) < "\u0250":  # Latin script only: the common case, decided without a per-letter loop
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
