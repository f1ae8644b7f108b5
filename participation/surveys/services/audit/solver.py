"""The attacker's solver: the feasible interval of every protected value, and the verdict on it (`solve`, pure).

**Protected values.** For every group that is small for a question (0 < n < threshold: a district, a centre within a
district, "no centre named" of a district, and all small districts together), and every measure some figure touches:
its option counts, its scale or number sum, its "other" texts, its theme memberships. A group is small for a theme
run by the people behind its texts, at least its texts to any one of the run's questions. With HiGHS
(`scipy.optimize.linprog`) the audit finds the least and largest value the published figures allow; where that
interval holds at most two integers and the LP optimum is not an integer point it is confirmed with
`scipy.optimize.milp` (`model.Program`). Cheap steps skip most programs, each exact (tests compare them with solving
everything): a value whose group lies in a published group where everyone answered alike is pinned without solving;
exchanging answers with people counted in exactly the same figures reaches every value from the truth down and up by
so much, which settles the interval where it reaches the bounds that containing figures give, and shows the value
free where it moves by two.

**Verdict.**
* *Finding* (the audit fails, exit code 1): a protected value pinned to one value by the figures, or a figure that
  describes fewer than `threshold` people, or a figure that does not match the data.
* *Warning, alike* — a value pinned because everyone in a published group (of at least `threshold` people) answered
  alike: "nobody in 'weitere Stadtteile: Hoheneck, Poppenweiler' chose 'Sprachkurs'" tells of every small district in
  it. This is how group figures work (k-anonymity does not prevent it) and DESIGN's rules do not forbid it, so it is a
  warning, listed with the published group and reason, for the office to judge before publishing minutes.
* *Warning, narrowed* — a protected value narrowed to two neighbouring values (and narrower than the a-priori range
  0 … n), with the reason where a published group answered alike or all but one alike.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from participation.i18n import gettext as _
from participation.surveys.schemas import OTHER, QuestionKind
from participation.surveys.services.audit.model import (
    ALIKE,
    EPS,
    FINDING,
    MISMATCH,
    NARROWED,
    PINNED,
    SMALL_FIGURE,
    SUM,
    TEXTS,
    WARNING,
    Domain,
    Figure,
    Issue,
    Measure,
    Names,
    Program,
    Progress,
    QuestionModel,
    RunModel,
    Solution,
    figure_units,
    question_domain,
    run_domain,
)
from participation.surveys.services.privacy import Cell

#: A number question's group mean known to within this is treated as pinned (published precision).
NUMBER_PIN_WIDTH = 0.1
#: ... and to within this as narrowed.
NUMBER_NARROW_WIDTH = 1.0

@dataclass(frozen=True)
class _Group:
    """A group of cells whose values are protected, with its name for the report."""

    label: str
    cells: frozenset[Cell]


def _groups(cells: Iterable[Cell], size: Callable[[frozenset[Cell]], int], threshold: int,
            names: Names) -> list[_Group]:
    """The small groups (0 < size < threshold) among: each district, each cell (centre, or no centre named) of a
    district, and all small districts together."""
    by_district: dict[int, set[Cell]] = defaultdict(set)
    for cell in cells:
        by_district[cell[0]].add(cell)
    groups: list[_Group] = []
    seen: set[frozenset[Cell]] = set()
    small_districts: list[int] = []

    def add(label: str, group: frozenset[Cell]) -> None:
        if 0 < size(group) < threshold and group not in seen:
            seen.add(group)
            groups.append(_Group(label, group))

    for district_id in sorted(by_district):
        district = frozenset(by_district[district_id])
        if 0 < size(district) < threshold:
            small_districts.append(district_id)
        add(names.district(district_id), district)
        for cell in sorted(district, key=lambda c: (c[1] is None, c[1] or 0)):
            add(names.cell(cell), frozenset([cell]))
    if len(small_districts) > 1:
        union = frozenset(c for d in small_districts for c in by_district[d])
        add(_("kleine Stadtteile zusammen: %(names)s",
              names=", ".join(sorted((names.district(d) for d in small_districts), key=str.casefold))), union)
    return groups


def _question_groups(question: QuestionModel, threshold: int, names: Names) -> list[_Group]:
    respondents = question.respondents
    return _groups([c for c, n in respondents.items() if n > 0],
                   lambda group: sum(respondents.get(c, 0) for c in group), threshold, names)


def _measure_label(measure: Measure, question: QuestionModel | None, run: RunModel | None) -> str:
    if isinstance(measure, tuple):
        label = run.themes.get(measure[1], "?") if run else "?"
        return _("Antworten im Thema „%(label)s“", label=label)
    if measure == SUM:
        if question is not None and question.kind is QuestionKind.NUMBER:
            return _("Summe der Zahlen (Mittelwert × Befragte)")
        return _("Summe der Skalenwerte (Mittelwert × Befragte)")
    if measure == TEXTS:
        return _("Freitexte")
    if measure == OTHER:
        return _("Anzahl „%(label)s“", label=(question.labels.get(OTHER) if question else None) or _("Sonstiges"))
    label = question.labels.get(str(measure), str(measure)) if question else str(measure)
    return _("Anzahl „%(label)s“", label=label)


def solve(
    questions: Sequence[QuestionModel], runs: Sequence[RunModel], figures: Iterable[Figure], threshold: int, *,
    names: Names | None = None, progress: Progress | None = None, prune: bool = True,
    check_truth: bool = True,
) -> Solution:
    """Play the attacker: the feasible interval of every protected value, given `figures` (pure, no database).

    `prune=False` solves every program (the shortcuts are for speed; tests compare both).
    """
    names = names or Names()
    solution = Solution()
    by_question = {q.id: q for q in questions}
    by_run = {r.id: r for r in runs}
    domains: dict[tuple[str, int | None], Domain] = {}
    for q in questions:
        domains[("question", q.id)] = question_domain(q)
    for r in runs:
        domains[("run", r.id)] = run_domain(r)

    seen: set[tuple] = set()
    for figure in figures:
        key = figure.key()
        if key in seen:
            continue
        seen.add(key)
        solution.figures += 1
        domain = domains.get(figure.domain)
        if domain is None:
            continue
        units = figure_units(domain, figure) & frozenset(domain.sizes)
        coefs = domain.coefficients(figure.measure, units) if units else None
        question = by_question.get(figure.question_id) if figure.run_id is None else None
        run = by_run.get(figure.run_id) if figure.run_id is not None else None
        subject = question.key if question else (run.label if run else domain.subject)
        if coefs is None:
            continue  # respondents, or texts of a text question: known counts, nothing protected
        true = domain.value(coefs)
        if check_truth and abs(true - figure.value) > figure.tolerance + EPS:
            if figure.frozen:
                note = _("%(source)s: die Zahl „%(measure)s“ zu %(subject)s (%(group)s) passt nicht mehr zu den "
                         "Daten und wurde nicht geprüft.", source=figure.source or "?", subject=subject,
                         group=figure.group or "?", measure=_measure_label(figure.measure, question, run))
                if note not in solution.notes:
                    solution.notes.append(note)
                continue
            solution.issues.append(Issue(
                FINDING, MISMATCH, subject, figure.group or "?", _measure_label(figure.measure, question, run),
                low=figure.value, high=true,
                reason=_("Die Zahl (%(source)s) passt nicht zu den Daten: Die Prüfung kann sie keiner Gruppe "
                         "sicher zuordnen.", source=figure.source or "?")))
            continue
        if run is not None:  # people, not texts: a person may write a text to each of the run's questions
            n = _people(run, by_question, frozenset(domain.cell_of(u) for u in units))
        else:
            n = sum(domain.sizes.get(u, 0) for u in units)
        if 0 < n < threshold:
            solution.issues.append(Issue(
                FINDING, SMALL_FIGURE, subject, figure.group or "?", _measure_label(figure.measure, question, run),
                low=figure.value, high=figure.value,
                reason=_("Diese Zahl (%(source)s) beschreibt nur %(n)s Personen.", source=figure.source or "?",
                         n=n)))
        if not coefs:
            continue
        if domain.kind == "number":
            low = high = true  # the attacker is given exact sums (stricter than the rounded means)
        else:
            low, high = figure.value - figure.tolerance, figure.value + figure.tolerance
        domain.figures.append((figure, units, coefs, low, high))

    tasks: list[tuple[Domain, _Group, Measure, QuestionModel | None, RunModel | None]] = []
    for key, domain in domains.items():
        if not domain.figures or domain.kind == "none":
            continue
        question = by_question.get(key[1]) if key[0] == "question" else None
        run = by_run.get(key[1]) if key[0] == "run" else None
        if question is not None:
            groups = _question_groups(question, threshold, names)
        else:
            groups = _run_groups(run, by_question, threshold, names)
        for group in groups:
            for measure in domain.protected_measures():
                tasks.append((domain, group, measure, question, run))

    programs: dict[int, Program] = {}
    signatures: dict[int, dict[Any, frozenset[int]]] = {}
    total = len(tasks)
    for done, (domain, group, measure, question, run) in enumerate(tasks, 1):
        if progress is not None:
            progress(done, total)
        solution.protected += 1
        units = frozenset(u for u in domain.units if domain.cell_of(u) in group.cells)
        if not units or not any(units & f_units for _f, f_units, _c, _lo, _hi in domain.figures):
            solution.untouched += 1
            continue
        objective = domain.coefficients(measure, units)
        if objective is None:
            continue
        size = sum(domain.sizes[u] for u in units)
        subject = question.key if question else run.label
        label = _measure_label(measure, question, run)
        alike = _alike(domain, units, measure, exact=True) if domain.integral else None
        if prune and alike is not None:
            value = _pinned_value(domain, units, measure, alike)
            solution.issues.append(_alike_issue(subject, group, label, value, alike, domain, measure))
            continue
        exact: tuple[int, int] | None = None
        if prune and domain.kind in ("exact", "atleast"):
            if id(domain) not in signatures:
                signatures[id(domain)] = _signatures(domain)
            if measure == SUM:
                if _sum_free_by_swaps(domain, units, signatures[id(domain)]):
                    continue
            else:
                down, up = _swap_reach(domain, units, measure, signatures[id(domain)])
                true = round(domain.value(objective))
                outer_low, outer_high = _outer(domain, units, measure, size)
                if true - down <= outer_low and true + up >= outer_high:
                    exact = (outer_low, outer_high)  # every value in the outer bounds is reached by swaps
                elif up + down >= 2:
                    continue
        program = programs.get(id(domain))
        if program is None and exact is None:
            program = programs[id(domain)] = Program(domain)
        if domain.integral:
            if exact is not None:
                low_int, high_int = exact
            else:
                before = program.solved
                low_int, high_int = program.integer_range(objective)
                solution.lps += program.solved - before
            trivial_low, trivial_high = domain.trivial(measure, size)
            if high_int == low_int:
                reason = _alike(domain, units, measure, exact=True)
                if reason is not None:
                    solution.issues.append(_alike_issue(subject, group, label, low_int, reason, domain, measure))
                else:
                    solution.issues.append(Issue(
                        FINDING, PINNED, subject, group.label, label, low_int, high_int,
                        reason=_("Aus den veröffentlichten Zahlen lässt sich dieser Wert genau errechnen.")))
            elif high_int - low_int == 1 and trivial_high - trivial_low > 1:
                near = _alike(domain, units, measure, exact=False)
                solution.issues.append(Issue(
                    WARNING, NARROWED, subject, group.label, label, low_int, high_int,
                    reason=_group_reason(near) if near else None))
        else:
            before = program.solved
            low, high = program.lp(objective, 1)[0], program.lp(objective, -1)[0]
            solution.lps += program.solved - before
            trivial_low, trivial_high = domain.trivial(measure, size)
            width = (high - low) / size
            if width <= NUMBER_PIN_WIDTH:
                reason = _alike(domain, units, measure, exact=True)
                if reason is not None:
                    solution.issues.append(_alike_issue(subject, group, label, low, reason, domain, measure))
                else:
                    solution.issues.append(Issue(
                        FINDING, PINNED, subject, group.label, label, low, high,
                        reason=_("Aus den veröffentlichten Mittelwerten lässt sich der Mittelwert dieser Gruppe "
                                 "errechnen.")))
            elif width <= NUMBER_NARROW_WIDTH < (trivial_high - trivial_low) / size:
                solution.issues.append(Issue(WARNING, NARROWED, subject, group.label, label, low, high))
    return solution


def _run_groups(run: RunModel, questions: Mapping[int, QuestionModel], threshold: int, names: Names) -> list[_Group]:
    """Groups whose people with texts in the run are fewer than the threshold. People are counted per question (a
    person writes at most one text to each), so a group's people are at least its texts to any one question: the
    lower bound decides, which errs on the side of checking."""
    cells = {c for c, n in [*run.capacity.items(), *run.dropped.items()] if n > 0}
    return _groups(cells, lambda group: _people(run, questions, group), threshold, names)


def _people(run: RunModel, questions: Mapping[int, QuestionModel], cells: frozenset[Cell]) -> int:
    """At least this many people wrote the run's texts from `cells` (most texts to any one question)."""
    texts = run.texts or {q: questions[q].respondents for q in run.question_ids if q in questions}
    return max((sum(per_cell.get(c, 0) for c in cells) for per_cell in texts.values()), default=0)


