"""Fault scenarios for background jobs: workers killed mid-clustering (kill -9, SIGTERM, at random moments).

Each scenario takes a database URL (a scratch database: it is migrated and filled with the demo if empty), clusters
the demo's largest topic (358 free-text answers) once cleanly in this process, then again with `participation worker`
processes that are killed, and returns one line: how long until the job came back, the themes and answers of the
re-run, and whether they equal the clean run. Workers use a lease of JOB_LEASE_SECONDS (default here 5 s, so a
scenario takes seconds; production's 30 s bounds the time to come back at ~31 s).

Run on its own: .venv/bin/python benchmarks/fault_scenarios/jobs.py [DATABASE_URL]   (default: a scratch SQLite file)
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LEASE = os.environ.get("JOB_LEASE_SECONDS", "5")
#: How long a scenario waits for a killed job to come back before it reports that it did not.
GIVE_UP_SECONDS = float(os.environ.get("FAULT_GIVE_UP_SECONDS", "90"))
SECRET = "fault-scenario-secret-key-that-is-long-enough-0123456789"


def _environment(url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": os.environ.get("SECRET_KEY") or SECRET,
           "JOB_LEASE_SECONDS": LEASE, "JOB_GRACE_SECONDS": "2", "RUN_JOBS_IN_APP": "0"}
    env.pop("PARTICIPATION_FAULT", None)
    env.update(extra)
    return env


def _participation(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "participation.cli", *args], cwd=ROOT, env=_environment(url),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _worker(url: str, log: Path, **extra: str) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen([sys.executable, "-m", "participation.cli", "worker", "--poll", "0.5"], cwd=ROOT,
                                env=_environment(url, **extra), stdout=output, stderr=subprocess.STDOUT)


async def _wait(condition: Callable[[], Awaitable[object]], limit: float) -> object | None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if value := await condition():
            return value
        await asyncio.sleep(0.1)
    return None


async def _wait_exit(process: subprocess.Popen, limit: float = 60) -> int | None:
    async def gone():
        return process.poll() is not None

    await _wait(gone, limit)
    if process.poll() is None:
        process.kill()
        process.wait()
        return None
    return process.returncode


class Scratch:
    """The scratch database, bound in this process, with a demo question to cluster."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.log = Path(tempfile.mkdtemp(prefix="familiendialog-faults-")) / "workers.log"

    async def __aenter__(self) -> Scratch:
        from participation.db import bind_tables, make_engine, open_engine
        from participation.settings import Settings

        _participation(self.url, "migrate")
        _participation(self.url, "demo", "--if-empty")
        self.engine = make_engine(Settings.from_env(_environment(self.url)))
        bind_tables(self.engine)
        await open_engine(self.engine, 2)
        import participation.dialogues.services.pdfs  # the demo queues minutes PDFs
        import participation.surveys.services.themes  # noqa: F401  (registers the clustering job)

        self.survey_id, self.section_id = await _largest_topic()
        return self

    async def __aexit__(self, *exc) -> None:
        from participation.db import close_engine

        await close_engine(self.engine)

    async def start_run(self) -> tuple[int, int]:
        from participation.surveys.services import themes

        return await themes.start_run(self.survey_id, section_id=self.section_id)

    async def clean_run(self) -> dict:
        from participation import jobs

        await jobs.run_until_idle()  # whatever the demo queued (minutes PDFs), so it is not timed below
        run_id, _job = await self.start_run()
        started = time.monotonic()
        await jobs.run_until_idle()
        #: How long the job takes when nothing goes wrong: random kills land within this after a claim.
        self.clean_seconds = time.monotonic() - started
        return await run_summary(run_id)

    def worker(self, **extra: str) -> subprocess.Popen:
        return _worker(self.url, self.log, **extra)


async def _largest_topic() -> tuple[int, int]:
    """The closed survey's topic (section) with the most free-text answers: the demo's gives 17 themes over 358."""
    from participation.surveys.tables import Answer, Survey

    closed = [row["id"] for row in await Survey.select(Survey.id).where(Survey.closes_at < _now())]
    rows = await Answer.select(Answer.question.survey.as_alias("survey"), Answer.question.section.as_alias("section")
                               ).where(Answer.text.is_not_null() & Answer.question.survey.is_in(closed or [-1]))
    counts: dict[tuple[int, int], int] = {}
    for row in rows:
        key = (row["survey"], row["section"])
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        raise RuntimeError("the demo has no closed survey with free-text answers")
    return max(counts, key=counts.get)


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def run_summary(run_id: int) -> dict:
    """What the office sees of a run (the tests' summary: status, themes with label and size, answers assigned)."""
    from tests.jobs.conftest import run_summary as summary_of

    return await summary_of(run_id)


