"""`participation audit`: the attacker's solver finds nothing on real rounds, finds leaks when figures leak, and is
shown to the office as the page "Datenschutzprüfung"."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from participation import jobs
from participation.dialogues.services import agenda, publishing
from participation.dialogues.tables import Topic
from participation.surveys.schemas import QuestionKind
from participation.surveys.services import audit, themes
from participation.surveys.services.audit import (
    ALIKE,
    FINDING,
    MISMATCH,
    NARROWED,
    PINNED,
    SMALL_FIGURE,
    SUM,
    Figure,
    Names,
    QuestionModel,
    RunModel,
    audit_round,
    solve,
    theme_measure,
)
from participation.surveys.services.privacy import group_cells
from participation.surveys.services.results import load_protected
from tests.factories import sign_in, text_of
from tests.surveys.test_disclosure_attacks import THREE, WITH_RESIDUAL, build

T = 5


# --- the pure solver: it can fail ----------------------------------------------------------------------------------

def single(respondents: dict, truth: dict, values=("a", "b"), key="q") -> QuestionModel:
    return QuestionModel(1, key, QuestionKind.SINGLE, tuple(values), respondents, truth)


def counts(question: QuestionModel, cells, group: str, *, source="Seite") -> list[Figure]:
    """Respondents and every option count of `cells`, as a results page shows them."""
    cells = frozenset(cells)
    n = sum(question.respondents.get(c, 0) for c in cells)
    return [Figure(question.id, "n", cells, n, group=group, source=source)] + [
        Figure(question.id, value, cells, sum(question.truth.get((value, c), 0) for c in cells), group=group,
               source=source) for value in question.values]


THREE_CELLS = {(1, None): 19, (2, None): 21, (3, None): 4}
THREE_TRUTH = {("a", (1, None)): 10, ("b", (1, None)): 9, ("a", (2, None)): 5, ("b", (2, None)): 16,
               ("a", (3, None)): 3, ("b", (3, None)): 1}
NAMES = Names({1: "Eglosheim", 2: "Oßweil", 3: "Hoheneck"}, {10: "KiFaZ Eglosheim", 11: "KiFaZ West"})


def test_a_city_figure_over_every_cell_next_to_every_other_district_pins_the_small_one():
    q = single(THREE_CELLS, THREE_TRUTH)
    leaky = counts(q, THREE_CELLS, "Stadt") + counts(q, [(1, None)], "Eglosheim") + counts(q, [(2, None)], "Oßweil")
    solution = solve([q], [], leaky, T, names=NAMES)
    pinned = {(i.group, i.measure, i.low) for i in solution.issues if i.severity == FINDING and i.kind == PINNED}
    assert pinned == {("Hoheneck", "Anzahl „a“", 3), ("Hoheneck", "Anzahl „b“", 1)}
    # Without the shortcuts every program is solved, with the same verdict.
    assert {(i.kind, i.group, i.measure, i.low, i.high) for i in solve([q], [], leaky, T, names=NAMES,
                                                                       prune=False).issues} == \
        {(i.kind, i.group, i.measure, i.low, i.high) for i in solution.issues}


def test_the_published_plan_of_the_same_round_leaves_the_small_district_free():
    q = single(THREE_CELLS, THREE_TRUTH)
    plan = group_cells(THREE_CELLS, T)  # Hoheneck's 4 are left out of every figure
    figures = counts(q, plan.shown_cells, "Stadt")
    for block in plan.blocks:
        figures += counts(q, block.cells, block.key)
    solution = solve([q], [], figures, T, names=NAMES)
    assert solution.issues == [] and solution.untouched == solution.protected == 2


def test_a_centre_figure_next_to_its_district_pins_the_rest_of_the_district():
    cells = {(1, 10): 12, (1, 11): 5, (1, None): 2, (2, None): 9}
    truth = {("a", (1, 10)): 6, ("b", (1, 10)): 6, ("a", (1, 11)): 2, ("b", (1, 11)): 3, ("a", (1, None)): 1,
             ("b", (1, None)): 1, ("a", (2, None)): 4, ("b", (2, None)): 5}
    q = single(cells, truth)
    district = [(1, 10), (1, 11), (1, None)]
    leaky = counts(q, district, "Eglosheim") + counts(q, [(1, 10)], "KiFaZ Eglosheim") + counts(
        q, [(1, 11)], "KiFaZ West")
    found = [i for i in solve([q], [], leaky, T, names=NAMES).issues if i.kind == PINNED]
    assert {i.group for i in found} == {"Eglosheim, ohne Angabe eines Zentrums"}
    # The plan merges the 2 with the smaller centre instead: nothing can be pinned.
    plan = group_cells(cells, T)
    safe = counts(q, plan.shown_cells, "Stadt")
    for block in [*plan.blocks, *plan.centre_blocks[1]]:
        safe += counts(q, block.cells, block.key)
    assert not [i for i in solve([q], [], safe, T, names=NAMES).issues if i.severity == FINDING]


def test_a_figure_over_a_small_group_and_a_figure_that_does_not_add_up_are_findings():
    q = single(THREE_CELLS, THREE_TRUTH)
    small = counts(q, [(3, None)], "Hoheneck")
    kinds = {i.kind for i in solve([q], [], small, T, names=NAMES).issues if i.severity == FINDING}
    assert SMALL_FIGURE in kinds and PINNED in kinds
    wrong = [Figure(1, "a", frozenset([(1, None), (2, None)]), 14, group="Stadt", source="Export")]
    issues = solve([q], [], wrong, T, names=NAMES).issues
    assert [(i.kind, i.low, i.high) for i in issues] == [(MISMATCH, 14, 15)]
    frozen = [Figure(1, "a", frozenset([(1, None), (2, None)]), 14, group="Stadt", source="Protokoll", frozen=True)]
    solution = solve([q], [], frozen, T, names=NAMES)
    assert solution.issues == [] and "passt nicht mehr" in solution.notes[0]


def test_everyone_alike_in_a_published_group_is_a_warning_with_its_reason_and_nearly_alike_narrows():
    cells = {(1, None): 3, (2, None): 4, (3, None): 12}
    truth = {("a", (1, None)): 3, ("a", (2, None)): 3, ("b", (2, None)): 1, ("a", (3, None)): 6,
             ("b", (3, None)): 6}
    q = single(cells, truth)
    figures = counts(q, [(1, None), (2, None)], "weitere Stadtteile") + counts(q, [(3, None)], "Oststadt")
    issues = solve([q], [], figures, T, names=NAMES).issues
    assert not [i for i in issues if i.severity == FINDING]
    # 6 of 7 chose "a": each small district has all or all but one "a".
    narrowed = {(i.group, i.measure, i.low, i.high) for i in issues if i.kind == NARROWED}
    assert ("Eglosheim", "Anzahl „a“", 2, 3) in narrowed and ("Oßweil", "Anzahl „b“", 0, 1) in narrowed
    assert all("Alle bis auf eine" in i.reason or "Nur eine" in i.reason for i in issues if i.kind == NARROWED)
    everyone = single(cells, {**truth, ("a", (2, None)): 4, ("b", (2, None)): 0})
    figures = counts(everyone, [(1, None), (2, None)], "weitere Stadtteile")
    alike = [i for i in solve([everyone], [], figures, T, names=NAMES).issues if i.kind == ALIKE]
    assert alike and all(i.severity != FINDING for i in alike)
    assert {(i.group, i.measure, i.low) for i in alike} >= {("Eglosheim", "Anzahl „a“", 3),
                                                           ("Eglosheim", "Anzahl „b“", 0)}
    assert "Alle 7 Befragten in „weitere Stadtteile“ wählten dies." in {i.reason for i in alike}


def test_scale_means_and_number_means_are_sums_the_attacker_can_subtract():
    cells = {(1, None): 10, (2, None): 3}
    scale = QuestionModel(2, "zufriedenheit", QuestionKind.SCALE, ("1", "2", "3", "4", "5"), cells,
                          {("1", (1, None)): 5, ("5", (1, None)): 5, ("2", (2, None)): 2, ("4", (2, None)): 1})
    both = frozenset(cells)
    # City mean over both districts and Eglosheim's mean, rounded to 0.1: Oßweil's sum (8) is still pinned, since
    # sums of scale values are whole numbers.
    figures = [Figure(2, SUM, both, round(38 / 13, 1) * 13, 0.05 * 13, group="Stadt"),
               Figure(2, SUM, frozenset([(1, None)]), 30.0, 0.5, group="Eglosheim")]
    pinned = [i for i in solve([scale], [], figures, T, names=NAMES).issues if i.kind == PINNED]
    assert [(i.group, i.low) for i in pinned] == [("Oßweil", 8)]
    number = QuestionModel(3, "stunden", QuestionKind.NUMBER, (), cells, {(SUM, (1, None)): 250.0,
                                                                           (SUM, (2, None)): 61.5},
                           minimum=0, maximum=60)
    figures = [Figure(3, SUM, both, 311.5, 0.05 * 13, group="Stadt"),
               Figure(3, SUM, frozenset([(1, None)]), 250.0, 0.5, group="Eglosheim")]
    found = [i for i in solve([number], [], figures, T, names=NAMES).issues if i.severity == FINDING]
    assert [(i.kind, i.group) for i in found] == [(PINNED, "Oßweil")]
    assert not solve([number], [], figures[:1], T, names=NAMES).issues


def test_a_list_of_every_answer_of_a_theme_pins_the_answers_no_share_counts():
    # A run clustered before texts of small groups were left out: Hoheneck's 4 texts are in the themes.
    run = RunModel(7, "Themen", (4,), {1: "Kita", 2: "Spielplatz"}, capacity={(1, None): 15, (2, None): 16},
                   dropped={(3, None): 4},
                   truth={(1, (1, None), 0): 9, (2, (1, None), 0): 6, (1, (2, None), 0): 8, (2, (2, None), 0): 8,
                          (1, (3, None), 1): 3, (2, (3, None), 1): 1})
    text = QuestionModel(4, "wunsch", QuestionKind.LONG_TEXT, (), THREE_CELLS)
    shares = [Figure(None, theme_measure(t), frozenset([cell]), run.truth[(t, cell, 0)], run_id=7, group=name)
              for t in (1, 2) for cell, name in (((1, None), "Eglosheim"), ((2, None), "Oßweil"))]
    assert not [i for i in solve([text], [run], shares, T, names=NAMES).issues if i.severity == FINDING]
    listing = [Figure(None, theme_measure(t), frozenset(THREE_CELLS), total, run_id=7, all_parts=True,
                      group="alle Antworten") for t, total in ((1, 20), (2, 15))]
    found = [i for i in solve([text], [run], shares + listing, T, names=NAMES).issues if i.severity == FINDING]
    assert {(i.group, i.measure, i.low) for i in found} == {("Hoheneck", "Antworten im Thema „Kita“", 3),
                                                           ("Hoheneck", "Antworten im Thema „Spielplatz“", 1)}


# --- real rounds through the pages' code paths ---------------------------------------------------------------------

async def with_minutes_and_themes(r) -> int:
    """A theme run on the wish question (its largest theme on the agenda), the topic on the agenda, minutes
    published publicly, and a centre with answers of its own. Returns the run id."""
    view = await load_protected(r.survey, T)
    question = next(q for q in view.survey.questions if q.key == "wunsch")
    run_id, _job = await themes.start_run(r.survey, question_id=question.id, threshold=T)
    await jobs.run_until_idle()
    run = await themes.get_run(run_id, threshold=T)
    top = next(t for t in run.themes if not t.is_sonstiges)
    await themes.accept_suggestion(run_id, top.id)  # only a confirmed name goes onto an agenda
    await themes.set_agenda_candidate(run_id, top.id, True)
    topic = await Topic.select(Topic.id).where(Topic.round == r.round_id).first()
    await agenda.add_topic_item(r.round_id, topic["id"])
    await agenda.add_theme_item(r.round_id, top.id)
    await publishing.publish_minutes(r.round_id, public=True, threshold=T)
    return run_id


@pytest.mark.parametrize("sizes", [THREE, WITH_RESIDUAL], ids=["three", "with_residual"])
async def test_the_audit_passes_for_every_role_on_the_round_where_three_districts_answer(make, sizes):
    r = await build(make, sizes, close=False)
    for i in range(8):  # some parents of Eglosheim name their centre: a centre breakdown with a small rest
        await make.response(r.survey, r.eglosheim, {"betreuung": "kita", "zufriedenheit": str(1 + i % 5),
                                                    "wunsch": f"Mehr Plätze in der Kita ({i})"},
                            centre=r.centre_eglosheim)
    await make.close(r.survey)
    await with_minutes_and_themes(r)
    reports = {}
    for role in ("office", "public", f"centre:{r.centre_eglosheim}", f"centre:{r.centre_hoheneck}"):
        report = await audit_round(r.round_id, role, threshold=T)
        reports[role] = report
        assert report.passed, [*report.findings, *report.notes]
        assert not [note for note in report.notes if "zuordnen" in note or "passt nicht" in note]
    office = reports["office"]
    assert office.figures > reports["public"].figures > 0 and office.protected > 0
    assert {source for source, _n in office.sources} >= {
        "Ergebnisse (alle Stadtteile)", "Ergebnisse eines Stadtteils", "Ergebnisse eines Zentrums",
        "Freitextantworten", "Export der Ergebnistabellen", "Themen einer Auswertung", "Protokoll (Entwurf)",
        "Protokoll, Version 1", "Entwicklung über die Runden"}
    assert {source for source, _n in reports[f"centre:{r.centre_eglosheim}"].sources} >= {
        "Ergebnisse des Stadtteils", "Ergebnisse des Zentrums", "Freitextantworten des Stadtteils",
        "Zusammenfassung des Zentrums", "Protokoll, Version 1"}
    loss = office.loss
    assert loss.district_share == 1.0
    if sizes is THREE:
        assert loss.answers_left_out > 0  # Hoheneck's answers are in no figure
    text = audit.report_text(office)
    assert "Befunde: keine." in text and "Ergebnis: bestanden." in text and "Informationsverlust" in text


async def test_an_open_survey_has_nothing_to_attack_and_a_round_without_survey_says_so(make):
    r = await build(make, THREE, close=False)
    report = await audit_round(r.round_id, "office", threshold=T)
    assert report.passed and not report.closed and report.protected == 0
    assert any("läuft noch" in note for note in report.notes)
    empty = await make.round("autumn", 2027)
    report = await audit_round(empty, "public", threshold=T)
    assert report.passed and report.survey_id is None and "keine Umfrage" in report.notes[0]
    with pytest.raises(audit.AuditError):
        await audit_round(empty, "centre:999", threshold=T)
    with pytest.raises(audit.AuditError):
        await audit_round(999, "office", threshold=T)
    with pytest.raises(audit.AuditError):
        audit.parse_role("mayor")


async def test_the_audit_passes_on_the_demo_round_for_every_role(db):
    from participation.demo import CENTRE_USER, load_demo
    from participation.dialogues.tables import Round
    from participation.directory.services import list_centres

    await load_demo()
    autumn = await Round.select(Round.id).where(Round.year == 2026).first()
    centre = next(c.id for c in await list_centres() if c.name == CENTRE_USER[3])
    started = time.perf_counter()
    office = await audit_round(autumn["id"], "office", threshold=T)
    seconds = time.perf_counter() - started
    print(f"\n{audit.report_text(office).splitlines()[1]}")
    assert office.passed, office.findings
    assert office.figures > 1000 and office.protected > 100 and seconds < 20
    for role in ("public", f"centre:{centre}"):
        report = await audit_round(autumn["id"], role, threshold=T)
        assert report.passed, report.findings


# --- the command line and the page ---------------------------------------------------------------------------------

def _report(**values) -> audit.AuditReport:
    return audit.AuditReport(round_id=1, round_title="Herbst 2026", survey_id=1, role="office",
                             role_label="Stadtverwaltung", threshold=T, **values)


def test_the_command_prints_the_report_and_fails_on_a_finding(monkeypatch, db):
    finding = audit.Issue(FINDING, PINNED, "betreuung", "Hoheneck", "Anzahl „Kita“", 3, 3, reason="genau")

    async def found(*args, **kwargs):
        return _report(findings=[finding])

    async def clean(*args, **kwargs):
        return _report()

    from participation.cli import cli

    monkeypatch.setattr(audit, "audit_round", found)
    result = CliRunner().invoke(cli, ["audit", "1", "--role", "public"])
    assert result.exit_code == 1
    assert "betreuung · Hoheneck · Anzahl „Kita“: 3" in result.output and "Result: NOT passed." in result.output
    monkeypatch.setattr(audit, "audit_round", clean)
    result = CliRunner().invoke(cli, ["audit", "1"])
    assert result.exit_code == 0 and "Result: passed." in result.output and "Ergebnis" not in result.output


def test_the_command_refuses_an_unknown_round_or_role(db):
    from participation.cli import cli

    result = CliRunner().invoke(cli, ["audit", "4711"])
    assert result.exit_code == 1 and "This round does not exist." in result.output
    result = CliRunner().invoke(cli, ["audit", "4711", "--role", "mayor"])
    assert result.exit_code == 1 and "Unknown role" in result.output


async def test_the_office_reads_the_report_as_a_page_and_centre_staff_may_not(client, make):
    r = await build(make, THREE)
    await make.office_user()
    await make.centre_user("zentrum@example.org", centre=r.centre_eglosheim)
    await sign_in(client, "buero@example.org")
    response = await client.get(f"/verwaltung/runden/{r.round_id}/datenschutz")
    assert response.status_code == 200
    page = text_of(response.text)
    assert "Datenschutzprüfung" in page and "Bestanden." in page and "Informationsverlust" in page
    assert "Ergebnis für: Stadtverwaltung" in page
    response = await client.get(f"/verwaltung/runden/{r.round_id}/datenschutz",
                                params={"rolle": f"centre:{r.centre_hoheneck}"})
    assert response.status_code == 200 and "Mitarbeitende von KiFaZ Hoheneck" in text_of(response.text)
    assert (await client.get(f"/verwaltung/runden/{r.round_id}/datenschutz?rolle=mayor")).status_code == 400
    assert (await client.get("/verwaltung/runden/4711/datenschutz")).status_code == 404
    client.cookies.clear()
    await sign_in(client, "zentrum@example.org")
    assert (await client.get(f"/verwaltung/runden/{r.round_id}/datenschutz")).status_code == 403
