"""Clustering free-text answers into themes.

The pipeline, chosen for German parents' answers and for 100,000 answers in well under a minute on two cores:

1. Language: answers in another language are never mixed into German themes. Each other language with at least
   ``min_theme_size`` answers becomes a theme of its own ("Türkisch"); the rest are pooled into one
   "Weitere Sprachen" theme when the pool is large enough, else they go to Sonstiges. Staff can then read or
   translate them as a group instead of finding them scattered across German themes.
2. Features: sparse TF-IDF of word stems (unigrams and bigrams) next to TF-IDF of character n-grams within words
   (3-5 letters; matches compound parts and typos), each block L2-normalised.
3. LSA: TruncatedSVD to 20 dimensions (fitted on a sample of at most 20,000 answers), rows normalised, so
   Euclidean k-means works like cosine k-means. Few dimensions merge the many rare words and n-grams into topics;
   on the demo set 20 beat 50 and 100 clearly (NMI about 0.78 against 0.67 and 0.56).
4. k: unless given, the k in 2..``max_k`` (bounded by the number of answers) with the best silhouette on a sample.
5. k-means; then Sonstiges (cluster -1) takes answers with no content words, answers far from their centroid
   (much less similar to it, in TF-IDF space, than the theme's typical answer), clusters smaller than
   ``min_theme_size`` and groups without a shared word, so that they do not distort a theme.
6. Per theme: a label of its most distinctive words (original spelling), and three examples nearest the centroid
   that are not near-duplicates of each other.

Everything is deterministic for the same input and ``seed``: fixed random states, seeded samples, stable sorting.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from stop_words import get_stop_words
from threadpoolctl import threadpool_limits

from .labels import distinctive_terms, label_from_terms
from .language import LANGUAGE_NAMES, detect_language, language_name
from .preprocess import fold, prepare

__all__ = [
    "SONSTIGES",
    "Assignment",
    "ClusteringResult",
    "ProgressCallback",
    "Theme",
    "cluster_texts",
]

SONSTIGES = -1
"""Cluster id of answers that fit no theme ("Sonstiges", other)."""

ProgressCallback = Callable[[float, str], None]

_WHITESPACE_SEPARATED = r"\S+"  # the views are pre-tokenised
MAX_SVD_COMPONENTS = 20
SVD_SAMPLE = 20_000
SILHOUETTE_SAMPLE = 2_000
NEAR_DUPLICATE = 0.9
N_EXAMPLES = 3
# An answer whose similarity to its theme's centre is below this share of the theme's median similarity fits no
# theme well enough; on the demo set this takes the 2-3 % of answers that only say where a family lives or thank.
OUTLIER_RATIO = 0.4


@dataclass(frozen=True)
class Theme:
    """A group of answers about one topic (or in one other language).

    ``language`` is "de" for German themes, a language code for a theme of answers in another language, and "mul"
    for the pooled "Weitere Sprachen" theme.
    """

    id: int
    label: str
    terms: list[str]
    size: int
    example_ids: list[Any]
    member_ids: list[Any]
    language: str = "de"

    def to_dict(self) -> dict[str, Any]:
        """The theme as in the CLI output: id, label, terms, size, examples."""
        return {
            "id": self.id,
            "label": self.label,
            "terms": list(self.terms),
            "size": self.size,
            "examples": list(self.example_ids),
        }


@dataclass(frozen=True)
class Assignment:
    """Where one answer went. ``reason`` says why an answer is in Sonstiges: "empty" (no content words),
    "outlier" (far from every theme), "small_cluster", or "other_language"; it is ``None`` inside a theme."""

    id: Any
    cluster: int
    reason: str | None = None


@dataclass(frozen=True)
class ClusteringResult:
    """Themes (German first, by size; then other languages) and one assignment per input answer, in input order."""

    themes: list[Theme] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    k: int = 0
    """Number of German k-means clusters used (before small ones went to Sonstiges)."""
    timings: dict[str, float] = field(default_factory=dict)
    """CPU seconds spent per stage (languages, preprocessing, vectorising, reduction, choosing_k, clustering,
    labelling), for benchmarks: the work runs on one thread, so on an idle machine this is the wall-clock time,
    and on a busy one it still compares."""

    @property
    def sonstiges_ids(self) -> list[Any]:
        """Ids of the answers in Sonstiges (cluster -1)."""
        return [a.id for a in self.assignments if a.cluster == SONSTIGES]

    def to_dict(self) -> dict[str, Any]:
        """The CLI output schema: ``{"clusters": [...], "assignments": [{"id", "cluster"}]}``."""
        return {
            "clusters": [t.to_dict() for t in self.themes],
            "assignments": [{"id": a.id, "cluster": a.cluster} for a in self.assignments],
        }


class _Stopwatch:
    """Adds up the CPU seconds of each stage: ``watch("clustering")`` ends the stage before it."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._stage: str | None = None
        self._start = time.process_time()

    def __call__(self, stage: str | None) -> None:
        now = time.process_time()
        if self._stage is not None:
            self.timings[self._stage] = self.timings.get(self._stage, 0.0) + now - self._start
        self._stage, self._start = stage, now


