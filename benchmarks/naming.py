"""Cost of naming themes (participation.analysis.naming) next to clustering them, on real-length answers.

    python benchmarks/naming.py /work/shared/data/raddialog_bonn_l1.jsonl --sizes 1000,10000

For each size, the file's texts are repeated to that many answers, clustered with cluster_texts (automatic k), and
the themes are named with phrase_names (what a clustering run stores as each theme's suggestion). Prints seconds of
CPU time for both and their ratio, and every name beside the theme's keywords, so the names can be read.

If the file's lines have a "label" (the Bonn files, the demo's answers), the file itself is also clustered and named
once, and each German theme's name is set beside the label most of its answers carry: the count of names that share
a word with that label (by stem, a compound counting for its parts: "Falschparker" shares "park" with "Parkende
Autos"). A rough measure of whether a name says what annotators saw in the theme, to compare code versions; a good
name can still use other words than the label.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from participation.analysis import cluster_texts  # noqa: E402
from participation.analysis.naming import phrase_names  # noqa: E402


def _stems(text: str) -> set[str]:
    from participation.analysis.preprocess import stem

    words = re.findall(r"[^\W\d_]+", text.replace("_", " "))
    return {stem(w) for w in words if len(w) >= 4}


def shares_a_word(name: str, label: str) -> bool:
    return any(a in b or b in a for a in _stems(name) for b in _stems(label))


def label_agreement(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows or "label" not in rows[0]:
        return
    items = [(i, row["text"]) for i, row in enumerate(rows)]
    result = cluster_texts(items)
    in_themes = {a for t in result.themes for a in t.member_ids}
    names = phrase_names([[rows[a]["text"] for a in t.member_ids] for t in result.themes]
                         + [[text for a, text in items if a not in in_themes]])
    german = [(t, name) for t, name in zip(result.themes, names, strict=False) if t.language == "de"]
    hits = 0
    for theme, name in german:
        label = Counter(str(rows[a]["label"]) for a in theme.member_ids).most_common(1)[0][0]
        hits += shares_a_word(name, label)
        print(f"         {theme.size:>6}  {name!r:40}  main label: {label}")
    print(f"{len(rows):>7} answers of the file: {hits} of {len(german)} names share a word with their theme's "
          "main label")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    label_agreement(args.file)
    texts = [json.loads(line)["text"] for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    for size in [int(s) for s in args.sizes.split(",") if s.strip() and int(s) > 0]:
        items = list(enumerate((texts * (size // len(texts) + 1))[:size]))
        start = time.process_time()
        result = cluster_texts(items)
        clustered = time.process_time() - start
        text_of = dict(items)
        start = time.process_time()
        in_themes = {a for t in result.themes for a in t.member_ids}
        names = phrase_names([[text_of[a] for a in t.member_ids] for t in result.themes]
                             + [[text for a, text in items if a not in in_themes]])
        named = time.process_time() - start
        print(f"{size:>7} answers: clustering {clustered:6.2f} s CPU, naming {named:5.2f} s CPU "
              f"({named / clustered:.0%} of clustering), {len(result.themes)} themes")
        for theme, name in zip(result.themes, names, strict=False):
            print(f"         {theme.size:>6}  {name!r:40}  keywords: {', '.join(theme.terms[:5])}")


if __name__ == "__main__":
    main()
