"""Submissions per second and p50/p99 latency of a 20-question survey on one server process.

Starts `uvicorn` (one process) on SQLite and on PostgreSQL in turn, seeds a 20-question survey, and sends concurrent
final-page submissions (CSRF token and a fresh submission id each), then the same number of /health requests at the
same concurrency, and prints both and their ratio. The load generator runs on the same 2-core machine, so figures
are a floor, not a ceiling. Only loopback traffic; bounded in count and time.

    python benchmarks/submissions.py [--requests 1500] [--concurrency 32] [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = []
for i in range(4):
    QUESTIONS += [
        {"key": f"wahl_{i}", "kind": "single", "text": f"Einfachauswahl {i}?", "required": True,
         "options": [("a", "A"), ("b", "B"), ("c", "C")]},
        {"key": f"mehr_{i}", "kind": "multiple", "text": f"Mehrfachauswahl {i}?", "allow_other": True,
         "options": [("x", "X"), ("y", "Y"), ("z", "Z")]},
        {"key": f"skala_{i}", "kind": "scale", "text": f"Skala {i}?", "low_label": "wenig", "high_label": "viel"},
        {"key": f"janein_{i}", "kind": "yesno", "text": f"Ja oder nein {i}?"},
    ]
QUESTIONS += [
    {"key": "zahl", "kind": "number", "text": "Wie viele Kinder?", "min_value": 0, "max_value": 12},
    {"key": "kurz", "kind": "short_text", "text": "Kurz gesagt?"},
    {"key": "lang", "kind": "long_text", "text": "Was wünschen Sie sich?"},
    {"key": "lang2", "kind": "long_text", "text": "Was noch?"},
]
ANSWERS = {
    **{f"q_wahl_{i}": ["b"] for i in range(4)}, **{f"q_mehr_{i}": ["x", "other"] for i in range(4)},
    **{f"q_mehr_{i}_other": ["Schwimmkurs"] for i in range(4)}, **{f"q_skala_{i}": ["4"] for i in range(4)},
    **{f"q_janein_{i}": ["yes"] for i in range(4)}, "q_zahl": ["2"], "q_kurz": ["Mehr Plätze"],
    "q_lang": ["Längere Öffnungszeiten in der Kita wären für uns als berufstätige Eltern eine große Hilfe."],
    "q_lang2": ["Ein Elterncafé am Samstag."],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(env: dict) -> tuple[int, int]:
    """Migrate and create one district and the 20-question survey, in a child process with `env`."""
    script = f"""
import asyncio, json
from participation.db import bind_tables, make_engine, run_migrations
from participation.settings import Settings
async def main():
    await run_migrations()
    bind_tables(make_engine(Settings.from_env()))
    from tests.factories import Factory
    make = Factory()
    district = await make.district("Eglosheim")
    survey = await make.survey({QUESTIONS!r})
    print(json.dumps([district, survey]))
asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"seeding failed:\n{out.stderr[-3000:]}")
    import json

    return tuple(json.loads(out.stdout.strip().splitlines()[-1]))


async def submit_load(base: str, survey: int, district: int, pages: int, total: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    counter = iter(range(total))

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await client.get(f"/umfrage/{survey}/antworten")
            token = client.cookies["fd_csrf"]
            for n in counter:
                data = {**ANSWERS, "_csrf_token": [token], "page": [str(pages - 1)], "district": [str(district)],
                        "submission_id": [f"bench-{os.getpid()}-{n}-{time.monotonic_ns()}"], "nav": ["submit"]}
                start = time.perf_counter()
                response = await client.post(f"/umfrage/{survey}/antworten", data=data)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 303:
                    raise RuntimeError(f"submission failed: {response.status_code} {response.text[:300]}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


async def health_load(base: str, total: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    counter = iter(range(total))

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for _ in counter:
                start = time.perf_counter()
                response = await client.get("/health")
                latencies.append(time.perf_counter() - start)
                response.raise_for_status()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def summary(latencies: list[float], seconds: float) -> tuple[float, float, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return len(latencies) / seconds, statistics.median(ordered) * 1000, p99 * 1000


def run_for(name: str, database_url: str, total: int, concurrency: int) -> list[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SUBMIT_RATE_PER_HOUR": "100000", "DB_POOL_MAX": "20",
           "PYTHONPATH": str(ROOT)}
    district, survey = seed(env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "participation.app:create_app", "--factory", "--port", str(port),
         "--log-level", "warning", "--no-access-log"], env=env, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        pages = 2  # district page + one section
        start = time.perf_counter()
        sub = asyncio.run(submit_load(base, survey, district, pages, total, concurrency))
        sub_seconds = time.perf_counter() - start
        start = time.perf_counter()
        health = asyncio.run(health_load(base, total, concurrency))
        health_seconds = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=10)
    s_rate, s_p50, s_p99 = summary(sub, sub_seconds)
    h_rate, h_p50, h_p99 = summary(health, health_seconds)
    return [
        f"{name:<11} {'submit (20 q.)':<15} {s_rate:>8.1f} {s_p50:>8.1f} {s_p99:>8.1f}",
        f"{name:<11} {'/health':<15} {h_rate:>8.1f} {h_p50:>8.1f} {h_p99:>8.1f}",
        f"{name:<11} {'ratio':<15} {s_rate / h_rate:>8.2f}   (submissions/s ÷ health/s)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    lines = [f"{'database':<11} {'request':<15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"]
    with tempfile.TemporaryDirectory() as tmp:
        lines += run_for("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.requests, args.concurrency)
    if not args.skip_postgres:
        import asyncpg

        base, _, _name = args.postgres.rpartition("/")
        bench_db = "familiendialog_bench_test"

        async def admin(statement: str) -> None:
            connection = await asyncpg.connect(args.postgres)
            try:
                await connection.execute(statement)
            finally:
                await connection.close()

        asyncio.run(admin(f"DROP DATABASE IF EXISTS {bench_db}"))
        asyncio.run(admin(f"CREATE DATABASE {bench_db}"))
        try:
            lines += run_for("PostgreSQL", f"{base}/{bench_db}", args.requests, args.concurrency)
        finally:
            asyncio.run(admin(f"DROP DATABASE IF EXISTS {bench_db} WITH (FORCE)"))
    print(f"{args.requests} requests each, concurrency {args.concurrency}, one uvicorn process, "
          "client on the same host")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