def _signatures(domain: Domain) -> dict[Any, frozenset[int]]:
    """For each unit, the figures it is counted in: units with the same signature can swap answers unseen."""
    signature: dict[Any, set[int]] = {unit: set() for unit in domain.units}
    for index, (_f, units, _c, _lo, _hi) in enumerate(domain.figures):
        for unit in units:
            signature[unit].add(index)
    return {unit: frozenset(s) for unit, s in signature.items()}


def _classes(domain: Domain, units: frozenset, signature: Mapping[Any, frozenset[int]]) -> list[tuple[list, list]]:
    """Units grouped by the figures they are counted in: (inside the group, outside it) per class."""
    classes: dict[frozenset[int], tuple[list, list]] = defaultdict(lambda: ([], []))
    for unit in domain.units:
        classes[signature[unit]][0 if unit in units else 1].append(unit)
    return [(inside, outside) for inside, outside in classes.values() if inside and outside]


def _swap_reach(
    domain: Domain, units: frozenset, measure: Measure, signature: Mapping[Any, frozenset[int]]
) -> tuple[int, int]:
    """How far a count can be moved down and up by exchanging answers between the group and people outside it who
    are counted in exactly the same figures (every figure stays the same; every value between is reached too)."""
    x = domain.x0
    idx = domain.index
    n = domain.sizes
    category = OTHER if measure == TEXTS else measure
    up = down = 0.0

    def count(unit: Any) -> float:
        return x[idx[(unit, category)]]

    def slack(unit: Any) -> float:  # multiple choice: a choice may leave a cell with more choices than people
        return sum(x[idx[(unit, c)]] for c in domain.categories) - n[unit]

    for inside, outside in _classes(domain, units, signature):
        if domain.kind == "exact":
            up += min(sum(n[u] - count(u) for u in inside), sum(count(u) for u in outside))
            down += min(sum(count(u) for u in inside), sum(n[u] - count(u) for u in outside))
        else:
            up += min(sum(n[u] - count(u) for u in inside), sum(min(count(u), slack(u)) for u in outside))
            down += min(sum(min(count(u), slack(u)) for u in inside), sum(n[u] - count(u) for u in outside))
    return round(down), round(up)


