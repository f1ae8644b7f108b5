"""Job status for people (a page with a progress bar) and programs (JSON, polled by the page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation import jobs
from participation.i18n import gettext as _
from participation.web.dependencies import provide_job
from participation.web.errors import API_ERRORS
from participation.web.guards import office_only, signed_in
from participation.web.redirects import redirect_to


@dataclass(frozen=True, slots=True)
class JobStatusOut:
    id: int
    kind: str
    status: str
    progress: float
    message: str
    error: str
    result: dict
    finished_at: datetime | None
    #: Claims of the job so far (a worker that died mid-job costs one) and how many are allowed.
    attempts: int
    max_attempts: int
    #: Why a failed job failed, in the user's language (empty otherwise).
    failure_reason: str


class JobController(Controller):
    guards = [signed_in]
    dependencies = {"job": Provide(provide_job)}

    @get("/api/jobs/{job_id:int}", name="api_job", tags=["Aufträge"], include_in_schema=True, raises=API_ERRORS)
    async def job_status(self, job: NamedDependency[jobs.JobView]) -> JobStatusOut:
        """Status and progress (0–1) of a background job the user may see."""
        return JobStatusOut(id=job.id, kind=job.kind, status=job.status.value, progress=job.progress,
                            message=job.message, error=job.error, result=job.result, finished_at=job.finished_at,
                            attempts=job.attempts, max_attempts=job.max_attempts,
                            failure_reason=job.failure_reason)

    @get("/auftraege/{job_id:int}", name="job_page")
    async def job_page(self, job: NamedDependency[jobs.JobView]) -> Template:
        return Template("jobs/job.html", context={"job": job})

    @post("/auftraege/{job_id:int}/erneut", name="job_retry", guards=[office_only])
    async def retry(self, request: Request, job: NamedDependency[jobs.JobView]) -> Redirect:
        """Queue a failed job again (office only)."""
        try:
            await jobs.retry_job(job.id)
        except jobs.JobError as error:
            raise ClientException(str(error), status_code=409) from error
        runner = getattr(request.app.state, "job_runner", None)
        if runner is not None:
            runner.wake()
        flash(request, _("Der Auftrag ist wieder eingereiht und wird erneut versucht."), category="success")
        return redirect_to(request, "job_page", job_id=job.id)
