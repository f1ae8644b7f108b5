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
    translate_url: str = "",
) -> tuple[int, int]:
    """Create the next version of a run for this target and queue its clustering job; returns (run id, job id).

    With `translate_url` (the operator's translation service), the job first translates the answers in other
    languages that have no German translation yet.

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
    params = {"run_id": run_id, "threshold": threshold, "audience": jobs.OFFICE}
    if translate_url:
        params["translate_url"] = translate_url
    job_id = await jobs.enqueue(CLUSTER_JOB, params)
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
    """(answer id, text) of every visible free-text answer the run covers, in a stable order; the German
    translation stands in for the original where there is one, and answers in another language without one are
    left out (see `run_texts`)."""
    return (await run_texts(run, threshold)).items


@dataclass(frozen=True, slots=True)
class RunTexts:
    #: (answer id, text to cluster): the translation where there is one, else the original German answer.
    items: list[tuple[int, str]]
    #: (answer id, original) of answers in another language without a German translation: not clustered.
    untranslated: list[tuple[int, str]]


def needs_translation(text: str | None, translation: str | None) -> bool:
    """An answer in another language (as far as the text shows) that has no German translation yet."""
    from participation.analysis import detect_language

    return not (translation or "").strip() and detect_language(text or "") not in (None, "de")


async def run_texts(run: dict, threshold: int) -> RunTexts:
    """The run's visible free-text answers, split into those to cluster and those still to be translated.

    Answers that no figure of their question may show (a group too small even when combined) are in neither, so no
    theme size or count can include them. Answers in another language join German themes through their
    translation; without one they would form a theme named after their language, so they wait for a translation.
    """
    condition = Answer.text.is_not_null() & Answer.hidden.eq(False)
    if run["question"] is not None:
        condition &= Answer.question == run["question"]
    else:
        condition &= Answer.question.section == run["section"]
    if run["district"] is not None:
        condition &= Answer.response.district == run["district"]
    rows = await Answer.select(
        Answer.id, Answer.text, Answer.translation, Answer.question, Answer.response.district.as_alias("district"),
        Answer.response.centre.as_alias("centre"),
    ).where(condition).order_by(Answer.id)
    rows = [row for row in rows if row["text"] and row["text"].strip()]
    rows, _plan, _label = await protected_members(run["survey"], rows, threshold)
    items: list[tuple[int, str]] = []
    untranslated: list[tuple[int, str]] = []
    for row in rows:
        if needs_translation(row["text"], row["translation"]):
            untranslated.append((row["id"], row["text"]))
        else:
            items.append((row["id"], (row["translation"] or "").strip() or row["text"]))
    return RunTexts(items=items, untranslated=untranslated)


async def _run_given_up(params: dict) -> None:
    """The clustering job failed because its workers kept dying: the run shows as failed, not running."""
    await AnalysisRun.update({AnalysisRun.status: "failed"}).where(AnalysisRun.id == params["run_id"])


@jobs.handler(CLUSTER_JOB, on_failure=_run_given_up)
async def run_clustering(params: dict, progress: jobs.Progress) -> dict:
    """The job: cluster the run's answers and store its themes and assignments (all at once, see `_store_result`)."""
    from participation.analysis import cluster_texts
    from participation.surveys.services.translations import machine_translate_answers

    run_id = params["run_id"]
    run = await AnalysisRun.select().where(AnalysisRun.id == run_id).first()
    if run is None:
        raise LookupError(f"analysis run {run_id} is gone")
    await AnalysisRun.update({AnalysisRun.status: "running"}).where(AnalysisRun.id == run_id)
    try:
        progress(0.02, _("Antworten laden"))
        threshold = int(params.get("threshold") or 5)
        texts = await run_texts(run, threshold)
        if texts.untranslated and params.get("translate_url"):
            progress(0.03, _("Antworten übersetzen"))
            await machine_translate_answers([a for a, _t in texts.untranslated], params["translate_url"])
            texts = await run_texts(run, threshold)
        items = texts.items
        result = await asyncio.to_thread(cluster_texts, items, run["requested_k"], progress)
        names = await asyncio.to_thread(suggest_names, result, items)
        await jobs.fault("clustered")
        progress(0.97, _("Themen speichern"))
        summary = {"run_id": run_id, "themes": len(result.themes), "answers": len(items),
                   "untranslated": len(texts.untranslated)}
        await jobs.save_result(summary, lambda: _store_result(
            run_id, result, len(items), names, len(texts.untranslated)))
    except jobs.LeaseLost:
        raise  # another worker holds the run now; its status is that worker's to set
    except Exception:
        await AnalysisRun.update({AnalysisRun.status: "failed"}).where(AnalysisRun.id == run_id)
        raise
    return summary


