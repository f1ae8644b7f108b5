"""Guided categories: sort free-text answers into categories the office defines, from a few answers it labelled.

Pure functions on lists of texts (no database, no HTTP). A linear SVM on TF-IDF of words and of character n-grams
(which catch German compounds and inflections) learns from the labelled answers, once more with the unlabelled
answers it is surest of (self-training), and gives every other answer a category and a probability (temperature
scaling fitted by cross-validation, shrunk towards uniform while there are few labels). An answer whose best
probability is under the threshold stays *unsorted* for a person to decide. Which answers to label next is chosen by
uncertainty sampling: those with the smallest margin between the two most probable categories, where one more label
teaches the model the most. Before two categories have two examples each there is no model; the first proposals are
then a seeded random sample. Each category's own words, its name and description as the office wrote them, are
one more example of it, weighted as a few answers: they say what the category is about before many answers do.
`benchmarks/categories.py` measures the choices on labelled data.
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


#: A category is learned once it has this many labelled answers (the confidence is fitted by cross-validation, which
#: needs every learned category in two folds).
MIN_EXAMPLES = 2
#: Regularisation of the linear SVM: weaker than scikit-learn's default (C=1), which overfits a few labels per
#: category; on the Bonn sets C=0.3 was better both with few labels and with 80 % labelled.
SVM_C = 0.3
#: Self-training: per category, up to this many times its labelled count of the unlabelled answers it is most
#: surely predicted for join the training set, with this weight.
SELF_TRAINING_SHARE = 2
SELF_TRAINING_WEIGHT = 0.5
#: Weight of a category's name and description as an example of it, against 1 for a labelled answer (on the Bonn
#: sets 3 was better than 1 and 2; see `benchmarks/categories.py`).
DESCRIPTION_WEIGHT = 3.0


def _svm():
    from sklearn.svm import LinearSVC

    return LinearSVC(C=SVM_C, class_weight="balanced")


@dataclass(frozen=True, slots=True)
class _Anchors:
    """Rows that every model trains on, whatever the fold: the categories' own descriptions, never held out, never
    proposed, never sorted."""

    rows: np.ndarray
    codes: np.ndarray
    #: Every description row, also of categories not learned yet: none of them is pseudo-labelled.
    all_rows: np.ndarray


def _decisions(features, rows: np.ndarray, codes: np.ndarray, n_classes: int, self_training: bool,
               anchors: _Anchors) -> np.ndarray:
    """Decision values of every row for every class, from an SVM trained on `rows` and the anchors (and
    pseudo-labelled rows)."""
    train = np.concatenate([rows, anchors.rows])
    targets = np.concatenate([codes, anchors.codes])
    weights = np.concatenate([np.ones(len(rows)), np.full(len(anchors.rows), DESCRIPTION_WEIGHT)])
    model = _svm().fit(features[train], targets, sample_weight=weights)
    decision = _full(model.decision_function(features), model.classes_, n_classes)
    if not self_training:
        return decision
    best = decision.argmax(axis=1)
    # how surely: the lead of the best class over the second (scale-free enough to rank within one class)
    lead = np.sort(decision, axis=1)
    lead = lead[:, -1] - lead[:, -2]
    unlabelled = np.setdiff1d(np.arange(features.shape[0]), np.concatenate([rows, anchors.all_rows]))
    extra: list[np.ndarray] = []
    for code in range(n_classes):
        candidates = unlabelled[best[unlabelled] == code]
        take = SELF_TRAINING_SHARE * int(np.sum(codes == code))
        extra.append(candidates[np.argsort(-lead[candidates], kind="stable")][:take])
    pseudo = np.concatenate(extra).astype(int)
    if not len(pseudo):
        return decision
    model = _svm().fit(features[np.concatenate([train, pseudo])], np.concatenate([targets, best[pseudo]]),
                       sample_weight=np.concatenate([weights, np.full(len(pseudo), SELF_TRAINING_WEIGHT)]))
    return _full(model.decision_function(features), model.classes_, n_classes)


def _full(decision: np.ndarray, present: np.ndarray, n_classes: int) -> np.ndarray:
    """Decision values as (rows, n_classes); a binary SVM gives one column, a class missing from a fold -inf."""
    if decision.ndim == 1:
        decision = np.column_stack([-decision, decision])
    full = np.full((decision.shape[0], n_classes), -np.inf)
    full[:, present] = decision
    return full


def _softmax(decision: np.ndarray, temperature: float, seen: int) -> np.ndarray:
    """Softmax of the scores at `temperature`, shrunk towards "all categories equally likely" as by one more example
    per category than the `seen` labelled ones (add-one smoothing): a model that has seen a handful of answers is
    never 99 % sure, however cleanly they split."""
    scaled = decision / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    classes = decision.shape[1]
    return (exp / exp.sum(axis=1, keepdims=True) * seen + 1) / (seen + classes)


def _temperature(features, rows: np.ndarray, codes: np.ndarray, n_classes: int, self_training: bool,
                 anchors: _Anchors) -> float:
    """The softmax temperature that makes the SVM's scores honest probabilities, fitted by cross-validation.

    One number for all categories (temperature scaling), so it can be fitted from two examples per category, where
    a per-category sigmoid (Platt) cannot; and it keeps the order of the categories, so the sorted category is the
    SVM's best one.
    """
    from scipy.optimize import minimize_scalar
    from sklearn.model_selection import StratifiedKFold

    folds = min(3, int(np.bincount(codes).min()))
    held_out, truth = [], []
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(rows, codes):
        if len(set(codes[train].tolist())) < 2:
            continue
        decision = _decisions(features, rows[train], codes[train], n_classes, self_training, anchors)[rows[test]]
        known = np.isfinite(decision[np.arange(len(test)), codes[test]])
        held_out.append(decision[known])
        truth.append(codes[test][known])
    if not held_out:
        return 1.0
    decision, truth = np.concatenate(held_out), np.concatenate(truth)

    def loss(log_t: float) -> float:
        p = _softmax(decision, float(np.exp(log_t)), len(rows))[np.arange(len(truth)), truth]
        return float(-np.log(np.clip(p, 1e-12, 1)).mean())

    return float(np.exp(minimize_scalar(loss, bounds=(-5.0, 3.0), method="bounded").x))


def fit_predict(
    features, labels: Mapping[int, Hashable], *, self_training: bool = True, calibrate: bool = True,
    descriptions: Mapping[int, Hashable] | None = None,
) -> tuple[list[Hashable], np.ndarray] | None:
    """Train on the labelled rows and return (classes, probabilities of every row).

    ``descriptions`` (row -> category): rows that describe a category in its own words (its name and description),
    trained on with `DESCRIPTION_WEIGHT` in every fit, for the categories that are learned.

    A linear SVM with balanced class weights (the strongest of the linear text classifiers we compared with few
    labels per category: logistic regression and complement naive Bayes were weaker or much slower), trained once
    more with the unlabelled answers it is surest of (self-training, which helps most where categories have only a
    few labels); its scores become probabilities by a softmax whose temperature is fitted by cross-validation on the
    labels (`calibrate=False`: temperature 1, for a caller that
    needs only the best class). Only categories with at least `MIN_EXAMPLES` labels are learned; None while fewer
    than two have them.
    """
    counts = Counter(labels.values())
    classes = sorted((c for c, n in counts.items() if n >= MIN_EXAMPLES), key=str)
    if len(classes) < 2:
        return None
    code_of = {c: k for k, c in enumerate(classes)}
    rows = np.array(sorted(i for i, c in labels.items() if c in code_of), dtype=int)
    codes = np.array([code_of[labels[i]] for i in rows], dtype=int)
    descriptions = descriptions or {}
    described = sorted(i for i, c in descriptions.items() if c in code_of and i not in labels)
    anchors = _Anchors(np.array(described, dtype=int), np.array([code_of[descriptions[i]] for i in described],
                                                                 dtype=int), np.array(sorted(descriptions), dtype=int))
    with warnings.catch_warnings():
        # With a few labels per category sklearn suspects a regression target; it is not one.
        warnings.filterwarnings("ignore", message="The number of unique classes", category=UserWarning)
        decision = _decisions(features, rows, codes, len(classes), self_training, anchors)
        temperature = _temperature(features, rows, codes, len(classes), self_training, anchors) if calibrate else 1.0
    return classes, _softmax(decision, temperature, len(rows))


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
    propose: int = 5, seed: int = 0, features=None, descriptions: Mapping[Hashable, str] | None = None,
) -> Sorting:
    """Sort `texts` into the categories of `labels` (text index -> category) and propose the next to label.

    Labelled texts keep their label with confidence 1.0; others get the model's best category if its probability
    reaches `threshold`, else None (unsorted). ``descriptions`` (category -> its name and description) teach the
    model each category's own words; ``features``, if given, are `vectorise` of `with_descriptions`.
    """
    size = len(texts)
    labelled = set(labels)
    if size == 0:
        return Sorting([], [], [], False)
    descriptions = _written(descriptions or {})
    if features is None:
        features = vectorise(with_descriptions(texts, descriptions))
    described = {size + j: category for j, category in enumerate(descriptions)}
    fitted = fit_predict(features, labels, descriptions=described)
    if fitted is None:
        predicted: list[Hashable | None] = [labels.get(i) for i in range(size)]
        confidence = [1.0 if i in labelled else 0.0 for i in range(size)]
        return Sorting(predicted, confidence, random_start(size, labelled, propose, seed), False)
    classes, probabilities = fitted
    probabilities = probabilities[:size]
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


def with_descriptions(texts: Sequence[str], descriptions: Mapping[Hashable, str]) -> list[str]:
    """The rows `sort_texts` vectorises: the texts, then each category's description (those not blank)."""
    return [*texts, *_written(descriptions).values()]


def _written(descriptions: Mapping[Hashable, str]) -> dict[Hashable, str]:
    return {category: text for category, text in descriptions.items() if text.strip()}