class _Progress:
    """Forwards monotonic fractions in [0, 1] to the caller's callback."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback = callback
        self.last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        if self.callback is None:
            return
        self.last = min(1.0, max(self.last, fraction))
        self.callback(self.last, message)

    def span(self, start: float, end: float, message: str) -> Callable[[float], None]:
        return lambda f: self(start + (end - start) * f, message)


def _split_items(items: Sequence[tuple[Hashable, str]] | Sequence[str]) -> tuple[list[Any], list[str]]:
    ids: list[Any] = []
    texts: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            ids.append(i)
            texts.append(item)
        else:
            item_id, text = item
            ids.append(item_id)
            texts.append(text if isinstance(text, str) else "")
    return ids, texts


def cluster_texts(
    items: Sequence[tuple[Hashable, str]] | Sequence[str],
    k: int | None = None,
    progress: ProgressCallback | None = None,
    seed: int = 0,
    *,
    min_theme_size: int | None = None,
    max_k: int = 12,
) -> ClusteringResult:
    """Cluster free-text answers into themes.

    ``items`` are ``(id, text)`` pairs, or plain texts (their ids are then 0, 1, ...). ``k`` fixes the number of
    German themes; by default it is chosen in 2..``max_k`` by silhouette. ``min_theme_size`` (default: 3, or 1 %
    of the answers if more) is the smallest group shown as a theme. ``progress(fraction, message)`` is called
    with fractions from 0 to 1 and a short German message. The same input and ``seed`` give the same result.

    Tiny inputs are handled without clustering: fewer answers than ``min_theme_size`` all go to Sonstiges; fewer
    than twice that many form one theme if at least two of them share a word, else go to Sonstiges too. A group
    whose answers share no word is never shown as a theme.
    """
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    # k-means on small dense data is many times slower with OpenMP and BLAS threads on a two-core machine
    # (threads spin); one thread also makes results independent of the machine's core count.
    with threadpool_limits(limits=1):
        return _cluster(items, k, _Progress(progress), seed, min_theme_size, max_k)


def _cluster(
    items: Sequence[tuple[Hashable, str]] | Sequence[str],
    k: int | None,
    report: _Progress,
    seed: int,
    min_theme_size: int | None,
    max_k: int,
) -> ClusteringResult:
    report(0.0, "Antworten lesen")
    watch = _Stopwatch()
    watch("languages")
    ids, texts = _split_items(items)
    n = len(texts)
    if n == 0:
        report(1.0, "Fertig")
        return ClusteringResult()
    min_size = min_theme_size or max(3, math.ceil(0.01 * n))

    languages: list[str | None] = []
    step = max(1, n // 20)
    for i, text in enumerate(texts):
        languages.append(detect_language(text))
        if i % step == 0:
            report(0.05 * i / n, "Sprachen erkennen")
    report(0.05, "Sprachen erkannt")
    german = [i for i, lang in enumerate(languages) if lang in (None, "de")]
    cluster_of = [SONSTIGES] * n
    reason: list[str | None] = ["other_language"] * n

    watch("preprocessing")
    prepared = prepare([texts[i] for i in german], report.span(0.05, 0.3, "Texte vorbereiten"))
    usable = [pos for pos, stems in enumerate(prepared.stems) if stems]
    for pos, stems in enumerate(prepared.stems):
        if not stems:
            reason[german[pos]] = "empty"

    groups: list[list[int]] = []
    chosen_k = 0
    features = sp.csr_matrix((0, 0), dtype=np.float32)
    similarities = np.zeros(0, dtype=np.float32)
    if len(usable) >= min_size:
        watch("vectorising")
        features = _features([prepared.chars[p] for p in usable], [prepared.stems[p] for p in usable])
        report(0.45, "Merkmale berechnet")
        if len(usable) < 2 * min_size or k == 1:
            chosen_k = 1
            groups = [list(range(len(usable)))]
            similarities = _centroid_similarities(features, groups)
        else:
            watch("reduction")
            embedding = _lsa(features, seed)
            report(0.55, "Themen suchen")
            most = max(2, min(max_k, len(usable) // min_size))
            watch("choosing_k")
            if k is None:
                chosen_k = _choose_k(embedding, most, seed, report.span(0.55, 0.85, "Themenzahl wählen"))
            else:
                chosen_k = max(2, min(k, len(usable) // min_size))
            report(0.85, "Themen bilden")
            watch("clustering")
            labels = KMeans(n_clusters=chosen_k, n_init=_n_init(len(usable)), random_state=seed).fit_predict(
                embedding
            )
            groups = [np.flatnonzero(labels == c).tolist() for c in range(chosen_k)]
            similarities = _centroid_similarities(features, groups)
            groups, outliers = _drop_outliers(groups, similarities)
            for row in outliers:
                reason[german[usable[row]]] = "outlier"
    else:
        for p in usable:
            reason[german[p]] = "small_cluster"

    report(0.9, "Themen beschriften")
    watch("labelling")
    all_df: Counter[str] = Counter()
    for p in usable:
        all_df.update(set(prepared.stems[p]))

    kept: list[list[int]] = []
    for members in groups:
        if len(members) < min_size:
            for m in members:
                reason[german[usable[m]]] = "small_cluster"
        else:
            kept.append(members)
    labelled: list[tuple[list[int], list[str]]] = []
    for members in kept:
        terms = distinctive_terms(
            (prepared.stems[usable[m]] for m in members), len(members), all_df, len(usable), prepared
        )
        if terms:
            labelled.append((members, terms))
        else:  # not one word shared by two of its answers: a bag of unrelated answers, not a theme
            for m in members:
                reason[german[usable[m]]] = "outlier"
    labelled.sort(key=lambda g: (-len(g[0]), min(g[0])))
    themes: list[Theme] = []
    for theme_id, (members, terms) in enumerate(labelled):
        originals = [german[usable[m]] for m in members]
        for i in originals:
            cluster_of[i] = theme_id
            reason[i] = None
        order = sorted(members, key=lambda m: (-float(similarities[m]), m))
        themes.append(Theme(
            id=theme_id,
            label=label_from_terms(terms),
            terms=terms,
            size=len(members),
            example_ids=[ids[german[usable[m]]] for m in _pick_examples(order, features)],
            member_ids=[ids[i] for i in sorted(originals)],
        ))

    themes.extend(_language_themes(ids, texts, languages, min_size, len(themes), cluster_of, reason))
    watch(None)
    report(1.0, "Fertig")
    return ClusteringResult(
        themes=themes,
        assignments=[Assignment(ids[i], cluster_of[i], reason[i]) for i in range(n)],
        k=chosen_k,
        timings=watch.timings,
    )


class _Vectoriser:
    """Stem TF-IDF (unigrams and bigrams) beside character n-gram TF-IDF, each block L2-normalised, rows normalised
    again (step 2). Vocabularies and IDF weights are learnt once by ``fit_transform`` (on all answers, or on a sample
    of a large input) and ``transform`` then applies them to any answers, a chunk at a time, so that a large input
    never has to be held as one sparse matrix.
    """

    def fit_transform(self, chars: list[str], stems: list[list[str]]) -> sp.csr_matrix:
        n = len(chars)
        self.min_df = 2 if n >= 50 else 1
        smoothing = np.float32(1 + n)
        word_counts = self._word_counts(stems, fitting=True)
        word_df = np.bincount(word_counts.indices, minlength=word_counts.shape[1])
        keep = np.flatnonzero(word_df >= self.min_df)
        self.term_ids = {term: int(new) for new, term in enumerate(np.asarray(self._terms, dtype=object)[keep])}
        self.term_idf = (np.log(smoothing / (1 + word_df[keep])) + 1).astype(np.float32)
        word_counts = word_counts[:, keep]

        self.char_word_ids: dict[str, int] = {}
        self.char_grams: dict[str, int] = {}
        docs_words = self._char_words(chars, grow=True)
        word_grams = self._word_grams(list(self.char_word_ids), grow=True)
        gram_counts = (docs_words @ word_grams).tocsr()
        gram_df = np.bincount(gram_counts.indices, minlength=gram_counts.shape[1])
        kept_grams = np.flatnonzero(gram_df >= self.min_df)
        remap = np.full(gram_counts.shape[1], -1, dtype=np.int64)
        remap[kept_grams] = np.arange(kept_grams.size)
        self.char_grams = {g: int(remap[i]) for g, i in self.char_grams.items() if remap[i] >= 0}
        self.gram_idf = (np.log(smoothing / (1 + gram_df[kept_grams])) + 1).astype(np.float32)
        self.word_grams = word_grams[:, kept_grams].tocsr()
        return self._combine(word_counts, gram_counts[:, kept_grams])

    def transform(self, chars: list[str], stems: list[list[str]]) -> sp.csr_matrix:
        word_counts = self._word_counts(stems, fitting=False)
        docs_words = self._char_words(chars, grow=True)
        new_words = list(self.char_word_ids)[self.word_grams.shape[0]:]
        if new_words:
            self.word_grams = sp.vstack([self.word_grams, self._word_grams(new_words, grow=False)], format="csr")
        return self._combine(word_counts, docs_words @ self.word_grams)

    def _word_counts(self, stems: list[list[str]], fitting: bool) -> sp.csr_matrix:
        """Answers x terms counts; while fitting, every term seen gets a column (``self._terms``)."""
        if fitting:
            ids: dict[str, int] = {}
            lookup = lambda term: ids.setdefault(term, len(ids))  # noqa: E731
        else:
            ids = self.term_ids
            lookup = ids.get
        indices: list[int] = []
        indptr = [0]
        for doc in stems:
            found = [lookup(t) for t in doc]
            found += [lookup(f"{a} {b}") for a, b in pairwise(doc)]
            indices.extend(i for i in found if i is not None)
            indptr.append(len(indices))
        if fitting:
            self._terms = list(ids)
        counts = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(stems), len(ids)),
        )
        counts.sum_duplicates()
        return counts

    def _char_words(self, chars: list[str], grow: bool) -> sp.csr_matrix:
        """Answers x distinct words of the character view (words never seen get a row of ``word_grams`` later)."""
        ids = self.char_word_ids
        indices: list[int] = []
        indptr = [0]
        for text in chars:
            indices.extend(ids.setdefault(w, len(ids)) for w in text.split())
            indptr.append(len(indices))
        counts = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(chars), len(ids)),
        )
        counts.sum_duplicates()
        return counts

    def _word_grams(self, words: list[str], grow: bool) -> sp.csr_matrix:
        """Words x character n-grams (3-5 letters within the word padded by spaces, scikit-learn's "char_wb").

        Answers repeat the same few thousand words, so n-grams are cut once per distinct word and the counting is a
        sparse product, ten times faster than scikit-learn's analyzer."""
        grams = self.char_grams
        indices: list[int] = []
        indptr = [0]
        for word in words:
            if grow:
                indices.extend(grams.setdefault(g, len(grams)) for g in _word_ngrams(word))
            else:
                indices.extend(i for g in _word_ngrams(word) if (i := grams.get(g)) is not None)
            indptr.append(len(indices))
        matrix = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(words), len(grams) if grow else self.gram_idf.size),
        )
        matrix.sum_duplicates()
        return matrix

    def _combine(self, word_counts: sp.csr_matrix, gram_counts: sp.csr_matrix) -> sp.csr_matrix:
        blocks = []
        for counts, idf in ((word_counts, self.term_idf), (gram_counts, self.gram_idf)):
            counts = counts.tocsr()
            np.log(counts.data, out=counts.data)  # sublinear TF: 1 + log(count)
            counts.data += 1
            counts.data *= idf[counts.indices]
            blocks.append(normalize(counts, copy=False))
        return normalize(sp.hstack(blocks, format="csr", dtype=np.float32), copy=False)


