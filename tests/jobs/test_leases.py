"""Jobs come back: leases, heartbeats, attempts, results written once (in-process, with short leases)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from participation import jobs
from participation.jobs import Job, JobStatus, LeasePolicy
from tests.factories import post_form, sign_in, text_of
from tests.jobs.conftest import run_summary

SHORT = LeasePolicy(lease_seconds=0.6, grace_seconds=0.5, max_attempts=2)
ECHO = "test_echo"
SLOW = "test_slow"
calls: list[dict] = []


@jobs.handler(ECHO)
async def _echo(params: dict, progress: jobs.Progress) -> dict:
    calls.append(params)
    return {"echo": params.get("n")}


@jobs.handler(SLOW)
async def _slow(params: dict, progress: jobs.Progress) -> dict:
    await asyncio.sleep(params["seconds"])
    return {"slept": params["seconds"]}


async def _abandon(job_id: int) -> None:
    """The runner holding the job died: its lease ran out."""
    await Job.update({Job.lease_until: datetime.now(UTC) - timedelta(seconds=1)}).where(Job.id == job_id)


async def _until_running(job_id: int) -> None:
    for _attempt in range(200):
        if (await jobs.get_job(job_id)).status is JobStatus.RUNNING:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job_id} never started")


async def test_a_job_whose_runner_died_is_taken_again_by_another_runner(db):
    job_id = await jobs.enqueue(ECHO, {"n": 1})
    claimed = await jobs._claim("dead-runner", SHORT)
    assert claimed["id"] == job_id
    assert await jobs.run_one("second-runner", SHORT) is None, "a job under a live lease is left alone"

    await _abandon(job_id)
    assert await jobs.run_one("second-runner", SHORT) == job_id
    job = await jobs.get_job(job_id)
    assert job.status is JobStatus.DONE and job.result == {"echo": 1}
    assert job.attempts == 2


async def test_a_job_left_by_dying_runners_fails_after_its_last_attempt_with_the_reason(db):
    job_id = await jobs.enqueue(ECHO, {"n": 2})
    for runner in ("first", "second"):
        assert (await jobs._claim(runner, SHORT))["id"] == job_id
        await _abandon(job_id)
    assert await jobs.run_one("third", SHORT) is None
    job = await jobs.get_job(job_id)
    assert job.status is JobStatus.FAILED and job.attempts == 2
    assert "bei jedem Versuch beendet" in job.failure_reason


async def test_the_heartbeat_keeps_a_long_job_from_being_taken_by_another_runner(db):
    job_id = await jobs.enqueue(SLOW, {"seconds": 2.5 * SHORT.lease_seconds})
    first = asyncio.create_task(jobs.run_one("first", SHORT))
    await asyncio.sleep(0.1)
    others = []
    while not first.done():
        others.append(await jobs.run_one("second", SHORT))
        await asyncio.sleep(0.1)
    assert await first == job_id
    assert set(others) == {None}, "another runner took a job whose runner was alive"
    job = await jobs.get_job(job_id)
    assert job.status is JobStatus.DONE and job.attempts == 1


async def test_a_runner_that_lost_its_lease_writes_no_result(db):
    written = []

    async def write() -> None:
        written.append(True)

    job_id = await jobs.enqueue(ECHO, {})
    row = await jobs._claim("slow-runner", SHORT)
    claim = jobs._Claim(job_id, "slow-runner", row["attempts"])
    await _abandon(job_id)
    assert (await jobs._claim("new-runner", SHORT))["id"] == job_id
    token = jobs._current.set(claim)
    try:
        with pytest.raises(jobs.LeaseLost):
            await jobs.save_result({"from": "slow"}, write)
    finally:
        jobs._current.reset(token)
    assert written == []
    job = await jobs.get_job(job_id)
    assert job.status is JobStatus.RUNNING and job.result == {}


async def test_stopping_a_runner_hands_its_unfinished_job_back_without_counting_the_attempt(db):
    job_id = await jobs.enqueue(SLOW, {"seconds": 30})
    runner = jobs.JobRunner(poll_seconds=0.05, policy=SHORT)
    runner.start()
    await _until_running(job_id)
    await runner.stop()
    job = await jobs.get_job(job_id)
    assert runner.handed_back
    assert job.status is JobStatus.QUEUED and job.attempts == 0
    assert (await Job.select(Job.lease_until).where(Job.id == job_id).first())["lease_until"] is None


async def test_stopping_a_runner_lets_a_job_finish_within_the_grace_time(db):
    job_id = await jobs.enqueue(SLOW, {"seconds": 0.3})
    runner = jobs.JobRunner(poll_seconds=0.05, policy=LeasePolicy(lease_seconds=5, grace_seconds=5))
    runner.start()
    await _until_running(job_id)
    await runner.stop()
    assert not runner.handed_back
    assert (await jobs.get_job(job_id)).status is JobStatus.DONE


async def test_a_clustering_job_run_again_replaces_its_themes_instead_of_adding(answers):
    from participation.surveys.services import themes

    run_id, job_id = await themes.start_run(answers.survey_id, question_id=answers.question_id)
    await jobs.run_until_idle()
    clean = await run_summary(run_id)
    assert clean["status"] == "done" and clean["assigned"] == answers.count

    # The same job again, as after a worker died just after saving (an attempt the old code counted twice).
    await Job.update({Job.status: JobStatus.QUEUED.value}).where(Job.id == job_id)
    await jobs.run_until_idle()
    assert await run_summary(run_id) == clean


async def test_a_pdf_job_run_again_stores_the_document_once(db, monkeypatch):
    from participation.dialogues.services import pdfs
    from participation.dialogues.tables import RenderedPdf

    digest = "f" * 64
    for attempt in range(2):
        await pdfs._store(digest, "minutes", b"%PDF-" + bytes([attempt]), "", 0.1)
    rows = await RenderedPdf.select(RenderedPdf.pdf).where(RenderedPdf.content_hash == digest)
    assert [bytes(row["pdf"]) for row in rows] == [b"%PDF-\x01"]


# --- the office's job page ------------------------------------------------------------------------------------------

async def _failed_job() -> int:
    job_id = await jobs.enqueue(ECHO, {"n": 3})
    await jobs._claim("dead", LeasePolicy(lease_seconds=0.6, max_attempts=1))
    await _abandon(job_id)
    await jobs.fail_abandoned_jobs()
    return job_id


async def test_the_office_sees_attempts_and_reason_and_retries_a_failed_job(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    job_id = await _failed_job()

    page = text_of((await client.get(f"/auftraege/{job_id}")).text)
    assert "1 von höchstens 1" in page
    assert "bei jedem Versuch beendet" in page and "Erneut versuchen" in page
    status = (await client.get(f"/api/jobs/{job_id}")).json()
    assert status["status"] == "failed" and status["attempts"] == 1 and status["failure_reason"]

    response = await post_form(client, f"/auftraege/{job_id}/erneut")
    assert response.status_code == 303
    assert (await jobs.get_job(job_id)).status is JobStatus.QUEUED
    after = text_of((await client.get(response.headers["location"])).text)
    assert "wieder eingereiht" in after and "Erneut versuchen" not in after
    await jobs.run_until_idle()
    job = await jobs.get_job(job_id)
    assert job.status is JobStatus.DONE and job.attempts == 1


async def test_retrying_a_job_that_has_not_failed_is_refused(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    job_id = await jobs.enqueue(ECHO, {})
    response = await post_form(client, f"/auftraege/{job_id}/erneut")
    assert response.status_code == 409
    assert "fehlgeschlagen" in response.text
    assert (await jobs.get_job(job_id)).status is JobStatus.QUEUED
    assert "Erneut versuchen" not in (await client.get(f"/auftraege/{job_id}")).text


async def test_centre_staff_cannot_retry_a_job(client, make):
    await make.centre_user()
    await sign_in(client, "zentrum@example.org")
    job_id = await _failed_job()
    response = await post_form(client, f"/auftraege/{job_id}/erneut")
    assert response.status_code in (403, 404)
    assert (await jobs.get_job(job_id)).status is JobStatus.FAILED
