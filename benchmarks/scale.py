"""Reading at scale (issue 12): every results page, export and API call timed on a survey of 10k/100k responses.

For each checkout measured (this one, and with `--before PATH` another, e.g. main) the script creates a scratch
PostgreSQL database, migrates it with that checkout's migrations, loads the Ludwigsburg demo (`participation demo`)
and adds a closed round with a copy of the demo survey and `--responses` responses, written with COPY (seconds for
100k). Then it starts that checkout's server (`participation serve`) and, signed in as the demo office and centre
users, requests each page/export/API call `--repeat` times. It prints, per request: the first time (nothing kept
yet: the survey's counts are counted once from all its answers and kept, see surveys/services/counts.py), the fastest
time, the body size and the server's peak RSS during the request (the kernel's high-water mark, reset before each
request through /proc/PID/clear_refs; the demo's small survey's results page is requested first, so the first
time is not that of compiling templates and loading the chart library); then, after a restart of the server and
one answer hidden meanwhile, the time of each request once more ("restart"). The database is dropped at the end.

    .venv/bin/python benchmarks/scale.py --responses 10000 --before /work/wt-scale-before

Only loopback traffic (PostgreSQL at 127.0.0.1:5432, trust auth; override with --postgres).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WISHES = ["Mehr Kitaplätze in der Nähe", "Längere Öffnungszeiten am Nachmittag", "Ferienbetreuung im Sommer",
          "Ein Elterncafé am Nachmittag", "Sprachkurse für Eltern mit Kinderbetreuung", "Angebote für Väter",
          "Hilfe bei Anträgen und Formularen", "Ein sicherer Spielplatz im Stadtteil", "Beratung bei Geldsorgen"]
WEIGHTS = {"Innenstadt": 18, "Weststadt": 14, "Oststadt": 16, "Eglosheim": 12, "Grünbühl-Sonnenberg": 11,
           "Neckarweihingen": 8, "Oßweil": 9, "Pflugfelden": 7, "Hoheneck": 1, "Poppenweiler": 1}


# --- seeding (runs in a child process with this checkout's code) --------------------------------------------------

async def seed(responses: int) -> dict:
    """A closed round with a copy of the first demo survey and `responses` responses (COPY); ids for the requests."""
    from datetime import UTC, datetime, timedelta

    from participation.db import bind_tables, make_engine
    from participation.dialogues.schemas import Season
    from participation.dialogues.services.rounds import create_round
    from participation.directory.services import list_centres, list_districts
    from participation.settings import Settings
    from participation.surveys.schemas import OTHER, QuestionKind
    from participation.surveys.services import definition
    from participation.surveys.tables import Survey

    settings = Settings.from_env()
    bind_tables(make_engine(settings))
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
    response_rows, answer_rows = [], []

    import asyncpg

    connection = await asyncpg.connect(settings.database_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        first = await connection.fetchval("SELECT coalesce(max(id), 0) + 1 FROM survey_response")
        today = date.today()
        for n in range(responses):
            response_id = first + n
            district = districts[rng.choice(places)]
            own = centres.get(district, [])
            centre = rng.choice(own) if own and rng.random() < 0.7 else None
            response_rows.append((response_id, survey_id, district, centre, "de", today, f"scale-{response_id}"))
            for question in survey.questions:
                values = question.option_values()
                kind = question.kind
                if kind in (QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.YESNO):
                    choice = rng.choice(values)
                    number = float(choice) if kind is QuestionKind.SCALE else None
                    answer_rows.append((response_id, question.id, choice, number, None, False))
                elif kind is QuestionKind.MULTIPLE:
                    for choice in rng.sample(values, k=min(len(values), rng.randint(1, 3))):
                        text = rng.choice(WISHES) if choice == OTHER else None
                        answer_rows.append((response_id, question.id, choice, None, text, False))
                elif kind is QuestionKind.NUMBER:
                    low, high = int(question.min_value or 0), int(question.max_value or 40)
                    answer_rows.append((response_id, question.id, None, float(rng.randint(low, high)), None, False))
                elif rng.random() < 0.7:
                    text = f"{rng.choice(WISHES)}, {rng.choice(WISHES).lower()} ({n})"
                    answer_rows.append((response_id, question.id, None, None, text, False))
        async with connection.transaction():
            await connection.copy_records_to_table(
                "survey_response", records=response_rows,
                columns=["id", "survey", "district", "centre", "language", "submitted_on", "submission_id"])
            await connection.execute(
                "SELECT setval(pg_get_serial_sequence('survey_response', 'id'), (SELECT max(id) FROM survey_response))")
            await connection.copy_records_to_table(
                "survey_answer", records=answer_rows,
                columns=["response", "question", "choice", "number", "text", "hidden"])
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    await definition.close_survey(survey_id)
    eglosheim = districts["Eglosheim"]
    return {"survey": survey_id, "district": eglosheim, "answers": len(answer_rows)}


# --- measuring ----------------------------------------------------------------------------------------------------

def _run(tree: Path, env: dict[str, str], *args: str) -> str:
    out = subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return out.stdout


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1


def _reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


async def _signed_in(base: str, email: str, password: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=600)
    await client.get("/anmelden")
    response = await client.post("/anmelden", data={
        "_csrf_token": client.cookies.get("fd_csrf", ""), "email": email, "password": password})
    if response.status_code >= 400:
        raise RuntimeError(f"sign-in of {email} failed: {response.status_code}")
    return client


def requests_of(ids: dict) -> list[tuple[str, str, str]]:
    survey, district = ids["survey"], ids["district"]
    office = f"/verwaltung/umfragen/{survey}"
    return [
        ("office", "office results (city)", f"{office}/ergebnisse"),
        ("office", "office results (one district)", f"{office}/ergebnisse?district={district}"),
        ("office", "office trends", "/verwaltung/trends"),
        ("office", "office free texts (first page)", f"{office}/freitext"),
        ("office", "office free texts, search 'kita'", f"{office}/freitext?suche=kita"),
        ("office", "results CSV", f"{office}/export.csv"),
        ("office", "results XLSX", f"{office}/export.xlsx"),
        ("office", "API results (city)", f"/api/surveys/{survey}/results"),
        ("office", "API tables (first page)", f"/api/surveys/{survey}/tables"),
        ("centre", "centre dashboard (/zentrum)", "/zentrum"),
        ("centre", "centre results (district)", f"/zentrum/umfragen/{survey}/ergebnisse"),
        ("centre", "centre free texts (district)", f"/zentrum/umfragen/{survey}/freitext"),
    ]


async def measure(base: str, pid: int, ids: dict, repeat: int) -> list[tuple[str, int, float, float, int, float]]:
    """Per request: label, status, first time (nothing kept yet), fastest time, body bytes, peak RSS in MB."""
    from participation.demo import CENTRE_USER, OFFICE_USER

    clients = {"office": await _signed_in(base, OFFICE_USER[0], OFFICE_USER[2]),
               "centre": await _signed_in(base, CENTRE_USER[0], CENTRE_USER[2])}
    rows = []
    # The demo's own small survey's results first: a new process's first results page compiles its templates and
    # loads the chart library (a fixed cost of a new process, about 0.8 s, not one of the survey's size).
    await clients["office"].get("/verwaltung/umfragen/1/ergebnisse")
    try:
        for who, label, path in requests_of(ids):
            times, peak, size, status = [], 0, 0, 0
            for _ in range(repeat):
                _reset_peak(pid)
                start = time.perf_counter()
                response = await clients[who].get(path)
                times.append(time.perf_counter() - start)
                peak = max(peak, _peak_kib(pid))
                size, status = len(response.content), response.status_code
            rows.append((label, status, times[0], min(times), size, peak / 1024))
    finally:
        for client in clients.values():
            await client.aclose()
    return rows


async def _admin(postgres: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(postgres)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def measure_tree(tree: Path, postgres: str, responses: int, repeat: int) -> list[tuple]:
    import tests.support.live_server as live_server

    name = f"fd_scale_{os.getpid()}_{abs(hash(str(tree))) % 10_000}"
    asyncio.run(_admin(postgres, f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(_admin(postgres, f'CREATE DATABASE "{name}"'))
    url = postgres.rsplit("/", 1)[0] + f"/{name}"
    try:
        live_server.APP_ROOT = tree
        env = live_server.server_env(url)
        participation = str(live_server.PARTICIPATION)
        start = time.perf_counter()
        _run(tree, env, participation, "migrate")
        _run(tree, env, participation, "demo")
        seeded = _run(ROOT, {**env, "PYTHONPATH": str(ROOT)}, sys.executable, __file__, "--seed", str(responses))
        ids = json.loads(seeded.strip().splitlines()[-1])
        print(f"  {tree}: {responses:,} responses, {ids['answers']:,} answers seeded in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        with live_server.LiveServer(url) as server:
            rows = asyncio.run(measure(server.base, server.process.pid, ids, repeat))
        # A restart, and an answer hidden meanwhile: each request once more, with nothing in the new process's memory.
        asyncio.run(_admin(url, "UPDATE survey_answer SET hidden = true WHERE id = (SELECT min(a.id)"
                                f" FROM survey_answer a JOIN survey_response r ON r.id = a.response"
                                f" WHERE r.survey = {ids['survey']} AND a.text IS NOT NULL)"))
        with live_server.LiveServer(url) as server:
            again = asyncio.run(measure(server.base, server.process.pid, ids, 1))
        return [(*row, other[2]) for row, other in zip(rows, again, strict=True)]
    finally:
        asyncio.run(_admin(postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--before", type=Path, help="another checkout measured the same way first (e.g. main)")
    parser.add_argument("--repeat", type=int, default=2, help="requests per page; the fastest is printed")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed is not None:
        print(json.dumps(asyncio.run(seed(args.seed))))
        return
    trees = ([("before", args.before.resolve())] if args.before else []) + [("this", ROOT)]
    results = {label: measure_tree(tree, args.postgres, args.responses, args.repeat) for label, tree in trees}
    print(f"\n{args.responses:,} responses; first request (s), fastest of {args.repeat} (s), body, peak RSS of the "
          "server during the request")
    header = f"{'request':<34}" + "".join(
        f"{label + ' 1st':>11}{'best':>8}{'restart':>8}{'MB body':>9}{'peak MB':>8}{'code':>5}" for label, _t in trees)
    if len(trees) == 2:
        header += f"{'ratio 1st':>10}{'best':>7}"
    print(header)
    for index, (label, *_rest) in enumerate(results["this"]):
        line = f"{label:<34}"
        for name, _tree in trees:
            _l, status, first, best, size, peak, restart = results[name][index]
            line += f"{first:11.3f}{best:8.3f}{restart:8.3f}{size / 1e6:9.2f}{peak:8.0f}{status:5}"
        if len(trees) == 2:
            before, after = results["before"][index], results["this"][index]
            line += f"{before[2] / max(after[2], 1e-6):9.1f}x{before[3] / max(after[3], 1e-6):6.1f}x"
        print(line)

if __name__ == "__main__":
    main()
