"""Retention, driven by an injected clock: the daily job deletes what is due and nothing else, once a day."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from participation import jobs
from participation.dialogues.tables import MinutesVersion
from participation.retention import services
from participation.retention.services import RETENTION_JOB, add_months, apply_retention, retention_schedule
from participation.surveys.services.codes import generate_codes
from participation.surveys.tables import AnalysisRun, Answer, InvitationCode, Question, Response, Theme, ThemeAssignment
from tests.factories import sign_in, text_of

PUBLISHED = datetime(2027, 5, 10, 9, 0, tzinfo=UTC)
QUESTIONS = [
    {"key": "wuensche", "kind": "multiple", "text": "Welche Angebote?", "allow_other": True,
     "options": [("sprachkurs", "Sprachkurs"), ("elterncafe", "Elterncafé")]},
    {"key": "zufriedenheit", "kind": "scale", "text": "Wie zufrieden?", "low_label": "gar nicht", "high_label": "sehr"},
    {"key": "anregung", "kind": "long_text", "text": "Was möchten Sie sagen?"},
]


@pytest.fixture
async def rounds(make):
    """Round A: closed, outcomes published on PUBLISHED, codes, texts, a theme. Round B: open, nothing published."""
    district = await make.district()
    centre = await make.centre(district=district)
    round_a, round_b = await make.round("spring", 2027), await make.round("autumn", 2027)
    survey_a = await make.survey(QUESTIONS, round_id=round_a)
    survey_b = await make.survey(QUESTIONS, round_id=round_b)
    for survey, word in ((survey_a, "Alt"), (survey_b, "Neu")):
        for n in range(3):
            await make.response(survey, district, {
                "wuensche": ["sprachkurs", "other"], "wuensche_other": f"{word}kurs {n}", "zufriedenheit": "4",
                "anregung": f"{word}: mehr Kitaplätze {n}",
            })
        await generate_codes(survey, centre, 4)
    await make.close(survey_a)
    await MinutesVersion.insert(MinutesVersion(round=round_a, number=1, content_hash="a" * 64, snapshot={},
                                               public=True, published_at=PUBLISHED))
    question = await Question.select(Question.id).where(
        (Question.key == "anregung") & (Question.survey == survey_a)).first()
    run = (await AnalysisRun.insert(AnalysisRun(survey=survey_a, question=question["id"], status="done"))
           .returning(AnalysisRun.id))[0]["id"]
    answers = await Answer.select(Answer.id).where(Answer.question == question["id"])
    theme = (await Theme.insert(Theme(run=run, number=0, label="Kitaplätze",
                                      example_answers=[a["id"] for a in answers])).returning(Theme.id))[0]["id"]
    for answer in answers:
        await ThemeAssignment.insert(ThemeAssignment(run=run, answer=answer["id"], theme=theme))
    return {"a": survey_a, "b": survey_b, "theme": theme}


async def _texts(survey_id: int) -> list[str]:
    rows = await Answer.select(Answer.text).where(Answer.question.survey == survey_id)
    return sorted(row["text"] for row in rows if row["text"] is not None)


async def _everything_but_texts() -> list[tuple]:
    rows = await Answer.select(Answer.id, Answer.response, Answer.question, Answer.choice, Answer.number)
    return sorted(tuple(row.values()) for row in rows)


async def test_free_texts_stay_until_the_retention_period_after_publication_ends(rounds):
    before = await _everything_but_texts()
    kept = await apply_retention(add_months(PUBLISHED, 24) - timedelta(seconds=1), 24)
    assert kept["free_texts"] == 0
    assert len(await _texts(rounds["a"])) == 6
    deleted = await apply_retention(add_months(PUBLISHED, 24), 24)
    assert deleted["free_texts"] == 6
    assert await _texts(rounds["a"]) == []
    # Round B's outcomes are not published: its texts are kept, however late it is.
    assert len(await _texts(rounds["b"])) == 6
    # Nothing but the words went: every answer row, choice and number is still there, as is every response.
    assert await _everything_but_texts() == before
    assert await Response.count() == 6
    # The theme keeps its count (its assignments) and loses its quotes.
    assert await ThemeAssignment.count().where(ThemeAssignment.theme == rounds["theme"]) == 3
    theme = await Theme.select(Theme.example_answers).where(Theme.id == rounds["theme"]).first()
    assert theme["example_answers"] in ([], "[]")


async def test_the_period_is_the_setting(rounds):
    assert (await apply_retention(add_months(PUBLISHED, 6), 6))["free_texts"] == 6


async def test_invitation_codes_go_when_their_survey_has_closed_and_not_before(rounds):
    now = datetime.now(UTC)
    deleted = await apply_retention(now, 24)
    assert deleted["invitation_codes"] == 4
    assert await InvitationCode.count().where(InvitationCode.survey == rounds["a"]) == 0
    assert await InvitationCode.count().where(InvitationCode.survey == rounds["b"]) == 4


async def test_finished_jobs_go_thirty_days_after_they_finished(db):
    now = datetime(2027, 6, 1, tzinfo=UTC)
    old = await jobs.enqueue("cluster", {})
    recent = await jobs.enqueue("cluster", {})
    waiting = await jobs.enqueue("cluster", {})
    await jobs.Job.update({jobs.Job.status: "done", jobs.Job.finished_at: now - timedelta(days=30, seconds=1),
                           jobs.Job.result: {"themes": 3}}).where(jobs.Job.id == old)
    await jobs.Job.update({jobs.Job.status: "failed", jobs.Job.finished_at: now - timedelta(days=29)}).where(
        jobs.Job.id == recent)
    await jobs.Job.update({jobs.Job.created_at: now - timedelta(days=90)}).where(jobs.Job.id == waiting)
    assert (await apply_retention(now, 24))["jobs"] == 1
    assert {row["id"] for row in await jobs.Job.select(jobs.Job.id)} == {recent, waiting}


async def test_the_schedule_says_what_goes_when(rounds):
    now = datetime.now(UTC)
    planned = await retention_schedule(now, 24)
    free_text = [p for p in planned if p.kind == "free_text"]
    assert [(p.count, p.due) for p in free_text] == [(6, add_months(PUBLISHED, 24))]
    # Round A's survey has closed (due now), round B's closes in 30 days.
    codes = sorted((p.is_due(now), p.count) for p in planned if p.kind == "codes")
    assert codes == [(False, 4), (True, 4)]


async def test_the_daily_job_is_queued_once_a_day_however_many_runners_ask(db):
    day = datetime(2027, 6, 1, 3, 0, tzinfo=UTC)
    first = await jobs.schedule_daily_jobs(now=day)
    second = await jobs.schedule_daily_jobs(now=day + timedelta(hours=5))
    assert len(first) == 1 and second == []
    next_day = await jobs.schedule_daily_jobs(now=day + timedelta(days=1))
    assert len(next_day) == 1 and next_day != first
    assert await jobs.Job.count().where(jobs.Job.kind == RETENTION_JOB) == 2


async def test_the_daily_job_runs_and_reports_what_it_deleted(rounds, app, client, make):
    await jobs.schedule_daily_jobs()
    await jobs.run_until_idle()
    run = (await services.last_retention_runs())[0]
    assert run.status is jobs.JobStatus.DONE
    assert run.result["deleted"]["invitation_codes"] == 4
    assert run.result["deleted"]["free_texts"] == 0  # the clock is today, long before 2029
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = text_of((await client.get("/verwaltung/aufbewahrung")).text)
    assert "0 Freitexte, 4 Einladungscodes, 0 Aufträge gelöscht" in page
    assert "Freitext-Antworten" in page and "10. Mai 2029" in page


async def test_two_runners_polling_together_queue_the_day_once(db):
    runners = [jobs.JobRunner(poll_seconds=0.05), jobs.JobRunner(poll_seconds=0.05)]
    for runner in runners:
        runner.start()
    try:
        for _ in range(100):
            done = await jobs.Job.count().where((jobs.Job.kind == RETENTION_JOB) & (jobs.Job.status == "done"))
            if done:
                break
            await asyncio.sleep(0.05)
    finally:
        for runner in runners:
            await runner.stop()
    assert await jobs.Job.count().where(jobs.Job.kind == RETENTION_JOB) == 1
    assert done == 1
