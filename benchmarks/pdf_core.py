"""Timings of the documents core: SVG charts, a minutes-like PDF and invitation sheets.

Run: .venv/bin/python benchmarks/pdf_core.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import jinja2

from participation.documents.charts import bar_chart, line_chart, scale_chart
from participation.documents.invitations import invitation_sheet_pdf
from participation.documents.pdf import pdf_environment, render_template_pdf

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

MINUTES = """{% extends "pdf/_base.html" %}
{% block content %}
{% for item in items %}
<h2>{{ loop.index }}. {{ item }}</h2>
{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>{% endfor %}
<figure>{{ chart | safe }}<figcaption>Ergebnis zu {{ item }}</figcaption></figure>
<table><thead><tr><th scope="col">Maßnahme</th><th scope="col">Zuständig</th><th scope="col">Frist</th></tr></thead>
<tbody>{% for row in rows %}<tr><th scope="row">{{ row[0] }}</th><td>{{ row[1] }}</td><td>{{ row[2] }}</td></tr>
{% endfor %}</tbody></table>
{% endfor %}
{% endblock %}
"""


def timed(name: str, function: Callable[[], object], repeat: int) -> None:
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    size = len(result) if isinstance(result, (bytes, str)) else 0
    print(
        f"{name:<44} median {statistics.median(durations) * 1000:8.1f} ms"
        f"   min {min(durations) * 1000:8.1f} ms   {size / 1024:7.1f} KiB"
    )


def main() -> None:
    options = [(f"Angebot {i} mit etwas längerem Namen", 3 * i + 1) for i in range(8)]
    rounds = ["Frühjahr 2025", "Herbst 2025", "Frühjahr 2026", "Herbst 2026", "Frühjahr 2027"]
    series = {f"Stadtteil {d}": [2.5 + d / 10 + r / 5 for r in range(5)] for d in range(10)}
    timed("bar_chart (8 options)", lambda: bar_chart("Angebote", options, 100, chart_id="b"), 200)
    timed("scale_chart (1-5)", lambda: scale_chart("Zufriedenheit", [3, 8, 20, 30, 9], chart_id="s"), 200)
    timed("line_chart (10 districts x 5 rounds)", lambda: line_chart("Trend", rounds, series, chart_id="l"), 200)

    env = pdf_environment(TEMPLATES)
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader({"bench/minutes.html": MINUTES})])
    context = {
        "items": ["Vereinbarkeit von Familie und Beruf", "Betreuungsarrangements", "Angebotsportfolio"],
        "paragraphs": ["Die Eltern wünschen sich verlässliche Ferienbetreuung und längere Öffnungszeiten. " * 5] * 4,
        "chart": bar_chart("Angebote", options, 100, chart_id="b"),
        "rows": [("Ferienbetreuung ausweiten", "KiFaZ Grünbühl", "30.06.2027")] * 6,
    }
    timed(
        "warm-up (fonts, first render)", lambda: render_template_pdf(env, "bench/minutes.html", context, title="w"), 1
    )
    timed(
        "minutes-like PDF (3 items, 3 charts)",
        lambda: render_template_pdf(env, "bench/minutes.html", context, title="Protokoll"),
        5,
    )
    codes = [f"K7PX-{i:04d}" for i in range(80)]
    timed(
        "invitation sheet (80 codes, 10 pages)",
        lambda: invitation_sheet_pdf(
            codes,
            centre_name="KiFaZ Grünbühl",
            survey_title="Familiendialog Frühjahr 2027",
            survey_url="https://familiendialog.ludwigsburg.de/u/fj27",
            env=env,
        ),
        3,
    )


if __name__ == "__main__":
    main()
