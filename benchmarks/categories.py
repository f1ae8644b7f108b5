"""Guided categories: how many labelled answers the classifier needs (participation.analysis.categories).

    python benchmarks/categories.py /work/shared/data/raddialog_bonn_l1.jsonl /work/shared/data/raddialog_bonn_l2.jsonl
    python benchmarks/categories.py FILE.jsonl --seeds 5 --budgets 25,50,100,200,400

For each JSON Lines file of {"text": ..., "label": ...}: macro-F1 on the answers not yet labelled, against the number
of labelled answers (the budgets given, and 10 % of the answers), for these ways of choosing which answers a person
labels:

- random: a random sample of that size;
- random (seeded): two answers of every category first, then a random sample;
- active (random start): 10 random answers, then repeatedly the least certain answers (smallest margin between the
  two most probable categories) as the platform proposes them;
- active (seeded): two answers of every category first (as when the office picks a few examples per category), then
  uncertainty sampling;
- active, no names: the same without the category names (below).

As on the platform, where each category's name and description are an example of it (`DESCRIPTION_WEIGHT`), the
model learns from the category names, the only description these files have ("Ampelschaltung ungünstig",
"Beleuchtung fehlt"); the last column shows what they add. Active learning adds labels in batches (5 at a time up
to 50 labels, then a quarter of the labelled count), so that a run stays short; the platform proposes 5 at a time.
Every answer is scored, the predicted category being the most probable (no confidence threshold; a category the
model has not learned yet counts as a miss). The seeded starts count in the budget (2 x 24 = 48 labels for 24
categories). The reference is the best model we have trained on 80 % of the answers, 5-fold stratified
cross-validation (mean macro-F1 of the folds): the same classifier with names and self-training, without
self-training, and without names, whichever scores highest. Figures are means over the seeds. The aim: 90 % of the
reference with at most 10 % of the answers labelled. The last lines give the time to vectorise the answers (once
per question, kept by the platform) and of one retrain + proposal as the page does it, with 10 % and with 400
labels (wall clock; it includes whatever else runs on the machine).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.cluster import load  # noqa: E402 - after the path set-up above

STRATEGIES = ("random", "random (seeded)", "active (random start)", "active (seeded)", "active, no names")




def described(truth: list[str]) -> dict[int, str]:
    """The rows after the answers' that hold each category's name (`with_descriptions`), by category."""
    return {len(truth) + j: label for j, label in enumerate(sorted(set(truth)))}


def macro_f1(features, truth: list[str], labelled: dict[int, str], *, self_training: bool = True,
             names: bool = True) -> float:
    """Macro-F1 on the answers not in `labelled`, with a model trained on `labelled` (and the category names)."""
    import numpy as np
    from sklearn.metrics import f1_score

    from participation.analysis.categories import fit_predict

    rest = [i for i in range(len(truth)) if i not in labelled]
    fitted = fit_predict(features, labelled, self_training=self_training, calibrate=False,
                         descriptions=described(truth) if names else None)
    if fitted is None:
        predicted = [""] * len(rest)
    else:
        classes, probabilities = fitted
        best = np.asarray(probabilities).argmax(axis=1)
        predicted = [classes[best[i]] for i in rest]
    return float(f1_score([truth[i] for i in rest], predicted, average="macro", labels=sorted(set(truth)),
                          zero_division=0))


def reference(features, truth: list[str], seed: int = 0, *, self_training: bool = True, names: bool = True) -> float:
    """Mean macro-F1 of the model trained on 80 % (5-fold stratified cross-validation)."""
    from sklearn.model_selection import StratifiedKFold

    scores = []
    for train, _test in StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(truth, truth):
        scores.append(macro_f1(features, truth, {int(i): truth[i] for i in train}, self_training=self_training,
                               names=names))
    return sum(scores) / len(scores)


def seed_labels(truth: list[str], rng: random.Random, per_category: int = 2) -> list[int]:
    """`per_category` random answers of every category, as when the office picks a few examples of each."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(truth):
        by_label[label].append(i)
    return [i for label in sorted(by_label) for i in rng.sample(by_label[label], min(per_category,
                                                                                     len(by_label[label])))]


