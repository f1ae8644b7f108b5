"""The dialogue session (steps 4-5 of the loop): agenda, minutes, action items, published versions and their PDFs.

*Sitzung* is the session with the first mayor; *Tagesordnung* its agenda; *Protokoll* its minutes; a *Maßnahme* an
action item, assigned to a centre or to the city office (*Stadtverwaltung*).

Publishing freezes a version: a JSON snapshot of everything the PDF shows and its sha256. Publishing unchanged
content again keeps the version; a change makes the next one. PDFs are rendered by a job keyed by that hash and
stored once per hash, so the same content is never rendered twice. Every figure in a snapshot comes from
`results.survey_results` with the privacy threshold, every theme from `themes.get_run` (suppressed district shares).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from participation import jobs
from participation.dialogues.services.rounds import renumber, swapped
from participation.dialogues.tables import (
    ActionItem,
    AgendaItem,
    Attendance,
    MinutesVersion,
    RenderedPdf,
    Round,
    Topic,
)
from participation.directory.services import get_centre, list_centres, list_districts
from participation.documents import formatting
from participation.documents import minutes as minutes_document
from participation.documents import pdf as documents_pdf
from participation.documents.markdown import markdown_tokens, render_markdown
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.settings import PACKAGE_ROOT
from participation.web.templating import pdf_templates

CITY = "Ludwigsburg"
RENDER_MINUTES_JOB = "render_minutes"
RENDER_SUMMARY_JOB = "render_centre_summary"
#: Limits that keep one input from blowing up a page or a PDF (checked in the forms, with a message).
MAX_NOTES_CHARS = 20_000
MAX_DECISIONS_CHARS = 5_000
MAX_TABLE_COLUMNS = 10
MAX_TABLE_ROWS = 200
#: A longer run without a space (a "word") makes WeasyPrint's table layout crawl: 300-character words in ten
#: columns take over a minute. URLs fit.
MAX_WORD_CHARS = 120
MAX_AGENDA_ITEMS = 60
MAX_ACTION_ITEMS = 300
SNAPSHOT_FORMAT = 1
STATIC_ROOT = PACKAGE_ROOT / "static"


class SessionError(DomainError):
    """A request about the session cannot be done as asked; `str(error)` is the German message for the user."""


# --- Markdown notes --------------------------------------------------------------------------------------------------

def notes_problem(text: str) -> str | None:
    """Why these notes cannot be taken (too long, an abusive table), or None."""
    if len(text or "") > MAX_NOTES_CHARS:
        limit = formatting.number(MAX_NOTES_CHARS, thousands=".")
        return _("Die Notizen sind zu lang (höchstens %(n)s Zeichen).", n=limit)
    if any(len(word) > MAX_WORD_CHARS for word in re.split(r"[\s|]+", text or "")):
        return _("Ein Wort in den Notizen ist zu lang (höchstens %(n)s Zeichen ohne Leerzeichen).", n=MAX_WORD_CHARS)
    columns = rows = 0
    for token in markdown_tokens(text):
        if token.type == "tr_open":
            rows += 1
            columns = 0
        elif token.type in ("th_open", "td_open"):
            columns += 1
            if columns > MAX_TABLE_COLUMNS:
                return _("Eine Tabelle in den Notizen hat zu viele Spalten (höchstens %(n)s).", n=MAX_TABLE_COLUMNS)
    if rows > MAX_TABLE_ROWS:
        return _("Die Tabellen in den Notizen haben zu viele Zeilen (höchstens %(n)s).", n=MAX_TABLE_ROWS)
    return None


def decision_lines(text: str) -> list[str]:
    """Decisions are written one per line; empty lines and list markers are dropped."""
    lines = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-*•").strip()
        if line:
            lines.append(line)
    return lines


# --- rounds and agenda -----------------------------------------------------------------------------------------------

async def round_exists(round_id: int) -> bool:
    return await Round.exists().where(Round.id == round_id)


async def survey_of_round(round_id: int) -> int | None:
    from participation.surveys.tables import Survey

    row = await Survey.select(Survey.id).where(Survey.round == round_id).first()
    return row["id"] if row else None


@dataclass(frozen=True, slots=True)
class AgendaItemOut:
    id: int
    position: int
    kind: str
    title: str
    topic_id: int | None
    theme_id: int | None
    notes: str
    decisions: str


async def list_agenda(round_id: int) -> list[AgendaItemOut]:
    rows = await AgendaItem.select().where(AgendaItem.round == round_id).order_by(AgendaItem.position).order_by(
        AgendaItem.id
    )
    return [
        AgendaItemOut(id=r["id"], position=r["position"], kind=r["kind"], title=r["title"], topic_id=r["topic"],
                      theme_id=r["theme"], notes=r["notes"], decisions=r["decisions"])
        for r in rows
    ]


async def get_agenda_item(round_id: int, item_id: int) -> AgendaItemOut | None:
    return next((item for item in await list_agenda(round_id) if item.id == item_id), None)


async def theme_choices(round_id: int) -> list[tuple[int, str]]:
    """(theme id, label) of the themes the office marked as agenda candidates in the round's survey."""
    from participation.surveys.services.themes import agenda_candidates

    survey_id = await survey_of_round(round_id)
    if survey_id is None:
        return []
    return [(row["id"], row["label"]) for row in await agenda_candidates(survey_id)]


