"""Themes in parents' free text: clustering runs as jobs, staff edits, district shares with privacy suppression.

A run clusters the visible free-text answers of one question, or all free text of one topic (a survey section),
optionally of one district. Running again makes a new version; the versions staff edited stay as they were, so a
re-run never silently throws edits away.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from piccolo.query.functions.aggregate import Max

from participation import jobs
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.surveys.schemas import QuestionKind
from participation.surveys.services.privacy import Cell, Grouping, common_blocks
from participation.surveys.tables import (
    AnalysisRun,
    Answer,
    Question,
    Section,
    Survey,
    Theme,
    ThemeAssignment,
)

CLUSTER_JOB = "cluster_answers"
SONSTIGES = -1


class ThemeError(DomainError):
    """A clustering run or a staff edit cannot be done as asked."""


def _loads(value, default):
    if isinstance(value, str):
        return json.loads(value) if value else default
    return value if value is not None else default


# --- starting and running ------------------------------------------------------------------------------------------

async def start_run(
    survey_id: int, *, question_id: int | None = None, section_id: int | None = None,
    district_id: int | None = None, k: int | None = None, user_id: int | None = None, threshold: int = 5,
) -> tuple[int, int]:
    """Create the next version of a run for this target and queue its clustering job; returns (run id, job id).

    Refused while the survey is open (results appear when it closes) and for one district whose answers to any of
    the target's questions are too few to be shown as that district's own.
    """
    if (question_id is None) == (section_id is None):
        raise ThemeError(_("Bitte wählen Sie entweder eine Frage oder ein Thema."), "target")
    if not await Survey.exists().where(Survey.id == survey_id):
        raise ThemeError(_("Diese Umfrage gibt es nicht."))
    if question_id is not None:
        question = await Question.select(Question.kind).where(
            (Question.id == question_id) & (Question.survey == survey_id)
        ).first()
        if question is None or not (QuestionKind(question["kind"]).is_text or question["kind"] == "multiple"):
            raise ThemeError(_("Bitte wählen Sie eine Frage mit Freitext-Antworten."), "target")
    if section_id is not None and not await Section.exists().where(
        (Section.id == section_id) & (Section.survey == survey_id)
    ):
        raise ThemeError(_("Dieses Thema gehört nicht zu dieser Umfrage."), "target")
    if k is not None and not 2 <= k <= 30:
        raise ThemeError(_("Die Zahl der Themen muss zwischen 2 und 30 liegen (oder leer für automatisch)."), "k")
    await _check_target_may_be_shown(survey_id, question_id, section_id, district_id, threshold)
    same_target = _target_condition(survey_id, question_id, section_id, district_id)
    latest = await AnalysisRun.select(Max(AnalysisRun.version, alias="version")).where(same_target).first()
    version = ((latest or {}).get("version") or 0) + 1
    rows = await AnalysisRun.insert(AnalysisRun(
        survey=survey_id, question=question_id, section=section_id, district=district_id, version=version,
        requested_k=k, created_by=user_id,
    )).returning(AnalysisRun.id)
    run_id = rows[0]["id"]
    job_id = await jobs.enqueue(CLUSTER_JOB, {"run_id": run_id, "threshold": threshold, "audience": jobs.OFFICE})
    await AnalysisRun.update({AnalysisRun.job: job_id}).where(AnalysisRun.id == run_id)
    return run_id, job_id


async def _check_target_may_be_shown(
    survey_id: int, question_id: int | None, section_id: int | None, district_id: int | None, threshold: int
) -> None:
    from participation.surveys.services.protected import load_protected

    view = await load_protected(survey_id, threshold)
    if view is None:
        raise ThemeError(_("Diese Umfrage gibt es nicht."))
    if not view.closed:
        raise ThemeError(_("Die Umfrage läuft noch. Themen lassen sich bilden, wenn sie geschlossen ist."), "target")
    if district_id is None:
        return
    if district_id not in view.district_names:
        raise ThemeError(_("Diesen Stadtteil gibt es nicht."), "district")
    questions = [q for q in view.survey.questions
                 if q.id == question_id or (question_id is None and q.section_id == section_id)]
    for question in questions:
        grouping = view.groupings[question.id]
        answered = any(d == district_id for d, _c in view.respondents.get(question.id, {}))
        if answered and grouping.own_block(district_id) is None:
            raise ThemeError(_(
                "Aus diesem Stadtteil haben zu wenige Personen geantwortet, um seine Texte allein auszuwerten. "
                "Bitte werten Sie alle Stadtteile gemeinsam aus."), "district")


def _target_condition(survey_id, question_id, section_id, district_id):
    condition = AnalysisRun.survey == survey_id
    condition &= AnalysisRun.question.is_null() if question_id is None else AnalysisRun.question == question_id
    condition &= AnalysisRun.section.is_null() if section_id is None else AnalysisRun.section == section_id
    condition &= AnalysisRun.district.is_null() if district_id is None else AnalysisRun.district == district_id
    return condition


async def texts_of_run(run: dict, threshold: int) -> list[tuple[int, str]]:
    """(answer id, text) of every visible free-text answer the run covers, in a stable order.

    Answers that no figure of their question may show (a group too small even when combined) are not clustered,
    so no theme size can count them.
    """
    condition = Answer.text.is_not_null() & Answer.hidden.eq(False)
    if run["question"] is not None:
        condition &= Answer.question == run["question"]
    else:
        condition &= Answer.question.section == run["section"]
    if run["district"] is not None:
        condition &= Answer.response.district == run["district"]
    rows = await Answer.select(
        Answer.id, Answer.text, Answer.question, Answer.response.district.as_alias("district"),
        Answer.response.centre.as_alias("centre"),
    ).where(condition).order_by(Answer.id)
    rows = [row for row in rows if row["text"] and row["text"].strip()]
    rows, _plan, _label = await _protected_members(run["survey"], rows, threshold)
    return [(row["id"], row["text"]) for row in rows]


async def _run_given_up(params: dict) -> None:
    """The clustering job failed because its workers kept dying: the run shows as failed, not running."""
    await AnalysisRun.update({AnalysisRun.status: "failed"}).where(AnalysisRun.id == params["run_id"])


@jobs.handler(CLUSTER_JOB, on_failure=_run_given_up)
async def run_clustering(params: dict, progress: jobs.Progress) -> dict:
    """The job: cluster the run's answers and store its themes and assignments (all at once, see `_store_result`)."""
    from participation.analysis import cluster_texts

    run_id = params["run_id"]
    run = await AnalysisRun.select().where(AnalysisRun.id == run_id).first()
    if run is None:
        raise LookupError(f"analysis run {run_id} is gone")
    await AnalysisRun.update({AnalysisRun.status: "running"}).where(AnalysisRun.id == run_id)
    try:
        progress(0.02, _("Antworten laden"))
        items = await texts_of_run(run, int(params.get("threshold") or 5))
        result = await asyncio.to_thread(cluster_texts, items, run["requested_k"], progress)
        await jobs.fault("clustered")
        progress(0.97, _("Themen speichern"))
        summary = {"run_id": run_id, "themes": len(result.themes), "answers": len(items)}
        await jobs.save_result(summary, lambda: _store_result(run_id, result, len(items)))
    except jobs.LeaseLost:
        raise  # another worker holds the run now; its status is that worker's to set
    except Exception:
        await AnalysisRun.update({AnalysisRun.status: "failed"}).where(AnalysisRun.id == run_id)
        raise
    return summary


