"""The office's view of retention: what will be deleted when, and what the daily job deleted."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Template

from participation.retention import services
from participation.settings import Settings
from participation.web.guards import office_only


class RetentionController(Controller):
    path = "/verwaltung/aufbewahrung"
    guards = [office_only]

    @get("/", name="retention")
    async def overview(self, settings: NamedDependency[Settings]) -> Template:
        now = datetime.now(UTC)
        return Template("retention/overview.html", context={
            "planned": await services.retention_schedule(now, settings.free_text_retention_months),
            "runs": await services.last_retention_runs(),
            "months": settings.free_text_retention_months, "job_days": services.JOB_RESULT_DAYS, "now": now,
        })


RETENTION_CONTROLLERS = [RetentionController]
