"""Job status for people (a page with a progress bar) and programs (JSON, polled by the page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from litestar import Controller, Request, get, post
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from participation import jobs
from participation.i18n import gettext as _
from participation.web.guards import office_only, signed_in


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


async def _job(request: Request, job_id: int) -> jobs.JobView:
    """The job, if the signed-in user may see its result (else 404, as if it did not exist)."""
    job = await jobs.get_job(job_id)
    if job is None or not job.visible_to(is_office=request.user.is_office, centre_id=request.user.centre_id):
        raise NotFoundException(_("Diesen Auftrag gibt es nicht."))
    return job


class JobController(Controller):
    guards = [signed_in]

    @get("/api/jobs/{job_id:int}", name="api_job", tags=["Aufträge"])
    async def job_status(self, request: Request, job_id: FromPath[int]) -> JobStatusOut:
        """Status and progress (0–1) of a background job the user may see."""
        job = await _job(request, job_id)
        return JobStatusOut(id=job.id, kind=job.kind, status=job.status.value, progress=job.progress,
                            message=job.message, error=job.error, result=job.result, finished_at=job.finished_at,
                            attempts=job.attempts, max_attempts=job.max_attempts,
                            failure_reason=job.failure_reason)

    @get("/auftraege/{job_id:int}", name="job_page")
    async def job_page(self, request: Request, job_id: FromPath[int]) -> Template:
        return Template("jobs/job.html", context={"job": await _job(request, job_id)})

    @post("/auftraege/{job_id:int}/erneut", name="job_retry", guards=[office_only])
    async def retry(self, request: Request, job_id: FromPath[int]) -> Redirect:
        """Queue a failed job again (office only)."""
        await _job(request, job_id)
        try:
            await jobs.retry_job(job_id)
        except jobs.JobError as error:
            raise ClientException(str(error), status_code=409) from error
        runner = getattr(request.app.state, "job_runner", None)
        if runner is not None:
            runner.wake()
        return Redirect(f"/auftraege/{job_id}", status_code=303)
