"""What is deleted when, and the daily job that deletes it.

- Free-text answers of a round: N months (setting FREE_TEXT_RETENTION_MONTHS, default 24) after the round's outcomes
  were first published (its first minutes version). The text is removed, the answer row stays, so every theme
  keeps its count (its assignments) while no words of a parent remain; the themes' example quotes are cleared.
- Invitation codes of a survey: once the survey has closed.
- Finished jobs (with their results): `JOB_RESULT_DAYS` after they finished.
- Unconfirmed notification addresses: `NOTIFICATION_PENDING_DAYS` (default 7) after they were left (confirmed ones go
  when their outcome mail has been sent, see participation.notifications).
- Paper forms kept for a second entry (`PaperDraft`): once their survey has closed, or `PAPER_DRAFT_DAYS` days
  after they were typed.

Every function takes `now`, so tests drive the clock.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from participation import jobs
from participation.dialogues.tables import MinutesVersion, Round
from participation.legal.services import JOB_RESULT_DAYS
from participation.notifications.services import subscriptions
from participation.settings import Settings
from participation.surveys.services.counts import forget_counts
from participation.surveys.services.paper_entry import PAPER_DRAFT_DAYS
from participation.surveys.tables import AnalysisRun, Answer, InvitationCode, PaperDraft, Survey, Theme

log = logging.getLogger(__name__)

RETENTION_JOB = "retention"
DEFAULT_FREE_TEXT_MONTHS = 24
DEFAULT_PENDING_DAYS = 7


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus whole calendar months (31 January + 1 month is 28/29 February)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class PlannedDeletion:
    """One thing the retention job will delete (or has due): what, of which round or survey, how many, from when."""

    kind: str  # "free_text" | "codes" | "jobs" | "notifications"
    subject: str
    count: int
    due: datetime

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


async def _outcomes_published() -> dict[int, datetime]:
    """Each round's first publication of its outcomes (minutes)."""
    first: dict[int, datetime] = {}
    for row in await MinutesVersion.select(MinutesVersion.round, MinutesVersion.published_at):
        if row["round"] not in first or row["published_at"] < first[row["round"]]:
            first[row["round"]] = row["published_at"]
    return first


async def _free_text_counts() -> dict[int, int]:
    """Stored free texts (text questions and "other" fields) per round."""
    rows = await Answer.select(Answer.question.survey.round.as_alias("round"), Answer.id).where(
        Answer.text.is_not_null())
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["round"]] = counts.get(row["round"], 0) + 1
    return counts


async def retention_schedule(now: datetime, free_text_months: int = DEFAULT_FREE_TEXT_MONTHS,
                             pending_days: int = DEFAULT_PENDING_DAYS) -> list[PlannedDeletion]:
    """Everything still stored that retention will delete, with the moment it becomes due, soonest first.

    Rounds whose outcomes are not published yet have no date: their free texts are kept until then.
    """
    planned: list[PlannedDeletion] = []
    published = await _outcomes_published()
    titles = {r["id"]: r["title"] for r in await Round.select(Round.id, Round.title)}
    for round_id, count in sorted((await _free_text_counts()).items()):
        if count and round_id in published:
            planned.append(PlannedDeletion("free_text", titles.get(round_id, ""), count,
                                           add_months(published[round_id], free_text_months)))
    codes = await InvitationCode.select(InvitationCode.survey, InvitationCode.id)
    per_survey: dict[int, int] = {}
    for row in codes:
        per_survey[row["survey"]] = per_survey.get(row["survey"], 0) + 1
    if per_survey:
        surveys = await Survey.select(Survey.id, Survey.closes_at, Survey.round.title.as_alias("title")).where(
            Survey.id.is_in(list(per_survey)))
        for survey in surveys:
            if survey["closes_at"] is not None:
                planned.append(PlannedDeletion("codes", survey["title"], per_survey[survey["id"]], survey["closes_at"]))
    finished = await jobs.Job.select(jobs.Job.finished_at).where(jobs.Job.finished_at.is_not_null())
    by_day: dict[date, int] = {}
    for row in finished:
        due_day = (row["finished_at"] + timedelta(days=JOB_RESULT_DAYS)).date()
        by_day[due_day] = by_day.get(due_day, 0) + 1
    for due_day, count in by_day.items():
        due = datetime.combine(due_day, datetime.min.time(), tzinfo=now.tzinfo)
        planned.append(PlannedDeletion("jobs", "", count, due))
    for pending in await subscriptions.stale_pending(now, pending_days):
        planned.append(PlannedDeletion("notifications", pending["subject"], pending["count"], pending["due"]))
    planned.sort(key=lambda p: (p.due, p.kind, p.subject))
    return planned