def suggest_names(result, items: list[tuple[int, str]]) -> dict[int, str]:
    """A readable name per theme of a clustering result: a phrase from its own answers (`analysis.naming`)."""
    from participation.analysis.naming import phrase_names

    text_of = dict(items)
    in_themes = {a for theme in result.themes for a in theme.member_ids}
    groups = [[text_of[a] for a in theme.member_ids] for theme in result.themes]
    rest = [text for a, text in items if a not in in_themes]  # Sonstiges: background, never named
    return {theme.id: name for theme, name in zip(result.themes, phrase_names([*groups, rest]), strict=False)}


async def _store_result(run_id: int, result, answer_count: int, names: dict[int, str] | None = None,
                        untranslated: int = 0) -> None:
    """Themes, assignments and the run's status in the caller's transaction, replacing an earlier attempt's rows
    (the run belongs to one job), so a re-run after a crash gives the run exactly what a clean run gives it.

    A theme starts under its suggested phrase name, unconfirmed: staff confirm or rename it before it may go onto an
    agenda. "Sonstiges" is a name the platform gives, not a suggestion."""
    names = names or {}
    await ThemeAssignment.delete().where(ThemeAssignment.run == run_id)
    await Theme.delete().where(Theme.run == run_id)
    themes = []
    for position, theme in enumerate(result.themes):
        suggestion = (names.get(theme.id) or theme.label)[:200]
        themes.append(Theme(run=run_id, number=theme.id, label=suggestion, suggested_label=suggestion,
                            terms=list(theme.terms), example_answers=list(theme.example_ids), position=position))
    if any(a.cluster == SONSTIGES for a in result.assignments):
        themes.append(Theme(run=run_id, number=SONSTIGES, label="Sonstiges", suggested_label="Sonstiges", terms=[],
                            example_answers=[], position=len(result.themes)))
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
    await AnalysisRun.update({
        AnalysisRun.status: "done", AnalysisRun.answer_count: answer_count,
        AnalysisRun.untranslated_count: untranslated,
    }).where(AnalysisRun.id == run_id)


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
    #: The phrase the clustering suggested as the name.
    suggested_label: str = ""
    #: Staff named the theme or took over the suggestion (needed for agenda and minutes).
    confirmed: bool = False

    @property
    def is_sonstiges(self) -> bool:
        return self.number == SONSTIGES

    @property
    def needs_name(self) -> bool:
        """A theme nobody named or confirmed yet (Sonstiges never goes onto an agenda, so it needs none)."""
        return not self.confirmed and not self.is_sonstiges


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
    #: Answers in another language left out of the themes until someone translates them.
    untranslated_count: int = 0


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
        edited=run["edited"], created_at=run["created_at"], untranslated_count=run["untranslated_count"],
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
    members, plan, label = await protected_members(run["survey"], members, threshold)
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
            suggested_label=theme["suggested_label"] or "", confirmed=theme["confirmed"],
        ))
    view.themes.sort(key=lambda t: (t.is_sonstiges, -t.size))
    return view


async def protected_members(survey_id: int, members: list[dict], threshold: int):
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
        ThemeAssignment.answer.translation.as_alias("translation"),
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
    """Themes the office picked for the session's agenda, across this survey's runs; only named or confirmed
    ones, so an unchecked machine suggestion never reaches an agenda or the minutes."""
    return await Theme.select(
        Theme.id, Theme.label, Theme.run, Theme.run.version.as_alias("version"),
    ).where((Theme.run.survey == survey_id) & Theme.agenda_candidate.eq(True) & Theme.confirmed.eq(True)).order_by(
        Theme.id)