async def _add_item(round_id: int, **values: Any) -> int:
    count = await AgendaItem.count().where(AgendaItem.round == round_id)
    if count >= MAX_AGENDA_ITEMS:
        raise SessionError(_("Die Tagesordnung hat schon %(n)s Punkte; mehr sind nicht möglich.", n=MAX_AGENDA_ITEMS))
    rows = await AgendaItem.insert(AgendaItem(round=round_id, position=count, **values)).returning(AgendaItem.id)
    return rows[0]["id"]


async def add_topic_item(round_id: int, topic_id: int) -> int:
    """Put a topic of the round on the agenda; it shows the survey figures of the topic's section."""
    topic = await Topic.select(Topic.title).where((Topic.id == topic_id) & (Topic.round == round_id)).first()
    if topic is None:
        raise SessionError(_("Dieses Thema gehört nicht zu dieser Runde."), "topic")
    return await _add_item(round_id, kind="topic", topic=topic_id, title=topic["title"][:300])


async def add_theme_item(round_id: int, theme_id: int) -> int:
    """Put a theme of parents' free text (an agenda candidate of the round's survey) on the agenda."""
    label = dict(await theme_choices(round_id)).get(theme_id)
    if label is None:
        raise SessionError(_("Dieses Thema ist nicht für die Tagesordnung vorgemerkt."), "theme")
    return await _add_item(round_id, kind="theme", theme=theme_id, title=label[:300])


async def add_free_item(round_id: int, title: str) -> int:
    title = (title or "").strip()
    if not title:
        raise SessionError(_("Bitte geben Sie einen Titel ein."), "title")
    return await _add_item(round_id, kind="free", title=title[:300])


async def move_item(round_id: int, item_id: int, offset: int) -> None:
    """Move an agenda item one place up (-1) or down (+1)."""
    await renumber(AgendaItem, swapped([item.id for item in await list_agenda(round_id)], item_id, offset))


async def delete_item(round_id: int, item_id: int) -> None:
    await AgendaItem.delete().where((AgendaItem.id == item_id) & (AgendaItem.round == round_id))
    ids = [item.id for item in await list_agenda(round_id)]
    for position, other in enumerate(ids):
        await AgendaItem.update({AgendaItem.position: position}).where(AgendaItem.id == other)


async def save_item_minutes(round_id: int, item_id: int, notes: str, decisions: str) -> None:
    problem = notes_problem(notes)
    if problem:
        raise SessionError(problem, "notes")
    if len(decisions or "") > MAX_DECISIONS_CHARS:
        raise SessionError(_("Die Beschlüsse sind zu lang."), "decisions")
    await AgendaItem.update({AgendaItem.notes: notes.strip(), AgendaItem.decisions: decisions.strip()}).where(
        (AgendaItem.id == item_id) & (AgendaItem.round == round_id)
    )


