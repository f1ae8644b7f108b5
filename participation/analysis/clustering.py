"""Clustering free-text answers into themes.

The pipeline, chosen for German parents' answers and for 100,000 answers in well under a minute on two cores
(in under 1 GB: nothing in it grows with the square of the answers, and no sparse matrix of all answers is held):

1. Language: answers in another language are never mixed into German themes. Each other language with at least
   ``min_theme_size`` answers becomes a theme of its own ("Türkisch"); the rest are pooled into one
   "Weitere Sprachen" theme when the pool is large enough, else they go to Sonstiges. Staff can then read or
   translate them as a group instead of finding them scattered across German themes.
2. Features: sparse TF-IDF of word stems (unigrams and bigrams) next to TF-IDF of character 4-grams within words
   (matches compound parts and typos), each block L2-normalised. Vocabularies and IDF weights are learnt from at
   most ``VOCABULARY_SAMPLE`` answers and applied to the others.
3. LSA: TruncatedSVD to 20 dimensions (fitted on at most ``SVD_SAMPLE`` answers), rows normalised, so
   Euclidean k-means works like cosine k-means. Few dimensions merge the many rare words and n-grams into topics;
   on the demo set 20 beat 50 and 100 clearly (NMI about 0.78 against 0.67 and 0.56).
4. k: unless given, the k in 2..``max_k`` (bounded by the number of answers) with the best silhouette on a sample.
5. k-means (above ``KMEANS_SAMPLE`` answers its several starts run on a sample, then one run on all answers); then
   Sonstiges (cluster -1) takes answers with no content words, answers far from their centroid
   (much less similar to it, in TF-IDF space, than the theme's typical answer), clusters smaller than
   ``min_theme_size`` and groups without a shared word, so that they do not distort a theme.
   Above ``FEATURE_SAMPLE`` answers, steps 2-5 learn everything from a sample of that size (including the themes'
   TF-IDF centres) and the other answers are vectorised a chunk at a time, keeping only their reduced vectors and
   their similarity to each centre (see ``_cluster_in_chunks``).
6. Per theme: a label of its most distinctive words (original spelling; read from at most ``LABEL_SAMPLE`` of its
   answers), and three examples nearest the centroid that are not near-duplicates of each other.

``ClusteringResult.timings`` gives the CPU seconds of each stage; ``benchmarks/cluster.py`` prints them.

Everything is deterministic for the same input and ``seed``: fixed random states, seeded samples, stable sorting.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import pairwise_distances, silhouette_score
from sklearn.preprocessing import normalize
from stop_words import get_stop_words
from threadpoolctl import threadpool_limits

from .corpus import Corpus, gather, no_collection_pauses, read_corpus
from .labels import Compounds, distinctive_terms, label_from_terms
from .language import LANGUAGE_NAMES, language_name
from .preprocess import fold

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
CHAR_NGRAMS = (4, 4)
"""Character n-grams within words: 4-grams alone cluster as well as 3- to 5-grams on the Bonn and demo sets (NMI
within ±0.01) with a third of the n-grams, which makes vectorising and the reduction about three times cheaper."""
FEATURE_SAMPLE = 20_000
"""Above this many answers, vocabularies, IDF weights and TF-IDF centres are learnt from a sample this large, and
the rest is vectorised a chunk at a time (memory), keeping only its reduced vectors and centre similarities."""
CHUNK = 10_000
VOCABULARY_SAMPLE = 5_000
SVD_SAMPLE = 5_000
KMEANS_SAMPLE = 5_000
SILHOUETTE_SAMPLE = 1_000
LABEL_SAMPLE = 2_000
"""Answers per theme read for its distinctive words: shares of answers, which a sample this large keeps."""
NEAR_DUPLICATE = 0.9
N_EXAMPLES = 3
EXAMPLE_CANDIDATES = 200
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
    with threadpool_limits(limits=1), no_collection_pauses():
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
    watch("preprocessing")
    ids, texts = _split_items(items)
    n = len(texts)
    if n == 0:
        report(1.0, "Fertig")
        return ClusteringResult()
    min_size = min_theme_size or max(3, math.ceil(0.01 * n))

    corpus = read_corpus(texts, report.span(0.0, 0.3, "Texte vorbereiten"))
    languages = corpus.languages
    german = corpus.rows
    cluster_of = [SONSTIGES] * n
    reason: list[str | None] = ["other_language"] * n
    lengths = np.diff(corpus.stem_ptr)
    usable_docs = np.flatnonzero(lengths > 0)
    for pos in np.flatnonzero(lengths == 0).tolist():
        reason[german[pos]] = "empty"
    usable = usable_docs.tolist()

    groups: list[list[int]] = []
    chosen_k = 0
    similarities = np.zeros(0, dtype=np.float32)
    vectoriser = _Vectoriser(corpus, usable_docs)
    n_usable = len(usable)
    fitted = np.arange(n_usable) if n_usable <= FEATURE_SAMPLE else _sample(n_usable, FEATURE_SAMPLE, seed)
    fitted_features = sp.csr_matrix((0, 0), dtype=np.float32)
    if n_usable >= min_size:
        watch("vectorising")
        fitted_features = _fit_features(vectoriser, fitted, seed)
        report(0.45, "Merkmale berechnet")
        if n_usable < 2 * min_size or k == 1:
            chosen_k = 1
            groups = [list(range(n_usable))]
            similarities = _centroid_similarities(fitted_features, groups)
        else:
            watch("reduction")
            project = _fit_lsa(fitted_features, seed)
            fitted_embedding = project(fitted_features)
            report(0.55, "Themen suchen")
            most = max(2, min(max_k, n_usable // min_size))
            watch("choosing_k")
            if k is None:
                chosen_k = _choose_k(fitted_embedding, most, seed, report.span(0.55, 0.85, "Themenzahl wählen"))
            else:
                chosen_k = max(2, min(k, n_usable // min_size))
            report(0.85, "Themen bilden")
            if n_usable == fitted.size:
                watch("clustering")
                labels = _kmeans(fitted_embedding, chosen_k, seed)
                groups = [np.flatnonzero(labels == c).tolist() for c in range(chosen_k)]
                similarities = _centroid_similarities(fitted_features, groups)
            else:
                labels, similarities = _cluster_in_chunks(
                    vectoriser, project, fitted, fitted_features, fitted_embedding, n_usable, chosen_k, seed, watch,
                )
                groups = [np.flatnonzero(labels == c).tolist() for c in range(chosen_k)]
            groups, outliers = _drop_outliers(groups, similarities)
            for row in outliers:
                reason[german[usable[row]]] = "outlier"
    else:
        for p in usable:
            reason[german[p]] = "small_cluster"

    report(0.9, "Themen beschriften")
    watch("labelling")
    all_df = vectoriser.stem_df(fitted)

    kept: list[list[int]] = []
    for members in groups:
        if len(members) < min_size:
            for m in members:
                reason[german[usable[m]]] = "small_cluster"
        else:
            kept.append(members)
    labelled: list[tuple[list[int], list[str]]] = []
    compounds = Compounds(corpus.stems)
    for members in kept:
        read = _spread(members, LABEL_SAMPLE)
        terms = distinctive_terms((corpus.stem_list(usable[r]) for r in read), len(read), all_df, fitted.size,
                                  corpus, compounds=compounds)
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
        order = sorted(members, key=lambda r: (-float(similarities[r]), r))[:EXAMPLE_CANDIDATES]
        if n_usable == fitted.size:
            candidates = fitted_features[order]
        else:
            candidates = vectoriser.transform(np.asarray(order))
        themes.append(Theme(
            id=theme_id,
            label=label_from_terms(terms),
            terms=terms,
            size=len(members),
            example_ids=[ids[german[usable[order[i]]]] for i in _pick_examples(candidates)],
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
    again (step 2), over the usable answers of a `Corpus` (given by their row among them). Vocabularies and IDF
    weights are learnt once by ``fit_transform`` (on all answers, or on a sample of a large input) and ``transform``
    then applies them to any answers, a chunk at a time, so that a large input never has to be held as one sparse
    matrix. Terms are numbered in the order the fitted answers first use them, as a vectoriser reading the answers
    one by one would.
    """

    def __init__(self, corpus: Corpus, docs: np.ndarray) -> None:
        self.corpus = corpus
        self.docs = docs  # corpus answer of each usable row
        self.n_stems = len(corpus.stems)

    def _ragged(self, ptr: np.ndarray, flat: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The values of the given rows, one row after the other, and the row (position in ``rows``) of each."""
        docs = self.docs[rows]
        lengths = ptr[docs + 1] - ptr[docs]
        return gather(flat, ptr, lengths, docs), np.repeat(np.arange(len(rows), dtype=np.int64), lengths)

    def _terms(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Term keys of the given rows in reading order (each answer's stems, then its pairs of neighbouring stems)
        and the row of each: a stem is its number, a pair ``n_stems * (1 + first) + second``."""
        stems, owner = self._ragged(self.corpus.stem_ptr, self.corpus.stem_ids, rows)
        stems = stems.astype(np.int64)
        same = owner[1:] == owner[:-1]
        pairs = self.n_stems * (1 + stems[:-1][same]) + stems[1:][same]
        keys = np.concatenate([stems, pairs])
        owners = np.concatenate([owner, owner[1:][same]])
        kind = np.concatenate([np.zeros(len(stems), dtype=np.int8), np.ones(len(pairs), dtype=np.int8)])
        order = np.lexsort((kind, owners), axis=0) if len(keys) else np.zeros(0, dtype=np.int64)
        return keys[order], owners[order]

    def fit_transform(self, rows: np.ndarray) -> sp.csr_matrix:
        n = len(rows)
        self.min_df = 2 if n >= 50 else 1
        smoothing = np.float32(1 + n)
        keys, owners = self._terms(rows)
        unique, first = np.unique(keys, return_index=True)
        vocabulary = unique[np.argsort(first, kind="stable")]  # first use
        column = np.empty(len(unique), dtype=np.int64)
        column[np.argsort(first, kind="stable")] = np.arange(len(unique))
        word_counts = self._counts(owners, column[np.searchsorted(unique, keys)], n, len(unique))
        word_df = np.bincount(word_counts.indices, minlength=len(unique))
        keep = np.flatnonzero(word_df >= self.min_df)
        kept_keys = vocabulary[keep]
        self.key_order = np.argsort(kept_keys, kind="stable")
        self.sorted_keys = kept_keys[self.key_order]
        self.term_idf = (np.log(smoothing / (1 + word_df[keep])) + 1).astype(np.float32)
        word_counts = word_counts[:, keep]

        words, word_owner = self._ragged(self.corpus.word_ptr, self.corpus.word_ids, rows)
        seen, first_word = np.unique(words, return_index=True)
        fitted_words = seen[np.argsort(first_word, kind="stable")].tolist()
        grams: dict[str, int] = _numbering()
        texts = self.corpus.words
        matrix_rows: dict[int, list[int]] = {}
        for w in fitted_words:
            matrix_rows[w] = list(map(grams.__getitem__, _word_ngrams(texts[w])))
        n_grams = len(grams)
        docs_words = self._counts(word_owner, words.astype(np.int64), n, len(texts))
        fitted_grams = self._word_gram_matrix(matrix_rows, len(texts), n_grams)
        gram_counts = (docs_words @ fitted_grams).tocsr()
        gram_df = np.bincount(gram_counts.indices, minlength=n_grams)
        kept_grams = np.flatnonzero(gram_df >= self.min_df)
        remap = np.full(n_grams, -1, dtype=np.int64)
        remap[kept_grams] = np.arange(kept_grams.size)
        self.char_grams = {g: int(remap[i]) for g, i in grams.items() if remap[i] >= 0}
        self.gram_idf = (np.log(smoothing / (1 + gram_df[kept_grams])) + 1).astype(np.float32)
        # Rows of every word of the corpus (words the fitted answers never used have only known n-grams).
        for w in range(len(texts)):
            if w not in matrix_rows:
                matrix_rows[w] = [i for g in _word_ngrams(texts[w]) if (i := grams.get(g)) is not None]
        self.word_grams = self._word_gram_matrix(matrix_rows, len(texts), n_grams)[:, kept_grams].tocsr()
        return self._combine(word_counts, gram_counts[:, kept_grams])

    def transform(self, rows: np.ndarray) -> sp.csr_matrix:
        n = len(rows)
        keys, owners = self._terms(rows)
        where = np.searchsorted(self.sorted_keys, keys)
        where[where >= len(self.sorted_keys)] = 0
        known = self.sorted_keys[where] == keys if len(self.sorted_keys) else np.zeros(len(keys), dtype=bool)
        columns = self.key_order[where[known]]
        word_counts = self._counts(owners[known], columns, n, len(self.sorted_keys))
        words, word_owner = self._ragged(self.corpus.word_ptr, self.corpus.word_ids, rows)
        docs_words = self._counts(word_owner, words.astype(np.int64), n, len(self.corpus.words))
        return self._combine(word_counts, docs_words @ self.word_grams)

    def stem_df(self, rows: np.ndarray) -> dict[str, int]:
        """In how many of the given rows each stem occurs."""
        stems, owner = self._ragged(self.corpus.stem_ptr, self.corpus.stem_ids, rows)
        present = self._counts(owner, stems, len(rows), self.n_stems)  # repeated stems summed into one entry
        counts = np.bincount(present.indices, minlength=self.n_stems)
        names = self.corpus.stems
        return {names[i]: int(counts[i]) for i in np.flatnonzero(counts).tolist()}

    @staticmethod
    def _counts(owners: np.ndarray, columns: np.ndarray, n_rows: int, n_columns: int) -> sp.csr_matrix:
        return sp.csr_matrix(
            (np.ones(len(columns), dtype=np.float32), (owners, columns)), shape=(n_rows, n_columns),
        )

    @staticmethod
    def _word_gram_matrix(matrix_rows: dict[int, list[int]], n_words: int, n_grams: int) -> sp.csr_matrix:
        """Words x character n-grams (the n-grams of a word padded by spaces, scikit-learn's "char_wb"): answers
        repeat the same few thousand words, so n-grams are cut once per distinct word and counting them per answer
        is a sparse product, ten times faster than scikit-learn's analyzer."""
        indptr = np.zeros(n_words + 1, dtype=np.int64)
        for w, grams in matrix_rows.items():
            indptr[w + 1] = len(grams)
        np.cumsum(indptr, out=indptr)
        indices = np.zeros(int(indptr[-1]), dtype=np.int32)
        for w, grams in matrix_rows.items():
            indices[indptr[w]:indptr[w + 1]] = grams
        matrix = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(n_words, n_grams))
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


