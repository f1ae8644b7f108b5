"""/health while wrong sign-ins are verified (issue 12, finding 2): Argon2 must not hold up the event loop.

Starts `participation serve` (one process, SQLite, the production Argon2 profile RFC_9106_LOW_MEMORY), then sends
`--concurrent` wrong sign-ins at once (each for another unknown address, so the sign-in back-off does not answer them
early: every one costs a full Argon2 verification) while a second client asks /health every 10 ms. Prints the
sign-ins' wall time and /health's median and worst answer time during them. Before the change 8 sign-ins stalled
/health for seconds; after it /health answers in milliseconds.

Run: .venv/bin/python benchmarks/sign_in_health.py [--concurrent 8] [--rounds 3]
     FD_APP_ROOT=/path/to/other/checkout … measures that checkout's server ("before").
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.live_server import LiveServer, seed


async def _round(base: str, concurrent: int, number: int) -> tuple[float, list[float]]:
    health_times: list[float] = []
    done = asyncio.Event()

    async def poll_health() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            while not done.is_set():
                start = time.perf_counter()
                await client.get("/health")
                health_times.append(time.perf_counter() - start)
                await asyncio.sleep(0.01)

    async def wrong_sign_in(client: httpx.AsyncClient, n: int) -> int:
        response = await client.post("/anmelden", data={
            "_csrf_token": client.cookies["fd_csrf"], "email": f"unknown-{number}-{n}@example.org",
            "password": "wrong-password-guess",
        })
        return response.status_code

    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        await client.get("/anmelden")
        poller = asyncio.create_task(poll_health())
        await asyncio.sleep(0.05)
        start = time.perf_counter()
        statuses = await asyncio.gather(*(wrong_sign_in(client, n) for n in range(concurrent)))
        elapsed = time.perf_counter() - start
        done.set()
        await poller
    assert set(statuses) == {400}, statuses
    return elapsed, health_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrent", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='fd-bench-signin-')) / 'bench.sqlite3'}"
    seed(url)
    with LiveServer(url, PASSWORD_HASH_PROFILE="RFC_9106_LOW_MEMORY") as server:
        print(f"{args.concurrent} concurrent wrong sign-ins (Argon2id RFC_9106_LOW_MEMORY), /health polled every 10 ms")
        for number in range(args.rounds):
            elapsed, health = asyncio.run(_round(server.base, args.concurrent, number))
            print(f"round {number + 1}: sign-ins {elapsed:.2f} s; /health answered {len(health)} times, "
                  f"median {statistics.median(health) * 1000:.1f} ms, worst {max(health) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