# --- attendance ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AttendanceRow:
    district_id: int
    district_name: str
    parents: int
    staff: int


async def attendance(round_id: int) -> list[AttendanceRow]:
    """One row per district of the city (zero where nobody came)."""
    stored = {
        row["district"]: row
        for row in await Attendance.select().where(Attendance.round == round_id)
    }
    return [
        AttendanceRow(district_id=d.id, district_name=d.name, parents=stored.get(d.id, {}).get("parents", 0),
                      staff=stored.get(d.id, {}).get("staff", 0))
        for d in await list_districts()
    ]


async def save_attendance(round_id: int, counts: dict[int, tuple[int, int]]) -> None:
    """Store (parents, staff) per district id; districts not named keep their numbers."""
    known = {d.id for d in await list_districts()}
    existing = {
        row["district"]: row["id"]
        for row in await Attendance.select(Attendance.id, Attendance.district).where(Attendance.round == round_id)
    }
    for district_id, (parents, staff) in counts.items():
        if district_id not in known:
            continue
        if district_id in existing:
            await Attendance.update({Attendance.parents: parents, Attendance.staff: staff}).where(
                Attendance.id == existing[district_id]
            )
        else:
            await Attendance.insert(Attendance(round=round_id, district=district_id, parents=parents, staff=staff))


# --- action items ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ActionItemOut:
    id: int
    title: str
    description: str
    centre_id: int | None
    responsible: str
    due_date: date | None
    topic_id: int | None
    topic_title: str | None
    theme_id: int | None
    theme_label: str | None


@dataclass(slots=True)
class ActionInput:
    title: str
    description: str = ""
    centre_id: int | None = None
    due_date: date | None = None
    topic_id: int | None = None
    theme_id: int | None = None


async def list_actions(round_id: int) -> list[ActionItemOut]:
    """The round's action items, grouped by who is responsible (city office first, then centres by name)."""
    rows = await ActionItem.select(
        ActionItem.all_columns(), ActionItem.centre.name.as_alias("centre_name"),
        ActionItem.topic.title.as_alias("topic_title"),
    ).where(ActionItem.round == round_id).order_by(ActionItem.id)
    labels = dict(await theme_choices(round_id)) if any(r["theme"] for r in rows) else {}
    items = [
        ActionItemOut(
            id=r["id"], title=r["title"], description=r["description"], centre_id=r["centre"],
            responsible=r["centre_name"] or _("Stadtverwaltung"), due_date=r["due_date"], topic_id=r["topic"],
            topic_title=r["topic_title"], theme_id=r["theme"], theme_label=labels.get(r["theme"]),
        )
        for r in rows
    ]
    items.sort(key=lambda a: (a.centre_id is not None, a.responsible if a.centre_id else "", a.due_date or date.max,
                              a.id))
    return items


async def _check_action(round_id: int, data: ActionInput) -> None:
    if not data.title.strip():
        raise SessionError(_("Bitte geben Sie einen Titel ein."), "title")
    if data.centre_id is not None and await get_centre(data.centre_id) is None:
        raise SessionError(_("Dieses Zentrum gibt es nicht."), "centre")
    if data.topic_id is not None and not await Topic.exists().where(
        (Topic.id == data.topic_id) & (Topic.round == round_id)
    ):
        raise SessionError(_("Dieses Thema gehört nicht zu dieser Runde."), "topic")
    if data.theme_id is not None and data.theme_id not in dict(await theme_choices(round_id)):
        raise SessionError(_("Dieses Thema ist nicht für die Tagesordnung vorgemerkt."), "theme")


def _action_values(data: ActionInput) -> dict:
    return {
        "title": data.title.strip()[:300], "description": data.description.strip(), "centre": data.centre_id,
        "due_date": data.due_date, "topic": data.topic_id, "theme": data.theme_id,
    }


