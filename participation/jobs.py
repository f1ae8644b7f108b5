"""Jobs: heavy work (clustering, rendering) run in the background with progress the UI can poll.

One small interface: `enqueue(kind, params)` stores a job; a runner claims queued jobs from the database and runs
the handler registered for its kind. On one machine the app runs a runner itself (RUN_JOBS_IN_APP=1); at scale,
`participation worker` processes take jobs from the same table (PostgreSQL: FOR UPDATE SKIP LOCKED), so any number
of stateless app and worker processes share one database. Handlers that compute run in a thread, so the event
loop keeps serving pages; their progress is written back at most a few times a second.

Jobs come back. A runner that claims a job holds a *lease* on it (`lease_until`) and renews it while it works (the
heartbeat); a job whose lease has run out belongs to a runner that died (kill -9 included) and is taken again by
any runner, up to `max_attempts` claims, then it fails with the reason shown to the office. This is how Graphile
Worker, procrastinate and SAQ recover lost jobs; the jobs table is kept because none of them offers it on both
SQLite and PostgreSQL. A runner asked to stop (SIGTERM) claims nothing more, lets its job finish within a grace
time, else hands it back (queued again, the attempt not counted).

Results are written once. A handler saves its result through `save_result`: one transaction that first marks the
job done (only if this runner still holds it, so a runner that lost its lease can never write) and then writes the
result, replacing whatever an earlier attempt of the same job left. Readers see all of it or nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import enum
import json
import logging
import os
import signal
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from piccolo.columns import JSON, Float, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.engine.postgres import PostgresEngine
from piccolo.table import Table

from participation.db import DatabaseUnavailable
from participation.errors import DomainError
from participation.i18n import gettext as _

if TYPE_CHECKING:
    from participation.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
Handler = Callable[[dict, Progress], Awaitable[dict]]
FailureHook = Callable[[dict], Awaitable[None]]


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


#: The error stored when a job's runner died on every attempt (the office page explains it in its language).
WORKER_LOST = "WorkerLost"
DEFAULT_MAX_ATTEMPTS = 3


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
    #: The last error (a handler's exception, or WORKER_LOST).
    error = Text(default="")
    #: How often a runner claimed the job; a claim that was handed back on shutdown is not counted.
    attempts = Integer(default=0)
    #: After this many claims whose runner died, the job fails instead of being taken again (JOB_MAX_ATTEMPTS of
    #: the runner that claimed it last).
    max_attempts = Integer(default=DEFAULT_MAX_ATTEMPTS)
    worker = Varchar(length=100, default="")
    #: A running job belongs to its runner until then; the runner's heartbeat moves it on.
    lease_until = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


class DailyRun(Table, tablename="job_daily_run"):
    """One row per daily job and day (`key` "retention:2026-12-03"): the unique key makes a daily job run once a
    day however many app and worker processes look for due work."""

    key = Varchar(length=100, unique=True)
    job = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


@dataclass(frozen=True, slots=True)
class LeasePolicy:
    """How long a claim lasts without a heartbeat, how often it is renewed, how long a stopping runner waits."""

    lease_seconds: float = 30.0
    grace_seconds: float = 20.0
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    @property
    def heartbeat_seconds(self) -> float:
        """Renew three times per lease, so one slow renewal never loses it."""
        return self.lease_seconds / 3

    @classmethod
    def from_settings(cls, settings: Settings) -> LeasePolicy:
        return cls(lease_seconds=settings.job_lease_seconds, grace_seconds=settings.job_grace_seconds,
                   max_attempts=settings.job_max_attempts)


#: Who may see a job's status and result, stored in its params as "audience": the office only (the default),
#: every signed-in user, or the staff of one centre (and the office): "centre:<id>".
OFFICE = "office"
SIGNED_IN = "signed_in"


def centre_audience(centre_id: int) -> str:
    return f"centre:{centre_id}"


class JobError(DomainError):
    """A job cannot be changed as asked (e.g. retrying one that has not failed)."""


class LeaseLost(RuntimeError):
    """This runner no longer holds the job (its lease ran out and another runner took it): write nothing."""


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
    attempts: int = 0
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def failure_reason(self) -> str:
        """Why the job failed, for the office (empty unless failed)."""
        if self.status != JobStatus.FAILED:
            return ""
        if self.error.startswith(WORKER_LOST):
            return _("Der Arbeitsprozess wurde bei jedem Versuch beendet, bevor der Auftrag fertig war "
                     "(%(n)s Versuche).", n=self.attempts)
        return self.error or _("Unbekannter Fehler.")

    def visible_to(self, *, is_office: bool, centre_id: int | None) -> bool:
        """Only the role that may see a job's result sees the job at all."""
        if is_office or self.audience == SIGNED_IN:
            return True
        return centre_id is not None and self.audience == centre_audience(centre_id)


