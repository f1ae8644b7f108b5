"""Quality and speed of the theme clustering (participation.analysis.cluster_texts).

    python benchmarks/cluster.py participation/demo/data/freitext_eltern.jsonl [MORE.jsonl ...]
    python benchmarks/cluster.py FILE.jsonl --sizes 1000,10000        # skip the 100,000 run
    python benchmarks/cluster.py FILE.jsonl --sizes 0                 # quality only
    python benchmarks/cluster.py FILE.jsonl --reference main          # main's code beside the working tree's

Quality: NMI, ARI and V-measure against the human labels of each JSON Lines file of {"text": ..., "label": ...},
for our pipeline (automatic k, and k = number of labels), for each --reference revision the same way, and for a
plain baseline, TF-IDF + k-means, with k = the number of labels and with our automatic k. A last row, the
ceiling, is the platform's category classifier trained on 80 % of the labels (5-fold cross-validation): an
unsupervised clustering, which sees no label, is not expected to come near it. Sonstiges (-1) counts as
one more cluster; every answer is scored.

Speed: time and peak memory of cluster_texts plus the themes' phrase names (as the themes job runs them) for
1,000 / 10,000 / 100,000 answers made by sampling the first file and perturbing each sampled answer (typos, dropped
and swapped words, two answers of one label joined), so that nearly all of them are distinct. Each size and code
runs in a fresh subprocess; peak memory is its maximum resident set size (ru_maxrss), shown in total and as the
growth during clustering. Wall-clock and CPU seconds are both shown, as the wall clock also counts whatever else
runs on the machine, and then the CPU seconds of each stage (languages, preprocessing, vectorising, reduction,
choosing k, clustering, labelling, naming), from ``ClusteringResult.timings``. A --reference revision
is unpacked from git into a temporary folder and run with this checkout's environment (without PyStemmer if its
lock did not have it), so that the two compare within one run on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load(path: Path) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(str(row["label"]))
    return texts, labels


def baseline(texts: list[str], k: int, seed: int = 0) -> list[int]:
    """Plain TF-IDF (scikit-learn defaults) + k-means, the reference to beat."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from threadpoolctl import threadpool_limits

    features = TfidfVectorizer().fit_transform(texts)
    with threadpool_limits(limits=1):  # as in cluster_texts, so that the timings compare
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(features).tolist()


def supervised(texts: list[str], truth: list[str], seed: int = 0) -> list[int]:
    """Predictions of the platform's category classifier trained on 80 % of the labels (5-fold cross-validation,
    each answer predicted by the fold that did not see it): what a clustering could reach at best if its themes
    had to match these labels, since it sees no label at all."""
    from sklearn.model_selection import StratifiedKFold

    from participation.analysis.categories import fit_predict, vectorise

    features = vectorise(texts)
    codes = {label: code for code, label in enumerate(sorted(set(truth)))}
    predicted = [0] * len(texts)
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(texts, truth):
        fitted = fit_predict(features, {int(i): truth[i] for i in train}, self_training=False, calibrate=False)
        assert fitted is not None
        classes, probabilities = fitted
        best = np.asarray(probabilities).argmax(axis=1)
        for i in test:
            predicted[i] = codes[classes[best[i]]]
    return predicted


def scores(truth: list[str], predicted: list[int]) -> tuple[float, float, float]:
    from sklearn import metrics

    return (
        metrics.normalized_mutual_info_score(truth, predicted),
        metrics.adjusted_rand_score(truth, predicted),
        metrics.v_measure_score(truth, predicted),
    )


STAGES = ("languages", "preprocessing", "vectorising", "reduction", "choosing_k", "clustering", "labelling",
          "naming")