async def add_action(round_id: int, data: ActionInput) -> int:
    await _check_action(round_id, data)
    if await ActionItem.count().where(ActionItem.round == round_id) >= MAX_ACTION_ITEMS:
        raise SessionError(_("Diese Runde hat schon %(n)s Maßnahmen.", n=MAX_ACTION_ITEMS), "title")
    rows = await ActionItem.insert(ActionItem(round=round_id, **_action_values(data))).returning(ActionItem.id)
    return rows[0]["id"]


async def update_action(round_id: int, action_id: int, data: ActionInput) -> None:
    await _check_action(round_id, data)
    values = {getattr(ActionItem, name): value for name, value in _action_values(data).items()}
    await ActionItem.update(values).where((ActionItem.id == action_id) & (ActionItem.round == round_id))


async def get_action(round_id: int, action_id: int) -> ActionItemOut | None:
    return next((a for a in await list_actions(round_id) if a.id == action_id), None)


async def delete_action(round_id: int, action_id: int) -> None:
    await ActionItem.delete().where((ActionItem.id == action_id) & (ActionItem.round == round_id))


# --- the snapshot: everything the minutes (page and PDF) show --------------------------------------------------------

def _figure(question) -> dict:
    """One question's figures as plain data (already suppressed by `results`)."""
    figure: dict[str, Any] = {
        "key": question.key, "text": question.text, "kind": question.kind.value,
        "respondents": question.respondents, "mean": question.mean,
        "low_label": question.low_label, "high_label": question.high_label,
        "options": [{"label": o.label, "count": o.count, "percent": o.percent} for o in question.options],
    }
    if question.numbers is not None:
        figure["numbers"] = {"mean": question.numbers.mean, "median": question.numbers.median}
    return figure


def _theme(view, district_names: bool = True) -> dict:
    return {
        "id": view.id, "label": view.label, "size": view.size, "quotes": [text for _id, text in view.quotes],
        "districts": [[name, count] for name, count in view.district_shares] if district_names else [],
    }


class _ThemeSource:
    """Agenda-candidate themes of a survey, read once per run (each run: a few queries)."""

    def __init__(self, survey_id: int | None, threshold: int) -> None:
        self.survey_id = survey_id
        self.threshold = threshold
        self._runs: dict[int, Any] = {}
        self.candidates: list[dict] = []

    async def load(self) -> None:
        from participation.surveys.services.themes import agenda_candidates
        from participation.surveys.tables import AnalysisRun

        if self.survey_id is None:
            return
        self.candidates = await agenda_candidates(self.survey_id)
        run_ids = sorted({c["run"] for c in self.candidates})
        self.run_targets = {
            r["id"]: r for r in await AnalysisRun.select(
                AnalysisRun.id, AnalysisRun.section, AnalysisRun.question.section.as_alias("question_section")
            ).where(AnalysisRun.id.is_in(run_ids))
        } if run_ids else {}

    async def theme(self, theme_id: int) -> dict | None:
        from participation.surveys.services.themes import get_run

        candidate = next((c for c in self.candidates if c["id"] == theme_id), None)
        if candidate is None:
            return None
        run_id = candidate["run"]
        if run_id not in self._runs:
            self._runs[run_id] = await get_run(run_id, self.threshold)
        run = self._runs[run_id]
        view = next((t for t in run.themes if t.id == theme_id), None) if run else None
        return _theme(view) if view else None

    async def of_section(self, section_id: int) -> list[dict]:
        """Candidate themes found in a section's free text (runs of the section or of one of its questions)."""
        found = []
        for candidate in self.candidates:
            target = self.run_targets.get(candidate["run"], {})
            if section_id in (target.get("section"), target.get("question_section")):
                theme = await self.theme(candidate["id"])
                if theme:
                    found.append(theme)
        return found