def _sum_free_by_swaps(domain: Domain, units: frozenset, signature: Mapping[Any, frozenset[int]]) -> bool:
    """A scale sum that one exchange of answers (as in `_swap_reach`) moves by two, or up and down by one."""
    x = domain.x0
    idx = domain.index
    up = down = 0
    for inside, outside in _classes(domain, units, signature):
        present_in = [int(v) for v in domain.categories if any(x[idx[(u, v)]] > 0 for u in inside)]
        present_out = [int(v) for v in domain.categories if any(x[idx[(u, v)]] > 0 for u in outside)]
        if present_in and present_out:
            up = max(up, max(present_out) - min(present_in))
            down = max(down, max(present_in) - min(present_out))
    return up >= 2 or down >= 2 or (up >= 1 and down >= 1)


def _outer(domain: Domain, units: frozenset, measure: Measure, size: int) -> tuple[int, int]:
    """Bounds of a count from the published counts of groups containing the group: 0 ≤ count ≤ n, at most the
    containing group's count and at least what the rest of it cannot hold."""
    low, high = 0, size
    for figure, f_units, _coefs, f_low, f_high in domain.figures:
        same = figure.measure == measure or {figure.measure, measure} == {TEXTS, OTHER}
        if not same or not units <= f_units:
            continue
        rest = sum(domain.sizes.get(u, 0) for u in f_units) - size
        high = min(high, math.floor(f_high + EPS))
        low = max(low, math.ceil(f_low - EPS) - rest)
    return low, high


