"""`participation worker` processes killed (kill -9, SIGTERM) mid-job: the job comes back and its result is written
once. Each test starts real worker processes on the test database, with leases of ~1.5 s."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from participation import jobs
from participation.jobs import JobStatus
from tests.jobs.conftest import run_summary

ROOT = Path(__file__).resolve().parents[2]
LEASE = "1.5"


def start_worker(log: Path, **env: str) -> subprocess.Popen:
    """A `participation worker` on the test database (DATABASE_URL is the tests')."""
    environment = {**os.environ, "JOB_LEASE_SECONDS": LEASE, "JOB_GRACE_SECONDS": "1", **env}
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "participation.cli", "worker", "--poll", "0.2"], cwd=ROOT, env=environment,
            stdout=output, stderr=subprocess.STDOUT,
        )


async def wait_until(condition, what: str, limit: float = 90.0):
    """Poll `condition()` (a coroutine function) until it returns something truthy."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if value := await condition():
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


async def wait_exit(process: subprocess.Popen, log: Path, limit: float = 60.0) -> int:
    async def exited():
        return process.poll() is not None

    try:
        await wait_until(exited, "the worker to exit", limit)
    except AssertionError:
        process.kill()
        raise AssertionError(_tail(log)) from None
    return process.returncode


def job_in(*statuses: JobStatus):
    def condition(job_id: int):
        async def check():
            job = await jobs.get_job(job_id)
            return job if job.status in statuses else None
        return check
    return condition


async def clean_run(answers) -> dict:
    """The themes a clustering run gets when nothing goes wrong (run in this process)."""
    from participation.surveys.services import themes

    run_id, _job = await themes.start_run(answers.survey_id, question_id=answers.question_id)
    await jobs.run_until_idle()
    summary = await run_summary(run_id)
    assert summary["status"] == "done" and summary["assigned"] == answers.count
    return summary


async def new_run(answers) -> tuple[int, int]:
    from participation.surveys.services import themes

    return await themes.start_run(answers.survey_id, question_id=answers.question_id)


async def stop(process: subprocess.Popen, log: Path) -> int:
    process.send_signal(signal.SIGTERM)
    return await wait_exit(process, log)


async def test_worker_killed_between_themes_and_assignments_leaves_no_partial_run_and_another_worker_redoes_it(
    answers, tmp_path
):
    clean = await clean_run(answers)
    run_id, job_id = await new_run(answers)
    log = tmp_path / "worker.log"

    doomed = start_worker(log, PARTICIPATION_FAULT="after:themes-saved")
    assert await wait_exit(doomed, log) == -signal.SIGKILL
    job = await jobs.get_job(job_id)
    assert job.status is JobStatus.RUNNING and job.attempts == 1
    half = await run_summary(run_id)
    assert half["themes"] == [] and half["assigned"] == 0, "a half-saved run is visible"

    second = start_worker(log)
    try:
        job = await wait_until(job_in(JobStatus.DONE, JobStatus.FAILED)(job_id), "the job to be taken again")
    finally:
        assert await stop(second, log) == 0
    assert job.status is JobStatus.DONE and job.attempts == 2
    assert await run_summary(run_id) == clean


async def test_sigterm_hands_an_unfinished_job_back_and_the_worker_exits_cleanly(answers, tmp_path):
    run_id, job_id = await new_run(answers)
    log = tmp_path / "worker.log"
    stalled = start_worker(log, PARTICIPATION_FAULT="sleep:clustered:60")
    await wait_until(job_in(JobStatus.RUNNING)(job_id), "the job to start")

    assert await stop(stalled, log) == 0
    job = await jobs.get_job(job_id)
    assert job.status is JobStatus.QUEUED and job.attempts == 0, "a handed-back attempt counts as a failure"
    assert (await run_summary(run_id))["themes"] == []

    await jobs.run_until_idle()
    assert (await run_summary(run_id))["assigned"] == answers.count


async def test_sigterm_lets_a_job_finish_within_the_grace_time(answers, tmp_path):
    _run_id, job_id = await new_run(answers)
    log = tmp_path / "worker.log"
    worker = start_worker(log, PARTICIPATION_FAULT="sleep:clustered:1", JOB_GRACE_SECONDS="30")
    await wait_until(job_in(JobStatus.RUNNING)(job_id), "the job to start")

    assert await stop(worker, log) == 0
    job = await jobs.get_job(job_id)
    assert job.status is JobStatus.DONE and job.attempts == 1


async def test_health_check_tells_a_live_worker_from_a_gone_one(db, tmp_path):
    beat = tmp_path / "heartbeat"
    log = tmp_path / "worker.log"

    def check(**env: str) -> int:
        return subprocess.run(
            [sys.executable, "-m", "participation.cli", "worker", "--check", "--max-age", "5"], cwd=ROOT,
            env={**os.environ, **env}, capture_output=True, check=False,
        ).returncode

    worker = start_worker(log, WORKER_HEARTBEAT_FILE=str(beat))
    try:
        async def touched():
            return beat.exists()

        await wait_until(touched, "the heartbeat file")
        assert check(WORKER_HEARTBEAT_FILE=str(beat)) == 0
    finally:
        assert await stop(worker, log) == 0
    old = time.time() - 60
    os.utime(beat, (old, old))
    assert check(WORKER_HEARTBEAT_FILE=str(beat)) == 1
    assert check(WORKER_HEARTBEAT_FILE=str(tmp_path / "missing")) == 1


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                    reason="slow: runs in the PostgreSQL pass only (several workers, killed at random moments)")
async def test_workers_killed_at_random_moments_still_give_the_clean_result(answers, tmp_path):
    clean = await clean_run(answers)
    run_id, job_id = await new_run(answers)
    log = tmp_path / "worker.log"
    chance = random.Random(17)
    for _kill in range(3):
        # Saving is held open a little, so that some kills land inside the result's transaction.
        worker = start_worker(log, JOB_MAX_ATTEMPTS="10", PARTICIPATION_FAULT="sleep:themes-saved:0.5")
        await wait_until(job_in(JobStatus.RUNNING, JobStatus.DONE)(job_id), "the job to be claimed")
        await asyncio.sleep(chance.uniform(0, 2.0))
        worker.kill()
        await wait_exit(worker, log)
        partial = await run_summary(run_id)
        assert partial["themes"] == [] or partial == clean, "a half-saved run is visible"
    finisher = start_worker(log, JOB_MAX_ATTEMPTS="10")
    try:
        job = await wait_until(job_in(JobStatus.DONE, JobStatus.FAILED)(job_id), "the job to finish")
    finally:
        await stop(finisher, log)
    assert job.status is JobStatus.DONE
    assert await run_summary(run_id) == clean