async def _store_result(run_id: int, result, answer_count: int) -> None:
    """Themes, assignments and the run's status in the caller's transaction, replacing an earlier attempt's rows
    (the run belongs to one job), so a re-run after a crash gives the run exactly what a clean run gives it."""
    await ThemeAssignment.delete().where(ThemeAssignment.run == run_id)
    await Theme.delete().where(Theme.run == run_id)
    themes = [
        Theme(run=run_id, number=theme.id, label=theme.label[:200], terms=list(theme.terms),
              example_answers=list(theme.example_ids), position=position)
        for position, theme in enumerate(result.themes)
    ]
    if any(a.cluster == SONSTIGES for a in result.assignments):
        themes.append(Theme(run=run_id, number=SONSTIGES, label="Sonstiges", terms=[], example_answers=[],
                            position=len(result.themes)))
    theme_ids: dict[int, int] = {}
    if themes:
        rows = await Theme.insert(*themes).returning(Theme.id, Theme.number)
        theme_ids = {row["number"]: row["id"] for row in rows}
    await jobs.fault("themes-saved")
    assignments = [
        ThemeAssignment(run=run_id, answer=a.id, theme=theme_ids[a.cluster]) for a in result.assignments
    ]
    for start in range(0, len(assignments), 500):
        await ThemeAssignment.insert(*assignments[start:start + 500])
    await AnalysisRun.update({AnalysisRun.status: "done", AnalysisRun.answer_count: answer_count}).where(
        AnalysisRun.id == run_id
    )