def _alike(domain: Domain, units: frozenset, measure: Measure, *, exact: bool) -> tuple[Figure, float, int] | None:
    """A published figure over a group containing `units` in which everyone answered alike (`exact`), or all but
    one alike: (figure, its value, its number of people). Number questions: a group mean at a bound."""
    candidates = []
    for figure, f_units, _coefs, _low, _high in domain.figures:
        if not units <= f_units:
            continue
        n = sum(domain.sizes.get(u, 0) for u in f_units)
        if domain.kind == "number":
            low, high = domain.bounds
            if any(bound is not None and abs(figure.value - bound * n) <= figure.tolerance + EPS
                   for bound in (low, high)):
                candidates.append((figure, figure.value, n))
            continue
        if figure.tolerance:
            continue
        if measure == SUM and domain.scale:
            if figure.measure in domain.categories and figure.value == n:
                candidates.append((figure, figure.value, n))
            continue
        same = figure.measure == measure or {figure.measure, measure} == {TEXTS, OTHER}
        if same and (figure.value in (0, n) or (not exact and figure.value in (1, n - 1))):
            candidates.append((figure, figure.value, n))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[2])


def _pinned_value(domain: Domain, units: frozenset, measure: Measure, alike: tuple[Figure, float, int]) -> float:
    figure, value, _n = alike
    size = sum(domain.sizes[u] for u in units)
    if measure == SUM and domain.scale:
        return int(figure.measure) * size
    return 0 if value == 0 else size


