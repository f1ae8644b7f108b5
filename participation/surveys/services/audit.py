"""The privacy audit: plays the attacker against everything one role can see of a round (DESIGN.md, "Privacy and
trust"). `participation audit ROUND_ID` and the office's page "Datenschutzprüfung" show its report.

**Collect.** For a role (office, centre staff of one centre, the public), `audit_round` calls the same service
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

**Model.** Per question (each its own small integer program, since no figure adds up answers of two questions):
integer variables x[cell, option] ≥ 0; the attacker is assumed to KNOW the number of respondents n[cell] of every
cell (conservative: DESIGN says a group's number of respondents alone is not sensitive). Single choice, yes/no and
scale: Σ_options x = n[cell]; multiple choice: each x ≤ n[cell] and Σ x ≥ n[cell]; a scale's sum is Σ value·x.
Number questions: a continuous sum per cell within n·minimum … n·maximum where the question has bounds; here the
attacker is given the exact sums (means unrounded), which is stricter than what is published. Theme runs are a
program of their own: members y[cell, theme] ≥ 0 with Σ_themes y ≤ the cell's texts in the run (known to the
attacker: what is clustered follows from the respondents); answers that no share counts (runs clustered before texts
of groups too small were left out) are a second part of the cell, seen only in the office's list of a theme's answers.
A group is small for a run by the people behind its texts, at least its texts to any one of the run's questions.

**Protected values.** For every group that is small for a question (0 < n < threshold: a district, a centre within a
district, "no centre named" of a district, and all small districts together), and every measure some figure touches:
its option counts, its scale or number sum, its "other" texts, its theme memberships. With HiGHS (`scipy.optimize.
linprog`) the audit finds the least and largest value the published figures allow; where that interval holds at most
two integers and the LP optimum is not an integer point it is confirmed with `scipy.optimize.milp`. Cheap steps skip
most programs, each exact (tests compare them with solving everything): a value whose group lies in a published
group where everyone answered alike is pinned without solving; exchanging answers with people counted in exactly the
same figures reaches every value from the truth down and up by so much, which settles the interval where it reaches
the bounds that containing figures give, and shows the value free where it moves by two.

**Verdict.**
* *Finding* (the audit fails, exit code 1): a protected value pinned to one value by the figures, or a figure that
  describes fewer than `threshold` people, or a figure that does not match the data.
* *Warning, alike* — a value pinned because everyone in a published group (of at least `threshold` people) answered
  alike: "nobody in 'weitere Stadtteile: Hoheneck, Poppenweiler' chose 'Sprachkurs'" tells of every small district in
  it. This is how group figures work (k-anonymity does not prevent it) and DESIGN's rules do not forbid it, so it is a
  warning, listed with the published group and reason, for the office to judge before publishing minutes.
* *Warning, narrowed* — a protected value narrowed to two neighbouring values (and narrower than the a-priori range
  0 … n), with the reason where a published group answered alike or all but one alike.

**Information loss.** The share of (district, question) pairs with at least `threshold` respondents that are shown
as a block of their own, the same for centres within districts, and the share of answers left out of every figure.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

from participation.i18n import current_language, ngettext
from participation.i18n import gettext as _
from participation.surveys.schemas import OTHER, QuestionKind
from participation.surveys.services.privacy import Cell

#: Measures besides option values: respondents (never protected), a sum (scale: Σ value × count; number: Σ values),
#: free texts listed (choice questions: the "other" texts; text questions: one per respondent).
N = "n"
SUM = "sum"
TEXTS = "texts"
THEME = "theme"
Measure = str | tuple[str, int]

FINDING = "finding"
WARNING = "warning"
#: Kinds of issue.
PINNED = "pinned"
ALIKE = "alike"
NARROWED = "narrowed"
SMALL_FIGURE = "small_figure"
MISMATCH = "mismatch"

_EPS = 1e-6
_SLACK = "_none"
#: A number question's group mean known to within this is treated as pinned (published precision).
NUMBER_PIN_WIDTH = 0.1
#: ... and to within this as narrowed.
NUMBER_NARROW_WIDTH = 1.0
MILP_SECONDS = 5.0

Progress = Callable[[int, int], None]


def theme_measure(theme_id: int) -> tuple[str, int]:
    return (THEME, theme_id)


# --- inputs of the solver ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """One published number: `measure` summed over `cells` of a question (or of a theme run), ± `tolerance`.

    `all_parts` (theme runs only): the figure counts also the answers no other figure counts (cells too small for
    their question), as the office's list of a theme's answers does. `group` names the published group and `source`
    the page or document it was seen on, for the report.
    """

    question_id: int | None
    measure: Measure
    cells: frozenset[Cell]
    value: float
    tolerance: float = 0.0
    run_id: int | None = None
    all_parts: bool = False
    group: str = ""
    source: str = ""
    #: From a frozen document (a published minutes version): when it no longer matches the data it is noted and
    #: left out, instead of failing the audit.
    frozen: bool = False

    @property
    def domain(self) -> tuple[str, int | None]:
        return ("run", self.run_id) if self.run_id is not None else ("question", self.question_id)

    def key(self) -> tuple:
        return (self.domain, self.measure, self.cells, round(self.value, 6), round(self.tolerance, 6),
                self.all_parts)


@dataclass(frozen=True)
class QuestionModel:
    """What the solver knows of a question: its kind, answer values, respondents per cell and the true counts.

    `truth` maps (value, cell) to the true count (choice questions) or (SUM, cell) to the true sum (number
    questions); it is a feasible point of the program and lets the audit check every figure against the data.
    """

    id: int
    key: str
    kind: QuestionKind
    values: tuple[str, ...] = ()
    respondents: Mapping[Cell, int] = field(default_factory=dict)
    truth: Mapping[tuple[str, Cell], float] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunModel:
    """A theme run: its themes, texts per cell that its figures may count (`capacity`) and those they never count
    (`dropped`: answers of cells too small for their question), and the true members per (theme, cell, part)."""

    id: int
    label: str
    question_ids: tuple[int, ...]
    themes: Mapping[int, str]
    capacity: Mapping[Cell, int]
    dropped: Mapping[Cell, int] = field(default_factory=dict)
    #: (theme id, cell, part) -> members; part 0 counted by figures, 1 dropped.
    truth: Mapping[tuple[int, Cell, int], int] = field(default_factory=dict)
    #: Texts in the run per question and cell (both parts), to tell which groups are small; default: the
    #: questions' respondents.
    texts: Mapping[int, Mapping[Cell, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Names:
    """Names of districts and centres for the report."""

    districts: Mapping[int, str] = field(default_factory=dict)
    centres: Mapping[int, str] = field(default_factory=dict)

    def district(self, district_id: int) -> str:
        return self.districts.get(district_id) or _("Stadtteil %(id)s", id=district_id)

    def cell(self, cell: Cell) -> str:
        district = self.district(cell[0])
        if cell[1] is None:
            return _("%(district)s, ohne Angabe eines Zentrums", district=district)
        return self.centres.get(cell[1]) or _("Zentrum %(id)s", id=cell[1])


# --- results of the solver -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Issue:
    """Something the audit found: a pinned or narrowed protected value, a small or mismatching figure."""

    severity: str
    kind: str
    subject: str
    group: str
    measure: str
    low: float | None = None
    high: float | None = None
    reason: str | None = None
    #: The published group that explains an "alike" pin (for grouping in the report).
    block: str | None = None


@dataclass
class Solution:
    figures: int = 0
    protected: int = 0
    untouched: int = 0
    lps: int = 0
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Group:
    label: str
    cells: frozenset[Cell]


# --- the solver ----------------------------------------------------------------------------------------------------

class _Domain:
    """The integer program of one question or theme run: variables per (unit, category) and the known rows.

    A unit is a cell (questions) or a (cell, part) pair (theme runs). Rows are (coefficients, low, high).
    """

    def __init__(self, subject: str, kind: str, sizes: Mapping[Any, int], categories: Sequence[Any],
                 truth: Mapping[tuple[Any, Any], float], *, scale: bool = False, bounds: tuple | None = None,
                 cell_of: Callable[[Any], Cell] = lambda unit: unit) -> None:
        self.subject = subject
        self.kind = kind  # "exact", "atleast", "number", "none"
        self.scale = scale
        self.bounds = bounds or (None, None)
        self.cell_of = cell_of
        self.sizes = {unit: n for unit, n in sizes.items() if n > 0}
        self.units = sorted(self.sizes, key=repr)
        self.categories = list(categories) if self.kind != "none" else []
        self.index: dict[tuple[Any, Any], int] = {}
        for unit in self.units:
            for category in self.categories:
                self.index[(unit, category)] = len(self.index)
        size = len(self.index)
        self.x0 = np.zeros(size)
        self.lb = np.zeros(size)
        self.ub = np.zeros(size)
        for (unit, category), i in self.index.items():
            n = self.sizes[unit]
            if self.kind == "number":
                low, high = bounds or (None, None)
                self.lb[i] = -np.inf if low is None else n * low
                self.ub[i] = np.inf if high is None else n * high
            else:
                self.ub[i] = n
            self.x0[i] = truth.get((unit, category), 0.0)
        if self.kind == "exact" and _SLACK in self.categories:
            for unit in self.units:
                used = sum(self.x0[self.index[(unit, c)]] for c in self.categories if c != _SLACK)
                self.x0[self.index[(unit, _SLACK)]] = self.sizes[unit] - used
        self.integral = self.kind != "number"
        self.cell_rows: list[tuple[dict[int, float], float, float]] = []
        for unit in self.units:
            coefs = {self.index[(unit, c)]: 1.0 for c in self.categories}
            if self.kind == "exact":
                self.cell_rows.append((coefs, self.sizes[unit], self.sizes[unit]))
            elif self.kind == "atleast":
                self.cell_rows.append((coefs, self.sizes[unit], np.inf))
        self.figures: list[tuple[Figure, frozenset, dict[int, float], float, float]] = []

    # coefficients of a measure over units
    def terms(self, measure: Measure, unit: Any) -> list[tuple[int, float]] | None:
        if self.kind == "none":
            return None
        if self.kind == "number":
            return [(self.index[(unit, SUM)], 1.0)] if measure == SUM else None
        if measure == SUM:
            if not self.scale:
                return None
            return [(self.index[(unit, v)], float(int(v))) for v in self.categories]
        if measure == TEXTS:
            measure = OTHER
        if measure in self.categories and measure != _SLACK:
            return [(self.index[(unit, measure)], 1.0)]
        return None

    def modelled(self, measure: Measure) -> bool:
        """Whether a measure is unknown to the attacker here (else it is a known count, such as respondents)."""
        if self.kind == "none":
            return False
        if self.kind == "number":
            return measure == SUM
        if measure == SUM:
            return self.scale
        if measure == TEXTS:
            return OTHER in self.categories
        return measure in self.categories and measure != _SLACK

    def coefficients(self, measure: Measure, units: Iterable[Any]) -> dict[int, float] | None:
        """The measure summed over `units` as coefficients of the variables; None when it is not modelled."""
        if not self.modelled(measure):
            return None
        coefs: dict[int, float] = defaultdict(float)
        for unit in units:
            if unit in self.sizes:
                for i, coef in self.terms(measure, unit) or ():
                    coefs[i] += coef
        return dict(coefs)

    def value(self, coefs: Mapping[int, float]) -> float:
        return float(sum(self.x0[i] * c for i, c in coefs.items()))

    def protected_measures(self) -> list[Measure]:
        if self.kind == "number":
            return [SUM]
        if self.kind in ("exact", "atleast"):
            measures: list[Measure] = [c for c in self.categories if c != _SLACK]
            return [*measures, SUM] if self.scale else measures
        return []

    def trivial(self, measure: Measure, size: int) -> tuple[float, float]:
        """The range a value has before anything is published (per group of `size` people)."""
        if self.kind == "number":
            low, high = self.bounds
            return (-np.inf if low is None else low * size, np.inf if high is None else high * size)
        if measure == SUM and self.scale:
            return (1.0 * size, 5.0 * size)
        return (0.0, float(size))


def _row_matrix(rows: Sequence[tuple[Mapping[int, float], float, float]], size: int) -> csr_matrix:
    data, cols, indptr = [], [], [0]
    for coefs, _low, _high in rows:
        for i, c in coefs.items():
            cols.append(i)
            data.append(c)
        indptr.append(len(cols))
    return csr_matrix((data, cols, indptr), shape=(len(rows), size))


class _Program:
    """The rows of a domain as matrices, solved for the least and largest value of objectives."""

    def __init__(self, domain: _Domain) -> None:
        self.domain = domain
        rows = domain.cell_rows + [(coefs, low, high) for _f, _u, coefs, low, high in domain.figures]
        size = len(domain.index)
        eq = [r for r in rows if r[1] == r[2]]
        ranged = [r for r in rows if r[1] != r[2]]
        self.a_eq = _row_matrix(eq, size) if eq else None
        self.b_eq = np.array([r[1] for r in eq]) if eq else None
        ub_rows = [(c, lo, hi) for c, lo, hi in ranged if hi < np.inf]
        lb_rows = [(c, lo, hi) for c, lo, hi in ranged if lo > -np.inf]
        self.a_ub = _row_matrix(ub_rows + [({i: -v for i, v in c.items()}, 0, 0) for c, _lo, _hi in lb_rows], size) \
            if ub_rows or lb_rows else None
        self.b_ub = np.array([hi for _c, _lo, hi in ub_rows] + [-lo for _c, lo, _hi in lb_rows]) \
            if ub_rows or lb_rows else None
        self.all_rows = rows
        self.bounds = list(zip(domain.lb, domain.ub, strict=True))
        self.size = size
        self.solved = 0

    def lp(self, objective: Mapping[int, float], sense: int) -> tuple[float, bool]:
        """The least (sense 1) or largest (-1) value of the objective, and whether the optimum found is integral."""
        c = np.zeros(self.size)
        for i, v in objective.items():
            c[i] = sense * v
        self.solved += 1
        result = linprog(c, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds,
                         method="highs")
        if result.status == 3:
            return sense * -np.inf, False
        if result.status != 0:
            raise RuntimeError(f"LP failed for {self.domain.subject}: {result.message}")
        integral = bool(np.all(np.abs(result.x - np.round(result.x)) < _EPS))
        return sense * result.fun, integral

    def integer_range(self, objective: Mapping[int, float]) -> tuple[int, int]:
        """The least and largest integer value: the LP relaxation, confirmed by `milp` where it is narrow (at most
        two integers) and the LP optimum is not an integer point. A `milp` that runs out of time keeps the LP's
        (wider or equal) bound."""
        low, low_integral = self.lp(objective, 1)
        high, high_integral = self.lp(objective, -1)
        low_int, high_int = math.ceil(low - _EPS), math.floor(high + _EPS)
        if high_int - low_int <= 1:
            if not low_integral:
                exact = self.ilp(objective, 1)
                low_int = round(exact) if exact is not None else low_int
            if not high_integral:
                exact = self.ilp(objective, -1)
                high_int = round(exact) if exact is not None else high_int
        return low_int, high_int

    def ilp(self, objective: Mapping[int, float], sense: int) -> float | None:
        c = np.zeros(self.size)
        for i, v in objective.items():
            c[i] = sense * v
        self.solved += 1
        matrix = _row_matrix(self.all_rows, self.size)
        low = np.array([r[1] for r in self.all_rows])
        high = np.array([r[2] for r in self.all_rows])
        constraints = [LinearConstraint(matrix, low, high)] if self.all_rows else []
        result = milp(c, constraints=constraints, bounds=Bounds(self.domain.lb, self.domain.ub),
                      integrality=np.ones(self.size), options={"time_limit": MILP_SECONDS})
        if result.status != 0 or result.fun is None:
            return None
        return sense * result.fun


def _question_domain(question: QuestionModel) -> _Domain:
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.YESNO, QuestionKind.SCALE):
        domain_kind = "exact"
    elif kind is QuestionKind.MULTIPLE:
        domain_kind = "atleast"
    elif kind is QuestionKind.NUMBER:
        domain_kind = "number"
    else:
        domain_kind = "none"
    categories = [SUM] if domain_kind == "number" else list(question.values)
    truth = {(cell, value): count for (value, cell), count in question.truth.items()}
    return _Domain(question.key, domain_kind, question.respondents, categories, truth,
                   scale=kind is QuestionKind.SCALE, bounds=(question.minimum, question.maximum))


def _run_domain(run: RunModel) -> _Domain:
    sizes: dict[tuple[Cell, int], int] = {}
    for cell, n in run.capacity.items():
        sizes[(cell, 0)] = n
    for cell, n in run.dropped.items():
        sizes[(cell, 1)] = n
    truth = {((cell, part), theme_measure(theme)): count for (theme, cell, part), count in run.truth.items()}
    categories = [theme_measure(t) for t in run.themes] + [_SLACK]
    return _Domain(run.label, "exact", sizes, categories, truth, cell_of=lambda unit: unit[0])


def _figure_units(domain: _Domain, figure: Figure) -> frozenset:
    if figure.run_id is None:
        return frozenset(figure.cells)
    parts = (0, 1) if figure.all_parts else (0,)
    return frozenset((cell, part) for cell in figure.cells for part in parts)


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
    domains: dict[tuple[str, int | None], _Domain] = {}
    for q in questions:
        domains[("question", q.id)] = _question_domain(q)
    for r in runs:
        domains[("run", r.id)] = _run_domain(r)

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
        units = _figure_units(domain, figure) & frozenset(domain.sizes)
        coefs = domain.coefficients(figure.measure, units) if units else None
        question = by_question.get(figure.question_id) if figure.run_id is None else None
        run = by_run.get(figure.run_id) if figure.run_id is not None else None
        subject = question.key if question else (run.label if run else domain.subject)
        if coefs is None:
            continue  # respondents, or texts of a text question: known counts, nothing protected
        true = domain.value(coefs)
        if check_truth and abs(true - figure.value) > figure.tolerance + _EPS:
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

    tasks: list[tuple[_Domain, _Group, Measure, QuestionModel | None, RunModel | None]] = []
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

    programs: dict[int, _Program] = {}
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
            program = programs[id(domain)] = _Program(domain)
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
                    reason=_near_reason(near, domain) if near else None))
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


def _signatures(domain: _Domain) -> dict[Any, frozenset[int]]:
    """For each unit, the figures it is counted in: units with the same signature can swap answers unseen."""
    signature: dict[Any, set[int]] = {unit: set() for unit in domain.units}
    for index, (_f, units, _c, _lo, _hi) in enumerate(domain.figures):
        for unit in units:
            signature[unit].add(index)
    return {unit: frozenset(s) for unit, s in signature.items()}


def _classes(domain: _Domain, units: frozenset, signature: Mapping[Any, frozenset[int]]) -> list[tuple[list, list]]:
    """Units grouped by the figures they are counted in: (inside the group, outside it) per class."""
    classes: dict[frozenset[int], tuple[list, list]] = defaultdict(lambda: ([], []))
    for unit in domain.units:
        classes[signature[unit]][0 if unit in units else 1].append(unit)
    return [(inside, outside) for inside, outside in classes.values() if inside and outside]


def _swap_reach(
    domain: _Domain, units: frozenset, measure: Measure, signature: Mapping[Any, frozenset[int]]
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


def _sum_free_by_swaps(domain: _Domain, units: frozenset, signature: Mapping[Any, frozenset[int]]) -> bool:
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


def _outer(domain: _Domain, units: frozenset, measure: Measure, size: int) -> tuple[int, int]:
    """Bounds of a count from the published counts of groups containing the group: 0 ≤ count ≤ n, at most the
    containing group's count and at least what the rest of it cannot hold."""
    low, high = 0, size
    for figure, f_units, _coefs, f_low, f_high in domain.figures:
        same = figure.measure == measure or {figure.measure, measure} == {TEXTS, OTHER}
        if not same or not units <= f_units:
            continue
        rest = sum(domain.sizes.get(u, 0) for u in f_units) - size
        high = min(high, math.floor(f_high + _EPS))
        low = max(low, math.ceil(f_low - _EPS) - rest)
    return low, high