def _features(chars: list[str], stems: list[list[str]]) -> sp.csr_matrix:
    """Stem TF-IDF and character n-gram TF-IDF side by side, each L2-normalised, rows normalised again."""
    return _Vectoriser().fit_transform(chars, stems)


def _word_ngrams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i:i + n] for n in range(3, 6) for i in range(len(padded) - n + 1)]


def _lsa(features: sp.csr_matrix, seed: int) -> np.ndarray:
    n_docs, n_features = features.shape
    dims = min(MAX_SVD_COMPONENTS, n_docs - 1, n_features - 1)
    if dims < 2:
        return normalize(features.toarray())
    svd = TruncatedSVD(n_components=dims, n_iter=4, random_state=seed)
    if n_docs > SVD_SAMPLE:
        sample = np.sort(np.random.default_rng(seed).choice(n_docs, SVD_SAMPLE, replace=False))
        svd.fit(features[sample])
        reduced = svd.transform(features)
    else:
        reduced = svd.fit_transform(features)
    return normalize(reduced).astype(np.float32)


def _n_init(n_rows: int) -> int:
    # Several k-means starts are cheap for survey-sized inputs and avoid a poor local optimum.
    return 10 if n_rows <= 20_000 else 3


def _choose_k(embedding: np.ndarray, k_max: int, seed: int, progress: Callable[[float], None]) -> int:
    """The k in 2..k_max with the best silhouette on a seeded sample; a k within 0.005 of a smaller one loses."""
    n = embedding.shape[0]
    if n > SILHOUETTE_SAMPLE:
        sample = embedding[np.sort(np.random.default_rng(seed).choice(n, SILHOUETTE_SAMPLE, replace=False))]
    else:
        sample = embedding
    # k-means cannot form more groups than there are distinct points (repeated answers); such a k would score the
    # same as k = that number and only warn.
    distinct = np.unique(sample, axis=0).shape[0]
    candidates = list(range(2, min(k_max, sample.shape[0] - 1, distinct) + 1))
    best_k, best_score = 2, -2.0
    for step, candidate in enumerate(candidates):
        labels = KMeans(n_clusters=candidate, n_init=3, random_state=seed).fit_predict(sample)
        if len(set(labels.tolist())) > 1:
            score = float(silhouette_score(sample, labels))
            if score > best_score + 0.005:
                best_k, best_score = candidate, score
        progress((step + 1) / len(candidates))
    return best_k