# --- reading -------------------------------------------------------------------------------------------------------

@dataclass
class ThemeView:
    id: int
    number: int
    label: str
    terms: list[str]
    size: int
    quotes: list[tuple[int, str]]
    #: (block name, number of the theme's answers from it): districts, or "weitere Stadtteile: …".
    district_shares: list[tuple[str, int | None]]
    agenda_candidate: bool
    #: The districts of each share, in the same order.
    share_districts: list[list[int]] = field(default_factory=list)

    @property
    def is_sonstiges(self) -> bool:
        return self.number == SONSTIGES


@dataclass
class RunView:
    id: int
    survey_id: int
    version: int
    status: str
    job_id: int | None
    target_label: str
    district_name: str | None
    answer_count: int
    edited: bool
    created_at: datetime | None
    themes: list[ThemeView] = field(default_factory=list)
    other_versions: list[tuple[int, int, bool]] = field(default_factory=list)  # (run id, version, edited)
    #: Answers shown in the themes (answers of groups too small to be shown anywhere are left out).
    members_shown: int = 0


async def get_run(run_id: int, threshold: int) -> RunView | None:
    """A run with its themes: size, quotes and share per district (districts below the threshold suppressed)."""
    run = await AnalysisRun.select(
        AnalysisRun.all_columns(),
        AnalysisRun.question.texts.as_alias("question_texts"),
        AnalysisRun.section.texts.as_alias("section_texts"),
        AnalysisRun.district.name.as_alias("district_name"),
    ).where(AnalysisRun.id == run_id).first()
    if run is None:
        return None
    view = RunView(
        id=run["id"], survey_id=run["survey"], version=run["version"], status=run["status"], job_id=run["job"],
        target_label=_target_label(run), district_name=run["district_name"], answer_count=run["answer_count"],
        edited=run["edited"], created_at=run["created_at"],
    )
    versions = await AnalysisRun.select(AnalysisRun.id, AnalysisRun.version, AnalysisRun.edited).where(
        _target_condition(run["survey"], run["question"], run["section"], run["district"])
    ).order_by(AnalysisRun.version)
    view.other_versions = [(v["id"], v["version"], v["edited"]) for v in versions if v["id"] != run_id]
    themes = await Theme.select().where(Theme.run == run_id).order_by(Theme.position).order_by(Theme.id)
    members = await ThemeAssignment.select(
        ThemeAssignment.theme, ThemeAssignment.answer, ThemeAssignment.answer.text.as_alias("text"),
        ThemeAssignment.answer.question.as_alias("question"),
        ThemeAssignment.answer.response.district.as_alias("district"),
        ThemeAssignment.answer.response.centre.as_alias("centre"),
    ).where((ThemeAssignment.run == run_id) & ThemeAssignment.excluded.eq(False)
            & ThemeAssignment.answer.hidden.eq(False))
    members, plan, label = await _protected_members(run["survey"], members, threshold)
    view.members_shown = len(members)
    by_theme: dict[int, list[dict]] = defaultdict(list)
    for member in members:
        by_theme[member["theme"]].append(member)
    for theme in themes:
        rows = by_theme.get(theme["id"], [])
        texts = {row["answer"]: row["text"] for row in rows}
        examples = [a for a in _loads(theme["example_answers"], []) if a in texts]
        if len(examples) < 3:
            examples += [a for a in sorted(texts) if a not in examples][: 3 - len(examples)]
        cells = Counter((row["district"], row["centre"]) for row in rows)
        blocks = sorted(plan.blocks if plan is not None else (), key=lambda b: (b.is_residual, label(b).casefold()))
        shares = [(label(b), sum(cells.get(cell, 0) for cell in b.cells), b.district_ids) for b in blocks]
        view.themes.append(ThemeView(
            id=theme["id"], number=theme["number"], label=theme["label"], terms=_loads(theme["terms"], []),
            size=len(rows), quotes=[(a, texts[a]) for a in examples[:3]],
            district_shares=[(name, count) for name, count, _ids in shares],
            agenda_candidate=theme["agenda_candidate"],
            share_districts=[list(ids) for _name, _count, ids in shares],
        ))
    view.themes.sort(key=lambda t: (t.is_sonstiges, -t.size))
    return view


