"""The analysis core as the office uses it: parents' answers in, themes out."""

from __future__ import annotations

import random

import pytest
from sklearn.metrics import adjusted_rand_score

from participation.analysis import SONSTIGES, cluster_texts, detect_language, label_for
from participation.analysis.preprocess import fold

TOPICS = {
    "oeffnungszeiten": [
        "Die Kita schließt um 14 Uhr, die Öffnungszeiten sind viel zu kurz.",
        "Längere Öffnungszeiten am Nachmittag bis 17 Uhr bitte.",
        "Öffnungszeiten ab 6 Uhr morgens wären für Schichtarbeit nötig.",
        "Die Kita öffnet zu spät, Öffnungszeiten ab 7 Uhr reichen nicht.",
        "Abholen bis 14 Uhr geht nicht, wir brauchen Öffnungszeiten bis 16 Uhr.",
        "Die Öffnungszeiten am Freitag enden schon um 12 Uhr.",
    ],
    "spielplatz": [
        "Der Spielplatz in Eglosheim ist kaputt, die Rutsche gesperrt.",
        "Mehr Spielplätze mit Schatten und neuen Spielgeräten.",
        "Auf dem Spielplatz liegen Scherben, die Spielgeräte sind alt.",
        "Ein Wasserspielplatz mit Spielgeräten wäre toll.",
        "Der Spielplatz hinter der Schule braucht neue Spielgeräte und eine Schaukel.",
        "Spielplätze für Kleinkinder fehlen, die Spielgeräte sind nur für Große.",
    ],
    "kosten": [
        "Die Kitagebühren sind zu hoch, wir zahlen fast so viel wie Miete.",
        "Gebühren für die Krippe senken, das Geld reicht nicht.",
        "Die Gebühren für das Mittagessen steigen jedes Jahr, zu teuer.",
        "Geschwisterermäßigung bei den Gebühren, zwei Kinder sind zu teuer.",
        "Die Elternbeiträge und Gebühren sollten nach Einkommen gestaffelt sein.",
        "Die Kosten und Gebühren für Ausflüge sind für uns zu teuer.",
    ],
    "vaeter": [
        "Angebote für Väter am Samstag, Papa-Kind-Turnen.",
        "Ein Väterabend zum Austausch unter Papas wäre schön.",
        "Väter werden bei Angeboten vergessen, alles ist vormittags für Mütter.",
        "Vater-Kind-Wochenende oder Papa-Frühstück im Familienzentrum.",
        "Mehr Angebote für Väter in Elternzeit, Papa-Treff.",
        "Als Papa wünsche ich mir Angebote für Väter am Wochenende.",
    ],
}


def _labelled() -> tuple[list[tuple[str, str]], list[str]]:
    rows = [(f"{topic}-{i}", text, topic) for topic, texts in TOPICS.items() for i, text in enumerate(texts)]
    random.Random(3).shuffle(rows)
    return [(item_id, text) for item_id, text, _ in rows], [topic for _, _, topic in rows]


def test_clearly_separated_topics_are_recovered_as_themes():
    items, topics = _labelled()
    result = cluster_texts(items, min_theme_size=3)
    predicted = [a.cluster for a in result.assignments]
    assert adjusted_rand_score(topics, predicted) > 0.8
    assert len(result.themes) == 4


def test_given_k_is_respected():
    items, _ = _labelled()
    assert cluster_texts(items, k=2, min_theme_size=3).k == 2


def test_same_input_gives_the_same_result():
    items, _ = _labelled()
    assert cluster_texts(items).to_dict() == cluster_texts(items).to_dict()


def test_every_answer_is_assigned_once_in_input_order():
    items, _ = _labelled()
    result = cluster_texts(items)
    assert [a.id for a in result.assignments] == [item_id for item_id, _ in items]
    in_themes = [i for theme in result.themes for i in theme.member_ids]
    assert sorted(in_themes + result.sonstiges_ids) == sorted(item_id for item_id, _ in items)
    for theme in result.themes:
        assert theme.size == len(theme.member_ids)


def test_labels_show_real_words_not_stems():
    items, _ = _labelled()
    result = cluster_texts(items, min_theme_size=3)
    labels = " ".join(t.label for t in result.themes)
    assert "Öffnungszeiten" in labels
    assert "Gebühren" in labels
    originals = {w.strip(".,!?") for _, text in items for w in text.replace("-", " ").split()}
    for theme in result.themes:
        for term in theme.terms:
            assert term in originals, f"{term!r} is not a word any parent wrote"


def test_examples_are_central_and_not_near_duplicates():
    same = "Wir brauchen dringend längere Öffnungszeiten in der Kita bis 17 Uhr."
    items = [(f"dup-{i}", same) for i in range(5)]
    items += [(f"o-{i}", text) for i, text in enumerate(TOPICS["oeffnungszeiten"])]
    items += [(f"s-{i}", text) for i, text in enumerate(TOPICS["spielplatz"])]
    result = cluster_texts(items, min_theme_size=3)
    for theme in result.themes:
        assert 1 <= len(theme.example_ids) <= 3
        assert set(theme.example_ids) <= set(theme.member_ids)
        assert sum(1 for e in theme.example_ids if str(e).startswith("dup-")) <= 1


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_tiny_inputs_are_handled(n):
    texts = [t for texts in TOPICS.values() for t in texts][:n]
    result = cluster_texts(texts)
    assert len(result.assignments) == n
    data = result.to_dict()
    assert set(data) == {"clusters", "assignments"}
    if n < 3:
        assert data["clusters"] == []
        assert all(a["cluster"] == SONSTIGES for a in data["assignments"])
    else:
        assert sum(t.size for t in result.themes) + len(result.sonstiges_ids) == n


