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
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from .corpus import no_collection_pauses
from .preprocess import GERMAN_STOP_WORDS, fold, normalise, stem

__all__ = ["phrase_name", "phrase_names"]

MAX_PHRASE_WORDS = 4
#: Answers per group read for naming (see `phrase_names`).
NAMING_SAMPLE = 120
#: Words of a group (its most frequent) scored as head words: a word too rare in the group to be among them
#: does not name it.
_HEAD_CANDIDATES = 80
#: Head words tried per group when a better one is taken by a larger group.
_HEADS = 5
#: A phrase must recur in at least this share of the answers that use the head word to replace it.
PHRASE_SHARE = 0.25
#: A head word's stem counts the answers using a longer word that contains it from this many letters on.
_MIN_COMPOUND_PART = 4
#: Words that may stand inside a noun phrase between its nouns and adjectives.
_PHRASE_GLUE = frozenset("""
    am im an in ins für mit ohne von vom zum zur der die das des dem den und oder nach bei beim auf aus über unter
    während ab bis gegen um vor hinter neben zwischen statt pro je
""".split())
_ADJECTIVE_ENDING = re.compile(r"(e|en|er|es|em)$")
_SENTENCE = re.compile(r"[.!?;:,()\[\]\"„“”»«/\n]+")
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


#: Nouns that frame a statement rather than name its topic ("zum Beispiel", "das Thema", "eine Sache", "an dieser
#: Stelle"; the plural "Stellen" can be jobs, a topic of its own).
_FRAMING_NOUNS = frozenset({"beispiel", "thema", "themen", "sache", "sachen", "stelle"})


@lru_cache(maxsize=200_000)
def _is_function_word(word: str) -> bool:
    lowered = word.lower()
    return len(lowered) < 3 or lowered in GERMAN_STOP_WORDS or lowered in _FRAMING_NOUNS or lowered.isdigit()


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


def _grams(text: str) -> tuple[dict[tuple[str, ...], str], set[tuple[str, ...]], set[tuple[str, ...]]]:
    """The phrases of one answer: key -> surface spelling (single content words and noun-phrase-shaped runs);
    the keys of its capitalised mid-sentence words (nouns); and the keys of words written after a number
    ("17 Uhr", "200 Euro"), which measure something rather than name a topic."""
    phrases: dict[tuple[str, ...], str] = {}
    capitalised: set[tuple[str, ...]] = set()
    counted: set[tuple[str, ...]] = set()
    for sentence in _SENTENCE.split(normalise(text)):
        words = _TOKEN.findall(sentence)
        keys = [_key(w) for w in words]
        roles = [_role(w) for w in words]
        for i, word in enumerate(words):
            if i > 0 and roles[i] == "noun":
                capitalised.add((keys[i],))
            if not _is_function_word(word):
                phrases.setdefault((keys[i],), word)
                if i > 0 and words[i - 1].isdigit():
                    counted.add((keys[i],))
            if roles[i] not in ("noun", "adjective"):
                continue
            for j in range(i + 2, min(len(words), i + MAX_PHRASE_WORDS) + 1):
                if roles[j - 1] == "other":
                    break
                if roles[j - 1] == "noun":
                    phrases.setdefault(tuple(keys[i:j]), " ".join(words[i:j]))
    return phrases, capitalised, counted


def phrase_name(texts: Sequence[str], background: Sequence[str] = ()) -> str:
    """A readable name for a group of answers, e.g. "Längere Öffnungszeiten"; "" when no word recurs.

    ``texts`` are the group's answers, ``background`` the other answers of the same run, so that words every answer
    uses ("Kita" in a Kita survey) do not become the name.
    """
    return phrase_names([texts, background])[0]


def phrase_names(groups: Sequence[Sequence[str]]) -> list[str]:
    """A name for each group of answers, each against all the other groups as background (see `phrase_name`).

    Every answer is read once, and of a large group only ``NAMING_SAMPLE`` answers spread evenly over it: a phrase
    that recurs in a theme recurs in such a sample too, and naming stays cheap next to clustering. The collector
    pauses throughout: naming creates many small objects, and with a large run's answers alive each collection
    scanned them all (half the naming time at 10,000 answers).
    """
    with no_collection_pauses():
        return _phrase_names(groups)


def _phrase_names(groups: Sequence[Sequence[str]]) -> list[str]:
    grams = [[_grams(text) for text in _spread(group, NAMING_SAMPLE)] for group in groups]
    # Which answers (numbered across all groups) use each word: a head word's answers include those that use it
    # only inside a compound ("Gebühren" in "Kitagebühren", "Gebührenerhöhung").
    postings: defaultdict[str, set[int]] = defaultdict(set)
    number = 0
    for group in grams:
        for phrases, _capitalised, _counted in group:
            for key in phrases:
                if len(key) == 1:
                    postings[key[0]].add(number)
            number += 1
    words = _Compounds(postings)
    n_all = sum(len(group) for group in groups)
    names: list[tuple[int, str]] = []
    taken: set[str] = set()
    # Larger groups choose first; a group whose best phrase is taken gets its next best, so no two themes of a
    # run share a name.
    first = 0
    starts = []
    for group in grams:
        starts.append(first)
        first += len(group)
    for index in sorted(range(len(grams)), key=lambda i: -len(groups[i])):
        answers = set(range(starts[index], starts[index] + len(grams[index])))
        candidates = _names(grams[index], answers, words, n_all)
        name = next((c for c in candidates if c.casefold() not in taken), candidates[0] if candidates else "")
        taken.add(name.casefold())
        names.append((index, name))
    return [name for _index, name in sorted(names)]


