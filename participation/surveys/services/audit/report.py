"""The audit's report: one round audited for one role (`audit_round`), its findings and warnings, the information
loss, and the report as text for the command line (`report_text`; the page renders `AuditReport` itself).

**Information loss.** The share of (district, question) pairs with at least `threshold` respondents that are shown
as a block of their own, the same for centres within districts, and the share of answers left out of every figure.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from participation.i18n import current_language, ngettext
from participation.i18n import gettext as _
from participation.surveys.services.audit.channels import channel_audit
from participation.surveys.services.audit.collect import (
    OFFICE,
    AuditError,
    Role,
    collect,
    parse_role,
    question_model,
    role_label,
)
from participation.surveys.services.audit.model import ALIKE, FINDING, WARNING, Issue, Names, Progress
from participation.surveys.services.audit.solver import solve
from participation.surveys.services.privacy import CENTRE as CENTRE_BLOCK


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


async def audit_round(round_id: int, role: Role | str = OFFICE, *, threshold: int,
                      progress: Progress | None = None, prune: bool = True) -> AuditReport:
    """The audit of one round for one role (see the package's description). Raises `AuditError` for an unknown
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
    by_channel = await channel_audit(view, role, threshold, labels)
    if by_channel is not None:
        # The figures by channel, with those of all responses they can be subtracted from (see `audit.channels`).
        channel_models, channel_figures, channel_names, channel_sources = by_channel
        solving = time.perf_counter()
        channels = await asyncio.to_thread(solve, channel_models, [], channel_figures, threshold,
                                           names=channel_names, prune=prune)
        report.solve_seconds += time.perf_counter() - solving
        report.figures_seen += len(channel_figures)
        report.figures += channels.figures
        report.protected += channels.protected
        report.untouched += channels.untouched
        report.lps += channels.lps
        report.findings += [i for i in channels.issues if i.severity == FINDING]
        report.warnings += [i for i in channels.issues if i.severity == WARNING]
        report.notes += [_("Zahlen nach Eingangsweg (online, Papier) wurden zusammen mit den Zahlen aller "
                           "Antworten geprüft."), *channels.notes]
        for source, n in channel_sources.items():
            collector.sources[source] = collector.sources.get(source, 0) + n
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