@dataclass(slots=True)
class _Claim:
    """The job this task runs, as claimed: the attempt number fences every write (a re-claim changes it)."""

    job_id: int
    worker: str
    attempt: int
    completed: bool = False

    def held(self):
        return ((Job.id == self.job_id) & (Job.worker == self.worker) & (Job.attempts == self.attempt)
                & (Job.status == JobStatus.RUNNING.value))


_HANDLERS: dict[str, Handler] = {}
#: Daily jobs: kind -> the params of that day's job, made from the runner's settings.
_DAILY: dict[str, Callable[[Settings | None], dict]] = {}
_FAILURE_HOOKS: dict[str, FailureHook] = {}
#: Checks every runner makes when it looks for daily jobs (about once a minute), e.g. "queue a send job when mails
#: have fallen due": work that becomes due by the clock rather than by a request.
_WATCHES: list[Callable[[Settings | None], Awaitable[None]]] = []
_pending_writes: set[asyncio.Task] = set()
_current: contextvars.ContextVar[_Claim | None] = contextvars.ContextVar("current_job", default=None)


def handler(kind: str, *, on_failure: FailureHook | None = None) -> Callable[[Handler], Handler]:
    """Register the coroutine that runs jobs of `kind`; `on_failure(params)` runs when such a job is given up
    because its runners died (a handler's own exception is the handler's to clean up)."""

    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        if on_failure is not None:
            _FAILURE_HOOKS[kind] = on_failure
        return function

    return register


def daily(kind: str, params: Callable[[Settings | None], dict]) -> None:
    """Run jobs of `kind` (registered with `handler`) once a day; `params(settings)` gives each day's params."""
    _DAILY[kind] = params


def watch(check: Callable[[Settings | None], Awaitable[None]]) -> None:
    """Have every runner call `check(settings)` about once a minute (it may queue jobs that have fallen due)."""
    _WATCHES.append(check)


async def run_watches(settings: Settings | None = None) -> None:
    for check in _WATCHES:
        try:
            await check(settings)
        except Exception:
            log.exception("Job runner: the check %s failed", getattr(check, "__qualname__", check))


async def schedule_daily_jobs(settings: Settings | None = None, now: datetime | None = None) -> list[int]:
    """Queue each daily job not yet queued for today (UTC); returns the ids queued by this call.

    Every runner calls this as it polls; the day's unique key in `DailyRun` lets exactly one of them queue the job
    (the marker and the job are written in one transaction, so a runner dying between them loses neither).
    """
    day = (now or datetime.now(UTC)).date().isoformat()
    queued = []
    for kind, params in _DAILY.items():
        key = f"{kind}:{day}"
        if await DailyRun.exists().where(DailyRun.key == key):
            continue
        async with DailyRun._meta.db.transaction():
            claimed = await DailyRun.insert(DailyRun(key=key)).on_conflict(
                target=DailyRun.key, action="DO NOTHING").returning(DailyRun.id)
            if not claimed:
                continue
            job_id = await enqueue(kind, params(settings), dedupe_key=key)
            await DailyRun.update({DailyRun.job: job_id}).where(DailyRun.id == claimed[0]["id"])
        log.info("Queued the daily job %s for %s (job %s)", kind, day, job_id)
        queued.append(job_id)
    return queued


