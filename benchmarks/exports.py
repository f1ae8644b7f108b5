"""XLSX export time and /health latency while a 10k-response export runs (issue 17, item 5).

1. The pure `to_xlsx` on 1k and 10k synthetic table rows.
2. A live server (`participation serve`, SQLite) with a closed survey of 10,000 responses (20 districts, 10 questions
   with 5 options each): one office user downloads the XLSX export while a second client asks /health every 20 ms;
   prints the export's time and /health p50/p99/max during it.

    python benchmarks/exports.py                             # this checkout
    python benchmarks/exports.py --before /path/to/old/tree  # the same figures for another checkout (e.g. main)

Only loopback traffic; bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESPONSES = 10_000
DISTRICTS = 20
QUESTIONS = [
    {"key": f"frage_{i}", "kind": "single", "text": f"Frage {i}?",
     "options": [(f"o{j}", f"Option {j}") for j in range(5)]}
    for i in range(10)
]


def load_exports(tree: Path):
    """The exports module of `tree` (this checkout or an older one), loaded by path."""
    path = tree / "participation/surveys/services/exports.py"
    spec = importlib.util.spec_from_file_location("exports_under_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def pure_xlsx(tree: Path, rows: int) -> float:
    exports = load_exports(tree)
    export = exports.ResultsExport(survey_id=1, title="Bench", rows=[
        exports.TableRow(f"frage_{n % 50}", f"Frage {n % 50}?", f"Stadtteil {n % 20}", f"Option {n % 5}", n % 97,
                         round(n % 97 / 0.97, 1))
        for n in range(rows)
    ])
    start = time.perf_counter()
    exports.to_xlsx(export)
    return time.perf_counter() - start


SEED = f"""
import asyncio, json, random
from participation.db import bind_tables, make_engine, run_migrations
from participation.settings import Settings
async def main():
    await run_migrations()
    bind_tables(make_engine(Settings.from_env()))
    from tests.factories import Factory
    from participation.surveys.services.definition import load_survey
    from participation.surveys.tables import Answer, Response
    make = Factory()
    districts = [await make.district(f"Stadtteil {{n}}") for n in range({DISTRICTS})]
    survey_id = await make.survey({QUESTIONS!r})
    survey = await load_survey(survey_id)
    rng = random.Random(17)
    for start in range(0, {RESPONSES}, 1000):
        rows = await Response.insert(*[
            Response(survey=survey_id, district=rng.choice(districts), language="de",
                     submitted_on="2027-03-01", submission_id=f"bench-{{start + n}}")
            for n in range(1000)
        ]).returning(Response.id)
        await Answer.insert(*[
            Answer(response=row["id"], question=q.id, choice=f"o{{rng.randrange(5)}}")
            for row in rows for q in survey.questions
        ])
    await make.close(survey_id)
    await make.office_user()
    print(json.dumps(survey_id))
asyncio.run(main())
"""


async def export_while_probing(base: str, survey: int) -> tuple[float, int, list[float]]:
    from tests.factories import PASSWORD

    latencies: list[float] = []
    done = asyncio.Event()

    async def probe() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            while not done.is_set():
                start = time.perf_counter()
                await client.get("/health")
                latencies.append(time.perf_counter() - start)
                await asyncio.sleep(0.02)

    async with httpx.AsyncClient(base_url=base, timeout=600) as office:
        await office.get("/anmelden")
        await office.post("/anmelden", data={"_csrf_token": office.cookies["fd_csrf"], "email": "buero@example.org",
                                             "password": PASSWORD})
        prober = asyncio.create_task(probe())
        await asyncio.sleep(0.5)
        start = time.perf_counter()
        response = await office.get(f"/verwaltung/umfragen/{survey}/export.xlsx")
        seconds = time.perf_counter() - start
        done.set()
        await prober
    return seconds, len(response.content) if response.status_code == 200 else -response.status_code, latencies


def live(tree: Path) -> str:
    from tests.support.live_server import LiveServer, _child, server_env

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/exports.sqlite3"
        start = time.perf_counter()
        survey = int(_child(SEED, server_env(url)))
        seeded = time.perf_counter() - start
        os.environ["FD_APP_ROOT"] = str(tree)
        try:
            import tests.support.live_server as live_server

            live_server.APP_ROOT = tree
            with LiveServer(url) as server:
                seconds, size, latencies = asyncio.run(export_while_probing(server.base, survey))
        finally:
            os.environ.pop("FD_APP_ROOT", None)
    ordered = sorted(latencies) or [float("nan")]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"live, {RESPONSES} responses (seeded in {seeded:.0f} s): XLSX export {seconds:.2f} s "
            f"({size} bytes); /health during it: n={len(ordered)}, p50 {statistics.median(ordered) * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure instead of this one")
    parser.add_argument("--rows", default="1000,10000", help="synthetic table rows for the pure XLSX timing")
    parser.add_argument("--skip-live", action="store_true")
    args = parser.parse_args()
    tree = args.before.resolve() if args.before else ROOT
    print(f"code under test: {tree}")
    for rows in (int(n) for n in args.rows.split(",")):
        print(f"to_xlsx, {rows} rows: {pure_xlsx(tree, rows):.2f} s")
    if not args.skip_live:
        print(live(tree))


if __name__ == "__main__":
    main()
