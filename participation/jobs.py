"""Jobs: heavy work (clustering, rendering) run in the background with progress the UI can poll.

One small interface: `enqueue(kind, params)` stores a job; a runner claims queued jobs from the database and runs
the handler registered for its kind. On one machine the app runs a runner itself (RUN_JOBS_IN_APP=1); at scale,
`participation worker` processes take jobs from the same table (PostgreSQL: FOR UPDATE SKIP LOCKED), so any number
of stateless app and worker processes share one database. Handlers that compute run in a thread, so the event
loop keeps serving pages; their progress is written back at most a few times a second.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
import os
import socket
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import JSON, Float, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
Handler = Callable[[dict, Progress], Awaitable[dict]]


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Table, tablename="job"):
    """A unit of background work and its outcome."""

    kind = Varchar(length=60)
    params = JSON(default={})
    #: Same key, same work: a second request for it returns the existing job instead of running it twice.
    dedupe_key = Varchar(length=200, null=True, default=None, index=True)
    status = Varchar(length=10, default=JobStatus.QUEUED.value, index=True)
    progress = Float(default=0.0)
    message = Varchar(length=300, default="")
    result = JSON(default={})
    error = Text(default="")
    attempts = Integer(default=0)
    worker = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


#: Who may see a job's status and result, stored in its params as "audience": the office only (the default),
#: every signed-in user, or the staff of one centre (and the office): "centre:<id>".
OFFICE = "office"
SIGNED_IN = "signed_in"


def centre_audience(centre_id: int) -> str:
    return f"centre:{centre_id}"


@dataclass(frozen=True, slots=True)
class JobView:
    """What the UI shows of a job."""

    id: int
    kind: str
    status: JobStatus
    progress: float
    message: str
    result: dict
    error: str
    created_at: datetime | None
    finished_at: datetime | None
    audience: str = OFFICE

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def visible_to(self, *, is_office: bool, centre_id: int | None) -> bool:
        """Only the role that may see a job's result sees the job at all."""
        if is_office or self.audience == SIGNED_IN:
            return True
        return centre_id is not None and self.audience == centre_audience(centre_id)


_HANDLERS: dict[str, Handler] = {}
_pending_writes: set[asyncio.Task] = set()
#: A job still "running" after this long was left by a process that died; it is queued again.
STALE_AFTER_SECONDS = 30 * 60


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the coroutine that runs jobs of `kind`."""

    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def _loads(value: Any) -> dict:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


def _view(row: dict) -> JobView:
    return JobView(
        id=row["id"], kind=row["kind"], status=JobStatus(row["status"]), progress=row["progress"],
        message=row["message"], result=_loads(row["result"]), error=row["error"], created_at=row["created_at"],
        finished_at=row["finished_at"], audience=str(_loads(row["params"]).get("audience") or OFFICE),
    )


async def enqueue(kind: str, params: dict, *, dedupe_key: str | None = None) -> int:
    """Queue a job and return its id; with a dedupe key, an unfailed job with the same key is reused."""
    if dedupe_key:
        existing = await Job.select(Job.id).where(
            (Job.dedupe_key == dedupe_key) & (Job.status != JobStatus.FAILED.value)
        ).order_by(Job.id, ascending=False).first()
        if existing:
            return existing["id"]
    rows = await Job.insert(Job(kind=kind, params=params, dedupe_key=dedupe_key)).returning(Job.id)
    return rows[0]["id"]


async def get_job(job_id: int) -> JobView | None:
    row = await Job.select().where(Job.id == job_id).first()
    return _view(row) if row else None


async def _claim(worker: str) -> dict | None:
    """Take the oldest queued job, atomically, so two runners never run the same job."""
    engine = Job._meta.db
    now = datetime.now(UTC)
    if isinstance(engine, PostgresEngine):
        rows = await Job.raw(
            "UPDATE job SET status = 'running', worker = {}, started_at = {}, attempts = attempts + 1 "
            "WHERE id = (SELECT id FROM job WHERE status = 'queued' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1) "
            "RETURNING *", worker, now,
        )
    else:
        rows = await Job.raw(
            "UPDATE job SET status = 'running', worker = {}, started_at = {}, attempts = attempts + 1 "
            "WHERE id = (SELECT id FROM job WHERE status = 'queued' ORDER BY id LIMIT 1) AND status = 'queued' "
            "RETURNING *", worker, now,
        )
    return rows[0] if rows else None


async def run_one(worker: str = "") -> int | None:
    """Run the next queued job, if any; returns its id."""
    row = await _claim(worker or _worker_name())
    if row is None:
        return None
    job_id = row["id"]
    function = _HANDLERS.get(row["kind"])
    loop = asyncio.get_running_loop()
    last_write = [0.0]

    async def write_progress(fraction: float, message: str) -> None:
        await Job.update({Job.progress: max(0.0, min(1.0, fraction)), Job.message: message[:300]}).where(
            Job.id == job_id
        )

    def progress(fraction: float, message: str = "") -> None:
        """Callable from the handler's thread or the loop; writes at most ~4 times a second."""
        moment = time.monotonic()
        if moment - last_write[0] < 0.25 and fraction < 1.0:
            return
        last_write[0] = moment
        coroutine = write_progress(fraction, message)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            task = loop.create_task(coroutine)
            _pending_writes.add(task)
            task.add_done_callback(_pending_writes.discard)
        else:
            asyncio.run_coroutine_threadsafe(coroutine, loop)

    try:
        if function is None:
            raise LookupError(f"no handler for job kind {row['kind']!r}")
        result = await function(_loads(row["params"]), progress)
    except Exception as error:
        log.exception("Job %s (%s) failed", job_id, row["kind"])
        await Job.update({
            Job.status: JobStatus.FAILED.value, Job.error: f"{type(error).__name__}: {error}"[:2000],
            Job.finished_at: datetime.now(UTC), Job.message: "",
        }).where(Job.id == job_id)
        log.debug("".join(traceback.format_exception(error)))
    else:
        await Job.update({
            Job.status: JobStatus.DONE.value, Job.result: result or {}, Job.progress: 1.0,
            Job.finished_at: datetime.now(UTC),
        }).where(Job.id == job_id)
    return job_id


async def requeue_stale_jobs() -> int:
    """Queue again the jobs a crashed process left "running"; returns how many."""
    from datetime import timedelta

    cutoff = datetime.now(UTC) - timedelta(seconds=STALE_AFTER_SECONDS)
    rows = await Job.update({Job.status: JobStatus.QUEUED.value}).where(
        (Job.status == JobStatus.RUNNING.value) & (Job.started_at < cutoff) & (Job.attempts < 3)
    ).returning(Job.id)
    return len(rows)


async def run_until_idle() -> list[int]:
    """Run queued jobs until none is left (tests, CLI)."""
    done = []
    while (job_id := await run_one()) is not None:
        done.append(job_id)
    return done


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


class JobRunner:
    """Polls for queued jobs and runs them one at a time, until stopped."""

    def __init__(self, poll_seconds: float = 1.0) -> None:
        self.poll_seconds = poll_seconds
        self._task: asyncio.Task | None = None
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look for work now (called right after a job is queued in this process)."""
        self._wake.set()

    async def _loop(self) -> None:
        name = _worker_name()
        try:
            await requeue_stale_jobs()
        except Exception:
            log.exception("Could not requeue stale jobs")
        while True:
            try:
                ran = await run_one(name)
            except Exception:
                log.exception("Job runner could not claim a job")
                ran = None
            if ran is None:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
                except TimeoutError:
                    pass

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