def _loads(value: Any) -> dict:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


def _view(row: dict) -> JobView:
    return JobView(
        id=row["id"], kind=row["kind"], status=JobStatus(row["status"]), progress=row["progress"],
        message=row["message"], result=_loads(row["result"]), error=row["error"], created_at=row["created_at"],
        finished_at=row["finished_at"], audience=str(_loads(row["params"]).get("audience") or OFFICE),
        attempts=row["attempts"], max_attempts=row["max_attempts"],
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


async def retry_job(job_id: int) -> None:
    """Queue a failed job again, with a fresh budget of attempts; refused for a job that has not failed."""
    rows = await Job.update({
        Job.status: JobStatus.QUEUED.value, Job.attempts: 0, Job.error: "", Job.progress: 0.0, Job.message: "",
        Job.finished_at: None, Job.lease_until: None, Job.worker: "",
    }).where((Job.id == job_id) & (Job.status == JobStatus.FAILED.value)).returning(Job.id)
    if not rows:
        raise JobError(_("Nur ein fehlgeschlagener Auftrag kann erneut versucht werden."))


# --- claiming -------------------------------------------------------------------------------------------------------

def _is_postgres() -> bool:
    return isinstance(Job._meta.db, PostgresEngine)


async def _claim(worker: str, policy: LeasePolicy) -> dict | None:
    """Take the oldest queued job, or one whose runner's lease ran out, atomically: two runners never hold one job.

    PostgreSQL: the row is locked with SKIP LOCKED, so runners never wait for each other, and the database's clock
    decides leases (runners on several hosts need not agree on the time). SQLite: one writer at a time, and the
    UPDATE re-checks the condition it selected by.
    """
    if _is_postgres():
        rows = await Job.raw(
            "UPDATE job SET status = 'running', worker = {}, started_at = clock_timestamp(), "
            "heartbeat_at = clock_timestamp(), lease_until = clock_timestamp() + make_interval(secs => {}), "
            "attempts = attempts + 1, max_attempts = {} "
            "WHERE id = (SELECT id FROM job WHERE status = 'queued' OR (status = 'running' AND attempts < max_attempts "
            "AND (lease_until IS NULL OR lease_until < clock_timestamp())) ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1) "
            "RETURNING *", worker, policy.lease_seconds, policy.max_attempts,
        )
    else:
        now = datetime.now(UTC)
        claimable = ((Job.status == JobStatus.QUEUED.value) | (
            (Job.status == JobStatus.RUNNING.value) & (Job.attempts < Job.max_attempts)
            & (Job.lease_until.is_null() | (Job.lease_until < now))
        ))
        candidate = await Job.select(Job.id).where(claimable).order_by(Job.id).first()
        if candidate is None:
            return None
        # The same condition again in the UPDATE: SQLite runs one writer at a time, so of two runners that picked
        # the same job, the second finds it claimed and gets nothing (and looks again on its next poll).
        rows = await Job.update({
            Job.status: JobStatus.RUNNING.value, Job.worker: worker, Job.started_at: now, Job.heartbeat_at: now,
            Job.lease_until: now + timedelta(seconds=policy.lease_seconds), Job.attempts: Job.attempts + 1,
            Job.max_attempts: policy.max_attempts,
        }).where((Job.id == candidate["id"]) & claimable).returning(*Job.all_columns())
    return rows[0] if rows else None


async def fail_abandoned_jobs() -> int:
    """Give up the jobs whose runners died on every allowed attempt; returns how many."""
    reason = f"{WORKER_LOST}: the runner stopped on every attempt"
    if _is_postgres():
        rows = await Job.raw(
            "UPDATE job SET status = 'failed', error = {}, finished_at = clock_timestamp(), lease_until = NULL, "
            "message = '' WHERE status = 'running' AND (lease_until IS NULL OR lease_until < clock_timestamp()) "
            "AND attempts >= max_attempts RETURNING id, kind, params", reason,
        )
    else:
        now = datetime.now(UTC)
        rows = await Job.update({
            Job.status: JobStatus.FAILED.value, Job.error: reason, Job.finished_at: now, Job.lease_until: None,
            Job.message: "",
        }).where(
            (Job.status == JobStatus.RUNNING.value) & (Job.lease_until.is_null() | (Job.lease_until < now))
            & (Job.attempts >= Job.max_attempts)
        ).returning(Job.id, Job.kind, Job.params)
    for row in rows:
        log.warning("Job %s (%s) given up: its runner died on every attempt", row["id"], row["kind"])
        hook = _FAILURE_HOOKS.get(row["kind"])
        if hook is not None:
            try:
                await hook(_loads(row["params"]))
            except Exception:
                log.exception("Failure hook of job %s failed", row["id"])
    return len(rows)


# --- results written once ---------------------------------------------------------------------------------------------

async def save_result(result: dict, write: Callable[[], Awaitable[None]]) -> None:
    """Mark the running job done with `result` and run `write` (the result's rows) in one transaction.

    The job row is updated first, on the condition that this runner still holds it: that locks it against any
    other runner until the commit, and a runner that lost its lease gets LeaseLost and writes nothing. `write`
    must replace what an earlier attempt of the job could have written (delete by the job's key, then insert).
    Outside a job (a command run by hand) it is just one transaction around `write`.
    """
    from participation.db import transaction

    claim = _current.get()
    async with transaction():
        if claim is not None:
            rows = await Job.update({
                Job.status: JobStatus.DONE.value, Job.result: result or {}, Job.progress: 1.0,
                Job.finished_at: datetime.now(UTC), Job.lease_until: None, Job.error: "",
            }).where(claim.held()).returning(Job.id)
            if not rows:
                raise LeaseLost(f"job {claim.job_id}: another runner holds it now")
        await write()
    if claim is not None:
        claim.completed = True


async def fault(point: str) -> None:
    """A fault hook for tests and fault scenarios, inert unless PARTICIPATION_FAULT names this point.

    `after:<point>` kills this process with SIGKILL right there (as kill -9 would); `sleep:<point>:<seconds>`
    holds the job there for that long (to stop a runner mid-job).
    """
    spec = os.environ.get("PARTICIPATION_FAULT", "")
    if not spec:
        return
    action, _sep, rest = spec.partition(":")
    name, _sep, argument = rest.partition(":")
    if name != point:
        return
    if action == "after":
        log.warning("PARTICIPATION_FAULT: killing this process at %s", point)
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "sleep":
        await asyncio.sleep(float(argument or "5"))


# --- running --------------------------------------------------------------------------------------------------------

@dataclass
class _Outcome:
    job_id: int
    handed_back: bool = False


async def _renew(claim: _Claim, policy: LeasePolicy, work: asyncio.Task, beat: Callable[[], None]) -> None:
    """The heartbeat: move the lease on while the job runs; if another runner took the job, stop working on it."""
    while True:
        await asyncio.sleep(policy.heartbeat_seconds)
        beat()
        try:
            if _is_postgres():
                rows = await Job.raw(
                    "UPDATE job SET heartbeat_at = clock_timestamp(), "
                    "lease_until = clock_timestamp() + make_interval(secs => {}) "
                    "WHERE id = {} AND worker = {} AND attempts = {} AND status = 'running' RETURNING id",
                    policy.lease_seconds, claim.job_id, claim.worker, claim.attempt,
                )
            else:
                now = datetime.now(UTC)
                rows = await Job.update({
                    Job.heartbeat_at: now, Job.lease_until: now + timedelta(seconds=policy.lease_seconds),
                }).where(claim.held()).returning(Job.id)
        except Exception:
            log.exception("Could not renew the lease of job %s", claim.job_id)
            continue
        if not rows:
            log.warning("Job %s: lease lost to another runner; abandoning this attempt", claim.job_id)
            work.cancel()
            return


async def _hand_back(claim: _Claim) -> None:
    """Give the job back on shutdown: queued again, lease cleared, this attempt not counted."""
    await Job.update({
        Job.status: JobStatus.QUEUED.value, Job.lease_until: None, Job.worker: "", Job.attempts: Job.attempts - 1,
        Job.message: "",
    }).where(claim.held())


async def _requeue_after_outage(claim: _Claim) -> None:
    """Queue a job again after the database went away under it. Unlike `_hand_back`, the attempt stays counted, so
    the office sees (in the job's attempts) that it was interrupted."""
    await Job.update({
        Job.status: JobStatus.QUEUED.value, Job.lease_until: None, Job.worker: "", Job.message: "",
    }).where(claim.held())


async def _run_claimed(row: dict, worker: str, policy: LeasePolicy, stopping: asyncio.Event | None,
                       beat: Callable[[], None]) -> _Outcome:
    job_id = row["id"]
    claim = _Claim(job_id, worker, row["attempts"])
    function = _HANDLERS.get(row["kind"])
    loop = asyncio.get_running_loop()
    last_write = [0.0]

    async def write_progress(fraction: float, message: str) -> None:
        await Job.update({Job.progress: max(0.0, min(1.0, fraction)), Job.message: message[:300]}).where(
            claim.held()
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
        elif not loop.is_closed():
            asyncio.run_coroutine_threadsafe(coroutine, loop)

    async def call() -> dict:
        if function is None:
            raise LookupError(f"no handler for job kind {row['kind']!r}")
        _current.set(claim)
        return await function(_loads(row["params"]), progress)

    work = loop.create_task(call(), context=contextvars.copy_context())
    heartbeat = loop.create_task(_renew(claim, policy, work, beat))
    try:
        if stopping is not None:
            stop_wait = loop.create_task(stopping.wait())
            await asyncio.wait({work, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
            stop_wait.cancel()
            if not work.done():
                log.info("Stopping: job %s gets %.0f s to finish", job_id, policy.grace_seconds)
                await asyncio.wait({work}, timeout=policy.grace_seconds)
            if not work.done():
                work.cancel()
                await asyncio.gather(work, return_exceptions=True)
                if not claim.completed:
                    await _hand_back(claim)
                    log.info("Job %s handed back to the queue", job_id)
                    return _Outcome(job_id, handed_back=True)
        try:
            result = await work
        except asyncio.CancelledError:
            if work.cancelled() and not (asyncio.current_task() and asyncio.current_task().cancelling()):
                return _Outcome(job_id)  # the heartbeat found the lease lost: nothing of ours is written
            raise
        except LeaseLost:
            log.warning("Job %s: lease lost before its result was saved; nothing written", job_id)
            return _Outcome(job_id)
        except DatabaseUnavailable as error:
            # The database went away mid-job (a restart, a failover): not the job's fault. Its result was not
            # saved (saving is one transaction), so it goes back to the queue; should even
            # that write fail, the lease runs out and the job is taken again all the same.
            log.warning("Job %s: the database went away mid-job (%s); back to the queue", job_id, error)
            try:
                await _requeue_after_outage(claim)
            except DatabaseUnavailable:
                log.warning("Job %s: could not requeue yet; it is taken again when its lease runs out", job_id)
            return _Outcome(job_id)
        except Exception as error:
            log.exception("Job %s (%s) failed", job_id, row["kind"])
            await Job.update({
                Job.status: JobStatus.FAILED.value, Job.error: f"{type(error).__name__}: {error}"[:2000],
                Job.finished_at: datetime.now(UTC), Job.message: "", Job.lease_until: None,
            }).where(claim.held())
            return _Outcome(job_id)
        if not claim.completed:
            await Job.update({
                Job.status: JobStatus.DONE.value, Job.result: result or {}, Job.progress: 1.0,
                Job.finished_at: datetime.now(UTC), Job.lease_until: None,
            }).where(claim.held())
        return _Outcome(job_id)
    finally:
        heartbeat.cancel()
        await asyncio.gather(heartbeat, return_exceptions=True)


async def _run_next(worker: str, policy: LeasePolicy, stopping: asyncio.Event | None = None,
                    beat: Callable[[], None] = lambda: None) -> _Outcome | None:
    await fail_abandoned_jobs()
    row = await _claim(worker, policy)
    if row is None:
        return None
    return await _run_claimed(row, worker, policy, stopping, beat)


async def run_one(worker: str = "", policy: LeasePolicy | None = None) -> int | None:
    """Run the next queued (or abandoned) job, if any; returns its id."""
    outcome = await _run_next(worker or _worker_name(), policy or LeasePolicy())
    return outcome.job_id if outcome else None


async def run_until_idle(policy: LeasePolicy | None = None) -> list[int]:
    """Run queued jobs until none is left (tests, CLI)."""
    done = []
    while (job_id := await run_one(policy=policy)) is not None:
        done.append(job_id)
    return done


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


@dataclass
class JobRunner:
    """Polls for jobs and runs them one at a time, until asked to stop.

    With a heartbeat file it touches that file on every poll and heartbeat, so a container health check
    (`participation worker --check`) can tell a live runner from a hung one.
    """

    poll_seconds: float = 1.0
    policy: LeasePolicy = field(default_factory=LeasePolicy)
    heartbeat_file: str = ""
    #: The settings daily jobs take their params from (None: their defaults).
    settings: Settings | None = None
    #: Seconds between two looks for due daily jobs.
    daily_check_seconds: float = 60.0
    #: Set when the runner gave its job back on stopping (its handler's thread may still be running).
    handed_back: bool = field(default=False, init=False)
    _task: asyncio.Task | None = field(default=None, init=False)
    _wake: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event, init=False)

    @classmethod
    def from_settings(cls, settings: Settings, poll_seconds: float = 1.0) -> JobRunner:
        return cls(poll_seconds=poll_seconds, policy=LeasePolicy.from_settings(settings),
                   heartbeat_file=settings.worker_heartbeat_file, settings=settings)

    def wake(self) -> None:
        """Look for work now (called right after a job is queued in this process)."""
        self._wake.set()

    def request_stop(self) -> None:
        """Claim nothing more; the current job gets the grace time to finish, then it is handed back."""
        self._stopping.set()
        self._wake.set()

    def beat(self) -> None:
        if self.heartbeat_file:
            try:
                Path(self.heartbeat_file).touch()
            except OSError:
                log.exception("Could not touch the heartbeat file %s", self.heartbeat_file)

    async def run(self) -> None:
        """Run jobs until `request_stop`."""
        name = _worker_name()
        next_daily_check = 0.0
        while not self._stopping.is_set():
            self.beat()
            if (_DAILY or _WATCHES) and time.monotonic() >= next_daily_check:
                next_daily_check = time.monotonic() + self.daily_check_seconds
                try:
                    await schedule_daily_jobs(self.settings)
                except Exception:
                    log.exception("Job runner could not queue the daily jobs")
                await run_watches(self.settings)
            try:
                outcome = await _run_next(name, self.policy, self._stopping, self.beat)
            except Exception:
                log.exception("Job runner could not claim a job")
                outcome = None
            if outcome is not None and outcome.handed_back:
                self.handed_back = True
            if outcome is None and not self._stopping.is_set():
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
                except TimeoutError:
                    pass

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        """Stop as a worker does on SIGTERM: the current job finishes within the grace time or is handed back."""
        if self._task:
            self.request_stop()
            try:
                await asyncio.wait_for(self._task, timeout=self.policy.grace_seconds + 10)
            except (TimeoutError, asyncio.CancelledError):
                pass