def test_empty_and_meaningless_answers_go_to_sonstiges():
    items, _ = _labelled()
    items += [("leer", ""), ("strich", "-"), ("nix", "und, oder... ja!")]
    result = cluster_texts(items)
    reasons = {a.id: a.reason for a in result.assignments}
    assert {"leer", "strich", "nix"} <= set(result.sonstiges_ids)
    assert reasons["leer"] == "empty"


def test_answers_in_other_languages_are_not_mixed_into_german_themes():
    items, _ = _labelled()
    foreign = [
        ("tr-1", "Kreşte daha fazla yer olmalı, çocuğum için bir yıldır bekliyoruz."),
        ("tr-2", "Çocuklar için Almanca kursu lazım, ben de öğrenmek istiyorum."),
        ("tr-3", "Oyun parkı çok eski ve kirli, lütfen yenileyin."),
        ("en-1", "The opening hours are too short, the daycare closes at 2 pm."),
        ("ar-1", "نحتاج إلى دروس لغة ألمانية للأمهات مع رعاية للأطفال."),
    ]
    result = cluster_texts(items + foreign, min_theme_size=3)
    foreign_ids = {i for i, _ in foreign}
    for theme in result.themes:
        if theme.language == "de":
            assert not foreign_ids & set(theme.member_ids)
    turkish = [t for t in result.themes if t.language == "tr"]
    assert len(turkish) == 1 and set(turkish[0].member_ids) == {"tr-1", "tr-2", "tr-3"}
    assert {"en-1", "ar-1"} <= set(result.sonstiges_ids)


def test_progress_runs_from_zero_to_one():
    items, _ = _labelled()
    seen: list[float] = []
    cluster_texts(items, progress=lambda fraction, message: seen.append(fraction))
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_label_for_relabels_a_merged_theme():
    background = [t for texts in TOPICS.values() for t in texts]
    label, terms = label_for(TOPICS["kosten"], background=background)
    assert terms[0] == "Gebühren"
    assert label.startswith("Gebühren")
    assert label_for([]) == ("", [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Kita macht viel zu früh zu, wir brauchen längere Öffnungszeiten.", "de"),
        ("Kreşte daha fazla yer olmalı, çocuğum için bekliyoruz.", "tr"),
        ("cocuklar icin daha cok etkinlik olsun", "tr"),
        ("We need longer opening hours, the daycare closes too early.", "en"),
        ("نحتاج إلى دروس لغة ألمانية", "ar"),
        ("Нам нужно больше мест в детском саду", "ru"),
        ("", None),
        ("42", None),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_typos_and_umlaut_spellings_meet_in_one_stem():
    from participation.analysis.preprocess import prepare

    prepared = prepare(["Die Gebühren sind hoch", "die gebuehren sind hoch", "Kita-Platz", "Kitaplatz"])
    assert prepared.stems[0] == prepared.stems[1]
    assert prepared.chars[2] == prepared.chars[3] == fold("kitaplatz")


def test_a_few_unrelated_answers_are_not_made_into_a_theme():
    texts = ["Mehr Kitaplätze!", "Die Gebühren sind zu hoch", "Spielplatz kaputt", "Längere Öffnungszeiten",
             "Väterangebote am Samstag"]
    result = cluster_texts(texts)
    assert result.themes == []
    assert result.sonstiges_ids == [0, 1, 2, 3, 4]


def test_result_does_not_depend_on_the_process_hash_seed():
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json, sys; from participation.analysis import cluster_texts; "
        "items = [tuple(x) for x in json.load(sys.stdin)]; "
        "print(json.dumps(cluster_texts(items).to_dict(), sort_keys=True))"
    )
    items, _ = _labelled()
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], input=json.dumps(items), capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_a_large_input_is_clustered_from_samples_and_chunks_with_the_same_themes(monkeypatch):
    """Above FEATURE_SAMPLE answers the vocabulary, reduction and k are learnt from samples and the rest is
    vectorised in chunks (memory); the themes must be the ones the whole input shows."""
    from participation.analysis import clustering

    for name, value in {"FEATURE_SAMPLE": 160, "CHUNK": 100, "SVD_SAMPLE": 120, "KMEANS_SAMPLE": 120,
                        "SILHOUETTE_SAMPLE": 120, "LABEL_SAMPLE": 40}.items():
        monkeypatch.setattr(clustering, name, value)
    chunks = []
    transform = clustering._Vectoriser.transform
    monkeypatch.setattr(clustering._Vectoriser, "transform",
                        lambda self, rows: chunks.append(len(rows)) or transform(self, rows))
    rng = random.Random(5)
    rows = []
    for topic, texts in TOPICS.items():
        for i in range(120):
            words = rng.choice(texts).split()
            del words[rng.randrange(len(words))]
            rows.append((f"{topic}-{i}", " ".join(words), topic))
    rng.shuffle(rows)
    items = [(item_id, text) for item_id, text, _ in rows]

    result = clustering.cluster_texts(items, k=4, min_theme_size=5)  # 24 texts varied: auto k finds the 24

    assert chunks[:4] == [100, 100, 100, 20]  # the 320 answers outside the sample, chunk by chunk
    assert adjusted_rand_score([topic for *_, topic in rows], [a.cluster for a in result.assignments]) > 0.9
    assert len(result.themes) == 4
    assert [a.id for a in result.assignments] == [item_id for item_id, _ in items]
    for theme in result.themes:
        assert set(theme.example_ids) <= set(theme.member_ids) and len(theme.example_ids) == 3
    assert result.to_dict() == clustering.cluster_texts(items, k=4, min_theme_size=5).to_dict()
