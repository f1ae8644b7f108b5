"""Collecting what a role sees of a round, as figures over cells (`collect`), for the solver.

**Collect.** For a role (office, centre staff of one centre, the public), `collect` calls the same service
functions the pages, exports and PDFs call (`results.survey_results`, `results.free_texts`, `exports.results_export`,
`themes.get_run`, `themes.theme_answers`, the minutes' snapshots, the centre summary, the trend points) and turns
every number in them into a `Figure`: a measure summed over a set of cells (district × centre), with the tolerance its
rounding leaves (a mean rounded to 0.1 over n people is a sum known to ±0.05·n). Labels ("weitere Stadtteile: …")
are mapped back to cells through the fields the views carry for this (`QuestionResult.cells`, the cross-tab's
`district_ids`, a theme's `share_districts`). Every figure is checked against the true counts before it is used: a
figure that does not add up is a mapping error and fails the audit (a frozen minutes version that no longer matches
the data is only noted). The office's audit reads the city, every district and every centre view, free texts of the
city and of every district, the export, every theme run with each theme's list of answers, the minutes draft and
every published version, and the trend points of this round; centre summaries, which the office may open too, only
repeat a district view and run shares and are read in each centre's audit. Centre staff: their district's and
centre's views and free texts, their centre summary, every published minutes version, their district's trend points.
The public: the figures of public minutes versions.

Also here: the roles (`Role`, `parse_role`, `role_label`), the audit's error (`AuditError`) and the true counts of a
question (`question_model`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from participation.i18n import gettext as _
from participation.surveys.schemas import OTHER, QuestionKind
from participation.surveys.services.audit.model import (
    SUM,
    TEXTS,
    Figure,
    Measure,
    N,
    QuestionModel,
    RunModel,
    theme_measure,
)
from participation.surveys.services.privacy import Cell

OFFICE = "office"
CENTRE = "centre"
PUBLIC = "public"


class AuditError(ValueError):
    """The audit cannot run as asked (unknown round, role or centre); `str(error)` is the German message."""


@dataclass(frozen=True)
class Role:
    """Whose view the audit attacks: the office, one centre's staff (`centre_id`) or the public."""

    kind: str
    centre_id: int | None = None

    @property
    def code(self) -> str:
        return f"{CENTRE}:{self.centre_id}" if self.kind == CENTRE else self.kind


def parse_role(text: str | None) -> Role:
    """"office", "public" or "centre:ID" (an empty value is the office)."""
    text = (text or OFFICE).strip().lower()
    if text in (OFFICE, PUBLIC):
        return Role(text)
    kind, _sep, number = text.partition(":")
    if kind == CENTRE and number.strip().isdigit():
        return Role(CENTRE, int(number))
    raise AuditError(_("Unbekannte Rolle „%(role)s“: erlaubt sind office, public und centre:ID.", role=text))


