"""Exports: a centre's plan (CSV, PDF) and the office's overview of action items (CSV, for German Excel)."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from typing import Any

from participation.directory.schemas import CentreOut
from participation.directory.services import get_centre
from participation.documents.formatting import numeric_date
from participation.i18n import gettext as _
from participation.offerings.services.overview import office_overview
from participation.offerings.services.plans import NotFound, OfferingOut, list_offerings
from participation.settings import PACKAGE_ROOT
from participation.web.templating import pdf_templates


def _csv(rows: list[list[Any]]) -> bytes:
    """CSV for German Excel: UTF-8 with BOM, ";" separated (as the survey exports)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else _csv_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(cell: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


# --- the office's overview --------------------------------------------------------------------------------------------

async def overview_csv(today: date | None = None) -> bytes:
    today = today or date.today()
    rows: list[list[Any]] = [[
        _("Runde"), _("Träger"), _("Zuständig"), _("Maßnahme"), _("Fällig bis"), _("Stand"), _("Überfällig"),
        _("Angebot"), _("Stellungnahme"), _("Zuletzt geändert"),
    ]]
    for group in await office_overview(today=today):
        for v in group.items:
            rows.append([
                v.round_title, v.operator, v.responsible, v.title, v.due_date.isoformat() if v.due_date else "",
                v.status_label, _("ja") if v.overdue(today) else _("nein"), v.offering_title or "", v.statement,
                v.updated_at.date().isoformat() if v.updated_at else "",
            ])
    return _csv(rows)


# --- a centre's plan --------------------------------------------------------------------------------------------------

def _plan_rows(offerings: list[OfferingOut]) -> list[list[Any]]:
    return [[o.title, o.kind_label, o.topic, o.target_group, o.languages, o.schedule, o.capacity, o.status_label]
            for o in offerings]


def plan_header() -> list[str]:
    return [_("Angebot"), _("Art"), _("Thema"), _("Zielgruppe"), _("Sprachen"), _("Termine"), _("Plätze"),
            _("Stand")]


async def plan_csv(centre_id: int) -> bytes:
    return _csv([plan_header(), *_plan_rows(await list_offerings(centre_id))])


def plan_filename(centre: CentreOut, extension: str) -> str:
    from participation.directory.services import slugify

    return f"angebotsplan-{slugify(centre.name)}.{extension}"


async def plan_pdf(centre_id: int) -> bytes:
    """The centre's plan as a tagged PDF. A plan is small (at most a few pages), so it renders synchronously in a
    thread instead of as a job."""
    from participation.documents.pdf import render_template_pdf

    centre = await get_centre(centre_id)
    if centre is None:
        raise NotFound(centre_id)
    offerings = await list_offerings(centre_id)
    title = _("Angebotsplan %(centre)s", centre=centre.name)
    context = {"centre": centre, "offerings": offerings, "header": plan_header(),
               "today": numeric_date(date.today())}
    env = pdf_templates()
    return await asyncio.to_thread(
        render_template_pdf, env, "pdf/offering_plan.html", context, title=title, lang="de",
        page_label=_("Seite {page} von {pages}"), static_root=PACKAGE_ROOT / "static", max_pages=60,
    )