def _alike(domain: _Domain, units: frozenset, measure: Measure, *, exact: bool) -> tuple[Figure, float, int] | None:
    """A published figure over a group containing `units` in which everyone answered alike (`exact`), or all but
    one alike: (figure, its value, its number of people). Number questions: a group mean at a bound."""
    candidates = []
    for figure, f_units, _coefs, _low, _high in domain.figures:
        if not units <= f_units:
            continue
        n = sum(domain.sizes.get(u, 0) for u in f_units)
        if domain.kind == "number":
            low, high = domain.bounds
            if any(bound is not None and abs(figure.value - bound * n) <= figure.tolerance + _EPS
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


def _pinned_value(domain: _Domain, units: frozenset, measure: Measure, alike: tuple[Figure, float, int]) -> float:
    figure, value, _n = alike
    size = sum(domain.sizes[u] for u in units)
    if measure == SUM and domain.scale:
        return int(figure.measure) * size
    return 0 if value == 0 else size


def _alike_issue(subject: str, group: _Group, label: str, value: float, alike: tuple[Figure, float, int],
                 domain: _Domain, measure: Measure) -> Issue:
    figure, figure_value, n = alike
    name = figure.group or "?"
    if isinstance(measure, tuple):
        reason = _("Keiner der %(n)s Freitexte aus „%(group)s“ gehört zu diesem Thema.", n=n, group=name) \
            if figure_value == 0 else _("Alle %(n)s Freitexte aus „%(group)s“ gehören zu diesem Thema.", n=n,
                                        group=name)
    elif domain.kind == "number":
        reason = _("Der Mittelwert der %(n)s Befragten in „%(group)s“ liegt an der Grenze des Erlaubten: alle "
                   "gaben denselben Wert an.", n=n, group=name)
    elif measure == SUM:
        reason = _("Alle %(n)s Befragten in „%(group)s“ wählten denselben Wert.", n=n, group=name)
    elif figure_value == 0:
        reason = _("Niemand der %(n)s Befragten in „%(group)s“ wählte dies.", n=n, group=name)
    else:
        reason = _("Alle %(n)s Befragten in „%(group)s“ wählten dies.", n=n, group=name)
    return Issue(WARNING, ALIKE, subject, group.label, label, value, value, reason=reason, block=name)


def _near_reason(alike: tuple[Figure, float, int], domain: _Domain) -> str:
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


# --- collecting what a role sees -----------------------------------------------------------------------------------

OFFICE = "office"
CENTRE = "centre"
PUBLIC = "public"


class AuditError(ValueError):
    """The audit cannot run as asked (unknown round, role or centre); `str(error)` is the German message."""


@dataclass(frozen=True)
class Role:
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


@dataclass
class InformationLoss:
    """How much the disclosure control hides: (group, question) pairs with enough answers that are shown as a block
    of their own, and answers left out of every figure."""

    district_pairs: int = 0
    district_pairs_shown: int = 0
    centre_pairs: int = 0
    centre_pairs_shown: int = 0
    answers: int = 0
    answers_left_out: int = 0

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def district_share(self) -> float | None:
        return self.share(self.district_pairs_shown, self.district_pairs)

    @property
    def centre_share(self) -> float | None:
        return self.share(self.centre_pairs_shown, self.centre_pairs)

    @property
    def left_out_share(self) -> float | None:
        return self.share(self.answers_left_out, self.answers)


@dataclass
class AuditReport:
    round_id: int
    round_title: str
    survey_id: int | None
    role: str
    role_label: str
    threshold: int
    closed: bool = False
    #: Numbers collected (with repetitions across pages) and distinct ones used in the programs.
    figures_seen: int = 0
    figures: int = 0
    protected: int = 0
    untouched: int = 0
    lps: int = 0
    seconds: float = 0.0
    #: Of which solving the programs (the rest is collecting what the role sees).
    solve_seconds: float = 0.0
    findings: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    loss: InformationLoss = field(default_factory=InformationLoss)
    #: Where the numbers come from, for the report: (source, count).
    sources: list[tuple[str, int]] = field(default_factory=list)
    #: The question text of each question key (the issues name questions by key).
    subjects: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def alike(self) -> list[Issue]:
        return [w for w in self.warnings if w.kind == ALIKE]

    @property
    def narrowed(self) -> list[Issue]:
        return [w for w in self.warnings if w.kind != ALIKE]

    def alike_by_block(self) -> list[tuple[str, str, str, list[str]]]:
        """Alike warnings grouped: (question, published group, measure and reason, small groups in it)."""
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for issue in self.alike:
            key = (issue.subject, issue.block or "?", f"{issue.measure}: {issue.reason}")
            if issue.group not in grouped.setdefault(key, []):
                grouped[key].append(issue.group)
        return [(subject, block, what, groups) for (subject, block, what), groups in grouped.items()]

    def narrowed_grouped(self) -> list[tuple[str, str, str, list[str]]]:
        """Narrowed warnings grouped: (question, measure, interval and reason, small groups)."""
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for issue in self.narrowed:
            what = interval_text(issue) + (f" – {issue.reason}" if issue.reason else "")
            key = (issue.subject, issue.measure, what)
            if issue.group not in grouped.setdefault(key, []):
                grouped[key].append(issue.group)
        return [(subject, measure, what, groups) for (subject, measure, what), groups in grouped.items()]


def information_loss(view: Any) -> InformationLoss:
    """Information loss of a protected survey view (`results.ProtectedSurvey`)."""
    from participation.surveys.services.privacy import CENTRE as CENTRE_BLOCK

    loss = InformationLoss()
    threshold = view.threshold
    for question in view.survey.questions:
        respondents = view.respondents.get(question.id, {})
        grouping = view.groupings[question.id]
        by_district: dict[int, int] = defaultdict(int)
        for cell, n in respondents.items():
            by_district[cell[0]] += n
        for district_id, n in by_district.items():
            if n >= threshold:
                loss.district_pairs += 1
                loss.district_pairs_shown += grouping.own_block(district_id) is not None
        for cell, n in respondents.items():
            if n >= threshold:
                loss.centre_pairs += 1
                loss.centre_pairs_shown += any(
                    b.kind == CENTRE_BLOCK and b.cells == frozenset([cell])
                    for b in grouping.centre_blocks.get(cell[0], ()))
        loss.answers += grouping.total
        loss.answers_left_out += grouping.excluded_count
    return loss


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
    def export(self, data: Any, source: str) -> None:
        city = _("Alle ausgewiesenen Stadtteile")
        grouped: dict[tuple[str, str], list[Any]] = {}
        for row in data.rows:
            if row.question_key:
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

    async def centre_summary(self, snapshot: dict | None, district_id: int, source: str) -> None:
        """A centre summary: its district's figures and each agenda theme's size and share of the district."""
        from participation.surveys.services import themes as theme_service

        if not snapshot:
            return
        for section in snapshot.get("sections", []):
            for figure in section.get("figures", []):
                question = self.by_key.get(figure.get("key"))
                if question is None:
                    continue
                block = self.view.groupings[question.id].block_of_district(district_id)
                if block is not None:
                    self.snapshot_figure(figure, block.cells, self.view.label(block), source, frozen=False)
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
            district_id, _("Zusammenfassung des Zentrums"))
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