def _alike_issue(subject: str, group: _Group, label: str, value: float, alike: tuple[Figure, float, int],
                 domain: Domain, measure: Measure) -> Issue:
    figure, _figure_value, n = alike
    name = figure.group or "?"
    if domain.kind == "number":
        reason = _("Der Mittelwert der %(n)s Befragten in „%(group)s“ liegt an der Grenze des Erlaubten: alle "
                   "gaben denselben Wert an.", n=n, group=name)
    elif measure == SUM:
        reason = _("Alle %(n)s Befragten in „%(group)s“ wählten denselben Wert.", n=n, group=name)
    else:  # a count or a theme's members: the published group's value is 0 or all of it
        reason = _group_reason(alike)
    return Issue(WARNING, ALIKE, subject, group.label, label, value, value, reason=reason, block=name)


def _group_reason(alike: tuple[Figure, float, int]) -> str:
    """Why a value is pinned or narrowed: in the published group, none, all, one or all but one answered so."""
    figure, value, n = alike
    group = figure.group or "?"
    if isinstance(figure.measure, tuple):
        if value == 0:
            return _("Keiner der %(n)s Freitexte aus „%(group)s“ gehört zu diesem Thema.", n=n, group=group)
        if value == n:
            return _("Alle %(n)s Freitexte aus „%(group)s“ gehören zu diesem Thema.", n=n, group=group)
        if value == 1:
            return _("Nur einer der %(n)s Freitexte aus „%(group)s“ gehört zu diesem Thema.", n=n, group=group)
        return _("Alle bis auf einen der %(n)s Freitexte aus „%(group)s“ gehören zu diesem Thema.", n=n, group=group)
    if value == 0:
        return _("Niemand der %(n)s Befragten in „%(group)s“ wählte dies.", n=n, group=group)
    if value == n:
        return _("Alle %(n)s Befragten in „%(group)s“ wählten dies.", n=n, group=group)
    if value == 1:
        return _("Nur eine der %(n)s befragten Personen in „%(group)s“ wählte dies.", n=n, group=group)
    return _("Alle bis auf eine der %(n)s befragten Personen in „%(group)s“ wählten dies.", n=n, group=group)

