"""A real server process (`participation serve`) under load, for fault tests and fault scenarios.

Shared by `tests/test_pool_faults.py` and `benchmarks/fault_scenarios/`: seed a one-question survey in a child
process, start the server, let parents submit concurrently (each submission with its own id), and count what the
database kept.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.private_postgres import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
#: The checkout whose code the server runs; FD_APP_ROOT=/path/to/other/checkout measures another version ("before").
APP_ROOT = Path(os.environ.get("FD_APP_ROOT", ROOT))
PARTICIPATION = Path(sys.executable).parent / "participation"
QUESTIONS = [{"key": "wahl", "kind": "single", "text": "Was passt?", "options": [("a", "A"), ("b", "B")]}]


def _child(script: str, env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"child process failed:\n{out.stderr[-3000:]}")
    return out.stdout.strip().splitlines()[-1]


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SUBMIT_RATE_PER_HOUR": "100000", "PYTHONPATH": str(APP_ROOT),
           "SECRET_KEY": "fault-scenario-secret-key-long-enough-0123456789", "PASSWORD_HASH_PROFILE": "CHEAPEST",
           "RUN_JOBS_IN_APP": "1"}
    env.pop("PRODUCTION", None)
    env.update(extra)
    return env


def seed(database_url: str) -> tuple[int, int]:
    """Migrate `database_url` and create a district and an open one-question survey: (district id, survey id)."""
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
    print(json.dumps([await make.district("Eglosheim"), await make.survey({QUESTIONS!r})]))
asyncio.run(main())
"""
    district, survey = json.loads(_child(script, server_env(database_url)))
    return district, survey


def saved_submission_ids(database_url: str) -> list[str]:
    """Every submission id the database holds (a list, so a doubled one would show twice)."""
    script = """
import asyncio, json
from participation.db import bind_tables, make_engine
from participation.settings import Settings
async def main():
    bind_tables(make_engine(Settings.from_env()))
    from participation.surveys.tables import Response
    rows = await Response.select(Response.submission_id)
    print(json.dumps([row["submission_id"] for row in rows]))
asyncio.run(main())
"""
    return json.loads(_child(script, server_env(database_url)))


class LiveServer:
    """`participation serve` on a free port; `stop()` sends SIGTERM and returns (seconds to exit, exit code)."""

    def __init__(self, database_url: str, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"fd-live-server-{self.port}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(PARTICIPATION), "serve", "--port", str(self.port)],
            env=server_env(database_url, **env), cwd=APP_ROOT, stdout=self._log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                httpx.get(f"{self.base}/health", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not start:\n{self.log()}")

    def log(self, limit: int = 4000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-limit:]

    def stop(self, wait: float = 15) -> tuple[float | None, int | None]:
        """SIGTERM, then wait up to `wait` s: (seconds until exit or None if still running, exit code)."""
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.kill()
            return None, None
        return time.monotonic() - start, code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def close(self) -> None:
        self.kill()
        self._log.close()
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass
class Load:
    """What the submitters saw: ids answered with a redirect (saved) and the other statuses, by code."""

    accepted: list[str] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)
    hung: int = 0


async def submit_while(base: str, survey: int, district: int, keep_going: Callable[[], bool], *,
                       submitters: int = 16, request_seconds: float = 8) -> Load:
    """`submitters` parents submit the survey again while `keep_going()`; each request may take `request_seconds`."""
    load = Load()
    counter = iter(range(10**9))

    async def parent(number: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=request_seconds) as client:
            token = None
            while keep_going():
                try:
                    if token is None:
                        token = form_token((await client.get(f"/umfrage/{survey}/antworten")).text)
                    submission_id = f"fault-{number}-{next(counter)}"
                    response = await client.post(f"/umfrage/{survey}/antworten", data={
                        "_csrf_token": token, "page": "1", "district": str(district), "q_wahl": "a",
                        "submission_id": submission_id, "nav": "submit",
                    })
                except httpx.TimeoutException:
                    load.hung += 1
                    continue
                except (httpx.HTTPError, KeyError) as error:
                    key = type(error).__name__
                    load.refused[key] = load.refused.get(key, 0) + 1
                    await asyncio.sleep(0.05)
                    continue
                if response.status_code == 303:
                    load.accepted.append(submission_id)
                else:
                    key = str(response.status_code)
                    load.refused[key] = load.refused.get(key, 0) + 1
                    await asyncio.sleep(0.05)

    await asyncio.gather(*(parent(n) for n in range(submitters)))
    return load


def form_token(page: str) -> str:
    """The CSRF token of a page's form (the parents' form carries it in the page only, not in a cookie)."""
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    if match is None:
        raise KeyError("_csrf_token")
    return match.group(1)


def submit_once(base: str, survey: int, district: int, submission_id: str, timeout: float = 10) -> str:
    """One parent's submission: "303" when saved, another status code, "hung" or the client error's name."""
    try:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            token = form_token(client.get(f"/umfrage/{survey}/antworten").text)
            response = client.post(f"/umfrage/{survey}/antworten", data={
                "_csrf_token": token, "page": "1", "district": str(district), "q_wahl": "b",
                "submission_id": submission_id, "nav": "submit",
            })
    except httpx.TimeoutException:
        return "hung"
    except (httpx.HTTPError, KeyError) as error:
        return type(error).__name__
    return str(response.status_code)
