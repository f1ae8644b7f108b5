"""Guided categories: sort free-text answers into categories the office defines, from a few answers it labelled.

Pure functions on lists of texts (no database, no HTTP). A linear classifier (TF-IDF of words and of character
n-grams, which catch German compounds and inflections, + logistic regression) learns from the labelled answers and
gives every other answer a category and a probability. An answer whose best probability is under the threshold
stays *unsorted* for a person to decide. Which answers to label next is chosen by uncertainty sampling: those with
the smallest margin between the two most probable categories, where one more label teaches the model the most.
Before two categories have two examples each there is no model; the first proposals are then a seeded random sample.
"""

from __future__ import annotations

import random
import warnings
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

#: Default confidence under which an answer stays unsorted.
DEFAULT_THRESHOLD = 0.6


@dataclass(frozen=True, slots=True)
class Sorting:
    """The result for every text, by index: the predicted category (None: unsorted or no model yet), the model's
    probability of its best category (0.0 without a model), the indices proposed for labelling next, and the best
    category of every text whatever its probability (None without a model)."""

    predicted: list[Hashable | None]
    confidence: list[float]
    proposals: list[int]
    trained: bool
    guesses: list[Hashable | None] = field(default_factory=list)


def vectorise(texts: Sequence[str]):
    """TF-IDF features of words (1-2 grams) and character 3-5 grams, both l2-normalised, side by side.

    Fitted on all texts of the question (no labels involved), so new labels never change the features.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1, max_features=50_000)
    chars = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5), min_df=2,
                            max_features=100_000)
    texts = [text or "" for text in texts]
    return sparse.hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()


#: A category is learned once it has this many labelled answers (calibration needs two folds).
MIN_EXAMPLES = 2


def fit_predict(features, labels: Mapping[int, Hashable]) -> tuple[list[Hashable], np.ndarray] | None:
    """Train on the labelled rows and return (classes, calibrated probabilities of every row).

    A linear SVM (the strongest of the linear text classifiers we compared on small label sets) with Platt
    (sigmoid) calibration by cross-validation, so the probabilities can be compared with a threshold. Only
    categories with at least `MIN_EXAMPLES` labels are learned; None while fewer than two categories have them.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    counts = Counter(labels.values())
    classes = sorted((c for c, n in counts.items() if n >= MIN_EXAMPLES), key=str)
    if len(classes) < 2:
        return None
    indices = sorted(i for i, c in labels.items() if counts[c] >= MIN_EXAMPLES)
    codes = [classes.index(labels[i]) for i in indices]
    folds = min(3, min(counts[c] for c in classes))
    model = CalibratedClassifierCV(LinearSVC(C=1.0, class_weight="balanced"), method="sigmoid", cv=folds)
    with warnings.catch_warnings():
        # With a few labels per category sklearn suspects a regression target; it is not one.
        warnings.filterwarnings("ignore", message="The number of unique classes", category=UserWarning)
        model.fit(features[indices], codes)
    probabilities = np.zeros((features.shape[0], len(classes)))
    probabilities[:, model.classes_] = model.predict_proba(features)
    return classes, probabilities


def margins(probabilities: np.ndarray) -> np.ndarray:
    """Best minus second-best probability per row (1.0 where there is only one class)."""
    if probabilities.shape[1] < 2:
        return np.ones(probabilities.shape[0])
    top = np.sort(probabilities, axis=1)[:, -2:]
    return top[:, 1] - top[:, 0]


def least_certain(probabilities: np.ndarray, exclude: set[int], count: int) -> list[int]:
    """The `count` rows not in `exclude` with the smallest margin (ties: lower index first)."""
    order = np.lexsort((np.arange(probabilities.shape[0]), margins(probabilities)))
    return [int(i) for i in order if int(i) not in exclude][:count]


def random_start(size: int, exclude: set[int], count: int, seed: int = 0) -> list[int]:
    """A seeded random sample of rows not in `exclude`, for the first labels before a model exists."""
    rest = [i for i in range(size) if i not in exclude]
    return sorted(random.Random(seed).sample(rest, min(count, len(rest))))  # noqa: S311 - a sample, no secret


def sort_texts(
    texts: Sequence[str], labels: Mapping[int, Hashable], *, threshold: float = DEFAULT_THRESHOLD,
    propose: int = 5, seed: int = 0, features=None,
) -> Sorting:
    """Sort `texts` into the categories of `labels` (text index -> category) and propose the next to label.

    Labelled texts keep their label with confidence 1.0; others get the model's best category if its probability
    reaches `threshold`, else None (unsorted).
    """
    size = len(texts)
    labelled = set(labels)
    if size == 0:
        return Sorting([], [], [], False)
    if features is None:
        features = vectorise(texts)
    fitted = fit_predict(features, labels)
    if fitted is None:
        predicted: list[Hashable | None] = [labels.get(i) for i in range(size)]
        confidence = [1.0 if i in labelled else 0.0 for i in range(size)]
        return Sorting(predicted, confidence, random_start(size, labelled, propose, seed), False)
    classes, probabilities = fitted
    best = probabilities.argmax(axis=1)
    predicted, confidence = [], []
    for i in range(size):
        if i in labelled:
            predicted.append(labels[i])
            confidence.append(1.0)
            continue
        p = float(probabilities[i, best[i]])
        predicted.append(classes[best[i]] if p >= threshold else None)
        confidence.append(p)
    guesses = [labels[i] if i in labelled else classes[best[i]] for i in range(size)]
    return Sorting(predicted, confidence, least_certain(probabilities, labelled, propose), True, guesses)
