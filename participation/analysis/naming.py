"""Readable theme names: a phrase the parents themselves wrote, not a list of keywords.

A theme's name is built around its head word, the content word that best sets its answers apart from the others
(share of the theme's answers using it, times how much more often than overall; German nouns, written with a
capital, are preferred). If a longer phrase around the head word recurs in the theme's answers ("längere
Öffnungszeiten", "Öffnungszeiten am Nachmittag"), that phrase is the name, in the spelling used most often.
Phrases are shaped like German noun phrases, without a tagger: they end with a capitalised word (a noun), start
with a noun or an inflected adjective ("längere"), and in between hold only nouns, adjectives, articles and
prepositions ("am", "für", "während des"), so a verb ("Ferienbetreuung muss fairer") never makes a name. Phrases
never cross punctuation; words are compared by stem, so "längere Öffnungszeiten" and "längeren Öffnungszeiten"
count as one phrase.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from .preprocess import GERMAN_STOP_WORDS, fold, normalise, stem

__all__ = ["phrase_name", "phrase_names"]

MAX_PHRASE_WORDS = 4
#: Answers per group read for naming (see `phrase_names`).
NAMING_SAMPLE = 120
#: Head words tried per group when a better one is taken by a larger group.
_HEADS = 5
#: A phrase must recur in at least this share of the answers that use the head word to replace it.
PHRASE_SHARE = 0.25
#: Words that may stand inside a noun phrase between its nouns and adjectives.
_PHRASE_GLUE = frozenset("""
    am im an in ins für mit ohne von vom zum zur der die das des dem den und oder nach bei beim auf aus über unter
    während ab bis gegen um vor hinter neben zwischen statt pro je
""".split())
_ADJECTIVE_ENDING = re.compile(r"(e|en|er|es|em)$")
_SENTENCE = re.compile(r"[.!?;:,()\[\]\"„“”»«/\n]+")
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@lru_cache(maxsize=200_000)
def _is_function_word(word: str) -> bool:
    lowered = word.lower()
    return len(lowered) < 3 or lowered in GERMAN_STOP_WORDS or lowered.isdigit()


@lru_cache(maxsize=200_000)
def _key(word: str) -> str:
    return fold(word) if _is_function_word(word) else stem(word)


@lru_cache(maxsize=200_000)
def _role(word: str) -> str:
    """"noun" (capitalised content word), "adjective" (lower-case content word with an inflection ending), "glue"
    (article or preposition), or "other" (verbs, adverbs, other function words)."""
    if word.lower() in _PHRASE_GLUE:
        return "glue"
    if _is_function_word(word):
        return "other"
    if word[:1].isupper():
        return "noun"
    return "adjective" if _ADJECTIVE_ENDING.search(word) else "other"


def _grams(text: str) -> tuple[dict[tuple[str, ...], str], set[tuple[str, ...]]]:
    """The phrases of one answer: key -> surface spelling (single content words and noun-phrase-shaped runs);
    and the keys of its capitalised mid-sentence words (nouns)."""
    phrases: dict[tuple[str, ...], str] = {}
    capitalised: set[tuple[str, ...]] = set()
    for sentence in _SENTENCE.split(normalise(text)):
        words = _TOKEN.findall(sentence)
        keys = [_key(w) for w in words]
        roles = [_role(w) for w in words]
        for i, word in enumerate(words):
            if i > 0 and roles[i] == "noun":
                capitalised.add((keys[i],))
            if not _is_function_word(word):
                phrases.setdefault((keys[i],), word)
            if roles[i] not in ("noun", "adjective"):
                continue
            for j in range(i + 2, min(len(words), i + MAX_PHRASE_WORDS) + 1):
                if roles[j - 1] == "other":
                    break
                if roles[j - 1] == "noun":
                    phrases.setdefault(tuple(keys[i:j]), " ".join(words[i:j]))
    return phrases, capitalised


def phrase_name(texts: Sequence[str], background: Sequence[str] = ()) -> str:
    """A readable name for a group of answers, e.g. "Längere Öffnungszeiten"; "" when no word recurs.

    ``texts`` are the group's answers, ``background`` the other answers of the same run, so that words every answer
    uses ("Kita" in a Kita survey) do not become the name.
    """
    return phrase_names([texts, background])[0]


def phrase_names(groups: Sequence[Sequence[str]]) -> list[str]:
    """A name for each group of answers, each against all the other groups as background (see `phrase_name`).

    Every answer is read once, and of a large group only ``NAMING_SAMPLE`` answers spread evenly over it: a phrase
    that recurs in a theme recurs in such a sample too, and naming stays cheap next to clustering.
    """
    grams = [[_grams(text) for text in _spread(group, NAMING_SAMPLE)] for group in groups]
    all_df: Counter[tuple[str, ...]] = Counter()
    for group in grams:
        for phrases, _capitalised in group:
            all_df.update(key for key in phrases if len(key) == 1)
    n_all = sum(len(group) for group in groups)
    names: list[tuple[int, str]] = []
    taken: set[str] = set()
    # Larger groups choose first; a group whose best phrase is taken gets its next best, so no two themes of a
    # run share a name.
    for index in sorted(range(len(grams)), key=lambda i: -len(groups[i])):
        candidates = _names(grams[index], all_df, n_all)
        name = next((c for c in candidates if c.casefold() not in taken), candidates[0] if candidates else "")
        taken.add(name.casefold())
        names.append((index, name))
    return [name for _index, name in sorted(names)]


def _spread(items: Sequence[str], limit: int) -> Sequence[str]:
    """At most `limit` of `items`, evenly spaced (deterministic)."""
    if len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _names(grams: list[tuple[dict[tuple[str, ...], str], set[tuple[str, ...]]]], all_df: Counter,
           n_all: int) -> list[str]:
    """Names for one group, best first: the phrase around each of its best head words."""
    if not grams:
        return []
    group_df: Counter[tuple[str, ...]] = Counter()
    spellings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    nouns: Counter[tuple[str, ...]] = Counter()
    for phrases, capitalised in grams:
        group_df.update(phrases.keys())
        nouns.update(capitalised)
        for key, spelling in phrases.items():
            spellings[key][spelling] += 1
    n_group = len(grams)
    min_df = 2 if n_group >= 4 else 1

    def head_score(key: tuple[str, ...]) -> float:
        p_group = group_df[key] / n_group
        p_all = max(all_df[key], group_df[key]) / n_all
        score = p_group * math.log(p_group / p_all) if n_all > n_group else p_group
        return score * (1.0 if nouns[key] * 2 >= group_df[key] else 0.3)

    heads = [key for key in group_df if len(key) == 1 and group_df[key] >= min_df]
    scored = [(head_score(key), key) for key in heads]
    scored = [(score, key) for score, key in scored if score > 0]
    scored.sort(key=lambda sk: (-sk[0], -group_df[sk[1]], sk[1]))
    names = []
    for _score, head in scored[:_HEADS]:
        needed = max(min_df, math.ceil(PHRASE_SHARE * group_df[head]))
        longer = [key for key in group_df if len(key) > 1 and head[0] in key and group_df[key] >= needed]
        best = max(longer, key=lambda k: (group_df[k], len(k), k), default=head)
        spelling = min(spellings[best].items(), key=lambda sc: (-sc[1], not sc[0][:1].isupper(), sc[0]))[0]
        names.append(spelling[:1].upper() + spelling[1:])
    return names
