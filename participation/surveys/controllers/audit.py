"""The office's privacy audit of a round ("Datenschutzprüfung"): the report of `participation audit` as a page."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.params import FromQuery
from litestar.response import Template

from participation.dialogues.dependencies import provide_round
from participation.dialogues.schemas import RoundOut
from participation.directory.services import list_centres
from participation.surveys.services.audit import AuditError, audit_round, interval_text, parse_role, percent_text
from participation.web.guards import office_only


class AuditController(Controller):
    """The office checks, before publishing minutes, that nothing protected can be computed from what a role sees."""

    path = "/verwaltung/runden"
    guards = [office_only]
    dependencies = {"round_": Provide(provide_round)}

    @get("/{round_id:int}/datenschutz", name="round_audit")
    async def audit_page(
        self, threshold: NamedDependency[int], round_: NamedDependency[RoundOut], rolle: FromQuery[str | None] = None,
    ) -> Template:
        """The audit for the office, the public or one centre's staff (``?rolle=office|public|centre:ID``)."""
        try:
            role = parse_role(rolle)
            report = await audit_round(round_.id, role, threshold=threshold)
        except AuditError as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        return Template("surveys/audit.html", context={
            "report": report, "role": role.code, "centres": await list_centres(), "percent": percent_text,
            "interval": interval_text,
        })


AUDIT_CONTROLLERS: list = [AuditController]