def _fit_features(vectoriser: _Vectoriser, rows: np.ndarray, seed: int) -> sp.csr_matrix:
    """Features of the given rows, the vectoriser learning its vocabularies from at most ``VOCABULARY_SAMPLE``
    of them (learning costs three times as much as applying, and a word too rare to be in such a sample is too
    rare to shape a theme)."""
    n = len(rows)
    if n <= VOCABULARY_SAMPLE:
        return vectoriser.fit_transform(rows)
    learnt = _sample(n, VOCABULARY_SAMPLE, seed)
    rest = np.setdiff1d(np.arange(n), learnt)
    features = sp.vstack([vectoriser.fit_transform(rows[learnt]), vectoriser.transform(rows[rest])], format="csr")
    position = np.empty(n, dtype=np.int64)
    position[np.concatenate([learnt, rest])] = np.arange(n)
    return features[position]


def _numbering(items: dict[str, int] | None = None) -> defaultdict[str, int]:
    """A dictionary that numbers each new key as it is first looked up (0, 1, 2, ...), in C."""
    numbers: defaultdict[str, int] = defaultdict(None, items or {})
    numbers.default_factory = numbers.__len__
    return numbers


def _word_ngrams(word: str) -> list[str]:
    padded = f" {word} "
    low, high = CHAR_NGRAMS
    return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