async def build_snapshot(round_id: int, *, threshold: int) -> dict | None:
    """Everything the minutes show, as JSON-able data; None for an unknown round."""
    from participation.surveys.services.definition import load_survey
    from participation.surveys.services.results import survey_results

    round_row = await Round.select().where(Round.id == round_id).first()
    if round_row is None:
        return None
    survey_id = await survey_of_round(round_id)
    survey = await load_survey(survey_id) if survey_id else None
    results = await survey_results(survey_id, threshold=threshold) if survey_id else None
    themes = _ThemeSource(survey_id, threshold)
    await themes.load()
    sections_of_topic: dict[int, list[int]] = {}
    questions_of_section: dict[int, list[int]] = {}
    for section in survey.sections if survey else []:
        if section.topic_id is not None:
            sections_of_topic.setdefault(section.topic_id, []).append(section.id)
        questions_of_section[section.id] = [q.id for q in section.questions]
    shown_questions = {q.id: q for q in results.questions} if results and not results.suppressed else {}

    items = []
    for number, item in enumerate(await list_agenda(round_id), 1):
        entry: dict[str, Any] = {
            "id": item.id, "number": number, "kind": item.kind, "title": item.title, "figures": [], "themes": [],
            "notes": item.notes, "decisions": decision_lines(item.decisions),
        }
        if item.kind == "topic" and item.topic_id is not None:
            for section_id in sections_of_topic.get(item.topic_id, []):
                for question_id in questions_of_section.get(section_id, []):
                    question = shown_questions.get(question_id)
                    if question is not None and not question.kind.is_text:
                        entry["figures"].append(_figure(question))
                entry["themes"].extend(await themes.of_section(section_id))
        elif item.kind == "theme" and item.theme_id is not None:
            theme = await themes.theme(item.theme_id)
            if theme:
                entry["themes"].append(theme)
        items.append(entry)

    rows = await attendance(round_id)
    actions = await list_actions(round_id)
    return {
        "format": SNAPSHOT_FORMAT,
        "kind": "minutes",
        "city": CITY,
        "round": {
            "id": round_id, "title": round_row["title"],
            "session_date": round_row["session_date"].isoformat() if round_row["session_date"] else None,
            "session_venue": round_row["session_venue"],
        },
        "survey": {
            "title": results.title, "total": results.total, "threshold": threshold, "message": results.message,
        } if results else None,
        "items": items,
        "attendance": {
            "rows": [[r.district_name, r.parents, r.staff] for r in rows if r.parents or r.staff],
            "parents": sum(r.parents for r in rows), "staff": sum(r.staff for r in rows),
        },
        "actions": [_action_data(a) for a in actions],
    }


def _action_data(action: ActionItemOut) -> dict:
    return {
        "id": action.id, "title": action.title, "description": action.description, "centre_id": action.centre_id,
        "responsible": action.responsible, "due_date": action.due_date.isoformat() if action.due_date else None,
        "topic": action.topic_title, "theme": action.theme_label,
    }


