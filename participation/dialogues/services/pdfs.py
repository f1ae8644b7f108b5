"""The session's PDFs: rendered by jobs and stored once per content hash, so the same content is never rendered twice;
the minutes and centre summaries through `documents.minutes` with our templates and German words."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from participation import jobs
from participation.dialogues.services.agenda import SessionError
from participation.dialogues.services.published import VersionOut, list_versions, version_snapshot
from participation.dialogues.services.snapshots import _loads, build_snapshot, content_hash
from participation.dialogues.tables import MinutesVersion, RenderedPdf
from participation.documents import minutes as minutes_document
from participation.documents import pdf as documents_pdf
from participation.i18n import gettext as _
from participation.settings import PACKAGE_ROOT
from participation.web.templating import pdf_templates

RENDER_MINUTES_JOB = "render_minutes"
RENDER_SUMMARY_JOB = "render_centre_summary"
STATIC_ROOT = PACKAGE_ROOT / "static"


@dataclass(slots=True)
class PdfState:
    """Where a PDF stands: ready (`pdf`), impossible (`error`, a message for users) or being rendered (`job`)."""

    content_hash: str
    pdf: bytes | None = None
    error: str = ""
    job: jobs.JobView | None = None

    @property
    def ready(self) -> bool:
        return self.pdf is not None


async def _stored(digest: str, with_pdf: bool = True) -> dict | None:
    columns = [RenderedPdf.id, RenderedPdf.error, RenderedPdf.byte_size]
    if with_pdf:
        columns.append(RenderedPdf.pdf)
    return await RenderedPdf.select(*columns).where(RenderedPdf.content_hash == digest).first()


async def request_minutes_pdf(digest: str) -> PdfState:
    """The minutes PDF of this content: stored already, or its (single) render job."""
    stored = await _stored(digest)
    if stored and stored["pdf"] is not None:
        return PdfState(digest, pdf=bytes(stored["pdf"]))
    if stored and stored["error"]:
        return PdfState(digest, error=stored["error"])
    job_id = await jobs.enqueue(RENDER_MINUTES_JOB, {"hash": digest, "audience": jobs.SIGNED_IN},
                                dedupe_key=f"minutes:{digest}")
    return PdfState(digest, job=await jobs.get_job(job_id))


async def request_centre_summary_pdf(snapshot: dict) -> PdfState:
    """The centre summary PDF of this content; the snapshot travels with the job (it is not stored elsewhere)."""
    digest = content_hash(snapshot)
    stored = await _stored(digest)
    if stored and stored["pdf"] is not None:
        return PdfState(digest, pdf=bytes(stored["pdf"]))
    if stored and stored["error"]:
        return PdfState(digest, error=stored["error"])
    job_id = await jobs.enqueue(
        RENDER_SUMMARY_JOB, {"hash": digest, "snapshot": snapshot,
                             "audience": jobs.centre_audience(snapshot["centre"]["id"])},
        dedupe_key=f"centre_summary:{digest}"
    )
    return PdfState(digest, job=await jobs.get_job(job_id))


async def version_pdf_states(versions: list[VersionOut]) -> dict[int, PdfState]:
    """Without loading any PDF bytes: which versions' PDFs are ready, failed or pending (with their jobs)."""
    from participation.jobs import Job

    hashes = sorted({v.content_hash for v in versions})
    if not hashes:
        return {}
    stored = {
        row["content_hash"]: row for row in await RenderedPdf.select(
            RenderedPdf.content_hash, RenderedPdf.error, RenderedPdf.byte_size
        ).where(RenderedPdf.content_hash.is_in(hashes))
    }
    keys = [f"minutes:{h}" for h in hashes if h not in stored]
    job_rows = (
        await Job.select(Job.id, Job.dedupe_key).where(Job.dedupe_key.is_in(keys)).order_by(Job.id) if keys else []
    )
    job_of = {row["dedupe_key"]: row["id"] for row in job_rows}
    states = {}
    for version in versions:
        row = stored.get(version.content_hash)
        state = PdfState(version.content_hash)
        if row is not None and not row["error"]:
            state.pdf = b""  # ready; the bytes are loaded only for the download
        elif row is not None:
            state.error = row["error"]
        elif (job_id := job_of.get(f"minutes:{version.content_hash}")) is not None:
            state.job = await jobs.get_job(job_id)
        states[version.id] = state
    return states


async def _render_and_store(digest: str, kind: str, render, progress: jobs.Progress) -> dict:
    existing = await _stored(digest, with_pdf=False)
    if existing is not None and not existing["error"]:
        return {"hash": digest, "cached": True, "bytes": existing["byte_size"]}
    progress(0.1, _("PDF wird erstellt"))
    started = time.monotonic()
    try:
        pdf = await asyncio.to_thread(render)
    except documents_pdf.DocumentError as error:
        # The same content would fail the same way: remember the message instead of retrying.
        await _store(digest, kind, None, str(error), time.monotonic() - started)
        raise
    await jobs.fault("pdf-rendered")
    summary = {"hash": digest, "cached": False, "bytes": len(pdf)}
    await jobs.save_result(summary, lambda: _store(digest, kind, pdf, "", time.monotonic() - started))
    progress(1.0, _("PDF fertig"))
    return summary