class _Compounds:
    """For a word's stem, the stems that begin or end with it (itself and its compounds: "gebuhrenerhoh",
    "kitagebuhr") and the answers using any of them. Found by bisection in the sorted stems and in the sorted
    reversed stems, not by a scan of all stems per word."""

    def __init__(self, postings: dict[str, set[int]]) -> None:
        self.postings = postings
        self._forward = sorted(postings)
        self._backward = sorted(key[::-1] for key in postings)
        self._containing: dict[str, list[str]] = {}
        self._answers: dict[str, set[int]] = {}

    def containing(self, key: str) -> list[str]:
        if len(key) < _MIN_COMPOUND_PART:
            return [key] if key in self.postings else []
        found = self._containing.get(key)
        if found is None:
            starting = _with_prefix(self._forward, key)
            ending = [k[::-1] for k in _with_prefix(self._backward, key[::-1])]
            found = self._containing[key] = sorted(set(starting) | set(ending))
        return found

    def answers(self, key: str) -> set[int]:
        found = self._answers.get(key)
        if found is None:
            found = self._answers[key] = set().union(*(self.postings[v] for v in self.containing(key)))
        return found


def _with_prefix(ordered: list[str], prefix: str) -> list[str]:
    start = bisect_left(ordered, prefix)
    end = bisect_left(ordered, prefix + "\U0010ffff", start)
    return ordered[start:end]


def _spread(items: Sequence[str], limit: int) -> Sequence[str]:
    """At most `limit` of `items`, evenly spaced (deterministic)."""
    if len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _names(grams: list[tuple[dict[tuple[str, ...], str], set[tuple[str, ...]], set[tuple[str, ...]]]],
           answers: set[int], words: _Compounds, n_all: int) -> list[str]:
    """Names for one group, best first: the phrase around each of its best head words.

    A head word scores by the share of the group's answers using it, alone or inside a compound, times how much
    more often than overall (the group's term of a KL divergence). A word mostly written as a capitalised noun
    counts fully, others at 0.3; so does a word mostly written after a number ("17 Uhr", "200 Euro"), which
    measures rather than names. Of a head and its compounds, the one that alone best sets the group apart is shown
    ("Ferienbetreuung" for "Ferien"); then a recurring phrase around the shown word replaces it.
    """
    if not grams:
        return []
    group_df: Counter[tuple[str, ...]] = Counter()
    nouns: Counter[tuple[str, ...]] = Counter()
    counted: Counter[tuple[str, ...]] = Counter()
    for phrases, capitalised, after_number in grams:
        group_df.update(phrases.keys())
        nouns.update(capitalised)
        counted.update(after_number)
    # The phrases (of two or more words) that contain each word.
    around: defaultdict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key in group_df:
        if len(key) > 1:
            for word in set(key):
                around[word].append(key)
    n_group = len(grams)
    min_df = 2 if n_group >= 4 else 1

    def weight(forms: list[tuple[str, ...]], df: int) -> float:
        """1, or 0.3 for words mostly not written as nouns, and again for words mostly written after a number."""
        factor = 1.0 if sum(nouns[f] for f in forms) * 2 >= df else 0.3
        return factor * (0.3 if sum(counted[f] for f in forms) * 2 >= df else 1.0)

    def kl(df: int, df_all: int) -> float:
        p_group = df / n_group
        p_all = max(df_all, df) / n_all
        return p_group * math.log(p_group / p_all) if n_all > n_group else p_group

    def form_score(form: tuple[str, ...]) -> float:
        return kl(group_df[form], len(words.postings[form[0]])) * weight([form], group_df[form])

    def head(key: str) -> tuple[float, int, tuple[str, ...]]:
        """Score, answers of the group and the word shown for a head word with its compounds: of these, the one
        that alone sets the group apart best."""
        family = words.answers(key)
        df = len(family & answers)
        forms = [(v,) for v in words.containing(key) if (v,) in group_df]
        score = kl(df, len(family)) * weight(forms, df)
        shown = max(forms, key=lambda f: (form_score(f), group_df[f], f))
        return score, df, shown

    heads = sorted((key for key in group_df if len(key) == 1 and group_df[key] >= min_df),
                   key=lambda key: (-group_df[key], key))[:_HEAD_CANDIDATES]
    scored = [(*head(key[0]), key[0]) for key in heads]
    scored = [entry for entry in scored if entry[0] > 0]
    scored.sort(key=lambda e: (-e[0], -e[1], e[3]))
    names: list[str] = []
    shown_before: set[tuple[str, ...]] = set()
    for _score, _df, shown, _key in scored:
        if shown in shown_before:  # a head and its compound lead to the same word
            continue
        shown_before.add(shown)
        needed = max(min_df, math.ceil(PHRASE_SHARE * group_df[shown]))
        longer = [key for key in around.get(shown[0], ()) if group_df[key] >= needed]
        best = max(longer, key=lambda k: (group_df[k], len(k), k), default=shown)
        spellings = Counter(phrases[best] for phrases, _capitalised, _counted in grams if best in phrases)
        spelling = min(spellings.items(), key=lambda sc: (-sc[1], not sc[0][:1].isupper(), sc[0]))[0]
        names.append(spelling[:1].upper() + spelling[1:])
        if len(names) == _HEADS:
            break
    return names
