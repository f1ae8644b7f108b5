"""``participation cluster``: cluster a JSON Lines file of free-text answers into themes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

__all__ = ["cluster", "read_answers"]


def read_answers(path: Path) -> list[tuple[Any, str]]:
    """Read ``{"id": ..., "text": ...}`` lines; blank lines are skipped.

    Raises ``click.BadParameter`` naming the line number and the reason for the first bad line.
    """
    answers: list[tuple[Any, str]] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.BadParameter(f"line {number}: not valid JSON ({exc.msg})", param_hint="INPUT") from None
            if not isinstance(row, dict):
                raise click.BadParameter(f"line {number}: expected a JSON object", param_hint="INPUT")
            if "id" not in row or "text" not in row:
                raise click.BadParameter(f'line {number}: needs both "id" and "text"', param_hint="INPUT")
            if not isinstance(row["text"], str):
                raise click.BadParameter(f'line {number}: "text" must be a string', param_hint="INPUT")
            if not isinstance(row["id"], (str, int)) or isinstance(row["id"], bool):
                raise click.BadParameter(f'line {number}: "id" must be a string or an integer', param_hint="INPUT")
            key = json.dumps(row["id"])
            if key in seen:
                raise click.BadParameter(f"line {number}: duplicate id {key}", param_hint="INPUT")
            seen.add(key)
            answers.append((row["id"], row["text"]))
    return answers


@click.command("cluster")
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the themes as JSON.")
@click.option("--k", type=click.IntRange(min=1), default=None,
              help="Number of themes (default: chosen automatically).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; same seed, same result.")
def cluster(input_path: Path, output_path: Path, k: int | None, seed: int) -> None:
    """Cluster free-text answers (JSON Lines with "id" and "text") into themes.

    Writes {"clusters": [...], "assignments": [...]}; cluster -1 is "Sonstiges" (fits no theme).
    """
    answers = read_answers(input_path)
    with tqdm(total=100, desc="Clustern", leave=False, bar_format="{percentage:3.0f}%|{bar}| {desc}") as bar:
        shown: list[tuple[int, str]] = []

        def progress(fraction: float, message: str) -> None:
            state = (round(fraction * 100), message)
            if shown and shown[-1] == state:
                return
            shown.append(state)
            bar.n = state[0]
            bar.set_description_str(message, refresh=False)
            bar.refresh()

        from participation.analysis import cluster_texts  # scikit-learn loads in ~2 s: only when clustering

        result = cluster_texts(answers, k=k, progress=progress, seed=seed)
    output_path.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(
        f"{len(answers)} Antworten, {len(result.themes)} Themen, {len(result.sonstiges_ids)} in Sonstiges "
        f"-> {output_path}",
        err=True,
    )