def _centroid_similarities(features: sp.csr_matrix, groups: list[list[int]]) -> np.ndarray:
    """Each row's cosine similarity to its group's mean in the sparse TF-IDF space.

    The sparse space, not the LSA one, because LSA squeezes a short off-topic answer ("Wir wohnen in Hoheneck")
    close to some centroid, while in TF-IDF it shares almost no term with any theme.
    """
    similarities = np.zeros(features.shape[0], dtype=np.float32)
    for members in groups:
        if members:
            rows = features[members]
            centre = normalize(np.asarray(rows.mean(axis=0)))
            similarities[members] = np.asarray(rows @ centre.T).ravel()
    return similarities


def _drop_outliers(groups: list[list[int]], similarities: np.ndarray) -> tuple[list[list[int]], list[int]]:
    """Split off rows much less similar to their centroid than is usual in their group (see OUTLIER_RATIO)."""
    kept: list[list[int]] = []
    outliers: list[int] = []
    for members in groups:
        if not members:
            continue
        threshold = OUTLIER_RATIO * float(np.median(similarities[members]))
        kept.append([m for m in members if similarities[m] >= threshold])
        outliers.extend(m for m in members if similarities[m] < threshold)
    return kept, sorted(outliers)


def _pick_examples(order: list[int], features: sp.csr_matrix, limit: int = 200) -> list[int]:
    """The first ``N_EXAMPLES`` rows of ``order`` whose cosine to every row already chosen is at most 0.9."""
    chosen: list[int] = []
    for row in order[:limit]:
        vector = features[row]
        if chosen and (features[chosen] @ vector.T).max() > NEAR_DUPLICATE:
            continue
        chosen.append(row)
        if len(chosen) == N_EXAMPLES:
            break
    return chosen