def curve(features, truth: list[str], strategy: str, budgets: list[int], seed: int) -> dict[int, float]:
    """Macro-F1 at each budget for one strategy and seed."""
    from participation.analysis.categories import fit_predict, least_certain, random_start

    rng = random.Random(seed)
    size = len(truth)
    if strategy in ("random", "random (seeded)"):
        start = seed_labels(truth, rng) if strategy == "random (seeded)" else []
        order = [i for i in range(size) if i not in set(start)]
        rng.shuffle(order)
        order = start + order
        return {b: macro_f1(features, truth, {i: truth[i] for i in order[:b]}) for b in budgets
                if len(start) <= b < size}
    names = strategy != "active, no names"
    if strategy in ("active (seeded)", "active, no names"):
        start = seed_labels(truth, rng)
    else:
        start = random_start(size, set(), 10, seed)
    labelled = {i: truth[i] for i in start}
    result: dict[int, float] = {}
    for budget in sorted(budgets):
        if budget < len(labelled) or budget >= size:
            continue
        while len(labelled) < budget:
            step = min(budget - len(labelled), 5 if len(labelled) < 50 else max(5, len(labelled) // 4))
            fitted = fit_predict(features, labelled, descriptions=described(truth) if names else None)
            if fitted is None:
                chosen = random_start(size, set(labelled), step, rng.randrange(1 << 30))
            else:
                chosen = least_certain(fitted[1][:size], set(labelled), step)
            labelled.update({i: truth[i] for i in chosen})
        result[budget] = macro_f1(features, truth, labelled, names=names)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--budgets", default="25,50,100,200,400")
    args = parser.parse_args()
    budgets = [int(b) for b in args.budgets.split(",") if b.strip()]

    from participation.analysis.categories import sort_texts, vectorise, with_descriptions

    for path in args.files:
        texts, truth = load(path)
        tenth = len(texts) // 10  # the aim's budget: 10 % of the answers
        file_budgets = sorted({*budgets, tenth})
        started = time.perf_counter()
        names = {label: label for label in sorted(set(truth))}  # the only description these files have
        features = vectorise(with_descriptions(texts, names))
        vectorise_seconds = time.perf_counter() - started
        variants = {
            "with names and self-training": reference(features, truth),
            "without self-training": reference(features, truth, self_training=False),
            "without names": reference(features, truth, names=False),
        }
        ref = max(variants.values())
        print(f"\n{path.name}: {len(texts)} answers, {len(set(truth))} categories; "
              f"reference (80 %, 5-fold CV) macro-F1 {ref:.3f} ("
              + ", ".join(f"{name} {value:.3f}" for name, value in variants.items())
              + f"); aim 90 % = {0.9 * ref:.3f} with ≤ {int(0.1 * len(texts))} labels")
        header = f"{'labelled':>8} {'share':>6} " + " ".join(f"{s:>22}" for s in STRATEGIES)
        print(header)
        print("-" * len(header))
        means: dict[str, dict[int, float]] = {}
        for strategy in STRATEGIES:
            runs = [curve(features, truth, strategy, file_budgets, seed) for seed in range(args.seeds)]
            means[strategy] = {b: sum(r[b] for r in runs) / len(runs) for b in file_budgets
                               if all(b in r for r in runs)}
        for budget in file_budgets:
            cells = []
            for strategy in STRATEGIES:
                value = means[strategy].get(budget)
                cells.append(f"{'–':>22}" if value is None else f"{value:>9.3f} ({value / ref:>4.0%} of ref)")
            mark = " ← 10 %" if budget == tenth else ""
            print(f"{budget:>8} {budget / len(texts):>6.1%} " + " ".join(cells) + mark)
        timings = []
        for count in (tenth, 400):
            labels = {i: truth[i] for i in random.Random(0).sample(range(len(texts)), min(count, len(texts) - 1))}
            started = time.perf_counter()
            sort_texts(texts, labels, features=features, descriptions=names)
            timings.append(f"{len(labels)} labels {time.perf_counter() - started:.2f} s")
        print(f"time: vectorise {vectorise_seconds:.2f} s; one retrain + proposal of {len(texts)} answers with "
              + ", with ".join(timings))


if __name__ == "__main__":
    main()
