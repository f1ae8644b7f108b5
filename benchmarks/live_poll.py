"""The live poll under a room's load: 300 projector connections (server-sent events) kept open while 300 phones vote.

Seeds a round with four agenda items and an office account on SQLite and on PostgreSQL in turn, serves the app with
one uvicorn process, signs in, opens 300 SSE streams of a top-3 poll that stay open, then lets 300 phones vote, each
with its own cookies (GET the poll's address for the form token and the phone's cookie, POST one to three topics):
first spread over one minute (`--spread`, as a room votes), then on a second poll all at once (as fast as possible).
Prints votes per second, p50/p99 of the vote (POST) and of the page (GET), whether every SSE client saw the final
count and saw its stream end when the poll closed, the votes stored, and the server's peak RSS.

The load generator (httpx, asyncio) runs on the same machine as the server, so compare ratios, not absolute figures.
Only loopback traffic; bounded in time.

    python benchmarks/live_poll.py [--phones 300] [--watchers 300] [--spread 60] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.submissions import free_port, scratch_postgres, wait_for  # noqa: E402

OFFICE = ("buero@example.org", "benchmark-password-2026")


def _child(script: str, env: dict) -> str:
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=180)
    if out.returncode != 0:
        raise SystemExit(f"child process failed:\n{out.stderr[-3000:]}")
    return out.stdout.strip().splitlines()[-1]


def seed(env: dict) -> dict:
    """Migrate; the city's settings, an office account, a round with four agenda items and two open top-3 polls."""
    script = f"""
import asyncio, json
from participation.db import bind_tables, make_engine, run_migrations
from participation.settings import Settings
async def main():
    await run_migrations()
    bind_tables(make_engine(Settings.from_env()))
    from participation.accounts.services import configure_password_hashing, create_user
    from participation.accounts.schemas import Role
    from participation.demo import SITE
    from participation.dialogues.services import agenda, polls
    from participation.site.services import save_site_settings
    from tests.factories import Factory
    configure_password_hashing("CHEAPEST")
    await save_site_settings(SITE)
    await create_user(email={OFFICE[0]!r}, display_name="Büro", role=Role.OFFICE, password={OFFICE[1]!r})
    round_id = await Factory().round()
    for title in ("Kita-Plätze", "Ferienbetreuung", "Spielplätze", "Sprachkurse"):
        await agenda.add_free_item(round_id, title)
    found = []
    for _ in range(2):
        poll_id = await polls.create_poll(round_id, "top3")
        await polls.open_poll(round_id, poll_id)
        found.append((poll_id, (await polls.get_poll(round_id, poll_id)).code))
    print(json.dumps({{"round": round_id, "polls": found}}))
asyncio.run(main())
"""
    return json.loads(_child(script, env))


def stored_votes(env: dict, poll_id: int) -> int:
    script = f"""
import asyncio
from participation.db import bind_tables, make_engine
from participation.settings import Settings
async def main():
    bind_tables(make_engine(Settings.from_env()))
    from participation.dialogues.tables import PollVote
    print(await PollVote.count().where(PollVote.poll == {poll_id}))
asyncio.run(main())
"""
    return int(_child(script, env))


