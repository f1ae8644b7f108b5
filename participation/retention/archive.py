"""The archive export of one round for the city archive: a ZIP of what the round produced, every figure from the
protected view (the same export functions the office downloads), no raw responses.

Contents: the published minutes as PDFs, the protected results as CSV and XLSX, the themes of every analysis run,
the action items with their follow-up history, the survey's definition as JSON, and `inhalt.json` naming what is
in the archive and what is not (and why).
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import zipfile
from datetime import UTC, datetime

from participation.dialogues.services.pdfs import minutes_pdf
from participation.dialogues.services.published import list_versions, version_snapshot
from participation.dialogues.tables import ActionItem, RenderedPdf
from participation.i18n import gettext as _
from participation.offerings.services.follow_ups import _follow_ups
from participation.surveys.services import exports, themes
from participation.surveys.services.definition import load_survey
from participation.surveys.services.results import ResultsError


def _json(value: object) -> bytes:
    def plain(item: object) -> object:
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            return dataclasses.asdict(item)
        return str(item)

    return json.dumps(value, default=plain, ensure_ascii=False, indent=2).encode()


async def _minutes(round_id: int, files: dict[str, bytes], missing: list[str]) -> None:
    versions = await list_versions(round_id)
    if not versions:
        missing.append(_("Protokoll: noch keine veröffentlichte Fassung."))
    for version in versions:
        stored = await RenderedPdf.select(RenderedPdf.pdf).where(
            RenderedPdf.content_hash == version.content_hash).first()
        if stored and stored["pdf"] is not None:
            pdf = bytes(stored["pdf"])
        else:
            snapshot = await version_snapshot(version.id)
            pdf = await asyncio.to_thread(minutes_pdf, snapshot or {})
        files[f"protokolle/protokoll-fassung-{version.number}.pdf"] = pdf


async def _results(survey_id: int, threshold: int, files: dict[str, bytes], missing: list[str]) -> None:
    try:
        export = await exports.results_export(survey_id, threshold=threshold)
    except ResultsError as error:
        missing.append(_("Ergebnisse: %(reason)s", reason=str(error)))
        return
    if export is None:
        return
    files["ergebnisse/ergebnisse.csv"] = exports.to_csv(export)
    files["ergebnisse/ergebnisse.xlsx"] = await asyncio.to_thread(exports.to_xlsx, export)


async def _themes(survey_id: int, threshold: int, files: dict[str, bytes]) -> None:
    runs = []
    for item in await themes.list_runs(survey_id):
        run = await themes.get_run(item.id, threshold)
        if run is None or run.status != "done":
            continue
        runs.append({
            "run": run.id, "version": run.version, "target": run.target_label, "district": run.district_name,
            "answers": run.answer_count, "edited": run.edited, "created_at": run.created_at,
            "themes": [{"label": t.label, "size": t.size, "terms": t.terms, "quotes": [q for _id, q in t.quotes],
                        "districts": t.district_shares, "agenda": t.agenda_candidate} for t in run.themes],
        })
    files["themen.json"] = _json(runs)


async def round_archive(round_id: int, survey_id: int | None, *, threshold: int, title: str) -> bytes:
    """The ZIP of one round for the city archive (see the module docstring)."""
    files: dict[str, bytes] = {}
    missing: list[str] = []
    await _minutes(round_id, files, missing)
    actions = await _follow_ups(ActionItem.round == round_id, with_history=True)
    files["massnahmen.json"] = _json(actions)
    if survey_id is not None:
        await _results(survey_id, threshold, files, missing)
        await _themes(survey_id, threshold, files)
        files["umfrage.json"] = _json(await load_survey(survey_id))
    else:
        missing.append(_("Umfrage: Diese Runde hat keine Umfrage."))
    manifest = {"runde": title, "erstellt": datetime.now(UTC).isoformat(timespec="seconds"),
                "datenschutzschwelle": threshold, "dateien": sorted(files), "fehlt": missing}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inhalt.json", _json(manifest))
        for name, content in sorted(files.items()):
            archive.writestr(name, content)
    return buffer.getvalue()