async def _protected_members(survey_id: int, members: list[dict], threshold: int):
    """The members that may be counted, the run's blocks for district shares, and the block labeller.

    Answers from cells that no figure of their question may show are dropped; the rest are grouped by blocks that
    are unions of each of the run's questions' blocks (`privacy.common_blocks`).
    """
    from participation.surveys.services.protected import load_protected

    view = await load_protected(survey_id, threshold)
    if view is None or not view.closed:
        return [], None, str
    kept = [m for m in members if (m["district"], m["centre"]) in view.groupings[m["question"]].shown_cells]
    counts: Counter[Cell] = Counter((m["district"], m["centre"]) for m in kept)
    questions: list[Grouping] = [view.groupings[q] for q in {m["question"] for m in kept}]
    plan = common_blocks(questions, counts, threshold)
    if not plan.shown:
        return [], None, view.label
    kept = [m for m in kept if (m["district"], m["centre"]) not in plan.excluded]
    return kept, plan, view.label


def _target_label(run: dict) -> str:
    from participation.surveys.schemas import text_in

    if run["question"] is not None:
        return _("Frage: %(text)s", text=text_in(_loads(run["question_texts"], {}), "de", "text"))
    return _("Thema: %(text)s", text=text_in(_loads(run["section_texts"], {}), "de", "title"))


async def theme_answers(run_id: int, theme_id: int) -> list[dict]:
    """Every answer of a theme (also excluded ones, marked), for moving and excluding."""
    return await ThemeAssignment.select(
        ThemeAssignment.answer, ThemeAssignment.excluded, ThemeAssignment.answer.text.as_alias("text"),
    ).where((ThemeAssignment.run == run_id) & (ThemeAssignment.theme == theme_id)
            & ThemeAssignment.answer.hidden.eq(False)).order_by(ThemeAssignment.answer)


@dataclass(frozen=True, slots=True)
class RunListItem:
    id: int
    version: int
    status: str
    target_label: str
    district_name: str | None
    answer_count: int
    edited: bool
    created_at: datetime | None


async def list_runs(survey_id: int) -> list[RunListItem]:
    rows = await AnalysisRun.select(
        AnalysisRun.all_columns(),
        AnalysisRun.question.texts.as_alias("question_texts"),
        AnalysisRun.section.texts.as_alias("section_texts"),
        AnalysisRun.district.name.as_alias("district_name"),
    ).where(AnalysisRun.survey == survey_id).order_by(AnalysisRun.id, ascending=False)
    return [RunListItem(
        id=r["id"], version=r["version"], status=r["status"], target_label=_target_label(r),
        district_name=r["district_name"], answer_count=r["answer_count"], edited=r["edited"],
        created_at=r["created_at"],
    ) for r in rows]