def _language_themes(
    ids: list[Any],
    texts: list[str],
    languages: list[str | None],
    min_size: int,
    first_id: int,
    cluster_of: list[int],
    reason: list[str | None],
) -> list[Theme]:
    """One theme per other language with enough answers, the rest pooled as "Weitere Sprachen" if enough."""
    by_language: dict[str, list[int]] = {}
    for i, lang in enumerate(languages):
        if lang not in (None, "de"):
            by_language.setdefault(lang, []).append(i)
    groups: list[tuple[str, list[int]]] = []
    pooled: list[int] = []
    for lang, members in sorted(by_language.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(members) >= min_size:
            groups.append((lang, members))
        else:
            pooled.extend(members)
    if len(pooled) >= min_size:
        groups.append(("mul", sorted(pooled)))
    themes: list[Theme] = []
    for offset, (lang, members) in enumerate(groups):
        theme_id = first_id + offset
        for i in members:
            cluster_of[i] = theme_id
            reason[i] = None
        group_texts = [texts[i] for i in members]
        if lang == "mul":
            names = sorted({language_name(languages[i]) for i in members})
            label, terms = "Weitere Sprachen: " + ", ".join(names), names
        else:
            terms = _frequent_words(group_texts, lang)
            label = language_name(lang)
        features = _char_features(group_texts)
        rows = list(range(len(members)))
        similarities = _centroid_similarities(features, [rows])
        examples = _pick_examples(sorted(rows, key=lambda r: (-float(similarities[r]), r)), features)
        themes.append(Theme(
            id=theme_id, label=label, terms=terms, size=len(members),
            example_ids=[ids[members[e]] for e in examples], member_ids=[ids[i] for i in members], language=lang,
        ))
    return themes


def _frequent_words(texts: list[str], lang: str, n_terms: int = 8) -> list[str]:
    """Most frequent words of answers in another language, without that language's function words."""
    name = LANGUAGE_NAMES.get(lang)
    try:
        stops = {fold(w) for w in get_stop_words(lang)} if name else set()
    except Exception:  # stop_words raises its own error for languages it lacks
        stops = set()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({w.lower() for w in _words(text) if len(w) > 2 and fold(w) not in stops})
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n_terms]]


def _words(text: str) -> list[str]:
    return "".join(c if c.isalpha() else " " for c in text).split()


def _char_features(texts: list[str]) -> sp.csr_matrix:
    try:
        return normalize(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(texts))
    except ValueError:
        return sp.csr_matrix(np.eye(len(texts), dtype=np.float64))