class _Collector:
    """Turns what a role sees into figures over cells (`Figure`), one page or document at a time."""

    def __init__(self, view: Any, threshold: int) -> None:
        self.view = view
        self.threshold = threshold
        self.figures: list[Figure] = []
        self.sources: dict[str, int] = {}
        self.notes: list[str] = []
        self.runs: dict[int, RunModel] = {}
        self.run_views: dict[int, Any] = {}
        self.by_key = {q.key: q for q in view.survey.questions}
        self.by_id = {q.id: q for q in view.survey.questions}

    def add(self, question_id: int | None, measure: Measure, cells: Iterable[Cell], value: float | None, *,
            source: str, group: str, tolerance: float = 0.0, run_id: int | None = None, all_parts: bool = False,
            frozen: bool = False) -> None:
        if value is None:
            return
        cells = frozenset(cells)
        if not cells:
            return
        self.figures.append(Figure(question_id, measure, cells, float(value), tolerance, run_id, all_parts, group,
                                   source, frozen))
        self.sources[source] = self.sources.get(source, 0) + 1

    # survey results (pages, API, centre pages)
    def results(self, data: Any, source: str) -> None:
        if data is None or data.suppressed:
            return
        for question in data.questions:
            if question.respondents is None or not question.cells:
                continue
            group = question.group_label or data.centre_name or data.district_name or _(
                "Alle ausgewiesenen Stadtteile")
            self.question(question, frozenset(question.cells), group, source)
            if question.crosstab is not None:
                self.crosstab(question, source)

    def question(self, question: Any, cells: frozenset[Cell], group: str, source: str, frozen: bool = False) -> None:
        n = question.respondents
        add = self._adder(question.id, cells, group, source, frozen)
        add(N, n)
        for option in question.options:
            add(option.value, option.count)
        if question.mean is not None and n:
            add(SUM, question.mean * n, 0.05 * n)
        if question.numbers is not None and n:
            add(SUM, question.numbers.mean * n, 0.05 * n)
        if question.kind is QuestionKind.MULTIPLE:
            add(TEXTS, len(question.other_texts))

    def _adder(self, question_id: int, cells: frozenset[Cell], group: str, source: str, frozen: bool = False):
        def add(measure: Measure, value: float | None, tolerance: float = 0.0) -> None:
            self.add(question_id, measure, cells, value, source=source, group=group, tolerance=tolerance,
                     frozen=frozen)
        return add

    def district_cells(self, question_id: int, district_ids: Iterable[int]) -> frozenset[Cell]:
        ids = set(district_ids)
        return frozenset(c for c in self.view.groupings[question_id].shown_cells if c[0] in ids)

    def crosstab(self, question: Any, source: str) -> None:
        table = question.crosstab
        for index, column in enumerate(table.columns):
            cells = self.district_cells(question.id, column.district_ids)
            add = self._adder(question.id, cells, column.district_name, source)
            n = column.respondents
            add(N, n)
            for row in table.rows:
                add(row.value, row.counts[index])
            if table.means and table.means[index] is not None and n:
                add(SUM, table.means[index] * n, 0.05 * n)

    # free texts (listed per block)
    def free_texts(self, listing: Any, district_id: int | None, source: str) -> None:
        if listing is None or listing.suppressed:
            return
        counts: dict[tuple[str, str | None], int] = defaultdict(int)
        for item in listing.items:
            if not item.hidden:
                counts[(item.question_key, item.district_name)] += 1
        for key, _text in listing.questions:
            question = self.by_key[key]
            grouping = self.view.groupings[question.id]
            blocks = grouping.blocks if district_id is None else [
                b for b in [grouping.block_of_district(district_id)] if b is not None]
            for block in blocks:
                label = self.view.label(block)
                self.add(question.id, TEXTS, block.cells, counts.get((key, label), 0), source=source, group=label)
        known = {(k, self.view.label(b)) for k, _t in listing.questions
                 for b in self.view.groupings[self.by_key[k].id].blocks}
        for key, label in counts:
            if (key, label) not in known:
                self.notes.append(_("%(source)s: Freitexte unter „%(label)s“ ließen sich keiner Gruppe zuordnen.",
                                    source=source, label=label or "?"))

    # the export (same tables as the pages)
    def export(self, data: Any, source: str, channel: str = "all") -> None:
        """The export's rows of all responses (or of one channel's: see `audit.channels`)."""
        city = _("Alle ausgewiesenen Stadtteile")
        grouped: dict[tuple[str, str], list[Any]] = {}
        for row in data.rows:
            if row.question_key and row.channel == channel:
                grouped.setdefault((row.question_key, row.group), []).append(row)
        for (key, group), rows in grouped.items():
            question = self.by_key.get(key)
            if question is None:
                continue
            grouping = self.view.groupings[question.id]
            if group == city:
                cells = grouping.shown_cells
            else:
                block = next((b for b in grouping.blocks if self.view.label(b) == group), None)
                if block is None:
                    self.notes.append(_("%(source)s: die Gruppe „%(group)s“ ließ sich nicht zuordnen.",
                                        source=source, group=group))
                    continue
                cells = block.cells
            add = self._adder(question.id, cells, group, source)
            values = question_values(question)
            n = rows[0].count
            add(N, n)
            for value, row in zip(values, rows[1:1 + len(values)], strict=False):
                add(value, row.count)
            for row in rows[1 + len(values):]:
                if row.value is not None and row.measure == _("Mittelwert") and n:
                    add(SUM, row.value * n, 0.05 * n)

    # minutes and centre summaries (snapshots: plain data)
    def snapshot_figure(self, figure: dict, cells: frozenset[Cell], group: str, source: str, frozen: bool) -> None:
        question = self.by_key.get(figure.get("key"))
        n = figure.get("respondents")
        if question is None or n is None:
            return
        add = self._adder(question.id, cells, figure.get("group") or group, source, frozen)
        add(N, n)
        values = question_values(question)
        options = figure.get("options") or []
        if options and len(options) != len(values):
            self.notes.append(_("%(source)s: die Antwortmöglichkeiten von %(key)s haben sich geändert; nicht "
                                "geprüft.", source=source, key=question.key))
            return
        for value, option in zip(values, options, strict=False):
            add(value, option.get("count"))
        if figure.get("mean") is not None and n:
            add(SUM, figure["mean"] * n, 0.05 * n)
        if figure.get("numbers") and n:
            add(SUM, figure["numbers"]["mean"] * n, 0.05 * n)

    async def minutes(self, snapshot: dict | None, source: str, frozen: bool) -> None:
        if not snapshot:
            return
        for item in snapshot.get("items", []):
            for figure in item.get("figures", []):
                question = self.by_key.get(figure.get("key"))
                if question is not None:
                    self.snapshot_figure(figure, self.view.groupings[question.id].shown_cells,
                                         _("Alle ausgewiesenen Stadtteile"), source, frozen)
            for theme in item.get("themes", []):
                await self.snapshot_theme(theme, source, frozen)

    async def snapshot_theme(self, theme: dict, source: str, frozen: bool) -> None:
        from participation.surveys.tables import Theme

        row = await Theme.select(Theme.run).where(Theme.id == theme.get("id")).first()
        if row is None:
            self.notes.append(_("%(source)s: das Thema „%(label)s“ gibt es nicht mehr; nicht geprüft.",
                                source=source, label=theme.get("label", "?")))
            return
        run = await self.run_model(row["run"])
        if run is None:
            return
        shares = [(name, count, ids) for (name, count), ids in zip(
            theme.get("districts", []), theme.get("district_ids", []), strict=False)]
        self.theme_figures(run, theme["id"], theme.get("size"), shares, source, frozen)

    def theme_figures(self, run: RunModel, theme_id: int, size: int | None, shares: list, source: str,
                      frozen: bool = False) -> None:
        measure = theme_measure(theme_id)
        covered: set[Cell] = set()
        for name, count, ids in shares:
            cells = frozenset(c for c in run.capacity if c[0] in set(ids))
            covered |= cells
            self.add(None, measure, cells, count, source=source, group=name, run_id=run.id, frozen=frozen)
        if shares:
            self.add(None, measure, covered, size, source=source, group=_("alle Stadtteile"), run_id=run.id,
                     frozen=frozen)

    async def run_model(self, run_id: int) -> RunModel | None:
        """The program of a theme run: its themes, texts per cell and true members."""
        from participation.surveys.tables import AnalysisRun, Theme, ThemeAssignment

        if run_id in self.runs:
            return self.runs[run_id]
        row = await AnalysisRun.select(AnalysisRun.id, AnalysisRun.question, AnalysisRun.section,
                                       AnalysisRun.district).where(AnalysisRun.id == run_id).first()
        if row is None:
            return None
        questions = [q for q in self.view.survey.questions
                     if (q.id == row["question"] or (row["question"] is None and q.section_id == row["section"]))
                     and (q.kind.is_text or (q.kind.has_options and q.allow_other))]
        themes = {t["id"]: t["label"] for t in await Theme.select(Theme.id, Theme.label).where(Theme.run == run_id)}
        members = await ThemeAssignment.select(
            ThemeAssignment.theme, ThemeAssignment.excluded, ThemeAssignment.answer.question.as_alias("question"),
            ThemeAssignment.answer.response.district.as_alias("district"),
            ThemeAssignment.answer.response.centre.as_alias("centre"),
        ).where((ThemeAssignment.run == run_id) & ThemeAssignment.answer.hidden.eq(False))
        # The texts of a cell in the run are known to the attacker (from the respondents and the rules of what is
        # clustered); which theme each is in is what the program hides.
        capacity: dict[Cell, int] = defaultdict(int)
        dropped: dict[Cell, int] = defaultdict(int)
        truth: dict[tuple[int, Cell, int], int] = defaultdict(int)
        texts: dict[int, dict[Cell, int]] = defaultdict(lambda: defaultdict(int))
        for member in members:
            cell = (member["district"], member["centre"])
            texts[member["question"]][cell] += 1
            grouping = self.view.groupings.get(member["question"])
            part = 0 if grouping is not None and cell in grouping.shown_cells else 1
            (capacity if part == 0 else dropped)[cell] += 1
            if not member["excluded"]:
                truth[(member["theme"], cell, part)] += 1
        target = next((q.key for q in questions if q.id == row["question"]), None) or next(
            (section.title("de") for section in self.view.survey.sections if section.id == row["section"]), "?")
        label = _("Themen zu %(target)s (Auswertung %(id)s)", target=target, id=run_id)
        model = RunModel(id=run_id, label=label, question_ids=tuple(q.id for q in questions), themes=themes,
                         capacity=dict(capacity), dropped=dict(dropped), truth=dict(truth),
                         texts={q: dict(per_cell) for q, per_cell in texts.items()})
        self.runs[run_id] = model
        return model

    async def run(self, run_id: int, source: str, *, with_answers: bool) -> None:
        """A theme run's page (sizes, district shares) and, for the office, each theme's list of answers."""
        from participation.surveys.services import themes as theme_service

        view = await self.run_view(run_id)
        if view is None or view.status != "done":
            return
        model = await self.run_model(run_id)
        if model is None:
            return
        for theme in view.themes:
            shares = [(name, count, ids) for (name, count), ids in zip(
                theme.district_shares, theme.share_districts, strict=True)]
            self.theme_figures(model, theme.id, theme.size, shares, source)
            if with_answers:
                answers = await theme_service.theme_answers(run_id, theme.id)
                every = frozenset(model.capacity) | frozenset(model.dropped)
                self.add(None, theme_measure(theme.id), every, sum(1 for a in answers if not a["excluded"]),
                         source=_("Antworten eines Themas (Auswertung %(id)s)", id=run_id),
                         group=_("alle Antworten"), run_id=run_id, all_parts=True)

    async def run_view(self, run_id: int) -> Any:
        from participation.surveys.services import themes as theme_service

        if run_id not in self.run_views:
            self.run_views[run_id] = await theme_service.get_run(run_id, self.threshold)
        return self.run_views[run_id]

    async def centre_summary(self, snapshot: dict | None, district_id: int, source: str,
                             centre_id: int | None = None) -> None:
        """A centre summary: its district's figures next to the centre's own, and each agenda theme's size and share
        of the district."""
        from participation.surveys.services import themes as theme_service

        if not snapshot:
            return
        for section in snapshot.get("sections", []):
            for figure in section.get("figures", []):
                question = self.by_key.get(figure.get("key"))
                if question is None:
                    continue
                grouping = self.view.groupings[question.id]
                block = grouping.block_of_district(district_id)
                if block is not None:
                    self.snapshot_figure(figure, block.cells, self.view.label(block), source, frozen=False)
                if figure.get("centre") and centre_id is not None:
                    own = grouping.centre_block(district_id, centre_id)
                    if own is None:
                        self.notes.append(_("%(source)s: eine Zahl des Zentrums zu %(key)s ohne eigenen Block.",
                                            source=source, key=question.key))
                        # Checked against the centre's own cell: the solver then shows what it reveals.
                        own_cells = frozenset([(district_id, centre_id)])
                    else:
                        own_cells = own.cells
                    self.snapshot_figure(figure["centre"], own_cells, self.view.label(own) if own else "?", source,
                                         frozen=False)
        rows = snapshot.get("themes", [])
        if not rows:
            return
        found = []
        for candidate in await theme_service.agenda_candidates(self.view.survey.id):
            view = await self.run_view(candidate["run"])
            theme = next((t for t in view.themes if t.id == candidate["id"]), None) if view else None
            if theme is not None:
                found.append((candidate["run"], theme))
        for (run_id, theme), row in zip(found, rows, strict=False):
            model = await self.run_model(run_id)
            if model is None or theme.label != row.get("label"):
                continue
            share = next(((name, ids) for name, ids in zip(
                [n for n, _c in theme.district_shares], theme.share_districts, strict=True) if district_id in ids),
                None)
            measure = theme_measure(theme.id)
            every = frozenset(c for ids in theme.share_districts for c in model.capacity if c[0] in set(ids))
            self.add(None, measure, every, row.get("size"), source=source, group=_("alle Stadtteile"), run_id=run_id)
            if share is not None:
                cells = frozenset(c for c in model.capacity if c[0] in set(share[1]))
                self.add(None, measure, cells, row.get("district_count"), source=source, group=share[0],
                         run_id=run_id)

    def trends(self, city: Any, district_ids: Iterable[int], source: str) -> None:
        """Points of the district trends (`offerings.services.district_trend`) for this round's survey."""
        from participation.offerings.services.trends import TREND_KINDS, _point

        if city is None or city.suppressed:
            return
        for question in city.questions:
            if question.kind.value not in TREND_KINDS or question.crosstab is None:
                continue
            options: list[str | None] = [None]
            if question.kind is QuestionKind.YESNO:
                options = ["yes"]
            elif question.kind is QuestionKind.SINGLE:
                options = [o.value for o in question.options]
            columns = {c.district_id: c for c in question.crosstab.columns}
            answered = {d for d, _c in self.view.respondents.get(question.id, {})}
            for district_id in district_ids:
                column = columns.get(district_id)
                for option in options:
                    point = _point(city, question, district_id, question.kind.value, option,
                                   answered=district_id in answered)
                    if point.value is None or column is None or not point.respondents:
                        continue
                    n = point.respondents
                    cells = self.district_cells(question.id, column.district_ids)
                    if question.kind is QuestionKind.SCALE:
                        self.add(question.id, SUM, cells, point.value * n, source=source, group=column.district_name,
                                 tolerance=0.05 * n)
                    else:
                        self.add(question.id, option, cells, point.value * n / 100, source=source,
                                 group=column.district_name, tolerance=0.0005 * n)


