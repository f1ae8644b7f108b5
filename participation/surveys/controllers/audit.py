"""The office's privacy audit of a round ("Datenschutzprüfung"): the report of `participation audit` as a page."""

from __future__ import annotations

from litestar import Controller, get
from litestar.exceptions import HTTPException, NotFoundException
from litestar.response import Template

from participation.dialogues.services.rounds import get_round
from participation.directory.services import list_centres
from participation.i18n import gettext as _
from participation.surveys.services.audit import AuditError, audit_round, interval_text, parse_role, percent_text
from participation.web.guards import office_only


class AuditController(Controller):
    """The office checks, before publishing minutes, that nothing protected can be computed from what a role sees."""

    path = "/verwaltung/runden"
    guards = [office_only]

    @get("/{round_id:int}/datenschutz", name="round_audit")
    async def audit_page(self, threshold: int, round_id: int, rolle: str | None = None) -> Template:
        """The audit for the office, the public or one centre's staff (``?rolle=office|public|centre:ID``)."""
        if await get_round(round_id) is None:
            raise NotFoundException(_("Diese Runde gibt es nicht."))
        try:
            role = parse_role(rolle)
            report = await audit_round(round_id, role, threshold=threshold)
        except AuditError as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        return Template("surveys/audit.html", context={
            "report": report, "role": role.code, "centres": await list_centres(), "percent": percent_text,
            "interval": interval_text,
        })


AUDIT_CONTROLLERS: list = [AuditController]