async def unconfirmed_among(theme_ids: list[int]) -> list[str]:
    """The labels of those of `theme_ids` that nobody has named or confirmed yet."""
    if not theme_ids:
        return []
    rows = await Theme.select(Theme.label).where(Theme.id.is_in(theme_ids) & Theme.confirmed.eq(False))
    return [row["label"] for row in rows]


def not_confirmed_message() -> str:
    return _("Dieses Thema hat noch keinen bestätigten Namen. Bitte benennen Sie es oder übernehmen Sie den "
             "Vorschlag, bevor es auf die Tagesordnung kommt.")


# --- staff edits ---------------------------------------------------------------------------------------------------

async def _theme_of_run(run_id: int, theme_id: int) -> dict:
    theme = await Theme.select().where((Theme.id == theme_id) & (Theme.run == run_id)).first()
    if theme is None:
        raise ThemeError(_("Dieses Thema gehört nicht zu dieser Auswertung."))
    return theme


async def _mark_edited(run_id: int) -> None:
    await AnalysisRun.update({AnalysisRun.edited: True}).where(AnalysisRun.id == run_id)


def _clean_label(label: str | None) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise ThemeError(_("Bitte geben Sie einen Namen für das Thema ein."), "label")
    if len(label) > 200:
        raise ThemeError(_("Der Name ist zu lang (höchstens 200 Zeichen)."), "label")
    return label


async def rename_theme(run_id: int, theme_id: int, label: str) -> None:
    """Give a theme the name staff chose; a name given by a person counts as confirmed."""
    label = _clean_label(label)
    await _theme_of_run(run_id, theme_id)
    await Theme.update({Theme.label: label, Theme.confirmed: True}).where(Theme.id == theme_id)
    await _mark_edited(run_id)


async def accept_suggestion(run_id: int, theme_id: int) -> None:
    """Take over the suggested phrase as the theme's name ("Vorschlag übernehmen")."""
    theme = await _theme_of_run(run_id, theme_id)
    suggestion = (theme["suggested_label"] or "").strip()
    if not suggestion:
        raise ThemeError(_("Für dieses Thema gibt es keinen Vorschlag. Bitte geben Sie einen Namen ein."), "label")
    await Theme.update({Theme.label: suggestion, Theme.confirmed: True}).where(Theme.id == theme_id)
    await _mark_edited(run_id)


async def create_theme(run_id: int, label: str) -> int:
    """A new, empty theme named by staff (for a topic the clustering missed); answers are moved into it."""
    label = _clean_label(label)
    if not await AnalysisRun.exists().where((AnalysisRun.id == run_id) & (AnalysisRun.status == "done")):
        raise ThemeError(_("Themen lassen sich erst anlegen, wenn die Berechnung fertig ist."))
    theme_id = await _new_theme(run_id, label, label, confirmed=True)
    await _mark_edited(run_id)
    return theme_id


async def _new_theme(run_id: int, label: str, suggested: str, *, confirmed: bool, terms=()) -> int:
    numbers = await Theme.select(Max(Theme.number, alias="number"), Max(Theme.position, alias="position")).where(
        Theme.run == run_id).first()
    rows = await Theme.insert(Theme(
        run=run_id, number=max((numbers or {}).get("number") or 0, 0) + 1, label=label[:200],
        suggested_label=suggested[:200], confirmed=confirmed, terms=list(terms), example_answers=[],
        position=((numbers or {}).get("position") or 0) + 1,
    )).returning(Theme.id)
    return rows[0]["id"]


