"""Readable theme labels: the most distinctive words of a group of answers, in their original spelling."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from .preprocess import PreparedTexts, fold, prepare

__all__ = ["LABEL_SEPARATOR", "Compounds", "distinctive_terms", "label_for", "label_from_terms"]

LABEL_SEPARATOR = " · "
_COMPOUND_CANDIDATES = 40
_MIN_COMPOUND_PART = 4


def distinctive_terms(
    group_stems: Iterable[list[str]],
    group_size: int,
    all_df: Counter[str],
    all_size: int,
    prepared: PreparedTexts,
    n_terms: int = 8,
    compounds: Compounds | None = None,
) -> list[str]:
    """The ``n_terms`` words that best set a group apart from all answers, as surface forms.

    A stem scores by how many of the group's answers use it, times how much more often it appears in the group than
    overall, ``p_group * log(p_group / p_all)`` (the group's term of a KL divergence): frequent-and-specific beats
    merely frequent ("Kind") or merely rare (one typo). Without other answers (``all_size == group_size``) the
    share of answers alone counts. Stems used by only one answer of a larger group are skipped.

    German compounds: a frequent stem also counts the answers with a longer word containing it ("gebuhr" counts
    "Kitagebühren" and "Gebührenerhöhung"), and if one such compound makes up most of those answers, the compound
    is shown ("Öffnungszeiten" rather than "Öffnung").

    ``compounds`` may be shared by the calls for the groups of one run (same ``all_df``; its vocabulary must hold
    every stem of the groups): it finds the longer words containing a stem in one search of the joined vocabulary
    and keeps, per stem, the answers of all groups with such a word.
    """
    if compounds is None:
        compounds = Compounds(list(all_df))
    group_df: Counter[str] = Counter()
    for stems in group_stems:
        group_df.update(set(stems))
    min_df = 2 if group_size >= 4 else 1
    ranked = sorted((key for key, df in group_df.items() if df >= min_df), key=lambda key: (-group_df[key], key))
    candidates = set(ranked[:_COMPOUND_CANDIDATES])
    scored: list[tuple[float, str, str]] = []
    for key, df in group_df.items():
        if df < min_df:
            continue
        shown = key
        all_count = max(all_df.get(key, df), df)
        if key in candidates and len(key) >= _MIN_COMPOUND_PART:
            containing = compounds.containing(key)
            longer = [v for v in containing if group_df.get(v, 0) >= min_df]
            if longer:
                df = min(group_size, df + sum(group_df[v] for v in longer))
                all_count = min(all_size, all_count + compounds.answers(key, all_df, min_df))
                top = max(longer, key=lambda v: (group_df[v], v))
                if group_df[top] * 2 > df:
                    shown = top
        p_group = df / group_size
        p_all = max(all_count, df) / max(all_size, 1)
        if all_size > group_size:
            score = p_group * math.log(p_group / p_all)
            if score <= 0:
                continue
        else:
            score = p_group
        scored.append((-score, key, shown))
    scored.sort()
    terms: list[str] = []
    seen: set[str] = set()
    for _, _, shown in scored:
        word = prepared.surface_form(shown)
        if fold(word) in seen:
            continue
        seen.add(fold(word))
        terms.append(word)
        if len(terms) == n_terms:
            break
    return terms


class Compounds:
    """The longer words that contain a stem ("kitagebuhr" and "gebuhrenerhoh" for "gebuhr"), found by one search in
    the vocabulary joined into a single string rather than by testing every word, and their answers counted once
    per run."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self._vocabulary = list(vocabulary)
        self._joined = "\n".join(self._vocabulary)
        self._starts = np.cumsum([0, *(len(v) + 1 for v in self._vocabulary)])[:-1]
        self._containing: dict[str, list[str]] = {}
        self._answers: dict[str, int] = {}

    def containing(self, key: str) -> list[str]:
        """The words of the vocabulary that contain ``key`` and are longer, in vocabulary order."""
        found = self._containing.get(key)
        if found is None:
            positions = [m.start() for m in re.finditer(re.escape(key), self._joined)]
            words = np.unique(np.searchsorted(self._starts, positions, side="right") - 1).tolist()
            found = self._containing[key] = [v for i in words if (v := self._vocabulary[i]) != key]
        return found

    def answers(self, key: str, all_df: Counter[str], min_df: int) -> int:
        """The answers of all groups with a longer word containing ``key`` (the words used by ``min_df`` of them, as
        in the first group that asks)."""
        if key not in self._answers:
            self._answers[key] = sum(df for v in self.containing(key) if (df := all_df.get(v, 0)) >= min_df)
        return self._answers[key]


def label_from_terms(terms: Sequence[str], n_words: int = 3) -> str:
    """Join the first words of ``terms`` into a label, skipping a word contained in one already shown.

    "Kitaplatz", "Kita", "Warteliste" gives "Kitaplatz · Warteliste": "Kita" adds nothing next to "Kitaplatz".
    """
    chosen: list[str] = []
    for term in terms:
        key = fold(term)
        if any(key in fold(c) or fold(c) in key for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == n_words:
            break
    return LABEL_SEPARATOR.join(chosen)


def label_for(
    texts: Sequence[str],
    background: Sequence[str] = (),
    n_terms: int = 8,
) -> tuple[str, list[str]]:
    """Label a group of answers, e.g. after staff renamed, merged or split themes.

    ``texts`` are the group's answers; ``background`` the other answers to the same question (or all of them),
    so that words common to every answer ("Kita" in a Kita survey) do not win. Returns ``(label, terms)``, e.g.
    ``("Öffnungszeiten · Uhr · Nachmittag", ["Öffnungszeiten", "Uhr", ...])``; ``("", [])`` for no usable words.
    """
    prepared = prepare([*texts, *background])
    group = prepared.stems[: len(texts)]
    all_df: Counter[str] = Counter()
    for stems in prepared.stems:
        all_df.update(set(stems))
    terms = distinctive_terms(group, len(texts), all_df, len(prepared.stems), prepared, n_terms=n_terms)
    return label_from_terms(terms), terms