def content_hash(snapshot: dict) -> str:
    """sha256 of the snapshot's canonical JSON: same content, same hash."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- publishing ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class VersionOut:
    id: int
    round_id: int
    round_title: str
    number: int
    content_hash: str
    public: bool
    published_at: Any
    session_date: date | None = None


def _version(row: dict) -> VersionOut:
    return VersionOut(
        id=row["id"], round_id=row["round"], round_title=row.get("round_title", ""), number=row["number"],
        content_hash=row["content_hash"], public=row["public"], published_at=row["published_at"],
        session_date=row.get("session_date"),
    )


_VERSION_COLUMNS = (
    MinutesVersion.id, MinutesVersion.round, MinutesVersion.number, MinutesVersion.content_hash,
    MinutesVersion.public, MinutesVersion.published_at, MinutesVersion.round.title.as_alias("round_title"),
    MinutesVersion.round.session_date.as_alias("session_date"),
)


async def list_versions(round_id: int | None = None, *, public_only: bool = False) -> list[VersionOut]:
    """Published versions, newest first (of one round, or of all rounds)."""
    query = MinutesVersion.select(*_VERSION_COLUMNS).order_by(MinutesVersion.published_at, ascending=False).order_by(
        MinutesVersion.id, ascending=False
    )
    if round_id is not None:
        query = query.where(MinutesVersion.round == round_id)
    if public_only:
        query = query.where(MinutesVersion.public.eq(True))
    return [_version(row) for row in await query]


async def get_version(version_id: int) -> VersionOut | None:
    row = await MinutesVersion.select(*_VERSION_COLUMNS).where(MinutesVersion.id == version_id).first()
    return _version(row) if row else None


async def version_snapshot(version_id: int) -> dict | None:
    row = await MinutesVersion.select(MinutesVersion.snapshot).where(MinutesVersion.id == version_id).first()
    return _loads(row["snapshot"]) if row else None


def _loads(value: Any) -> dict:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    version_id: int
    number: int
    created: bool
    content_hash: str


async def publish_minutes(round_id: int, *, public: bool, threshold: int, user_id: int | None = None) -> PublishOutcome:
    """Freeze the current minutes as a version and queue its PDF; unchanged content keeps the latest version.

    A changed "public" choice on unchanged content changes only that flag.
    """
    snapshot = await build_snapshot(round_id, threshold=threshold)
    if snapshot is None:
        raise SessionError(_("Diese Runde gibt es nicht."))
    if not snapshot["items"]:
        raise SessionError(_("Das Protokoll hat noch keine Tagesordnungspunkte."), "public")
    digest = content_hash(snapshot)
    latest = await MinutesVersion.select(
        MinutesVersion.id, MinutesVersion.number, MinutesVersion.content_hash, MinutesVersion.public
    ).where(MinutesVersion.round == round_id).order_by(MinutesVersion.number, ascending=False).first()
    if latest and latest["content_hash"] == digest:
        if latest["public"] != public:
            await MinutesVersion.update({MinutesVersion.public: public}).where(MinutesVersion.id == latest["id"])
        outcome = PublishOutcome(latest["id"], latest["number"], False, digest)
    else:
        number = (latest["number"] if latest else 0) + 1
        rows = await MinutesVersion.insert(MinutesVersion(
            round=round_id, number=number, content_hash=digest, snapshot=snapshot, public=public,
            published_by=user_id,
        )).returning(MinutesVersion.id)
        outcome = PublishOutcome(rows[0]["id"], number, True, digest)
    await request_minutes_pdf(digest)
    return outcome


async def draft_differs(round_id: int, *, threshold: int) -> bool | None:
    """Whether the working copy differs from the latest published version (None: nothing published yet)."""
    latest = await MinutesVersion.select(MinutesVersion.content_hash).where(MinutesVersion.round == round_id).order_by(
        MinutesVersion.number, ascending=False
    ).first()
    if latest is None:
        return None
    snapshot = await build_snapshot(round_id, threshold=threshold)
    return snapshot is not None and content_hash(snapshot) != latest["content_hash"]


# --- PDFs: rendered by jobs, stored once per content hash ----------------------------------------------------------

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
    job_id = await jobs.enqueue(RENDER_MINUTES_JOB, {"hash": digest}, dedupe_key=f"minutes:{digest}")
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
        RENDER_SUMMARY_JOB, {"hash": digest, "snapshot": snapshot}, dedupe_key=f"centre_summary:{digest}"
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
    await _store(digest, kind, pdf, "", time.monotonic() - started)
    progress(1.0, _("PDF fertig"))
    return {"hash": digest, "cached": False, "bytes": len(pdf)}


async def _store(digest: str, kind: str, pdf: bytes | None, error: str, seconds: float) -> None:
    if await RenderedPdf.exists().where(RenderedPdf.content_hash == digest):
        await RenderedPdf.update({
            RenderedPdf.pdf: pdf, RenderedPdf.error: error, RenderedPdf.byte_size: len(pdf or b""),
            RenderedPdf.seconds: seconds,
        }).where(RenderedPdf.content_hash == digest)
        return
    await RenderedPdf.insert(RenderedPdf(
        content_hash=digest, kind=kind, pdf=pdf, error=error, byte_size=len(pdf or b""), seconds=seconds,
    ))


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
    from participation.surveys.services.results import chart_texts

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


# --- the centre summary ----------------------------------------------------------------------------------------------

async def latest_round_with_survey() -> int | None:
    from participation.dialogues.services.rounds import list_rounds

    return next((r.id for r in await list_rounds() if r.survey_id is not None), None)


async def centre_summary_snapshot(centre_id: int, *, threshold: int, round_id: int | None = None) -> dict | None:
    """One centre's district results, the round's themes with the district's share, and the centre's published
    action items; None when the centre or round is unknown or no round has a survey yet."""
    from participation.surveys.services.definition import load_survey
    from participation.surveys.services.results import survey_results

    centre = await get_centre(centre_id) if centre_id is not None else None
    if centre is None:
        return None
    round_id = round_id or await latest_round_with_survey()
    if round_id is None:
        return None
    round_row = await Round.select().where(Round.id == round_id).first()
    if round_row is None:
        return None
    survey_id = await survey_of_round(round_id)
    sections: list[dict] = []
    survey_info = None
    theme_rows: list[dict] = []
    if survey_id is not None:
        survey = await load_survey(survey_id)
        results = await survey_results(survey_id, district_id=centre.district_id, threshold=threshold)
        survey_info = {"title": results.title, "total": results.total, "message": results.message,
                       "threshold": threshold}
        if not results.suppressed:
            by_section: dict[str, list[dict]] = {}
            for question in results.questions:
                if question.kind.is_text or question.respondents is None:
                    continue
                by_section.setdefault(question.section_title, []).append(_figure(question))
            order = [s.title("de") for s in survey.sections]
            sections = [{"title": title, "figures": by_section[title]} for title in order if title in by_section]
        source = _ThemeSource(survey_id, threshold)
        await source.load()
        for candidate in source.candidates:
            theme = await source.theme(candidate["id"])
            if theme is None:
                continue
            share = next((count for name, count in theme["districts"] if name == centre.district_name), 0)
            theme_rows.append({"label": theme["label"], "size": theme["size"], "district_count": share,
                               "quotes": theme["quotes"]})
    published = await MinutesVersion.select(MinutesVersion.number, MinutesVersion.snapshot).where(
        MinutesVersion.round == round_id
    ).order_by(MinutesVersion.number, ascending=False).first()
    actions = [a for a in _loads(published["snapshot"]).get("actions", []) if a.get("centre_id") == centre_id] \
        if published else []
    return {
        "format": SNAPSHOT_FORMAT,
        "kind": "centre_summary",
        "city": CITY,
        "centre": {"id": centre.id, "name": centre.name, "district": centre.district_name,
                   "operator": centre.operator_name},
        "round": {"id": round_id, "title": round_row["title"],
                  "session_date": round_row["session_date"].isoformat() if round_row["session_date"] else None,
                  "session_venue": round_row["session_venue"]},
        "survey": survey_info,
        "sections": sections,
        "themes": theme_rows,
        "actions": actions,
        "minutes_version": published["number"] if published else None,
    }


async def centres_for_links() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in await list_centres()]


# --- command line ----------------------------------------------------------------------------------------------------

async def render_round(round_id: int, *, threshold: int) -> tuple[bytes, str]:
    """The round's latest published minutes (stored, or rendered and stored now), else the current draft."""
    version = next(iter(await list_versions(round_id)), None)
    if version is not None:
        stored = await _stored(version.content_hash)
        if stored and stored["pdf"] is not None:
            return bytes(stored["pdf"]), _("Version %(n)s (gespeichert)", n=version.number)
        snapshot = await version_snapshot(version.id)
        await _render_and_store(version.content_hash, "minutes", lambda: minutes_pdf(snapshot), lambda *_a: None)
        stored = await _stored(version.content_hash)
        return bytes(stored["pdf"]), _("Version %(n)s", n=version.number)
    snapshot = await build_snapshot(round_id, threshold=threshold)
    if snapshot is None:
        raise SessionError(_("Diese Runde gibt es nicht."))
    return await asyncio.to_thread(minutes_pdf, snapshot), _("Entwurf (nicht veröffentlicht)")


__all__ = [
    "RENDER_MINUTES_JOB",
    "RENDER_SUMMARY_JOB",
    "SessionError",
    "build_snapshot",
    "centre_summary_pdf",
    "centre_summary_snapshot",
    "content_hash",
    "minutes_pdf",
    "publish_minutes",
    "render_markdown",
]