async def apply_retention(now: datetime, free_text_months: int = DEFAULT_FREE_TEXT_MONTHS,
                          pending_days: int = DEFAULT_PENDING_DAYS) -> dict[str, int]:
    """Delete what is due at `now`; returns (and logs) how much of each kind was deleted."""
    deleted = {"free_texts": 0, "invitation_codes": 0, "jobs": 0, "notifications": 0, "paper_drafts": 0}
    due_rounds = [round_id for round_id, at in (await _outcomes_published()).items()
                  if add_months(at, free_text_months) <= now]
    if due_rounds:
        texts = await Answer.select(Answer.id).where(
            Answer.text.is_not_null() & Answer.question.survey.round.is_in(due_rounds))
        ids = [row["id"] for row in texts]
        if ids:
            async with Answer._meta.db.transaction():
                await Answer.update({Answer.text: None}).where(Answer.id.is_in(ids))
                # A text answer without its text says nothing: only its theme's count is kept (its assignment).
                run_ids = [r["id"] for r in await AnalysisRun.select(AnalysisRun.id).where(
                    AnalysisRun.survey.round.is_in(due_rounds))]
                if run_ids:
                    await Theme.update({Theme.example_answers: []}).where(Theme.run.is_in(run_ids))
            # The kept counts hold the "Sonstiges" texts too: count those surveys afresh without them.
            for survey in await Survey.select(Survey.id).where(Survey.round.is_in(due_rounds)):
                await forget_counts(survey["id"])
            deleted["free_texts"] = len(ids)
    closed = [row["id"] for row in await Survey.select(Survey.id).where(
        Survey.closes_at.is_not_null() & (Survey.closes_at <= now))]
    if closed:
        codes = await InvitationCode.delete().where(InvitationCode.survey.is_in(closed)).returning(InvitationCode.id)
        deleted["invitation_codes"] = len(codes)
    old_jobs = await jobs.Job.delete().where(
        jobs.Job.finished_at.is_not_null() & (jobs.Job.finished_at <= now - timedelta(days=JOB_RESULT_DAYS))
        & jobs.Job.status.is_in([jobs.JobStatus.DONE.value, jobs.JobStatus.FAILED.value])
    ).returning(jobs.Job.id)
    deleted["jobs"] = len(old_jobs)
    deleted["notifications"] = await subscriptions.delete_stale_pending(now, pending_days)
    stale = PaperDraft.created_on <= (now - timedelta(days=PAPER_DRAFT_DAYS)).date()
    if closed:
        stale |= PaperDraft.survey.is_in(closed)
    drafts = await PaperDraft.delete().where(stale).returning(PaperDraft.id)
    deleted["paper_drafts"] = len(drafts)
    log.info("Retention at %s: deleted %s free-text answers (rounds %s), %s invitation codes, %s finished jobs, "
             "%s unconfirmed notification addresses, %s paper forms waiting for a second entry", now.isoformat(),
             deleted["free_texts"], due_rounds, deleted["invitation_codes"], deleted["jobs"], deleted["notifications"],
             deleted["paper_drafts"])
    return deleted


def _daily_params(settings: Settings | None) -> dict:
    months = settings.free_text_retention_months if settings else DEFAULT_FREE_TEXT_MONTHS
    days = settings.notification_pending_days if settings else DEFAULT_PENDING_DAYS
    return {"free_text_months": months, "pending_days": days, "audience": jobs.OFFICE}


@jobs.handler(RETENTION_JOB)
async def _run_retention(params: dict, progress: jobs.Progress) -> dict:
    """The daily job: delete what is due now."""
    return {"deleted": await apply_retention(
        datetime.now(UTC), int(params.get("free_text_months") or DEFAULT_FREE_TEXT_MONTHS),
        int(params.get("pending_days") or DEFAULT_PENDING_DAYS))}


jobs.daily(RETENTION_JOB, _daily_params)


async def last_retention_runs(limit: int = 5) -> list[jobs.JobView]:
    """The latest retention jobs (their results say what they deleted)."""
    rows = await jobs.Job.select(jobs.Job.id).where(jobs.Job.kind == RETENTION_JOB).order_by(
        jobs.Job.id, ascending=False).limit(limit)
    return [job for row in rows if (job := await jobs.get_job(row["id"])) is not None]
