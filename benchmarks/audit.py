"""Timings of the privacy audit (`participation audit`): the demo round and a round of 10,000 responses.

Builds a scratch SQLite database with the Ludwigsburg demo (participation demo), then a generated round: a copy of
the demo survey with 10,000 responses over the ten districts (two of them with only a handful, so residuals and
left-out groups occur; 30 % name no centre), a theme run on the wish question, the topics on the agenda and the
minutes published. For each round and role it prints the audit's time (collecting every figure the role sees and
solving), the numbers collected, the protected values checked and the linear/integer programs solved.
Aim: under 10 s for the office on 10,000 responses.

Run: .venv/bin/python benchmarks/audit.py [--responses 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="familiendialog-bench-audit-"))
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'bench.sqlite3'}"
os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-that-is-long-enough-0123456789")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from participation.db import bind_tables, make_engine, run_migrations  # noqa: E402
from participation.settings import Settings  # noqa: E402

THRESHOLD = 5
#: Share of responses per district (Ludwigsburg's demo districts); two get only a handful.
WEIGHTS = {"Innenstadt": 18, "Weststadt": 14, "Oststadt": 16, "Eglosheim": 12, "Grünbühl-Sonnenberg": 11,
           "Neckarweihingen": 8, "Oßweil": 9, "Pflugfelden": 7}
FEW = {"Hoheneck": 4, "Poppenweiler": 3}
WISHES = ["Mehr Kitaplätze in der Nähe", "Längere Öffnungszeiten am Nachmittag", "Ferienbetreuung im Sommer",
          "Ein Elterncafé am Nachmittag", "Sprachkurse für Eltern mit Kinderbetreuung", "Angebote für Väter",
          "Hilfe bei Anträgen und Formularen", "Ein sicherer Spielplatz im Stadtteil", "Beratung bei Geldsorgen"]


def _raw_answers(survey, rng: random.Random, leaning: dict) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for question in survey.questions:
        kind = question.kind.value
        name = f"q_{question.key}"
        values = question.option_values()
        if kind in ("single", "scale", "yesno"):
            favourite = leaning.setdefault(question.key, rng.choice(values))
            raw[name] = [favourite if rng.random() < 0.4 else rng.choice(values)]
        elif kind == "multiple":
            raw[name] = rng.sample(values, k=min(len(values), rng.randint(1, 3)))
        elif kind == "number":
            low, high = question.min_value or 0, question.max_value or 40
            raw[name] = [str(rng.randint(int(low), int(high)))]
        elif rng.random() < 0.7:
            raw[name] = [f"{rng.choice(WISHES)}, {rng.choice(WISHES).lower()}"]
    return raw


async def generated_round(responses: int) -> int:
    """A closed round with a copy of the demo survey and `responses` responses, stored in batches."""
    from datetime import UTC, date, datetime, timedelta

    from participation.dialogues.schemas import Season
    from participation.dialogues.services.rounds import create_round
    from participation.directory.services import list_centres, list_districts
    from participation.surveys.schemas import OTHER, QuestionKind
    from participation.surveys.services import answering, definition
    from participation.surveys.tables import Answer, Response, Survey

    source = (await Survey.select(Survey.id).order_by(Survey.id).first())["id"]
    round_id = await create_round(Season.AUTUMN, 2030)
    survey_id = await definition.copy_survey(source, round_id)
    now = datetime.now(UTC)
    await definition.publish_survey(survey_id, now - timedelta(days=20), now + timedelta(days=10))
    survey = await definition.load_survey(survey_id)
    districts = {d.name: d.id for d in await list_districts()}
    centres: dict[int, list[int]] = {}
    for centre in await list_centres():
        centres.setdefault(centre.district_id, []).append(centre.id)
    rng = random.Random(2030)
    places = [name for name, weight in WEIGHTS.items() for _ in range(weight)]
    targets = [name for name, n in FEW.items() for _ in range(n)]
    targets += [rng.choice(places) for _ in range(responses - len(targets))]
    leanings: dict[str, dict] = {}
    questions = {q.key: q for q in survey.questions}
    batch = 500
    for start in range(0, len(targets), batch):
        chunk = targets[start:start + batch]
        rows, parsed = [], []
        for name in chunk:
            district_id = districts[name]
            own = centres.get(district_id, [])
            centre_id = rng.choice(own) if own and rng.random() < 0.7 else None
            answers, errors = answering.evaluate(survey, _raw_answers(survey, rng, leanings.setdefault(name, {})))
            assert not errors, errors
            rows.append(Response(survey=survey_id, district=district_id, centre=centre_id, language="de",
                                 submitted_on=date.today(), submission_id=answering.new_submission_id()))
            parsed.append(answers)
        ids = [row["id"] for row in await Response.insert(*rows).returning(Response.id)]
        records = []
        for response_id, answers in zip(ids, parsed, strict=True):
            for key, answer in answers.items():
                question = questions[key]
                if answer.choices:
                    records += [Answer(response=response_id, question=question.id, choice=choice,
                                       number=answer.number if question.kind is QuestionKind.SCALE else None,
                                       text=answer.text if choice == OTHER else None) for choice in answer.choices]
                else:
                    records.append(Answer(response=response_id, question=question.id, number=answer.number,
                                          text=answer.text))
        for part in range(0, len(records), 1000):
            await Answer.insert(*records[part:part + 1000])
    await definition.close_survey(survey_id)
    return round_id


async def with_themes_and_minutes(round_id: int) -> None:
    """Every topic on the agenda, then the demo's theme run on the wish question (largest theme on the agenda), minutes
    published publicly: everything the audit collects exists."""
    from participation.demo.minutes import add_wish_theme_item
    from participation.dialogues.services import agenda, publishing
    from participation.dialogues.services.rounds import get_round

    for topic in (await get_round(round_id)).topics:
        await agenda.add_topic_item(round_id, topic.id)
    await add_wish_theme_item(round_id, threshold=THRESHOLD)
    await publishing.publish_minutes(round_id, public=True, threshold=THRESHOLD)


async def timed(label: str, work):
    start = time.perf_counter()
    result = await work()
    print(f"  {label:<58} {time.perf_counter() - start:8.2f} s")
    return result


async def audit_roles(label: str, round_id: int, centre_id: int) -> None:
    from participation.surveys.services.audit import audit_round

    for role in ("office", "public", f"centre:{centre_id}"):
        start = time.perf_counter()
        report = await audit_round(round_id, role, threshold=THRESHOLD)
        seconds = time.perf_counter() - start
        print(f"  {label}, {role:<10} {seconds:6.2f} s (solving {report.solve_seconds:4.2f} s)"
              f"  figures {report.figures_seen:6} (distinct {report.figures:6})  protected {report.protected:5}"
              f"  programs {report.lps:4}  findings {len(report.findings)}  warnings {len(report.warnings):4}"
              f"  {'passed' if report.passed else 'FAILED'}")


async def main(responses: int) -> None:
    from participation.demo import CENTRE_USER, load_demo
    from participation.dialogues.tables import Round
    from participation.directory.services import list_centres

    engine = make_engine(Settings.from_env())
    bind_tables(engine)
    await run_migrations()
    print(f"Scratch database: {_TMP}")
    await timed("demo data (participation demo)", load_demo)
    centre = next(c.id for c in await list_centres() if c.name == CENTRE_USER[3])
    demo_round = (await Round.select(Round.id).where(Round.title == "Herbst 2026").first())["id"]
    await audit_roles("demo round (Herbst 2026)", demo_round, centre)
    big = await timed(f"generated round: {responses:,} responses stored".replace(",", "."),
                      lambda: generated_round(responses))
    await timed("generated round: themes (clustering job), minutes published", lambda: with_themes_and_minutes(big))
    await audit_roles(f"{responses // 1000}k round", big, centre)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().responses))
