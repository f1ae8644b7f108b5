"""The audit's integer programs: what the attacker knows of one question or theme run, as variables and rows.

**Inputs.** A `Figure` is one published number: a measure (an option's count, a sum, free texts, a theme's members)
summed over a set of cells, ± the tolerance its rounding leaves. A `QuestionModel` or `RunModel` holds what the
attacker may assume of a question or a theme run, together with the true counts, which are a feasible point of the
program and let the audit check every figure against the data.

**Model.** Per question (each its own small integer program, since no figure adds up answers of two questions):
integer variables x[cell, option] ≥ 0; the attacker is assumed to KNOW the number of respondents n[cell] of every
cell (conservative: DESIGN says a group's number of respondents alone is not sensitive). Single choice, yes/no and
scale: Σ_options x = n[cell]; multiple choice: each x ≤ n[cell] and Σ x ≥ n[cell]; a scale's sum is Σ value·x.
Number questions: a continuous sum per cell within n·minimum … n·maximum where the question has bounds; here the
attacker is given the exact sums (means unrounded), which is stricter than what is published. Theme runs are a
program of their own: members y[cell, theme] ≥ 0 with Σ_themes y ≤ the cell's texts in the run (known to the
attacker: what is clustered follows from the respondents); answers that no share counts (runs clustered before texts
of groups too small were left out) are a second part of the cell, seen only in the office's list of a theme's answers.

`Domain` holds one such program's variables and rows, `Program` solves it with HiGHS (`scipy.optimize.linprog`,
confirmed with `scipy.optimize.milp` where the interval is narrow). What is protected and what counts as a finding
is decided in `solver`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

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

#: Below this, a difference is rounding of the solver.
EPS = 1e-6
_SLACK = "_none"
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


# --- the programs --------------------------------------------------------------------------------------------------

class Domain:
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


class Program:
    """The rows of a domain as matrices, solved for the least and largest value of objectives."""

    def __init__(self, domain: Domain) -> None:
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
        integral = bool(np.all(np.abs(result.x - np.round(result.x)) < EPS))
        return sense * result.fun, integral

    def integer_range(self, objective: Mapping[int, float]) -> tuple[int, int]:
        """The least and largest integer value: the LP relaxation, confirmed by `milp` where it is narrow (at most
        two integers) and the LP optimum is not an integer point. A `milp` that runs out of time keeps the LP's
        (wider or equal) bound."""
        low, low_integral = self.lp(objective, 1)
        high, high_integral = self.lp(objective, -1)
        low_int, high_int = math.ceil(low - EPS), math.floor(high + EPS)
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


def question_domain(question: QuestionModel) -> Domain:
    """The program of a question: its answer values per cell, summed as its kind says."""
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
    return Domain(question.key, domain_kind, question.respondents, categories, truth,
                   scale=kind is QuestionKind.SCALE, bounds=(question.minimum, question.maximum))


def run_domain(run: RunModel) -> Domain:
    """The program of a theme run: members per theme in each (cell, part), the rest in a slack category."""
    sizes: dict[tuple[Cell, int], int] = {}
    for cell, n in run.capacity.items():
        sizes[(cell, 0)] = n
    for cell, n in run.dropped.items():
        sizes[(cell, 1)] = n
    truth = {((cell, part), theme_measure(theme)): count for (theme, cell, part), count in run.truth.items()}
    categories = [theme_measure(t) for t in run.themes] + [_SLACK]
    return Domain(run.label, "exact", sizes, categories, truth, cell_of=lambda unit: unit[0])


def figure_units(domain: Domain, figure: Figure) -> frozenset:
    """The units a figure counts: its cells, and for a theme run the parts it covers."""
    if figure.run_id is None:
        return frozenset(figure.cells)
    parts = (0, 1) if figure.all_parts else (0,)
    return frozenset((cell, part) for cell in figure.cells for part in parts)