async def _job(job_id: int) -> dict:
    from participation.jobs import Job

    return await Job.select(Job.status, Job.attempts).where(Job.id == job_id).first()


def _result(summary: dict, clean: dict) -> str:
    same = summary["themes"] == clean["themes"] and summary["assigned"] == clean["assigned"]
    verdict = "identical to clean run: ok" if same else f"DIFFERS from clean run ({len(clean['themes'])} themes): FAIL"
    return f"{len(summary['themes'])} themes, {summary['assigned']}/{clean['answer_count']} answers, {verdict}"


async def _until_done(job_id: int, limit: float) -> bool:
    async def done():
        return (await _job(job_id))["status"] == "done"

    return bool(await _wait(done, limit))


async def _kill9_between_themes_and_assignments(url: str) -> str:
    async with Scratch(url) as scratch:
        clean = await scratch.clean_run()
        run_id, job_id = await scratch.start_run()
        doomed = scratch.worker(PARTICIPATION_FAULT="after:themes-saved")
        await _wait_exit(doomed, 120)
        killed_at = time.monotonic()
        partial = await run_summary(run_id)
        visible = f"{len(partial['themes'])} themes and {partial['assigned']} answers visible meanwhile"
        second = scratch.worker()
        try:
            back = await _until_done(job_id, GIVE_UP_SECONDS)
            seconds = time.monotonic() - killed_at
        finally:
            second.send_signal(signal.SIGTERM)
            await _wait_exit(second)
        head = f"jobs: worker kill -9 between themes and assignments (lease {LEASE} s), {visible}"
        if not back:
            summary = await run_summary(run_id)
            return f"{head} → not re-run within {GIVE_UP_SECONDS:.0f} s ({summary['status']}): FAIL"
        return f"{head} → re-run by 2nd worker in {seconds:.1f} s, {_result(await run_summary(run_id), clean)}"


async def _sigterm_mid_clustering(url: str) -> str:
    async with Scratch(url) as scratch:
        clean = await scratch.clean_run()
        run_id, job_id = await scratch.start_run()
        worker = scratch.worker(PARTICIPATION_FAULT="sleep:clustered:600")

        async def running():
            return (await _job(job_id))["status"] == "running"

        await _wait(running, 120)
        await asyncio.sleep(1)
        asked = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        code = await _wait_exit(worker, 60)
        exit_seconds = time.monotonic() - asked
        job = await _job(job_id)
        handed = f"exit {code} after {exit_seconds:.1f} s (grace 2 s), job {job['status']} attempts {job['attempts']}"
        second = scratch.worker()
        try:
            back = await _until_done(job_id, GIVE_UP_SECONDS)
            seconds = time.monotonic() - asked
        finally:
            second.send_signal(signal.SIGTERM)
            await _wait_exit(second)
        ok = code == 0 and job["status"] == "queued" and job["attempts"] == 0
        head = f"jobs: SIGTERM to a worker mid-clustering → {handed}{'' if ok else ': FAIL'}"
        if not back:
            return f"{head} → not re-run within {GIVE_UP_SECONDS:.0f} s: FAIL"
        return f"{head} → done by 2nd worker {seconds:.1f} s after SIGTERM, {_result(await run_summary(run_id), clean)}"