async def agenda_candidates(survey_id: int) -> list[dict]:
    """Themes the office picked for the session's agenda, across this survey's runs."""
    return await Theme.select(
        Theme.id, Theme.label, Theme.run, Theme.run.version.as_alias("version"),
    ).where((Theme.run.survey == survey_id) & Theme.agenda_candidate.eq(True)).order_by(Theme.id)


# --- staff edits ---------------------------------------------------------------------------------------------------

async def _theme_of_run(run_id: int, theme_id: int) -> dict:
    theme = await Theme.select().where((Theme.id == theme_id) & (Theme.run == run_id)).first()
    if theme is None:
        raise ThemeError(_("Dieses Thema gehört nicht zu dieser Auswertung."))
    return theme


async def _mark_edited(run_id: int) -> None:
    await AnalysisRun.update({AnalysisRun.edited: True}).where(AnalysisRun.id == run_id)


async def rename_theme(run_id: int, theme_id: int, label: str) -> None:
    label = label.strip()
    if not label:
        raise ThemeError(_("Bitte geben Sie einen Namen für das Thema ein."), "label")
    await _theme_of_run(run_id, theme_id)
    await Theme.update({Theme.label: label[:200]}).where(Theme.id == theme_id)
    await _mark_edited(run_id)


async def merge_themes(run_id: int, target_id: int, source_id: int) -> None:
    """Move every answer of `source` into `target` and remove `source`."""
    if target_id == source_id:
        raise ThemeError(_("Bitte wählen Sie zwei verschiedene Themen."), "source")
    target = await _theme_of_run(run_id, target_id)
    source = await _theme_of_run(run_id, source_id)
    await ThemeAssignment.update({ThemeAssignment.theme: target_id}).where(ThemeAssignment.theme == source_id)
    examples = _loads(target["example_answers"], []) + _loads(source["example_answers"], [])
    await Theme.update({
        Theme.example_answers: examples[:3],
        Theme.agenda_candidate: target["agenda_candidate"] or source["agenda_candidate"],
    }).where(Theme.id == target_id)
    await Theme.delete().where(Theme.id == source_id)
    await _mark_edited(run_id)


async def move_answer(run_id: int, answer_id: int, theme_id: int) -> None:
    await _theme_of_run(run_id, theme_id)
    rows = await ThemeAssignment.update({ThemeAssignment.theme: theme_id}).where(
        (ThemeAssignment.run == run_id) & (ThemeAssignment.answer == answer_id)
    ).returning(ThemeAssignment.id)
    if not rows:
        raise ThemeError(_("Diese Antwort gehört nicht zu dieser Auswertung."))
    await _mark_edited(run_id)


async def exclude_answer(run_id: int, answer_id: int, excluded: bool = True) -> None:
    rows = await ThemeAssignment.update({ThemeAssignment.excluded: excluded}).where(
        (ThemeAssignment.run == run_id) & (ThemeAssignment.answer == answer_id)
    ).returning(ThemeAssignment.id)
    if not rows:
        raise ThemeError(_("Diese Antwort gehört nicht zu dieser Auswertung."))
    await _mark_edited(run_id)


async def set_agenda_candidate(run_id: int, theme_id: int, chosen: bool) -> None:
    await _theme_of_run(run_id, theme_id)
    await Theme.update({Theme.agenda_candidate: chosen}).where(Theme.id == theme_id)


async def cluster_targets(survey_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Questions with free text (text questions and multiple choice with "other") and sections, for the form."""
    from participation.surveys.schemas import text_in

    questions = await Question.select(Question.id, Question.kind, Question.allow_other, Question.texts).where(
        Question.survey == survey_id
    ).order_by(Question.position)
    sections = await Section.select(Section.id, Section.texts).where(Section.survey == survey_id).order_by(
        Section.position
    )
    text_questions = [
        (q["id"], text_in(_loads(q["texts"], {}), "de", "text")) for q in questions
        if QuestionKind(q["kind"]).is_text or (q["kind"] == "multiple" and q["allow_other"])
    ]
    return text_questions, [(s["id"], text_in(_loads(s["texts"], {}), "de", "title")) for s in sections]