def _fit_lsa(features: sp.csr_matrix, seed: int) -> Callable[[sp.csr_matrix], np.ndarray]:
    """LSA (step 3) fitted on at most ``SVD_SAMPLE`` rows: a function from feature rows to unit-length vectors."""
    n_docs, n_features = features.shape
    dims = min(MAX_SVD_COMPONENTS, n_docs - 1, n_features - 1)
    if dims < 2:
        return lambda rows: normalize(rows.toarray()).astype(np.float32)
    svd = TruncatedSVD(n_components=dims, n_iter=4, random_state=seed)
    svd.fit(features[_sample(n_docs, SVD_SAMPLE, seed)] if n_docs > SVD_SAMPLE else features)
    components = svd.components_.astype(np.float32).T
    return lambda rows: normalize(np.asarray(rows @ components)).astype(np.float32)


def _lsa(features: sp.csr_matrix, seed: int) -> np.ndarray:
    return _fit_lsa(features, seed)(features)


def _sample(n: int, size: int, seed: int) -> np.ndarray:
    """``size`` sorted row numbers of ``n``, drawn with ``seed``."""
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def _spread(rows: list[int], limit: int) -> list[int]:
    """At most ``limit`` of ``rows``, evenly spaced (deterministic)."""
    if len(rows) <= limit:
        return rows
    step = len(rows) / limit
    return [rows[int(i * step)] for i in range(limit)]


