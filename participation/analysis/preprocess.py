"""Preprocessing of German free-text answers for clustering and labelling.

Parents write on phones: no capitals, "ae" for "ä", hyphenated or glued compounds ("Kita-Platz", "Kitaplatz"),
dropped letters. Each answer becomes two views:

* ``stems``: content words (German stop words removed, from the maintained ``stop-words`` list plus a few survey
  fillers), Snowball-stemmed and umlaut-folded, so "Gebühren", "Gebuehren" and "gebühr" meet;
* ``chars``: the same content words with hyphens removed, for character n-grams, which match the parts of compounds
  ("Ganztagsbetreuung" shares "betreu" with "Betreuung") and survive typos.

The most frequent original spelling of each stem is kept so that labels can show real words, not stems.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter

import snowballstemmer
from stop_words import get_stop_words

__all__ = ["GERMAN_STOP_WORDS", "PreparedTexts", "fold", "normalise", "prepare", "stem"]

# Words that carry no topic in survey answers but are missing from the general list.
_SURVEY_FILLERS = """
    bitte gerne gern danke dank vielen lg hallo naja ok okay ja nein halt eben mal echt eigentlich wirklich einfach
    leider finde fände fänd find wäre wären würde würden könnte könnten sollte sollten müsste müssten gibt gäbe
    geben sehr viel viele vieles mehr immer schon oft ganz total voll super toll gut besser schön klar kurz knapp
    wichtig wünsche wünschen wunsch wünscht brauchen brauche braucht fehlt fehlen sowas etwas bisschen dafür dass
    usw bzw evtl zb zum zur beim vom ab seit jeden jedes jede jeder heute dringend sowie sonst trotzdem deshalb
    weil wegen leider familie ehrlich gesagt
"""

GERMAN_STOP_WORDS: frozenset[str] = frozenset(
    w.lower() for w in [*get_stop_words("de"), *_SURVEY_FILLERS.split()]
)

_URL = re.compile(r"(https?://\S+|www\.\S+|\S+@\S+\.\w+)")
_REPEAT = re.compile(r"(\w)\1{2,}")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FOLD_TABLE = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d"})
_UMLAUT_DIGRAPHS = re.compile(r"(?<!q)(ae|oe|ue)")

_stemmer = snowballstemmer.stemmer("german")  # the C implementation (PyStemmer) when installed, as it is here
SPELLING_SAMPLE = 5_000


def normalise(text: str) -> str:
    """Unicode-normalise, drop links and e-mail addresses and shorten letter runs ("sooooo" -> "so")."""
    return _REPEAT.sub(r"\1", _drop_links(unicodedata.normalize("NFC", text or "")))


def _drop_links(text: str) -> str:
    # The regular expression costs more than the whole rest of the preparation; most answers hold no link.
    if "://" in text or "www." in text or "@" in text:
        return _URL.sub(" ", text)
    return text


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case and strip diacritics: "Gebühren" -> "gebuhren", "Ağır" -> "agir"."""
    if word.isascii():  # nothing to translate or decompose
        return word.lower()
    word = word.lower().translate(_FOLD_TABLE)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _collapse(folded: str) -> str:
    if "ae" not in folded and "oe" not in folded and "ue" not in folded:  # most words: no regular expression
        return folded
    return _UMLAUT_DIGRAPHS.sub(lambda m: m.group(1)[0], folded)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of a German word, folded so that "ä", "ae" and "a" end up the same."""
    return _collapse(fold(_stemmer.stemWord(word.lower())))


_STOP_KEYS = frozenset(_collapse(fold(w)) for w in GERMAN_STOP_WORDS)


@lru_cache(maxsize=200_000)
def _is_stop(word: str) -> bool:
    lowered = word.lower()
    return len(lowered) < 2 or lowered in GERMAN_STOP_WORDS or _collapse(fold(lowered)) in _STOP_KEYS


@dataclass
class PreparedTexts:
    """Both views of every text, plus the original spellings seen for each stem."""

    stems: list[list[str]]
    chars: list[str]
    surface: dict[str, Counter[str]] = field(default_factory=dict)

    def stem_strings(self) -> list[str]:
        """Stems joined by spaces, ready for a whitespace tokenizer."""
        return [" ".join(s) for s in self.stems]

    def surface_form(self, stem_key: str) -> str:
        """The most frequent original spelling of a stem (ties: the capitalised, then the alphabetically first)."""
        forms = self.surface.get(stem_key)
        if not forms:
            return stem_key
        return min(forms.items(), key=lambda kv: (-kv[1], not kv[0][:1].isupper(), kv[0]))[0]


@lru_cache(maxsize=500_000)
def _token(token: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """A token's (stem, original part) pairs and its piece of the character view ("" for a stop word); letter
    runs are shortened here, once per distinct token, rather than in every text (see `normalise`)."""
    return _token_parts(token)


def _token_parts(token: str) -> tuple[tuple[tuple[str, str], ...], str]:
    parts = [p for p in _REPEAT.sub(r"\1", token).split("-") if p]
    content = [p for p in parts if not _is_stop(p)]
    if not content:
        return (), ""
    pairs = tuple((key, part) for part in content if len(key := stem(part)) >= 2)
    # Hyphenated compounds are glued so "Kita-Platz" and "Kitaplatz" share their n-grams.
    return pairs, _collapse(fold("".join(parts)))


_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


class _TokenTable(dict):
    """token -> (its stems, its piece of the character view), filled on first look-up."""

    def __missing__(self, token: str) -> tuple[tuple[str, ...], str]:
        pairs, piece = _token(token)
        entry = self[token] = (tuple(key for key, _ in pairs), piece)
        return entry


def prepare(
    texts: Sequence[str],
    progress: Callable[[float], None] | None = None,
) -> PreparedTexts:
    """Turn raw answers into stem lists and character strings (see the module docstring).

    ``progress`` is called with the fraction of texts done, about every 2 % of the input.
    """
    stems: list[list[str]] = []
    chars: list[str] = []
    token_counts: Counter[str] = Counter()
    cached = _TokenTable()
    lookup = cached.__getitem__

    step = max(1, len(texts) // 50)
    # Spellings are counted in at most about SPELLING_SAMPLE answers spread over the input: the most frequent
    # spelling of a word is the same in such a sample, and counting every token costs a tenth of the preparation.
    stride = max(1, len(texts) // SPELLING_SAMPLE)
    for i, text in enumerate(texts):
        tokens = _WORD.findall(_drop_links(unicodedata.normalize("NFC", text or "")))
        if i % stride == 0:
            token_counts.update(tokens)
        entries = list(map(lookup, tokens))  # the loops over tokens run in C: map, chain, filter, join
        stems.append(list(chain.from_iterable(map(_FIRST, entries))))
        chars.append(" ".join(filter(None, map(_SECOND, entries))))
        if progress is not None and i % step == 0:
            progress(i / max(1, len(texts)))
    surface: dict[str, Counter[str]] = {}
    for token in cached:  # a spelling outside the sample still counts, with 0, for a word seen only there
        count = token_counts[token]
        for key, part in _token(token)[0]:
            surface.setdefault(key, Counter())[part] += count
    if progress is not None:
        progress(1.0)
    return PreparedTexts(stems=stems, chars=chars, surface=surface)
