"""The office's view of retention: what will be deleted when, and what the daily job deleted."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.response import Response, Template

from participation.dialogues.dependencies import provide_round
from participation.dialogues.schemas import RoundOut
from participation.dialogues.services.pdfs import pdf_filename
from participation.retention import archive, services
from participation.settings import Settings
from participation.web.guards import office_only


class RetentionController(Controller):
    path = "/verwaltung/aufbewahrung"
    guards = [office_only]

    @get("/", name="retention")
    async def overview(self, settings: NamedDependency[Settings]) -> Template:
        now = datetime.now(UTC)
        return Template("retention/overview.html", context={
            "planned": await services.retention_schedule(now, settings.free_text_retention_months,
                                                         settings.notification_pending_days),
            "runs": await services.last_retention_runs(),
            "months": settings.free_text_retention_months, "pending_days": settings.notification_pending_days,
            "job_days": services.JOB_RESULT_DAYS, "now": now,
        })


class RoundArchiveController(Controller):
    """The archive export of a round for the city archive."""

    path = "/verwaltung/runden"
    guards = [office_only]
    dependencies = {"round_": Provide(provide_round)}

    @get("/{round_id:int}/archiv.zip", name="round_archive")
    async def download(self, round_: NamedDependency[RoundOut], threshold: NamedDependency[int]) -> Response[bytes]:
        content = await archive.round_archive(round_.id, round_.survey_id, threshold=threshold, title=round_.title)
        filename = pdf_filename("archiv", round_.title).removesuffix(".pdf") + ".zip"
        return Response(content, media_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


RETENTION_CONTROLLERS = [RetentionController, RoundArchiveController]