async def _random_kills(url: str, kills: int = 4, seed: int = 17) -> str:
    chance = random.Random(seed)
    async with Scratch(url) as scratch:
        clean = await scratch.clean_run()
        run_id, job_id = await scratch.start_run()
        half_seen = mid_job = 0
        started = time.monotonic()
        for kill in range(kills):
            worker = scratch.worker(JOB_MAX_ATTEMPTS=str(kills + 2))

            async def claimed(attempt: int = kill + 1):
                job = await _job(job_id)
                return job["status"] == "done" or job["attempts"] >= attempt

            await _wait(claimed, 120)
            await asyncio.sleep(chance.uniform(0, scratch.clean_seconds))
            worker.kill()
            mid_job += (await _job(job_id))["status"] != "done"
            await _wait_exit(worker)
            partial = await run_summary(run_id)
            if partial["themes"] and partial != clean and partial["status"] != "done":
                half_seen += 1
        finisher = scratch.worker(JOB_MAX_ATTEMPTS=str(kills + 2))
        try:
            back = await _until_done(job_id, GIVE_UP_SECONDS)
        finally:
            finisher.send_signal(signal.SIGTERM)
            await _wait_exit(finisher)
        job = await _job(job_id)
        head = (f"jobs: {kills} workers kill -9'd at random moments ({mid_job} mid-job), half-saved run seen "
                f"{half_seen}×, {job['attempts']} attempts")
        if not back:
            return f"{head} → not finished within {GIVE_UP_SECONDS:.0f} s: FAIL"
        return f"{head} → finished {time.monotonic() - started:.1f} s after the first start, " \
               f"{_result(await run_summary(run_id), clean)}"


async def _kill9_before_pdf_saved(url: str) -> str:
    from participation import jobs
    from participation.dialogues.services.pdfs import RENDER_MINUTES_JOB
    from participation.dialogues.tables import MinutesVersion, RenderedPdf

    async with Scratch(url) as scratch:
        await jobs.run_until_idle()
        version = await MinutesVersion.select(MinutesVersion.content_hash).order_by(
            MinutesVersion.id, ascending=False).first()
        if version is None:
            return "jobs: minutes PDF: the demo has no published minutes: SKIPPED"
        digest = version["content_hash"]
        await RenderedPdf.delete().where(RenderedPdf.content_hash == digest)
        job_id = await jobs.enqueue(RENDER_MINUTES_JOB, {"hash": digest, "audience": jobs.SIGNED_IN})
        doomed = scratch.worker(PARTICIPATION_FAULT="after:pdf-rendered")
        await _wait_exit(doomed, 120)
        killed_at = time.monotonic()
        stored_meanwhile = await RenderedPdf.count().where(RenderedPdf.content_hash == digest)
        second = scratch.worker()
        try:
            back = await _until_done(job_id, GIVE_UP_SECONDS)
            seconds = time.monotonic() - killed_at
        finally:
            second.send_signal(signal.SIGTERM)
            await _wait_exit(second)
        rows = await RenderedPdf.select(RenderedPdf.byte_size, RenderedPdf.error).where(
            RenderedPdf.content_hash == digest)
        head = (f"jobs: worker kill -9 after rendering minutes, before storing (lease {LEASE} s), "
                f"{stored_meanwhile} documents stored meanwhile")
        if not back:
            return f"{head} → not re-run within {GIVE_UP_SECONDS:.0f} s: FAIL"
        ok = len(rows) == 1 and rows[0]["byte_size"] > 0 and not rows[0]["error"] and stored_meanwhile == 0
        return (f"{head} → re-rendered by 2nd worker in {seconds:.1f} s, {len(rows)} document "
                f"({rows[0]['byte_size'] // 1024 if rows else 0} KiB): {'ok' if ok else 'FAIL'}")


def kill9_before_pdf_saved(url: str) -> str:
    return asyncio.run(_kill9_before_pdf_saved(url))


def kill9_between_themes_and_assignments(url: str) -> str:
    return asyncio.run(_kill9_between_themes_and_assignments(url))


def sigterm_mid_clustering(url: str) -> str:
    return asyncio.run(_sigterm_mid_clustering(url))


def random_kills(url: str) -> str:
    return asyncio.run(_random_kills(url))


SCENARIOS = [
    ("worker kill -9 between themes and assignments", kill9_between_themes_and_assignments),
    ("SIGTERM to a worker mid-clustering", sigterm_mid_clustering),
    ("workers kill -9'd at random moments", random_kills),
    ("worker kill -9 before a rendered PDF is stored", kill9_before_pdf_saved),
]


def main() -> None:
    if len(sys.argv) > 1:
        url = sys.argv[1]
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='familiendialog-faults-')) / 'scratch.sqlite3'}"
        print(f"(scratch database {url})")
    for _name, scenario in SCENARIOS:
        print(scenario(url), flush=True)


if __name__ == "__main__":
    main()