async def audit_round(round_id: int, role: Role | str = OFFICE, *, threshold: int,
                      progress: Progress | None = None, prune: bool = True) -> AuditReport:
    """The audit of one round for one role (see the module's description). Raises `AuditError` for an unknown
    round, role or centre."""
    from participation.dialogues.services.rounds import get_round

    started = time.perf_counter()
    role = parse_role(role) if isinstance(role, str) else role
    round_ = await get_round(round_id)
    if round_ is None:
        raise AuditError(_("Diese Runde gibt es nicht."))
    report = AuditReport(round_id=round_id, round_title=round_.title, survey_id=round_.survey_id, role=role.code,
                         role_label=await role_label(role), threshold=threshold)
    collected = await collect(round_id, role, threshold)
    if collected is None:
        report.notes.append(_("Diese Runde hat keine Umfrage: es gibt nichts zu prüfen."))
        report.seconds = time.perf_counter() - started
        return report
    view, collector = collected
    report.closed = view.closed
    if not view.closed:
        report.notes.append(_("Die Umfrage läuft noch: es werden keine Zahlen je Gruppe gezeigt."))
    labels: dict[int, dict[str, str]] = {}
    from participation.surveys.services.results import survey_results

    city = await survey_results(view.survey.id, threshold=threshold, view=view)
    for question in city.questions if city is not None else []:
        labels[question.id] = {o.value: o.label for o in question.options}
    models = [question_model(view, q, labels.get(q.id)) for q in view.survey.questions]
    # The programs are solved in a thread, so the page's server keeps answering meanwhile.
    solving = time.perf_counter()
    solution = await asyncio.to_thread(
        solve, models, list(collector.runs.values()), collector.figures, threshold,
        names=Names(view.district_names, view.centre_names), progress=progress, prune=prune)
    report.solve_seconds = time.perf_counter() - solving
    report.figures_seen = len(collector.figures)
    report.figures = solution.figures
    report.protected = solution.protected
    report.untouched = solution.untouched
    report.lps = solution.lps
    report.findings = [i for i in solution.issues if i.severity == FINDING]
    report.warnings = [i for i in solution.issues if i.severity == WARNING]
    report.notes += collector.notes + solution.notes
    report.loss = information_loss(view)
    report.sources = sorted(collector.sources.items(), key=lambda item: -item[1])
    report.subjects = {q.key: q.text(current_language()) for q in view.survey.questions}
    report.seconds = time.perf_counter() - started
    return report


