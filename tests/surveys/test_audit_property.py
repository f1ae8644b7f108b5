"""The audit on randomly generated rounds: whatever the districts, sizes, answers and themes, the figures the
disclosure layer publishes let the attacker pin nothing; and the solver's shortcuts agree with solving everything.

Rounds are built without a database: respondents per cell, planned with `privacy.group_cells` and
`privacy.common_blocks` exactly as the protected view does, and figures made the way the services make them (city,
cross-tab columns, district and centre views, free-text lists, theme sizes, district shares and the list of a
theme's answers). The database paths are covered by tests/surveys/test_audit.py.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participation.surveys.schemas import QuestionKind
from participation.surveys.services.audit import (
    FINDING,
    SUM,
    TEXTS,
    Figure,
    N,
    QuestionModel,
    RunModel,
    solve,
    theme_measure,
)
from participation.surveys.services.privacy import Cell, Grouping, common_blocks, group_cells

T = 5
SINGLE, SCALE, TEXT_A, TEXT_B = 1, 2, 3, 4
OPTIONS = ("kita", "tagespflege", "zuhause")
SCALE_VALUES = ("1", "2", "3", "4", "5")


@dataclass
class Round:
    questions: list[QuestionModel] = field(default_factory=list)
    runs: list[RunModel] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@st.composite
def rounds(draw, max_size: int = 40) -> Round:
    """2-6 districts of 0-max_size people, 0-2 centres each; answers drawn with a district's own leaning (so whole
    districts sometimes answer alike); free texts in 2-5 random themes."""
    districts = draw(st.integers(2, 6))
    sizes = [draw(st.integers(0, max_size)) for _ in range(districts)]
    centres = [draw(st.integers(0, 2)) for _ in range(districts)]
    themes = draw(st.integers(2, 5))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    people = []
    for d, (size, k) in enumerate(zip(sizes, centres, strict=True), 1):
        leaning = rng.random()
        favourite, liked = rng.choice(OPTIONS), rng.choice(SCALE_VALUES)
        for _ in range(size):
            cell: Cell = (d, rng.choice([None, *[10 * d + c for c in range(k)]]))
            people.append((
                cell,
                favourite if rng.random() < leaning else rng.choice(OPTIONS),
                (liked if rng.random() < leaning else rng.choice(SCALE_VALUES)) if rng.random() < 0.8 else None,
                rng.randrange(themes) if rng.random() < 0.7 else None,
                rng.randrange(themes) if rng.random() < 0.4 else None,
            ))
    return build_round(people, themes)


def build_round(people: list[tuple], themes: int) -> Round:
    r = Round()
    respondents: dict[int, Counter] = defaultdict(Counter)
    truth: dict[int, Counter] = defaultdict(Counter)
    for cell, single, scale, text_a, text_b in people:
        respondents[SINGLE][cell] += 1
        truth[SINGLE][(single, cell)] += 1
        if scale is not None:
            respondents[SCALE][cell] += 1
            truth[SCALE][(scale, cell)] += 1
        if text_a is not None:
            respondents[TEXT_A][cell] += 1
        if text_b is not None:
            respondents[TEXT_B][cell] += 1
    specs = [(SINGLE, "betreuung", QuestionKind.SINGLE, OPTIONS), (SCALE, "zufriedenheit", QuestionKind.SCALE,
             SCALE_VALUES), (TEXT_A, "wunsch", QuestionKind.LONG_TEXT, ()), (TEXT_B, "anregung",
                                                                              QuestionKind.SHORT_TEXT, ())]
    plans: dict[int, Grouping] = {}
    for qid, key, kind, values in specs:
        model = QuestionModel(qid, key, kind, values, dict(respondents[qid]), dict(truth[qid]))
        r.questions.append(model)
        plans[qid] = plan = group_cells(model.respondents, T)
        r.figures += question_figures(model, plan)
    # Run 1 clusters one question, run 2 a section of both (its blocks are unions of both questions' blocks).
    for run_id, questions in ((1, (TEXT_A,)), (2, (TEXT_A, TEXT_B))):
        members = [(cell, [text_a, text_b][i], qid) for cell, _s, _c, text_a, text_b in people
                   for i, qid in enumerate((TEXT_A, TEXT_B)) if qid in questions and [text_a, text_b][i] is not None]
        run, figures = theme_run(run_id, questions, members, plans, themes)
        r.runs.append(run)
        r.figures += figures
    return r


def question_figures(question: QuestionModel, plan: Grouping) -> list[Figure]:
    """What the pages show of a question: city over the shown cells, every block (cross-tab column, district view),
    every centre block (centre view), "other"/free texts per block; means rounded to 0.1."""
    if not plan.shown or not plan.blocks:
        return []
    figures = []
    groups = [(plan.shown_cells, "Stadt"), *[(b.cells, b.key) for b in plan.blocks],
              *[(b.cells, b.key) for parts in plan.centre_blocks.values() for b in parts]]
    for cells, name in groups:
        n = sum(question.respondents.get(c, 0) for c in cells)
        figures.append(Figure(question.id, N, cells, n, group=name))
        if question.kind.is_text:
            figures.append(Figure(question.id, TEXTS, cells, n, group=name))
            continue
        total = 0
        for value in question.values:
            count = sum(question.truth.get((value, c), 0) for c in cells)
            total += int(value) * count if question.kind is QuestionKind.SCALE else 0
            figures.append(Figure(question.id, value, cells, count, group=name))
        if question.kind is QuestionKind.SCALE and n:
            figures.append(Figure(question.id, SUM, cells, round(total / n, 1) * n, 0.05 * n, group=name))
    return figures


def theme_run(run_id: int, questions: tuple[int, ...], members: list[tuple], plans: dict[int, Grouping],
              themes: int) -> tuple[RunModel, list[Figure]]:
    """Members kept as `themes.protected_members` keeps them (only texts some figure of their question may show,
    grouped by `common_blocks`); sizes, shares per block and the list of every answer of a theme."""
    kept = [(cell, theme, qid) for cell, theme, qid in members if cell in plans[qid].shown_cells]
    plan = common_blocks([plans[q] for q in questions], Counter(cell for cell, _t, _q in kept), T)
    kept = [(cell, theme, qid) for cell, theme, qid in kept if plan.shown and cell not in plan.excluded]
    capacity = Counter(cell for cell, _t, _q in kept)
    texts: dict[int, Counter] = defaultdict(Counter)
    for cell, _t, qid in kept:
        texts[qid][cell] += 1
    run = RunModel(run_id, f"Auswertung {run_id}", questions, {t: f"Thema {t}" for t in range(themes)},
                   capacity=dict(capacity), truth=dict(Counter((t, cell, 0) for cell, t, _q in kept)),
                   texts={q: dict(c) for q, c in texts.items()})
    kept = [(cell, theme) for cell, theme, _q in kept]
    figures = []
    for theme in range(themes):
        measure = theme_measure(theme)
        size = sum(1 for _c, t in kept if t == theme)
        for block in plan.blocks:
            share = sum(1 for c, t in kept if t == theme and c in block.cells)
            figures.append(Figure(None, measure, block.cells, share, run_id=run_id, group=block.key))
        if plan.blocks:
            figures.append(Figure(None, measure, plan.shown_cells, size, run_id=run_id, group="Stadt"))
            figures.append(Figure(None, measure, frozenset(capacity), size, run_id=run_id, all_parts=True,
                                  group="alle Antworten"))
    return run, figures


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_the_published_figures_of_any_round_pin_no_protected_value(r: Round):
    solution = solve(r.questions, r.runs, r.figures, T)
    findings = [i for i in solution.issues if i.severity == FINDING]
    assert not findings, findings


def _verdicts(solution) -> set[tuple]:
    return {(i.severity, i.kind, i.subject, i.group, i.measure, i.low, i.high) for i in solution.issues}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds(max_size=12))
def test_the_shortcuts_give_the_same_verdicts_as_solving_every_program(r: Round):
    assert _verdicts(solve(r.questions, r.runs, r.figures, T)) == _verdicts(
        solve(r.questions, r.runs, r.figures, T, prune=False))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_without_the_residual_rule_the_audit_finds_the_district_left_out(r: Round):
    """The audit can fail: publish the single-choice city figure over every cell (as if answers of a group too small
    even combined were not left out), and the districts left out become computable."""
    question = r.questions[0]
    plan = group_cells(question.respondents, T)
    every = frozenset(question.respondents)
    n = sum(question.respondents.values())
    city = {value: sum(question.truth.get((value, c), 0) for c in every) for value in question.values}
    leaky = r.figures + [Figure(question.id, value, every, count, group="alle") for value, count in city.items()]
    findings = [i for i in solve(r.questions, r.runs, leaky, T).issues if i.severity == FINDING]
    if plan.shown and plan.excluded and any(0 < count < n for count in city.values()):
        # Not everyone in the city answered alike, so some count of the left-out group is pinned outright.
        assert findings, plan.excluded
    elif not plan.excluded:
        assert not findings