async def move_answers(run_id: int, answer_ids: list[int], theme_id: int) -> int:
    """Move several answers of the run into one theme; returns how many moved."""
    if not answer_ids:
        raise ThemeError(_("Bitte wählen Sie mindestens eine Antwort."), "answers")
    await _theme_of_run(run_id, theme_id)
    rows = await ThemeAssignment.update({ThemeAssignment.theme: theme_id}).where(
        (ThemeAssignment.run == run_id) & ThemeAssignment.answer.is_in(answer_ids)
    ).returning(ThemeAssignment.id)
    if len(rows) != len(set(answer_ids)):
        raise ThemeError(_("Diese Antwort gehört nicht zu dieser Auswertung."))
    await _mark_edited(run_id)
    return len(rows)


async def split_off_answers(run_id: int, theme_id: int, answer_ids: list[int], label: str) -> int:
    """Split a theme by picking answers: the chosen ones form a new theme with the given name."""
    label = _clean_label(label)
    await _theme_of_run(run_id, theme_id)
    if not answer_ids:
        raise ThemeError(_("Bitte wählen Sie die Antworten, die ein eigenes Thema werden sollen."), "answers")
    members = {row["answer"] for row in await ThemeAssignment.select(ThemeAssignment.answer).where(
        (ThemeAssignment.run == run_id) & (ThemeAssignment.theme == theme_id))}
    if not set(answer_ids) <= members:
        raise ThemeError(_("Diese Antwort gehört nicht zu diesem Thema."), "answers")
    new_id = await _new_theme(run_id, label, label, confirmed=True)
    await move_answers(run_id, answer_ids, new_id)
    return new_id


async def split_theme(run_id: int, theme_id: int, parts: int, threshold: int) -> list[int]:
    """Split a theme by clustering its own answers again into `parts` groups (2..8).

    The largest group stays in the theme under its name; each other group becomes a new theme under a suggested
    phrase name, unconfirmed. Answers the clustering places in no group stay where they are. Returns the new ids.
    """
    from participation.analysis import cluster_texts
    from participation.analysis.naming import phrase_name

    if not 2 <= parts <= 8:
        raise ThemeError(_("Ein Thema lässt sich in 2 bis 8 Teile teilen."), "parts")
    theme = await _theme_of_run(run_id, theme_id)
    if theme["number"] == SONSTIGES:
        raise ThemeError(_("„Sonstiges“ lässt sich nicht teilen; verschieben Sie die Antworten einzeln."), "parts")
    rows = await ThemeAssignment.select(
        ThemeAssignment.answer, ThemeAssignment.answer.text.as_alias("text"),
        ThemeAssignment.answer.translation.as_alias("translation"),
    ).where((ThemeAssignment.run == run_id) & (ThemeAssignment.theme == theme_id)
            & ThemeAssignment.excluded.eq(False) & ThemeAssignment.answer.hidden.eq(False)
            ).order_by(ThemeAssignment.answer)
    items = [(row["answer"], (row["translation"] or "").strip() or row["text"] or "") for row in rows]
    if len(items) < 2 * parts:
        raise ThemeError(_("Dieses Thema hat zu wenige Antworten, um es in %(n)s Teile zu teilen.", n=parts), "parts")
    result = await asyncio.to_thread(cluster_texts, items, parts, None, 0, min_theme_size=2, max_k=parts)
    groups = sorted((t for t in result.themes if t.language == "de"), key=lambda t: -t.size)
    if len(groups) < 2:
        raise ThemeError(_("Die Antworten dieses Themas lassen sich nicht sinnvoll weiter teilen."), "parts")
    text_of = dict(items)
    new_ids = []
    for group in groups[1:]:
        members = set(group.member_ids)
        name = phrase_name([text_of[a] for a in group.member_ids],
                           [text for a, text in items if a not in members]) or group.label
        new_id = await _new_theme(run_id, name, name, confirmed=False, terms=group.terms)
        await ThemeAssignment.update({ThemeAssignment.theme: new_id}).where(
            (ThemeAssignment.run == run_id) & ThemeAssignment.answer.is_in(list(members)))
        new_ids.append(new_id)
    await _mark_edited(run_id)
    return new_ids


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
    """Mark a theme for the agenda (refused while nobody has named or confirmed it) or take the mark off."""
    theme = await _theme_of_run(run_id, theme_id)
    if chosen and not theme["confirmed"]:
        raise ThemeError(not_confirmed_message(), "label")
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