async def _store(digest: str, kind: str, pdf: bytes | None, error: str, seconds: float) -> None:
    """One row per content hash, written in one statement: a second render of the same content replaces it."""
    await RenderedPdf.insert(RenderedPdf(
        content_hash=digest, kind=kind, pdf=pdf, error=error, byte_size=len(pdf or b""), seconds=seconds,
    )).on_conflict(
        target=RenderedPdf.content_hash, action="DO UPDATE",
        values=[RenderedPdf.pdf, RenderedPdf.error, RenderedPdf.byte_size, RenderedPdf.seconds],
    )


@jobs.handler(RENDER_MINUTES_JOB)
async def render_minutes_job(params: dict, progress: jobs.Progress) -> dict:
    """The job: render the minutes of one frozen content hash, unless that PDF is stored already."""
    digest = params["hash"]
    row = await MinutesVersion.select(MinutesVersion.snapshot).where(MinutesVersion.content_hash == digest).first()
    if row is None:
        raise LookupError(f"no minutes version with hash {digest}")
    snapshot = _loads(row["snapshot"])
    return await _render_and_store(digest, "minutes", lambda: minutes_pdf(snapshot), progress)


@jobs.handler(RENDER_SUMMARY_JOB)
async def render_centre_summary_job(params: dict, progress: jobs.Progress) -> dict:
    """The job: render a centre summary from the snapshot it carries."""
    snapshot = params["snapshot"]
    digest = params["hash"]
    if content_hash(snapshot) != digest:
        raise ValueError("centre summary snapshot does not match its hash")
    return await _render_and_store(digest, "centre_summary", lambda: centre_summary_pdf(snapshot), progress)


# --- rendering: documents.minutes with the app's templates and German words -------------------------------------------

def _words() -> dict:
    """The translated words a session PDF needs besides its snapshot."""
    from participation.surveys.services.charts import chart_texts

    return {"page_label": _("Seite {page} von {pages}"), "texts": chart_texts()}


def minutes_title(snapshot: dict) -> str:
    return _("Protokoll des Familiendialogs %(round)s", round=snapshot["round"]["title"])


def minutes_pdf(snapshot: dict, *, max_pages: int | None = None) -> bytes:
    """The minutes as a tagged PDF/UA-1 (pure: the snapshot in, bytes out; never fetches a URL)."""
    return minutes_document.minutes_pdf(snapshot, env=pdf_templates(), title=minutes_title(snapshot), **_words(),
                                        static_root=STATIC_ROOT, max_pages=max_pages)


def minutes_html(snapshot: dict) -> str:
    """The HTML WeasyPrint gets for the minutes (for the benchmark's comparison with WeasyPrint alone)."""
    return minutes_document.minutes_html(snapshot, env=pdf_templates(), title=minutes_title(snapshot), **_words())


def centre_summary_title(snapshot: dict) -> str:
    return _("Zusammenfassung für %(centre)s – %(round)s", centre=snapshot["centre"]["name"],
             round=snapshot["round"]["title"])


def centre_summary_pdf(snapshot: dict, *, max_pages: int | None = None) -> bytes:
    return minutes_document.centre_summary_pdf(snapshot, env=pdf_templates(), title=centre_summary_title(snapshot),
                                               **_words(), static_root=STATIC_ROOT, max_pages=max_pages)


def pdf_filename(prefix: str, *parts: object) -> str:
    from participation.directory.services import slugify

    return "-".join([prefix, *(slugify(str(p)) for p in parts if p not in (None, ""))]) + ".pdf"


# --- command line -----------------------------------------------------------------------------------------------------

async def render_round(round_id: int, *, threshold: int) -> tuple[bytes, str]:
    """The round's latest published minutes (stored, or rendered and stored now), else the current draft.

    For the command line, whose messages are English (the PDF itself is German)."""
    version = next(iter(await list_versions(round_id)), None)
    if version is not None:
        stored = await _stored(version.content_hash)
        if stored and stored["pdf"] is not None:
            return bytes(stored["pdf"]), f"version {version.number} (stored)"
        snapshot = await version_snapshot(version.id)
        await _render_and_store(version.content_hash, "minutes", lambda: minutes_pdf(snapshot), lambda *_a: None)
        stored = await _stored(version.content_hash)
        return bytes(stored["pdf"]), f"version {version.number}"
    snapshot = await build_snapshot(round_id, threshold=threshold)
    if snapshot is None:
        raise SessionError(f"Round {round_id} does not exist.")
    return await asyncio.to_thread(minutes_pdf, snapshot), "draft (not published)"
