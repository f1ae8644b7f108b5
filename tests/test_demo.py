"""The Ludwigsburg demo: directory, a closed past round with a few hundred responses, an open current round."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

from piccolo.query.functions.aggregate import Count

from participation.demo import load_demo
from participation.demo.surveys import load_demo_surveys
from participation.directory.tables import Centre, District, Operator
from participation.settings import PARENT_LANGUAGES
from participation.surveys.schemas import QuestionKind, SurveyStatus
from participation.surveys.services import definition
from participation.surveys.tables import Answer, Response, Survey


async def test_demo_has_rounds_surveys_and_realistic_responses(db) -> None:
    steps: list[str] = []
    started = time.perf_counter()
    await load_demo()
    if not await Survey.exists():
        await load_demo_surveys(steps.append)
        assert len(steps) == 4
    elapsed = time.perf_counter() - started
    print(f"\nDemo loaded in {elapsed:.1f} s")

    assert await Centre.count() == 12
    assert await District.count() == 10
    assert await Operator.count() == 4

    moment = datetime.now(UTC)
    surveys = [await definition.load_survey(row["id"]) for row in await Survey.select(Survey.id)
               .order_by(Survey.id)]
    by_title = {s.round_title: s for s in surveys}
    past, current = by_title["Herbst 2026"], by_title["Frühjahr 2027"]
    assert past.status(moment) is SurveyStatus.CLOSED
    assert current.status(moment) is SurveyStatus.OPEN
    assert [s.id for s in await definition.open_surveys()] == [current.id]

    # The current survey is a copy of the past one: same questions by key, every question kind present.
    assert [q.key for q in current.questions] == [q.key for q in past.questions]
    assert {q.kind for q in past.questions} == set(QuestionKind)
    assert len(past.sections) == 5 and all(s.topic_id for s in past.sections + current.sections)
    for survey in (past, current):
        assert definition.complete_languages(survey) == list(PARENT_LANGUAGES)

    past_count = await definition.response_count(past.id)
    current_count = await definition.response_count(current.id)
    print(f"Responses: past {past_count}, current {current_count}")
    assert 350 <= past_count <= 450
    assert 15 <= current_count <= 40

    # Responses lie inside their survey's window.
    for survey in (past, current):
        days = [row["submitted_on"] for row in await Response.select(Response.submitted_on)
                .where(Response.survey == survey.id)]
        assert survey.opens_at.date() <= min(days) and max(days) <= survey.closes_at.date()

    # Some districts are below the privacy threshold of 5, so suppression shows.
    names = {row["id"]: row["name"] for row in await District.select(District.id, District.name)}
    per_district = {names[row["district"]]: row["count"] for row in await Response.select(
        Response.district, Count()).where(Response.survey == past.id).group_by(Response.district)}
    print("Per district:", dict(sorted(per_district.items(), key=lambda item: -item[1])))
    assert any(0 < n < 5 for n in per_district.values())
    assert sum(1 for n in per_district.values() if n >= 5) >= 6

    # Languages: mostly German, some others.
    languages = Counter(row["language"] for row in await Response.select(Response.language)
                        .where(Response.survey == past.id))
    assert languages["de"] > past_count * 0.6 and len(languages) >= 5

    # Free texts: most parents write something, no text appears more than twice.
    long_ids = {q.id for s in (past, current) for q in s.questions if q.kind is QuestionKind.LONG_TEXT}
    rows = await Answer.select(Answer.response, Answer.text, Answer.question).where(
        Answer.question.is_in(list(long_ids)))
    assert rows
    assert max(Counter(row["text"] for row in rows).values()) <= 2
    past_long = {q.id for q in past.questions if q.kind is QuestionKind.LONG_TEXT}
    writing = {row["response"] for row in rows if row["question"] in past_long}
    print(f"Past responses with free text: {len(writing) / past_count:.0%}")
    assert 0.6 <= len(writing) / past_count <= 0.8

    # Conditional questions are answered consistently: hours only from parents in work.
    berufstaetig = past.question_by_key("berufstaetig")
    stunden = past.question_by_key("arbeitsstunden")
    working = {row["response"] for row in await Answer.select(Answer.response).where(
        (Answer.question == berufstaetig.id) & (Answer.choice == "yes"))}
    with_hours = {row["response"] for row in await Answer.select(Answer.response).where(
        Answer.question == stunden.id)}
    assert with_hours and with_hours <= working
