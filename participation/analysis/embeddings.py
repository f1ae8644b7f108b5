"""Word vectors learned from the answers themselves, and answer vectors built from them.

Two answers about the same topic often share no word ("Gehweg zugeparkt" and "Autos stehen auf dem Radstreifen").
Words that occur in the same answers do meet, though: a word's vector here is its row of the positive pointwise
mutual information (PPMI) of word co-occurrence within answers, reduced by a truncated SVD (Levy, Goldberg and Dagan
2015: "Improving distributional similarity with lessons learned from word embeddings"; context distribution
smoothing with exponent 0.75). An answer's vector is the TF-IDF-weighted mean of its words' vectors.

No model is downloaded and nothing is tuned to a topic: the vectors come from the round's own answers, so a
survey about Kitas and a dialogue about cycling each learn their own vocabulary. For speed and memory on 100,000
answers, co-occurrence is counted on a seeded sample and only the most frequent words get vectors.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

__all__ = ["document_vectors", "ppmi_word_vectors"]

MAX_WORDS = 8_000
"""Only the most widespread words get a vector; the rest add nothing to an answer's vector."""
COOCCURRENCE_SAMPLE = 20_000
CONTEXT_SMOOTHING = 0.75


def ppmi_word_vectors(
    weights: sp.csr_matrix, dims: int = 100, seed: int = 0, sample: int = COOCCURRENCE_SAMPLE
) -> tuple[np.ndarray, np.ndarray]:
    """Word vectors (unit length) from answer x word ``weights`` (any non-negative weights, e.g. TF-IDF).

    Returns ``(columns, vectors)``: the column indices of ``weights`` that got a vector, and one row per such
    column. Co-occurrence is "both words in one answer", counted on at most ``sample`` answers.
    """
    n_docs = weights.shape[0]
    present = (weights > 0).astype(np.float32).tocsr()
    rows = np.arange(n_docs)
    if n_docs > sample:
        rows = np.sort(np.random.default_rng(seed).choice(n_docs, sample, replace=False))
    present = present[rows]
    document_frequency = np.asarray(present.sum(axis=0)).ravel()
    columns = np.flatnonzero(document_frequency >= 2)
    if columns.size > MAX_WORDS:
        top = np.argsort(-document_frequency[columns], kind="stable")[:MAX_WORDS]
        columns = np.sort(columns[top])
    if columns.size < 3:
        return columns, np.zeros((columns.size, 0), dtype=np.float32)
    present = present[:, columns]
    counts = (present.T @ present).tocoo()
    off_diagonal = counts.row != counts.col
    row_ids, col_ids, values = counts.row[off_diagonal], counts.col[off_diagonal], counts.data[off_diagonal]
    total = float(values.sum())
    if total <= 0:
        return columns, np.zeros((columns.size, 0), dtype=np.float32)
    word_totals = np.bincount(row_ids, weights=values, minlength=columns.size)
    context = word_totals ** CONTEXT_SMOOTHING
    context /= context.sum()
    with np.errstate(divide="ignore"):
        pmi = np.log(values * (1.0 / total)) - np.log(word_totals[row_ids] / total) - np.log(context[col_ids])
    keep = pmi > 0
    ppmi = sp.csr_matrix(
        (pmi[keep].astype(np.float32), (row_ids[keep], col_ids[keep])), shape=(columns.size, columns.size)
    )
    dims = min(dims, columns.size - 1)
    vectors = TruncatedSVD(n_components=dims, n_iter=4, random_state=seed).fit_transform(ppmi)
    return columns, normalize(vectors).astype(np.float32)


def document_vectors(weights: sp.csr_matrix, columns: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Each answer's weighted mean of its words' vectors, unit length (zero for an answer without such words)."""
    if vectors.shape[1] == 0:
        return np.zeros((weights.shape[0], 0), dtype=np.float32)
    return normalize(np.asarray(weights[:, columns] @ vectors)).astype(np.float32)
