"""Fault scenario: SIGTERM while eight parents submit.

With a PostgreSQL URL the server runs on a private throwaway cluster (never the given server); without one (None),
on a temporary SQLite file. Prints one line: seconds from SIGTERM to exit, the exit code, and whether every
submission answered 2xx was saved.

    python benchmarks/fault_scenarios/stop.py [postgresql://...]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.live_server import LiveServer, saved_submission_ids, seed, submit_while  # noqa: E402
from tests.support.private_postgres import PrivatePostgres, available  # noqa: E402


async def _load_then_sigterm(server: LiveServer, survey: int, district: int) -> tuple:
    loop = asyncio.get_running_loop()
    until = loop.time() + 4
    submitting = asyncio.create_task(submit_while(server.base, survey, district, lambda: loop.time() < until,
                                                  submitters=8))

    await asyncio.sleep(1.5)
    exit_seconds, exit_code = await asyncio.to_thread(server.stop)
    return await submitting, exit_seconds, exit_code


def sigterm_under_load(database_url: str | None = None) -> str:
    """SIGTERM under submission load: exit time and code, submissions answered 2xx but not saved."""
    with ExitStack() as stack:
        if database_url and database_url.startswith("postgres"):
            if not available():
                return "stop: skipped (needs root and /usr/lib/postgresql/15/bin to run a private cluster)"
            url = stack.enter_context(PrivatePostgres()).url
            name = "PostgreSQL"
        else:
            url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/stop.sqlite3"
            name = "SQLite"
        district, survey = seed(url)
        server = stack.enter_context(LiveServer(url))
        load, exit_seconds, exit_code = asyncio.run(_load_then_sigterm(server, survey, district))
        lost = len(set(load.accepted) - set(saved_submission_ids(url)))
    exit_text = "still running 15 s after SIGTERM" if exit_seconds is None else (
        f"exit {exit_seconds:.1f} s after SIGTERM, code {exit_code}")
    return (f"stop ({name}): {exit_text}; {len(load.accepted)} submissions answered 2xx, {lost} of them not saved; "
            f"refused or refused connections after the stop {sum(load.refused.values())}")


async def _export_then_sigterm(server: LiveServer, survey: int) -> tuple:
    import httpx

    from tests.factories import PASSWORD

    async with httpx.AsyncClient(base_url=server.base, timeout=60) as office:
        await office.get("/anmelden")
        await office.post("/anmelden", data={"_csrf_token": office.cookies["fd_csrf"], "email": "buero@example.org",
                                             "password": PASSWORD})

        async def export() -> str:
            try:
                response = await office.get(f"/verwaltung/umfragen/{survey}/export.xlsx")
            except httpx.HTTPError as error:
                return type(error).__name__
            return f"{response.status_code}, {len(response.content)} bytes"

        exporting = asyncio.create_task(export())
        await asyncio.sleep(0.3)
        exit_seconds, exit_code = await asyncio.to_thread(server.stop)
        return await exporting, exit_seconds, exit_code


def sigterm_during_export(database_url: str | None = None) -> str:
    """SIGTERM 0.3 s into the XLSX export of a 10,000-response survey (SQLite): exit time and code, the download."""
    from benchmarks.exports import SEED
    from tests.support.live_server import _child, server_env

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/export.sqlite3"
        survey = int(_child(SEED, server_env(url)))
        with LiveServer(url) as server:
            export, exit_seconds, exit_code = asyncio.run(_export_then_sigterm(server, survey))
    exit_text = "still running 15 s after SIGTERM" if exit_seconds is None else (
        f"exit {exit_seconds:.1f} s after SIGTERM, code {exit_code}")
    return f"stop during a 10k-response XLSX export (SQLite): {exit_text}; the download: {export}"


SCENARIOS = [
    ("stop: SIGTERM under load", sigterm_under_load),
    ("stop: SIGTERM during an export", sigterm_during_export, ("sqlite",)),  # its own SQLite file
]

if __name__ == "__main__":
    for _name, scenario, *_kinds in SCENARIOS:
        print(scenario(sys.argv[1] if len(sys.argv) > 1 else None))
