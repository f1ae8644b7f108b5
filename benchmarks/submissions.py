"""Submissions per second and p50/p99 latency of a 20-question survey: ours on one and two processes, and a reference.

Seeds a 20-question survey on SQLite and on PostgreSQL in turn and sends final-page submissions (CSRF token and a
fresh submission id each) with `wrk` (Debian: `apt-get install wrk`; a Lua script writes each POST body) for a fixed
time at a fixed number of connections, to `uvicorn` serving our app with one process, then with two (ratio to one),
and on PostgreSQL to `benchmarks/submission_reference.py`: a minimal Litestar handler that parses the same form and
writes the same 1 + N rows with asyncpg in one transaction (ours ÷ reference). After each run it counts the stored
responses: every request that got its redirect must be stored once (plus at most one in flight per connection
when wrk stops). The load generator runs on the same
machine, so compare ratios, not absolute figures. Only loopback traffic; bounded in time.

    python benchmarks/submissions.py [--seconds 10] [--connections 32] [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

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



@contextmanager
def scratch_postgres(admin_url: str, name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database `name` next to `admin_url`'s, dropped again afterwards; yields its URL."""
    import asyncpg

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f"DROP DATABASE IF EXISTS {name}"))
    asyncio.run(admin(f"CREATE DATABASE {name}"))
    try:
        yield f"{admin_url.rpartition('/')[0]}/{name}"
    finally:
        asyncio.run(admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


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
    from participation.demo import SITE
    from participation.site.services import save_site_settings
    await save_site_settings(SITE)  # an installed city: pages do not lead to the first-run page
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


WRK_SCRIPT = """
next_id = 0
function setup(thread)
  thread:set("tid", tostring(next_id))
  next_id = next_id + 1
end
local counter = 0
request = function()
  counter = counter + 1
  local body = BODY .. "&submission_id=" .. RUN .. "-" .. tid .. "-" .. counter
  return wrk.format("POST", PATH, HEADERS, body)
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(text)
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[match.group(2)]
    return float(match.group(1)) * factor


def wrk_submit(base: str, survey: int, district: int, *, seconds: int, connections: int, csrf: bool) -> dict:
    """Final-page submissions with wrk for `seconds` at `connections`: rate, p50/p99 and failed requests."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    fields = {**ANSWERS, "page": ["1"], "district": [str(district)], "nav": ["submit"]}
    if csrf:
        from tests.support.live_server import form_token

        with httpx.Client(base_url=base, timeout=30) as client:
            page = client.get(f"/umfrage/{survey}/antworten")
            page.raise_for_status()
        # The parents' form carries its signed token in the page only (no cookie: see web/cookieless_csrf.py).
        fields["_csrf_token"] = [form_token(page.text)]
    body = urlencode(fields, doseq=True)
    lua_headers = "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()) + "}"
    script = (f"BODY = {lua_string(body)}\nRUN = {lua_string(f'r{time.monotonic_ns()}')}\n"
              f"PATH = {lua_string(f'/umfrage/{survey}/antworten')}\nHEADERS = {lua_headers}\n" + WRK_SCRIPT)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", handle.name,
             base], capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    distribution = dict(re.findall(r"^\s*(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if set(distribution) != {"50", "99"}:
        raise SystemExit(f"unexpected wrk output:\n{out}")
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": _milliseconds(distribution["50"]),
        "p99": _milliseconds(distribution["99"]),
        "failed": int(failed.group(1)) if failed else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def wait_for(base: str, path: str) -> None:
    for _ in range(150):
        try:
            httpx.get(f"{base}{path}", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server at {base} did not start")


def stored_responses(env: dict, survey: int) -> int:
    script = f"""
import asyncio
from participation.db import bind_tables, make_engine
from participation.settings import Settings
async def main():
    bind_tables(make_engine(Settings.from_env()))
    from participation.surveys.tables import Response
    print(await Response.count().where(Response.survey == {survey}))
asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return int(out.stdout.strip().splitlines()[-1])


def serve(env: dict, app: list[str], workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", *app, "--port", str(port), "--workers", str(workers),
         "--log-level", "warning", "--no-access-log"], env=env, cwd=ROOT,
    )
    return server, f"http://127.0.0.1:{port}"


def run_for(name: str, database_url: str, seconds: int, connections: int, reference: bool) -> list[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SUBMIT_RATE_PER_HOUR": "100000", "DB_POOL_MAX": "20",
           "PYTHONPATH": str(ROOT)}
    district, survey = seed(env)
    setups = [("ours, 1 process", ["participation.app:create_app", "--factory"], 1, True),
              ("ours, 2 processes", ["participation.app:create_app", "--factory"], 2, True)]
    if reference:
        setups.append(("reference", ["benchmarks.submission_reference:app"], 1, False))
    lines, rates = [], {}
    for label, app, workers, csrf in setups:
        server, base = serve({**env, "SURVEY_ID": str(survey)}, app, workers)
        try:
            wait_for(base, "/health" if csrf else "/")
            before = stored_responses(env, survey)
            result = wrk_submit(base, survey, district, seconds=seconds, connections=connections, csrf=csrf)
        finally:
            server.terminate()
            server.wait(timeout=15)
        stored = stored_responses(env, survey) - before
        rates[label] = result["rate"]
        # wrk stops counting at the deadline: up to one request per connection is still stored after it.
        answered = result["requests"] - result["failed"]
        check = "ok" if answered <= stored <= answered + connections and not result["failed"] else "MISMATCH"
        lines.append(f"{name:<11} {label:<18} {result['rate']:>8.1f} {result['p50']:>8.1f} {result['p99']:>8.1f}"
                     f"   sent {result['requests']}, failed {result['failed']}, stored {stored} ({check})"
                     f"{'  socket errors: ' + result['socket_errors'] if result['socket_errors'] else ''}")
    lines.append(f"{name:<11} two processes ÷ one: {rates['ours, 2 processes'] / rates['ours, 1 process']:.2f}")
    if reference:
        lines.append(f"{name:<11} ours (1 process) ÷ reference: {rates['ours, 1 process'] / rates['reference']:.2f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark needs wrk (Debian: apt-get install wrk).")
    lines = [f"{'database':<11} {'server':<18} {'subm./s':>8} {'p50 ms':>8} {'p99 ms':>8}"]
    with tempfile.TemporaryDirectory() as tmp:
        lines += run_for("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.seconds, args.connections, False)
    if not args.skip_postgres:
        with scratch_postgres(args.postgres, "familiendialog_bench_test") as url:
            lines += run_for("PostgreSQL", url, args.seconds, args.connections, True)
    load = os.getloadavg()[0]
    print(f"wrk, {args.seconds} s per server, {args.connections} connections, 2 threads, on the same host "
          f"({os.cpu_count()} cores, load average before the run {load:.2f})")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