def reference_code(ref: str) -> Path:
    """``participation/analysis`` of a git revision, unpacked into a temporary folder, to run beside ours."""
    folder = Path(tempfile.mkdtemp(prefix="cluster-ref-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "participation/analysis"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "participation" / "__init__.py").write_text("")
    lock = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:requirements.lock"],
                          capture_output=True, text=True).stdout
    if "pystemmer" not in lock.lower():
        # The reference ran with snowballstemmer's pure-Python stemmer; it would pick up PyStemmer if installed.
        (folder / "Stemmer.py").write_text("raise ImportError('the reference revision had no PyStemmer')\n")
    return folder


def run_child(args: list[str], code: Path | None) -> dict:
    command = [sys.executable, __file__, *args]
    if code is not None:
        command += ["--code", str(code)]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(run.stderr)
    return json.loads(run.stdout.strip().splitlines()[-1])


def quality_child(path: Path) -> None:
    """Runs in a subprocess: the clustering of one labelled file at automatic k and at k = number of labels."""
    from participation.analysis import cluster_texts

    texts, truth = load(path)
    out = {}
    for name, k in (("auto", None), ("labels", len(set(truth)))):
        start = time.perf_counter()
        result = cluster_texts(texts, k=k)
        out[name] = {"k": result.k, "predicted": [a.cluster for a in result.assignments],
                     "seconds": time.perf_counter() - start}
    print(json.dumps(out))


def quality(paths: list[Path], codes: list[tuple[str, Path | None]]) -> None:
    print(f"{'dataset':<28} {'n':>6} {'labels':>6}  {'method':<34} {'k':>3} {'NMI':>6} {'ARI':>6} {'V':>6} {'s':>6}")
    for path in paths:
        texts, truth = load(path)
        n_labels = len(set(truth))
        runs: list[tuple[str, int, list[int], float]] = []
        auto_k = 0
        for code_name, code in codes:
            result = run_child(["--child-quality", str(path)], code)
            auto_k = result["auto"]["k"]
            runs.append((f"{code_name} (auto k)", result["auto"]["k"], result["auto"]["predicted"],
                         result["auto"]["seconds"]))
            runs.append((f"{code_name} (k={n_labels} = labels)", result["labels"]["k"],
                         result["labels"]["predicted"], result["labels"]["seconds"]))
        start = time.perf_counter()
        predicted = supervised(texts, truth)
        runs.append(("supervised, 80 % labels (ceiling)", n_labels, predicted, time.perf_counter() - start))
        for name, k in ((f"TF-IDF+KMeans (k={n_labels})", n_labels),
                        (f"TF-IDF+KMeans (k={auto_k}, {codes[-1][0][:8]})", auto_k)):
            start = time.perf_counter()
            predicted = baseline(texts, k)
            runs.append((name, k, predicted, time.perf_counter() - start))
        for name, k, predicted, seconds in runs:
            nmi, ari, v = scores(truth, predicted)
            print(f"{path.name[:28]:<28} {len(texts):>6} {n_labels:>6}  {name:<34} {k:>3} "
                  f"{nmi:>6.3f} {ari:>6.3f} {v:>6.3f} {seconds:>6.2f}", flush=True)


def synthesise(texts: list[str], labels: list[str], size: int, seed: int = 0) -> list[str]:
    """``size`` answers sampled from ``texts`` and perturbed, so that nearly all are distinct."""
    rng = random.Random(seed)
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    out: list[str] = []
    for _ in range(size):
        i = rng.randrange(len(texts))
        words = texts[i].split()
        if rng.random() < 0.3:
            words += rng.choice(by_label[labels[i]]).split()[: rng.randint(3, 12)]
        if len(words) > 3 and rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        if len(words) > 3 and rng.random() < 0.3:
            a, b = rng.randrange(len(words)), rng.randrange(len(words))
            words[a], words[b] = words[b], words[a]
        for _ in range(rng.randint(0, 2)):
            j = rng.randrange(len(words))
            w = words[j]
            if len(w) > 4:
                p = rng.randrange(1, len(w) - 2)
                words[j] = w[:p] + w[p + 1] + w[p] + w[p + 2:] if rng.random() < 0.5 else w[:p] + w[p + 1:]
        out.append(" ".join(words))
    return out


def child(path: Path, size: int) -> None:
    """Runs in a subprocess: time, stages and peak memory of one clustering and its naming, printed as JSON."""
    from participation.analysis import cluster_texts
    from participation.analysis.naming import phrase_names

    texts, labels = load(path)
    items = list(enumerate(synthesise(texts, labels, size)))
    distinct = len({t for _, t in items})
    del texts, labels
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), time.process_time()
    result = cluster_texts(items)
    named = time.process_time()
    # Naming as the themes job does it (participation.surveys.services.themes.suggest_names).
    text_of = dict(items)
    in_themes = {a for theme in result.themes for a in theme.member_ids}
    groups = [[text_of[a] for a in theme.member_ids] for theme in result.themes]
    phrase_names([*groups, [text for a, text in items if a not in in_themes]])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    stages = dict(getattr(result, "timings", {}))
    stages["naming"] = time.process_time() - named
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "size": size, "distinct": distinct, "seconds": seconds, "cpu": cpu, "k": result.k,
        "themes": len(result.themes), "sonstiges": len(result.sonstiges_ids),
        "peak_mb": rss_after / 1024, "growth_mb": (rss_after - rss_before) / 1024, "stages": stages,
    }))


def speed(path: Path, sizes: list[int], codes: list[tuple[str, Path | None]]) -> None:
    print(f"\nspeed on answers synthesised from {path.name} (one fresh process per size and code; seconds are "
          "wall-clock, compare ratios within one run)")
    short = [s[:6] for s in STAGES]
    print(f"{'code':<10} {'answers':>8} {'distinct':>8} {'wall s':>7} {'CPU s':>7} {'k':>3} {'themes':>6} "
          f"{'sonst.':>6} {'peak MB':>7} {'grow MB':>7}  " + " ".join(f"{s:>6}" for s in short))
    for size in sizes:
        for code_name, code in codes:
            r = run_child(["--child", str(size), str(path)], code)
            stages = " ".join(f"{r['stages'][s]:>6.2f}" if s in r["stages"] else f"{'-':>6}" for s in STAGES)
            print(f"{code_name[:10]:<10} {r['size']:>8} {r['distinct']:>8} {r['seconds']:>7.2f} {r['cpu']:>7.2f} "
                  f"{r['k']:>3} {r['themes']:>6} {r['sonstiges']:>6} {r['peak_mb']:>7.0f} {r['growth_mb']:>7.0f}  "
                  f"{stages}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, help="JSON Lines files of {text, label}")
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="comma-separated numbers of answers for the speed runs; 0 for none")
    parser.add_argument("--reference", metavar="GIT_REV", action="append", default=[],
                        help="also run participation/analysis of this revision (e.g. main) in the same conditions; "
                             "may be given more than once")
    parser.add_argument("--no-working-tree", action="store_true",
                        help="run only the --reference revisions, not the working tree's code")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-quality", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.code:
        sys.path.insert(0, str(args.code))
    if args.child:
        child(args.files[0], args.child)
        return
    if args.child_quality:
        quality_child(args.files[0])
        return
    codes: list[tuple[str, Path | None]] = [(ref, reference_code(ref)) for ref in args.reference]
    if not args.no_working_tree:
        codes.append(("ours", None))
    try:
        quality(args.files, codes)
        sizes = [int(s) for s in args.sizes.split(",") if s.strip() and int(s) > 0]
        if sizes:
            speed(args.files[0], sizes, codes)
    finally:
        for _name, code in codes:
            if code is not None:
                shutil.rmtree(code, ignore_errors=True)


if __name__ == "__main__":
    main()
