"""Timings of the minutes PDF: the demo round, a large round, and our overhead over WeasyPrint alone.

Builds a scratch SQLite database with the Ludwigsburg demo (participation demo), then
- the demo round (Herbst 2026, its ~400 responses): 5 topic items and 2 free items with notes, decisions,
  attendance and an action item per centre;
- a large round: 2,000 responses, 40 agenda items (topics, themes-like free items, notes with tables).
For each: the snapshot (database queries, privacy suppression), the render (our path: template, restricted
fetcher, limits, PDF/UA-1) and WeasyPrint alone on the very same HTML (same PDF variant; and without it).

Run: .venv/bin/python benchmarks/pdf.py
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="familiendialog-bench-pdf-"))
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'bench.sqlite3'}"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import weasyprint  # noqa: E402

from participation.db import bind_tables, make_engine, run_migrations  # noqa: E402
from participation.dialogues.services import actions, agenda, attendance, pdfs, snapshots  # noqa: E402
from participation.documents.pdf import PDF_VARIANT  # noqa: E402
from participation.settings import Settings  # noqa: E402

THRESHOLD = 5
NOTES = (
    "Die Eltern schildern, dass die **Ferienbetreuung** in den Sommerferien nicht reicht. "
    "Mehrere Familien wünschen sich längere Öffnungszeiten am Nachmittag.\n\n"
    "- Bedarf vor allem bei Alleinerziehenden\n- Angebote sollen wohnortnah sein\n- Sprachkurse parallel\n\n"
    "| Stadtteil | Wunsch | Anzahl |\n|---|---|---|\n"
    "| Eglosheim | Ferienbetreuung | 12 |\n| Oßweil | Elterncafé | 7 |\n"
)


def timed(name: str, function: Callable[[], object], repeat: int) -> float:
    durations = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    size = len(result) if isinstance(result, (bytes, str)) else 0
    median = statistics.median(durations)
    print(f"  {name:<52} median {median * 1000:8.0f} ms   min {min(durations) * 1000:8.0f} ms"
          f"   {size / 1024:7.1f} KiB")
    return median


async def atimed(name: str, function, repeat: int = 1):
    durations = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = await function()
        durations.append(time.perf_counter() - start)
    print(f"  {name:<52} median {statistics.median(durations) * 1000:8.0f} ms")
    return result


async def fill_minutes(round_id: int, items: int, centres: list[int]) -> None:
    """Agenda items (topics first, then free items), notes, decisions, attendance, action items."""
    from participation.dialogues.services.rounds import get_round
    from participation.directory.services import list_districts

    round_ = await get_round(round_id)
    for index in range(items):
        if index < len(round_.topics):
            item = await agenda.add_topic_item(round_id, round_.topics[index].id)
        else:
            item = await agenda.add_free_item(round_id, f"Anliegen {index + 1}: Wünsche der Eltern im Stadtteil")
        await agenda.save_item_minutes(round_id, item, NOTES, "Bedarf erheben\nAngebot im Herbst prüfen")
    districts = await list_districts()
    await attendance.save_attendance(round_id, {d.id: (5 + i, 1 + i % 3) for i, d in enumerate(districts)})
    for index, centre in enumerate([None, *centres]):
        await actions.add_action(round_id, actions.ActionInput(
            title=f"Maßnahme {index + 1}: Ferienbetreuung abstimmen", description="Mit den Trägern klären.",
            centre_id=centre,
        ))


def _raw_answers(survey, rng: random.Random) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for question in survey.questions:
        kind = question.kind.value
        name = f"q_{question.key}"
        values = question.option_values()
        if kind == "single":
            raw[name] = [rng.choice(values)]
        elif kind == "multiple":
            raw[name] = rng.sample(values, k=min(len(values), rng.randint(1, 3)))
        elif kind in ("scale", "yesno"):
            raw[name] = [rng.choice(values)]
        elif kind == "number":
            low, high = question.min_value or 0, question.max_value or 40
            raw[name] = [str(rng.randint(int(low), int(high)))]
        else:
            raw[name] = [rng.choice(["Mehr Kitaplätze", "Längere Öffnungszeiten", "Ferienbetreuung im Sommer",
                                     "Ein Elterncafé am Nachmittag", "Sprachkurse für Eltern"])]
    return raw


async def large_round(responses: int) -> int:
    """A round with a copy of the demo survey and `responses` answers spread over the districts."""
    from datetime import UTC, datetime, timedelta

    from participation.dialogues.schemas import Season
    from participation.dialogues.services.rounds import create_round
    from participation.directory.services import list_centres
    from participation.surveys.services import answering, definition
    from participation.surveys.tables import Survey

    source = (await Survey.select(Survey.id).order_by(Survey.id).first())["id"]
    round_id = await create_round(Season.AUTUMN, 2030)
    survey_id = await definition.copy_survey(source, round_id)
    now = datetime.now(UTC)
    await definition.publish_survey(survey_id, now - timedelta(days=1), now + timedelta(days=10))
    survey = await definition.load_survey(survey_id)
    centres = await list_centres()
    rng = random.Random(7)
    for _ in range(responses):
        centre = rng.choice(centres)
        answers, errors = answering.evaluate(survey, _raw_answers(survey, rng))
        assert not errors, errors
        await answering.save_response(survey, district_id=centre.district_id, centre_id=centre.id, language="de",
                                      answers=answers, submission_id=answering.new_submission_id())
    return round_id


def compare(label: str, snapshot: dict, repeat: int) -> None:
    html = pdfs.minutes_html(snapshot)
    ours = timed(f"{label}: our render (minutes_pdf)", lambda: pdfs.minutes_pdf(snapshot), repeat)
    alone = timed(f"{label}: WeasyPrint alone, same HTML, PDF/UA-1",
                  lambda: weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT), repeat)
    timed(f"{label}: WeasyPrint alone, same HTML, plain PDF", lambda: weasyprint.HTML(string=html).write_pdf(), repeat)
    print(f"  {label}: our overhead over WeasyPrint alone (PDF/UA-1): {(ours - alone) * 1000:+.0f} ms "
          f"({(ours / alone - 1) * 100:+.1f} %)")


async def main() -> None:
    from participation.demo import load_demo
    from participation.dialogues.tables import Round
    from participation.directory.services import list_centres

    engine = make_engine(Settings.from_env())
    bind_tables(engine)
    await run_migrations()
    print(f"Scratch database: {_TMP}")
    await atimed("demo data (participation demo)", lambda: load_demo())
    centres = [c.id for c in await list_centres()]

    demo_round = (await Round.select(Round.id).where(Round.title == "Herbst 2026").first())["id"]
    await fill_minutes(demo_round, 7, centres)
    demo = await atimed("demo round: snapshot (queries, suppression)",
                        lambda: snapshots.build_snapshot(demo_round, threshold=THRESHOLD), 3)
    print(f"  demo round: {len(demo['items'])} items, "
          f"{sum(len(i['figures']) for i in demo['items'])} charts, {len(demo['actions'])} action items")
    timed("warm-up (fonts, first render)", lambda: pdfs.minutes_pdf(demo), 1)
    compare("demo round", demo, 5)
    print(f"  demo round PDF pages: {_pages(pdfs.minutes_pdf(demo))}")

    big_round = await atimed("large round: 2,000 responses stored", lambda: large_round(2000))
    await fill_minutes(big_round, 40, centres)
    big = await atimed("large round: snapshot (queries, suppression)",
                       lambda: snapshots.build_snapshot(big_round, threshold=THRESHOLD), 3)
    print(f"  large round: {len(big['items'])} items, "
          f"{sum(len(i['figures']) for i in big['items'])} charts, {len(big['actions'])} action items")
    compare("large round", big, 3)
    print(f"  large round PDF pages: {_pages(pdfs.minutes_pdf(big))}")


def _pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


if __name__ == "__main__":
    asyncio.run(main())
