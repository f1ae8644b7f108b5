"""Fault scenario: PostgreSQL restarts five times (`pg_ctl restart -m fast`) while 16 parents submit, DB_POOL_MAX=3.

Runs on a private throwaway cluster (never the shared server), so the database URL given by the runner is unused.
Prints one line: submissions answered 2xx, lost (2xx without a row), doubled (a submission id saved twice), hung
requests, whether the server still answers /health/ready and a new submission afterwards, and the pool's state.

    python benchmarks/fault_scenarios/pool.py
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.live_server import LiveServer, Load, saved_submission_ids, seed, submit_once, submit_while  # noqa: E402
from tests.support.private_postgres import PrivatePostgres, available  # noqa: E402


def _probe(base: str, path: str, timeout: float = 10) -> str:
    import httpx

    try:
        response = httpx.get(f"{base}{path}", timeout=timeout)
    except httpx.TimeoutException:
        return "hung"
    except httpx.HTTPError as error:
        return type(error).__name__
    return str(response.status_code)


async def _restarts_under_load(pg: PrivatePostgres, server: LiveServer, survey: int, district: int,
                               restarts: int) -> Load:
    done = False
    load_task = asyncio.create_task(submit_while(server.base, survey, district, lambda: not done))
    await asyncio.sleep(1.5)
    for _ in range(restarts):
        await asyncio.to_thread(pg.restart)
        await asyncio.sleep(1.0)
    await asyncio.sleep(2.0)
    done = True
    return await load_task


def run(restarts: int = 5, pool_max: int = 3) -> dict:
    """The scenario's figures as a dict (the test asserts on them; `restarts_under_load` prints them)."""
    with PrivatePostgres() as pg:
        district, survey = seed(pg.url)
        with LiveServer(pg.url, DB_POOL_MAX=str(pool_max)) as server:
            load = asyncio.run(_restarts_under_load(pg, server, survey, district, restarts))
            time.sleep(0.5)
            ready = _probe(server.base, "/health/ready")
            health = _probe(server.base, "/health")
            after = submit_once(server.base, survey, district, "after-restarts")
            pool = _pool_state(server.base)
            exit_seconds, exit_code = server.stop(wait=15)
            log = server.log(limit=10**7)
        saved = saved_submission_ids(pg.url)
    accepted = set(load.accepted) | ({"after-restarts"} if after == "303" else set())
    return {
        "accepted": len(load.accepted), "saved": len(saved), "lost": len(accepted - set(saved)),
        "doubled": len(saved) - len(set(saved)), "hung": load.hung, "refused": load.refused,
        "ready": ready, "health": health, "submission_after": after, "pool": pool,
        "exit_seconds": exit_seconds, "exit_code": exit_code, "log": log,
    }


def _pool_state(base: str) -> str:
    import httpx

    try:
        body = httpx.get(f"{base}/health/ready", timeout=10).json()
    except (httpx.HTTPError, ValueError):
        return "unknown"
    pool = body.get("pool") if isinstance(body, dict) else None
    if not pool:
        return "unknown"
    return f"{pool['in_use']} of {pool['max']} places in use while no request runs"


def restarts_under_load(database_url: str | None = None) -> str:
    """Five fast restarts inside open save transactions, DB_POOL_MAX=3; one line of figures."""
    if not available():
        return "pool: skipped (needs root and /usr/lib/postgresql/15/bin to run a private cluster)"
    r = run()
    exit_text = "no exit in 15 s"
    if r["exit_seconds"] is not None:
        exit_text = f"{r['exit_seconds']:.1f} s, code {r['exit_code']}"
    return (f"pool: 5 restarts, 16 submitters, pool 3: {r['accepted']} answered 2xx, {r['saved']} saved, "
            f"lost {r['lost']}, doubled {r['doubled']}, hung requests {r['hung']}, refused {r['refused']}; "
            f"afterwards /health/ready {r['ready']}, /health {r['health']}, new submission {r['submission_after']}, "
            f"pool {r['pool']}; SIGTERM exit {exit_text}")


async def _leaked_places(url: str, healing: bool, pool_max: int, restarts: int, pg: PrivatePostgres) -> tuple[int, int]:
    """Transactions in 16 tasks on one engine while PostgreSQL restarts: (places never given back, stuck tasks)."""
    from piccolo.engine.postgres import PostgresEngine

    from participation.db import HealingPostgresEngine

    engine = HealingPostgresEngine(config={"dsn": url}) if healing else PostgresEngine(config={"dsn": url})
    await engine.start_connection_pool(min_size=1, max_size=pool_max)
    stop = False
    stuck = 0

    async def writer() -> None:
        nonlocal stuck
        while not stop:
            try:
                async with asyncio.timeout(5):
                    async with engine.transaction():
                        await engine.run_ddl("SELECT pg_sleep(0.005)")
                        await engine.run_ddl("SELECT 1")
            except TimeoutError:
                stuck += 1
            except Exception:
                await asyncio.sleep(0.01)

    tasks = [asyncio.create_task(writer()) for _ in range(16)]
    await asyncio.sleep(1)
    for _ in range(restarts):
        await asyncio.to_thread(pg.restart)
        await asyncio.sleep(0.5)
    stop = True
    await asyncio.gather(*tasks)
    # Every task has ended: every place should be free again. `_queue` holds asyncpg's free places (private, but
    # the only way to see a place that was never released: its connection is closed, so no public count shows it).
    leaked = pool_max - engine.pool._queue.qsize()
    engine.pool.terminate()
    return leaked, stuck


def leaked_connections(database_url: str | None = None) -> str:
    """Places lost from the pool after five restarts, Piccolo's transaction vs. ours, pools of 3 and 10."""
    if not available():
        return "pool leaks: skipped (needs root and /usr/lib/postgresql/15/bin to run a private cluster)"
    parts = []
    with PrivatePostgres() as pg:
        for pool_max in (3, 10):
            for healing in (False, True):
                leaked, stuck = asyncio.run(_leaked_places(pg.url, healing, pool_max, 5, pg))
                name = "healing" if healing else "piccolo"
                parts.append(f"{name} pool {pool_max}: {leaked} leaked, {stuck} stuck transactions")
    return "pool leaks after 5 restarts (16 writers): " + "; ".join(parts)


# Both bring their own private cluster: the runner runs them once (not once per database kind).
SCENARIOS = [
    ("pool: restarts under load", restarts_under_load, ("postgresql",)),
    ("pool: leaked connections", leaked_connections, ("postgresql",)),
]

if __name__ == "__main__":
    for _name, scenario, *_kinds in SCENARIOS:
        print(scenario(None))
