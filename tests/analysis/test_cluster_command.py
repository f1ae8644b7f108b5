"""`participation cluster INPUT.jsonl -o OUTPUT.json [--k K]` as an office member runs it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from participation.cluster_command import cluster

from .test_clustering import TOPICS


def _write_answers(path, texts):
    path.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )


def test_cluster_writes_the_documented_schema(tmp_path):
    source, target = tmp_path / "answers.jsonl", tmp_path / "themes.json"
    texts = [t for texts in TOPICS.values() for t in texts]
    _write_answers(source, texts)
    result = CliRunner().invoke(cluster, [str(source), "-o", str(target), "--k", "4"])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert set(data) == {"clusters", "assignments"}
    for theme in data["clusters"]:
        assert set(theme) == {"id", "label", "terms", "size", "examples"}
        assert isinstance(theme["id"], int) and isinstance(theme["label"], str) and theme["label"]
        assert all(isinstance(t, str) for t in theme["terms"])
        assert 1 <= len(theme["examples"]) <= 3
    assert [a["id"] for a in data["assignments"]] == [f"a{i}" for i in range(len(texts))]
    theme_ids = {t["id"] for t in data["clusters"]} | {-1}
    assert all(set(a) == {"id", "cluster"} and a["cluster"] in theme_ids for a in data["assignments"])
    assert sum(t["size"] for t in data["clusters"]) == sum(1 for a in data["assignments"] if a["cluster"] != -1)
    assert "Öffnungszeiten" in target.read_text(encoding="utf-8")  # not escaped


def test_a_bad_line_is_reported_with_its_number_and_nothing_is_written(tmp_path):
    source, target = tmp_path / "answers.jsonl", tmp_path / "themes.json"
    source.write_text('{"id": 1, "text": "Mehr Kitaplätze"}\n{"id": 2, "txt": "oops"}\n', encoding="utf-8")
    result = CliRunner().invoke(cluster, [str(source), "-o", str(target)])
    assert result.exit_code == 2
    assert "line 2" in result.output and '"text"' in result.output
    assert not target.exists()


def test_invalid_json_is_a_usage_error(tmp_path):
    source, target = tmp_path / "answers.jsonl", tmp_path / "themes.json"
    source.write_text('{"id": 1, "text": "ok"}\n\n{"id": 2, "text": \n', encoding="utf-8")
    result = CliRunner().invoke(cluster, [str(source), "-o", str(target)])
    assert result.exit_code == 2
    assert "line 3" in result.output
    assert not target.exists()


def test_empty_input_gives_empty_themes(tmp_path):
    source, target = tmp_path / "answers.jsonl", tmp_path / "themes.json"
    source.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cluster, [str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == {"clusters": [], "assignments": []}