def peak_rss_mb(pid: int) -> float:
    """The process's high-water mark of resident memory (Linux /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Watcher:
    """One projector connection: the last state it received and whether its stream ended."""

    received: int = -1
    status: str = ""
    events: int = 0
    ended: bool = False
    error: str = ""


async def watch(client: httpx.AsyncClient, url: str, watcher: Watcher, connected: asyncio.Event,
                counter: list[int], total: int) -> None:
    try:
        async with client.stream("GET", url, headers={"Accept": "text/event-stream"}) as response:
            counter[0] += 1
            if counter[0] == total:
                connected.set()
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    state = json.loads(line[6:])
                    watcher.received, watcher.status = state["received"], state["status"]
                    watcher.events += 1
            watcher.ended = True
    except Exception as error:  # counted and reported, not raised: the run goes on
        watcher.error = repr(error)
        counter[0] += 1
        if counter[0] == total:
            connected.set()


@dataclass
class Votes:
    post_ms: list[float] = field(default_factory=list)
    get_ms: list[float] = field(default_factory=list)
    counted: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)


async def phone(base: str, code: str, delay: float, votes: Votes, rng: random.Random,
                transport: httpx.AsyncBaseTransport) -> None:
    """One phone: its own cookie jar, the load generator's shared connection pool (a client of its own per phone
    would cost the generator more CPU than the server spends on the vote)."""
    await asyncio.sleep(delay)
    client = httpx.AsyncClient(base_url=base, timeout=60, transport=transport, trust_env=False)
    try:
        start = time.perf_counter()
        page = await client.get(f"/s/{code}")
        votes.get_ms.append((time.perf_counter() - start) * 1000)
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        options = re.findall(r'name="choice" value="(\d+)"', page.text)
        chosen = rng.sample(options, rng.randint(1, 3))
        start = time.perf_counter()
        response = await client.post(f"/s/{code}", data={"_csrf_token": token, "choice": chosen})
        votes.post_ms.append((time.perf_counter() - start) * 1000)
        if response.status_code == 200 and "Danke" in response.text:
            votes.counted += 1
        else:
            votes.failed += 1
            votes.reasons.append(f"HTTP {response.status_code}")
    except Exception as error:
        votes.failed += 1
        votes.reasons.append(type(error).__name__)


def _reasons(votes: Votes) -> str:
    return (": " + ", ".join(f"{n}× {r}" for r, n in collections.Counter(votes.reasons).most_common())
            if votes.reasons else "")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def one_poll(base: str, env: dict, office: httpx.AsyncClient, round_id: int, poll: tuple[int, str], *,
                   phones: int, watchers: int, spread: float, server_pid: int) -> dict:
    poll_id, code = poll
    stream_url = f"/verwaltung/runden/{round_id}/sitzung/umfrage/{poll_id}/live"
    states = [Watcher() for _ in range(watchers)]
    connected, counter = asyncio.Event(), [0]
    tasks = [asyncio.create_task(watch(office, stream_url, w, connected, counter, watchers)) for w in states]
    await asyncio.wait_for(connected.wait(), 60)
    rng = random.Random(poll_id)
    votes = Votes()
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=phones, max_keepalive_connections=phones))
    start, server_cpu, own_cpu = time.perf_counter(), cpu_seconds(server_pid), time.process_time()
    await asyncio.gather(*[phone(base, code, spread * n / phones, votes, rng, transport) for n in range(phones)])
    elapsed = time.perf_counter() - start
    server_cpu, own_cpu = cpu_seconds(server_pid) - server_cpu, time.process_time() - own_cpu
    await transport.aclose()
    stored = stored_votes(env, poll_id)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not all(w.received == stored for w in states):  # noqa: ASYNC110
        await asyncio.sleep(0.2)  # the watchers' tasks update their states; nothing to wait on but time
    saw_final = sum(1 for w in states if w.received == stored)
    token = office.cookies.get("fd_csrf") or ""
    await office.post(f"/verwaltung/runden/{round_id}/sitzung/umfrage/{poll_id}/schliessen",
                      data={"_csrf_token": token})
    await asyncio.wait(tasks, timeout=15)
    for task in tasks:
        task.cancel()
    return {
        "elapsed": elapsed, "votes": votes, "server_cpu": server_cpu, "own_cpu": own_cpu,
        "saw_final": saw_final, "ended": sum(1 for w in states if w.ended),
        "errors": sum(1 for w in states if w.error), "stored": stored,
        "events": statistics.mean(w.events for w in states) if states else 0,
    }


async def run_database(name: str, database_url: str, args) -> list[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "POLL_VOTE_RATE_PER_HOUR": "1000000", "DB_POOL_MAX": "20",
           "PASSWORD_HASH_PROFILE": "CHEAPEST", "PYTHONPATH": str(ROOT), "RUN_JOBS_IN_APP": "0"}
    env.pop("PRODUCTION", None)
    seeded = seed(env)
    port = free_port()
    server = subprocess.Popen(  # noqa: ASYNC220 - the server must outlive this coroutine
        [sys.executable, "-m", "uvicorn", "participation.app:create_app", "--factory", "--port", str(port),
         "--log-level", "warning", "--no-access-log", "--backlog", "2048"], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    lines = []
    try:
        await asyncio.to_thread(wait_for, base, "/health")
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
        async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(60, read=None), limits=limits) as office:
            await office.get("/anmelden")
            signed_in = await office.post("/anmelden", data={
                "_csrf_token": office.cookies.get("fd_csrf"), "email": OFFICE[0], "password": OFFICE[1]})
            if signed_in.status_code not in (200, 303) or "fd_session" not in office.cookies:
                raise SystemExit(f"could not sign in: {signed_in.status_code}")
            await office.get(f"/verwaltung/runden/{seeded['round']}/sitzung")
            for label, poll, spread in (("within a minute", seeded["polls"][0], args.spread),
                                        ("all at once", seeded["polls"][1], 0.0)):
                if label == "within a minute" and args.spread <= 0:
                    continue
                result = await one_poll(base, env, office, seeded["round"], poll, phones=args.phones,
                                        watchers=args.watchers, spread=spread, server_pid=server.pid)
                votes: Votes = result["votes"]
                rate = votes.counted / result["elapsed"] if result["elapsed"] else float("nan")
                lines.append(
                    f"{name:<11} {label:<16} {rate:>8.1f} {_pct(votes.post_ms, 0.5):>8.1f} "
                    f"{_pct(votes.post_ms, 0.99):>8.1f} {_pct(votes.get_ms, 0.99):>9.1f}   "
                    f"stored {result['stored']}/{args.phones} (failed {votes.failed}{_reasons(votes)}); SSE: "
                    f"{result['saw_final']}/{args.watchers} saw the final count, {result['ended']} ended on close, "
                    f"{result['errors']} errors, {result['events']:.1f} events each")
                per_phone = 1000 * result["server_cpu"] / max(votes.counted, 1)
                lines.append(
                    f"{'':<11} {'':<16} server CPU {per_phone:.1f} ms per phone (page + vote, while {args.watchers} "
                    f"streams stay open): about {1000 / per_phone:.0f} phones/s per core; the load generator used "
                    f"{result['own_cpu']:.1f} s CPU, the server {result['server_cpu']:.1f} s, "
                    f"in {result['elapsed']:.1f} s")
        lines.append(f"{name:<11} peak RSS of the server process: {peak_rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--watchers", type=int, default=300, help="SSE connections kept open (projectors)")
    parser.add_argument("--spread", type=float, default=60, help="seconds over which the first poll's votes come "
                                                                   "(0: only the all-at-once run)")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    header = (f"{'database':<11} {'votes came':<16} {'votes/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'GET p99':>9}")
    lines = [header]
    with tempfile.TemporaryDirectory() as tmp:
        lines += asyncio.run(run_database("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args))
    if not args.skip_postgres:
        with scratch_postgres(args.postgres, "familiendialog_live_poll_bench_test") as url:
            lines += asyncio.run(run_database("PostgreSQL", url, args))
    print(f"{args.phones} phones, {args.watchers} SSE connections kept open, one uvicorn process, load generator on "
          f"the same host ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}); 'votes/s' of the "
          f"all-at-once run is the throughput, of the paced run the arrival rate")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
