"""Snapshots: everything the minutes (page and PDF) and a centre's summary show, as JSON-able data.

Every figure comes from `results.survey_results` with the privacy threshold, every theme from `themes.get_run`
(suppressed district shares). A published version stores its snapshot; `content_hash` names the content.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from participation.dialogues.services.actions import ActionItemOut, list_actions
from participation.dialogues.services.agenda import list_agenda, survey_of_round
from participation.dialogues.services.attendance import attendance
from participation.dialogues.services.notes import decision_lines
from participation.dialogues.services.polls import round_results
from participation.dialogues.tables import MinutesVersion, Round
from participation.directory.services import get_centre, list_centres
from participation.i18n import gettext as _
from participation.site.services import site_settings

SNAPSHOT_FORMAT = 1


async def _site_part() -> dict:
    """The city as the PDFs show it (name, leader, colour, logo as a data: URI), frozen with the snapshot, so a
    published version keeps the city's look of its day and a new logo gives new content (and a new hash)."""
    site = await site_settings()
    return {"city": site.city_name, "dialogue": site.dialogue_name, "leader_title": site.leader_title,
            "colour": site.primary_colour, "logo": site.logo_data_uri}


# --- the minutes ------------------------------------------------------------------------------------------------------

def _figure(question) -> dict:
    """One question's figures as plain data (already suppressed by `results`)."""
    figure: dict[str, Any] = {
        "key": question.key, "text": question.text, "kind": question.kind.value,
        "respondents": question.respondents, "mean": question.mean,
        "low_label": question.low_label, "high_label": question.high_label,
        "options": [{"label": o.label, "count": o.count, "percent": o.percent} for o in question.options],
        "group": question.group_label, "note": question.note,
    }
    if question.numbers is not None:
        figure["numbers"] = {"mean": question.numbers.mean, "median": question.numbers.median}
    return figure


def _theme(view, district_names: bool = True) -> dict:
    return {
        "id": view.id, "label": view.label, "size": view.size, "quotes": [text for _id, text in view.quotes],
        "districts": [[name, count] for name, count in view.district_shares] if district_names else [],
        "district_ids": view.share_districts if district_names else [],
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
    site = await _site_part()
    polls = await round_results(round_id)
    extra = {"polls": polls} if polls else {}  # minutes without polls keep their content (and hash) as before
    return {
        **extra,
        "format": SNAPSHOT_FORMAT,
        "kind": "minutes",
        "city": site["city"],
        "site": site,
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


def _loads(value: Any) -> dict:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


# --- the centre summary -----------------------------------------------------------------------------------------------

async def rounds_with_results() -> list[tuple[int, str]]:
    """(id, title) of the rounds whose survey has closed, newest first: only these have published results (a survey
    still open shows no figure per group)."""
    from participation.dialogues.services.rounds import list_rounds
    from participation.surveys.schemas import SurveyStatus
    from participation.surveys.services.definition import list_surveys

    closed = {s.round_id for s in await list_surveys() if s.status is SurveyStatus.CLOSED}
    return [(r.id, r.title) for r in await list_rounds() if r.survey_id is not None and r.id in closed]


async def latest_round_with_survey() -> int | None:
    """The newest round with published results (its survey closed); None while no survey has closed, so a centre's
    summary never defaults to the open round."""
    rounds = await rounds_with_results()
    return rounds[0][0] if rounds else None


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
        # The centre's own figures, where the protected view breaks its district down by centre: a centre block is
        # one part of the district's partition, so district minus centre is never finer than a block.
        own = await survey_results(survey_id, centre_id=centre_id, threshold=threshold)
        own_questions = {q.id: q for q in own.questions} if own and not own.suppressed else {}
        survey_info = {"id": survey_id, "title": results.title, "total": results.total, "message": results.message,
                       "threshold": threshold}
        if not results.suppressed:
            by_section: dict[str, list[dict]] = {}
            for question in results.questions:
                if question.kind.is_text or question.respondents is None:
                    continue
                figure = _figure(question)
                mine = own_questions.get(question.id)
                if mine is not None and mine.respondents and not mine.group_label:
                    figure["centre"] = _figure(mine)
                elif mine is not None and mine.respondents != 0:
                    figure["centre_note"] = mine.note or _(
                        "Für dieses Zentrum allein haben zu wenige Personen diese Frage beantwortet; die Zahlen des "
                        "Stadtteils zeigen sie mit.")
                by_section.setdefault(question.section_title, []).append(figure)
            from participation.i18n import current_language

            # Figures carry their section's title in the reader's language: order by the same titles.
            order = [s.title(current_language()) for s in survey.sections]
            sections = [{"title": title, "figures": by_section[title]} for title in order if title in by_section]
        source = _ThemeSource(survey_id, threshold)
        await source.load()
        for candidate in source.candidates:
            theme = await source.theme(candidate["id"])
            if theme is None:
                continue
            # The share of the block the centre's district is published in (its own, or "weitere Stadtteile").
            share = next(((name, count) for (name, count), ids in zip(
                theme["districts"], theme.get("district_ids", []), strict=False) if centre.district_id in ids), None)
            theme_rows.append({"label": theme["label"], "size": theme["size"],
                               "district_count": share[1] if share else None,
                               "district_group": share[0] if share and share[0] != centre.district_name else None,
                               "quotes": theme["quotes"]})
    published = await MinutesVersion.select(MinutesVersion.number, MinutesVersion.snapshot).where(
        MinutesVersion.round == round_id
    ).order_by(MinutesVersion.number, ascending=False).first()
    actions = [a for a in _loads(published["snapshot"]).get("actions", []) if a.get("centre_id") == centre_id] \
        if published else []
    site = await _site_part()
    return {
        "format": SNAPSHOT_FORMAT,
        "kind": "centre_summary",
        "city": site["city"],
        "site": site,
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
