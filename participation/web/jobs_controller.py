"""Job status for people (a page with a progress bar) and programs (JSON, polled by the page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from participation import jobs
from participation.web.dependencies import provide_job
from participation.web.guards import signed_in


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


class JobController(Controller):
    guards = [signed_in]
    dependencies = {"job": Provide(provide_job)}

    @get("/api/jobs/{job_id:int}", name="api_job", tags=["Aufträge"])
    async def job_status(self, job: NamedDependency[jobs.JobView]) -> JobStatusOut:
        """Status and progress (0–1) of a background job the user may see."""
        return JobStatusOut(id=job.id, kind=job.kind, status=job.status.value, progress=job.progress,
                            message=job.message, error=job.error, result=job.result, finished_at=job.finished_at)

    @get("/auftraege/{job_id:int}", name="job_page")
    async def job_page(self, job: NamedDependency[jobs.JobView]) -> Template:
        return Template("jobs/job.html", context={"job": job})