def question_values(question: Any) -> list[str]:
    """The answer values of a choice question in the order results list them (as `results._rows_of`)."""
    if question.kind is QuestionKind.YESNO or question.kind is QuestionKind.SCALE:
        return question.option_values()
    if question.kind.has_options:
        return [*question.option_values(), *([OTHER] if question.allow_other else [])]
    return []


def question_model(view: Any, question: Any, labels: Mapping[str, str] | None = None) -> QuestionModel:
    truth: dict[tuple[str, Cell], float] = {}
    if question.kind is QuestionKind.NUMBER:
        sums: dict[Cell, float] = defaultdict(float)
        for cell, value in view.numbers.get(question.id, []):
            sums[cell] += value
        truth = {(SUM, cell): total for cell, total in sums.items()}
    else:
        truth = {(value, cell): count for (value, cell), count in view.choices.get(question.id, {}).items()}
    return QuestionModel(
        id=question.id, key=question.key, kind=question.kind, values=tuple(question_values(question)),
        respondents=dict(view.respondents.get(question.id, {})), truth=truth, minimum=question.min_value,
        maximum=question.max_value, labels=dict(labels or {}),
    )


async def collect(round_id: int, role: Role, threshold: int) -> tuple[Any, _Collector] | None:
    """Everything `role` can see of the round's survey, as figures; None when the round has no survey."""
    from participation.dialogues.services import agenda, snapshots
    from participation.surveys.services import exports
    from participation.surveys.services import themes as theme_service
    from participation.surveys.services.results import free_texts, load_protected, survey_results

    survey_id = await agenda.survey_of_round(round_id)
    if survey_id is None:
        return None
    view = await load_protected(survey_id, threshold)
    if view is None:
        return None
    collector = _Collector(view, threshold)
    city = await survey_results(survey_id, threshold=threshold, view=view)
    if role.kind == OFFICE:
        collector.results(city, _("Ergebnisse (alle Stadtteile)"))
        for district_id in sorted(view.district_names):
            collector.results(await survey_results(survey_id, district_id=district_id, threshold=threshold,
                                                   view=view), _("Ergebnisse eines Stadtteils"))
        for centre_id in sorted(view.centre_names):
            collector.results(await survey_results(survey_id, centre_id=centre_id, threshold=threshold, view=view),
                              _("Ergebnisse eines Zentrums"))
        if view.closed:
            collector.free_texts(await free_texts(survey_id, include_hidden=True, threshold=threshold, view=view),
                                 None, _("Freitextantworten"))
            for district_id in sorted(view.district_names):
                collector.free_texts(await free_texts(survey_id, district_id=district_id, include_hidden=True,
                                                      threshold=threshold, view=view), district_id,
                                     _("Freitextantworten eines Stadtteils"))
            collector.export(await exports.results_export(survey_id, threshold=threshold, view=view),
                             _("Export der Ergebnistabellen"))
            for run in await theme_service.list_runs(survey_id):
                await collector.run(run.id, _("Themen einer Auswertung"), with_answers=True)
        await collector.minutes(await snapshots.build_snapshot(round_id, threshold=threshold),
                                _("Protokoll (Entwurf)"), frozen=False)
        await _published_minutes(collector, round_id, public_only=False)
        # Centre summaries (which the office may open too) repeat a district's figures and the run pages' shares,
        # all collected above; the audit of each centre's role reads them through their own code path.
        collector.trends(city, sorted(view.district_names), _("Entwicklung über die Runden"))
    elif role.kind == CENTRE:
        if role.centre_id not in view.centre_names:
            raise AuditError(_("Dieses Zentrum gibt es nicht."))
        district_id = view.centre_districts[role.centre_id]
        collector.results(await survey_results(survey_id, district_id=district_id, threshold=threshold, view=view),
                          _("Ergebnisse des Stadtteils"))
        collector.results(await survey_results(survey_id, centre_id=role.centre_id, threshold=threshold, view=view),
                          _("Ergebnisse des Zentrums"))
        if view.closed:
            collector.free_texts(await free_texts(survey_id, district_id=district_id, threshold=threshold,
                                                  view=view), district_id, _("Freitextantworten des Stadtteils"))
        await collector.centre_summary(
            await snapshots.centre_summary_snapshot(role.centre_id, threshold=threshold, round_id=round_id),
            district_id, _("Zusammenfassung des Zentrums"), centre_id=role.centre_id)
        await _published_minutes(collector, round_id, public_only=False)
        collector.trends(city, [district_id], _("Entwicklung über die Runden"))
    else:
        await _published_minutes(collector, round_id, public_only=True)
    return view, collector


async def _published_minutes(collector: _Collector, round_id: int, *, public_only: bool) -> None:
    from participation.dialogues.services import published

    for version in await published.list_versions(round_id, public_only=public_only):
        await collector.minutes(await published.version_snapshot(version.id),
                                _("Protokoll, Version %(n)s", n=version.number), frozen=True)


async def role_label(role: Role) -> str:
    from participation.directory.services import get_centre

    if role.kind == OFFICE:
        return _("Stadtverwaltung")
    if role.kind == PUBLIC:
        return _("Öffentlichkeit")
    centre = await get_centre(role.centre_id) if role.centre_id is not None else None
    if centre is None:
        raise AuditError(_("Dieses Zentrum gibt es nicht."))
    return _("Mitarbeitende von %(centre)s", centre=centre.name)