# --- the report as text (the command line) -------------------------------------------------------------------------

def percent_text(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.1f} %".replace(".", ",")


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".replace(".", ",")


def interval_text(issue: Issue) -> str:
    if issue.low == issue.high:
        return _number(issue.low)
    return _("%(low)s bis %(high)s", low=_number(issue.low), high=_number(issue.high))


def report_text(report: AuditReport, *, verbose: bool = False, limit: int = 20) -> str:
    """The report for the command line (German)."""
    lines = [
        _("Datenschutzprüfung: Runde %(round)s, Rolle %(role)s (%(code)s), Schwelle %(t)s",
          round=report.round_title, role=report.role_label, code=report.role, t=report.threshold),
        _("Zahlen gesammelt: %(seen)s (verschieden: %(figures)s); geschützte Werte geprüft: %(protected)s (davon "
          "%(untouched)s von keiner Zahl berührt); Programme gelöst: %(lps)s; Zeit: %(seconds)s s (davon Lösen: "
          "%(solving)s s)",
          seen=report.figures_seen, figures=report.figures, protected=report.protected,
          untouched=report.untouched, lps=report.lps, seconds=f"{report.seconds:.2f}".replace(".", ","),
          solving=f"{report.solve_seconds:.2f}".replace(".", ",")),
    ]
    loss = report.loss
    lines.append(_(
        "Informationsverlust: %(d)s der Paare (Stadtteil, Frage) mit mindestens %(t)s Antworten werden als eigene "
        "Gruppe gezeigt (%(ds)s von %(dn)s); Zentren: %(c)s (%(cs)s von %(cn)s); ausgelassene Antworten: %(l)s "
        "(%(ls)s von %(ln)s)", d=percent_text(loss.district_share), t=report.threshold, ds=loss.district_pairs_shown,
        dn=loss.district_pairs, c=percent_text(loss.centre_share), cs=loss.centre_pairs_shown, cn=loss.centre_pairs,
        l=percent_text(loss.left_out_share), ls=loss.answers_left_out, ln=loss.answers))
    if verbose and report.sources:
        lines.append(_("Quellen:"))
        lines += [f"  {source}: {count}" for source, count in report.sources]
    for note in report.notes:
        lines.append(_("Hinweis: %(note)s", note=note))
    if report.findings:
        lines.append(_("BEFUNDE (%(n)s) – geschützte Werte, die sich errechnen lassen:", n=len(report.findings)))
        for issue in report.findings:
            lines.append(f"  ✗ {issue.subject} · {issue.group} · {issue.measure}: {interval_text(issue)}"
                         + (f" – {issue.reason}" if issue.reason else ""))
    else:
        lines.append(_("Befunde: keine."))
    narrowed = report.narrowed_grouped()
    if narrowed:
        lines.append(ngettext(
            "Warnungen (%(num)s Wert) – auf zwei benachbarte Werte eingeengt:",
            "Warnungen (%(num)s Werte) – auf zwei benachbarte Werte eingeengt:", len(report.narrowed),
            num=len(report.narrowed)))
        for subject, measure, what, groups in narrowed if verbose else narrowed[:limit]:
            lines.append(f"  ! {subject} · {measure}: {what} → {', '.join(groups)}")
        if not verbose and len(narrowed) > limit:
            lines.append(_("  … und %(n)s weitere (--verbose zeigt alle)", n=len(narrowed) - limit))
    grouped = report.alike_by_block()
    if grouped:
        lines.append(ngettext(
            "Warnungen (%(num)s Wert) – festgelegt, weil alle in einer gezeigten Gruppe gleich antworteten:",
            "Warnungen (%(num)s Werte) – festgelegt, weil alle in einer gezeigten Gruppe gleich antworteten:",
            len(report.alike), num=len(report.alike)))
        for subject, block, what, groups in grouped if verbose else grouped[:limit]:
            lines.append(f"  ~ {subject} · {block} · {what} → {', '.join(groups)}")
        if not verbose and len(grouped) > limit:
            lines.append(_("  … und %(n)s weitere (--verbose zeigt alle)", n=len(grouped) - limit))
    lines.append(_("Ergebnis: bestanden.") if report.passed else _("Ergebnis: NICHT bestanden."))
    return "\n".join(lines)