def _kmeans(embedding: np.ndarray, k: int, seed: int) -> np.ndarray:
    """k-means labels; above ``KMEANS_SAMPLE`` rows the several starts run on a seeded sample, and one run on all
    rows starts from the best sample's centres (about the same optimum, in a fraction of the time)."""
    n = embedding.shape[0]
    if n <= KMEANS_SAMPLE:
        return KMeans(n_clusters=k, n_init=_n_init(n), random_state=seed).fit_predict(embedding)
    centres = KMeans(n_clusters=k, n_init=_n_init(KMEANS_SAMPLE), random_state=seed).fit(
        embedding[_sample(n, KMEANS_SAMPLE, seed)]
    ).cluster_centers_
    return KMeans(n_clusters=k, init=centres, n_init=1, random_state=seed).fit_predict(embedding)


def _cluster_in_chunks(
    vectoriser: _Vectoriser,
    project: Callable[[sp.csr_matrix], np.ndarray],
    fitted: np.ndarray,
    fitted_features: sp.csr_matrix,
    fitted_embedding: np.ndarray,
    n: int,
    k: int,
    seed: int,
    watch: _Stopwatch,
) -> tuple[np.ndarray, np.ndarray]:
    """Labels and TF-IDF centre similarities of every row of a large input, never holding all its features.

    k-means runs on the fitted sample first; its groups give each theme's TF-IDF centre. Then every other row is
    vectorised a chunk at a time, reduced, and compared with all centres; k-means on all reduced rows, started from
    the sample's centres, gives the labels, and each row keeps its similarity to its own theme's TF-IDF centre.
    """
    watch("clustering")
    sample_labels = _kmeans(fitted_embedding, k, seed)
    centres = normalize(np.vstack([
        np.asarray(fitted_features[sample_labels == c].mean(axis=0)) if np.any(sample_labels == c)
        else np.zeros((1, fitted_features.shape[1]), dtype=np.float32)
        for c in range(k)
    ]).astype(np.float32))
    embedding = np.zeros((n, fitted_embedding.shape[1]), dtype=np.float32)
    to_centres = np.zeros((n, k), dtype=np.float32)
    embedding[fitted] = fitted_embedding
    to_centres[fitted] = np.asarray(fitted_features @ centres.T)
    rest = np.setdiff1d(np.arange(n), fitted)
    for start in range(0, rest.size, CHUNK):
        watch("vectorising")
        rows = rest[start:start + CHUNK]
        features = vectoriser.transform(rows)
        watch("reduction")
        embedding[rows] = project(features)
        watch("clustering")
        to_centres[rows] = np.asarray(features @ centres.T)
    initial = np.vstack([
        fitted_embedding[sample_labels == c].mean(axis=0) if np.any(sample_labels == c) else fitted_embedding[c]
        for c in range(k)
    ])
    labels = KMeans(n_clusters=k, init=initial, n_init=1, random_state=seed).fit_predict(embedding)
    return labels, to_centres[np.arange(n), labels]


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
    distances = pairwise_distances(sample)  # once, not once per candidate k
    best_k, best_score = 2, -2.0
    for step, candidate in enumerate(candidates):
        labels = KMeans(n_clusters=candidate, n_init=3, random_state=seed).fit_predict(sample)
        if len(set(labels.tolist())) > 1:
            score = float(silhouette_score(distances, labels, metric="precomputed"))
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


def _pick_examples(features: sp.csr_matrix) -> list[int]:
    """The first ``N_EXAMPLES`` rows of ``features`` whose cosine to every row already chosen is at most 0.9."""
    chosen: list[int] = []
    for row in range(features.shape[0]):
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
        order = sorted(rows, key=lambda r: (-float(similarities[r]), r))[:EXAMPLE_CANDIDATES]
        examples = [order[i] for i in _pick_examples(features[order])]
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
