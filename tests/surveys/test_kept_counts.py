"""The kept counts behind every figure (issue 12): reading them is cheap at any size, and they always equal counting
every visible answer afresh — after new responses, hidden and shown answers, a restart, and a response gone."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from participation.surveys.services import counts as kept
from participation.surveys.services import protected
from participation.surveys.services.results import hide_answer, show_answer
from participation.surveys.tables import Answer, Response, SurveyCounts


async def _counted_afresh(survey_id: int) -> dict:
    """Every visible answer of the survey, counted here in Python from the rows (no shared code with the app)."""
    survey = await protected.load_survey(survey_id)
    kinds = {q.id: q.kind.value for q in survey.questions}
    responses = {r["id"]: (r["district"], r["centre"]) for r in await Response.select(
        Response.id, Response.district, Response.centre).where(Response.survey == survey_id)}
    answers = await Answer.select().where(Answer.question.is_in(list(kinds)) & Answer.hidden.eq(False)).order_by(
        Answer.id)
    respondents: dict[int, set] = defaultdict(set)
    choices: Counter = Counter()
    numbers: dict[int, list] = defaultdict(list)
    others: dict[int, list] = defaultdict(list)
    for a in answers:
        cell = responses[a["response"]]
        respondents[a["question"]].add((a["response"], cell))
        if a["choice"] is not None:
            choices[(a["question"], a["choice"], cell)] += 1
        if kinds[a["question"]] == "number" and a["number"] is not None:
            numbers[a["question"]].append((cell, a["number"]))
        if a["choice"] == "other" and a["text"] is not None:
            others[a["question"]].append((cell, a["text"]))
    return {
        "responses": dict(Counter(responses.values())),
        "respondents": {q: dict(Counter(cell for _r, cell in people)) for q, people in respondents.items()},
        "choices": dict(choices),
        "numbers": {q: sorted(v, key=repr) for q, v in numbers.items()},
        "others": dict(others),
    }


async def _as_shown(survey_id: int) -> dict:
    view = await protected.load_protected(survey_id, 5)
    return {
        "responses": view.response_counts,
        "respondents": view.respondents,
        "choices": {(q, choice, cell): n for q, c in view.choices.items() for (choice, cell), n in c.items()},
        "numbers": {q: sorted(v, key=repr) for q, v in view.numbers.items()},
        "others": view.others,
    }


async def _random_responses(make, survey, districts, centres, n, rng):
    for _ in range(n):
        district = rng.choice(districts)
        answers = {"betreuung": rng.choice(["kita", "tagespflege", "zuhause"]),
                   "zufriedenheit": str(rng.randint(1, 5))}
        wishes = rng.sample(["sprachkurs", "elterncafe", "beratung", "other"], rng.randint(0, 3))
        if wishes:
            answers["wuensche"] = wishes
            if "other" in wishes:
                answers["q_wuensche_other"] = f"Wunsch {rng.randint(1, 99)}"
        if rng.random() < 0.6:
            answers["berufstaetig"] = "yes"
            answers["stunden"] = str(rng.choice([10, 20, 20, 30, 38.5]))
        if rng.random() < 0.5:
            answers["anregung"] = f"Anregung {rng.randint(1, 999)}"
        await make.response(survey, district, answers, centre=centres.get(district) if rng.random() < 0.5 else None)


@pytest.fixture
def builds(monkeypatch):
    """How often a survey's answers are counted from its first response on (the expensive full count)."""
    calls: list[int] = []
    count = kept._count

    async def counting(survey, *, after, upto):
        if after == 0:
            calls.append(survey.id)
        return await count(survey, after=after, upto=upto)

    monkeypatch.setattr(kept, "_count", counting)
    return calls


async def test_kept_counts_equal_counting_afresh_through_new_answers_hiding_restarts_and_removals(
    make, monkeypatch, builds,
):
    monkeypatch.setattr(kept, "REFRESH_AFTER", 5)
    rng = random.Random(7)
    survey = await make.survey()
    districts = [await make.district(name) for name in ("Nord", "Süd", "West")]
    centres = {districts[0]: await make.centre("Zentrum Nord", district=districts[0])}
    user = await make.office_user()
    await _random_responses(make, survey, districts, centres, 12, rng)
    assert await _as_shown(survey) == await _counted_afresh(survey)
    assert builds == [survey]

    # More responses than REFRESH_AFTER: the reader adds them to the kept counts, it does not count from scratch.
    await _random_responses(make, survey, districts, centres, 9, rng)
    assert await _as_shown(survey) == await _counted_afresh(survey)
    stored = await SurveyCounts.select().where(SurveyCounts.survey == survey).first()
    assert stored["responses"] == 21 and builds == [survey]

    # Hiding free text (plain, and "Sonstiges" as someone's only choice in a multiple-choice question, so that they
    # no longer count as answering it) and showing it again.
    await make.response(survey, districts[1], {"betreuung": "kita", "zufriedenheit": "3", "wuensche": ["other"],
                                               "q_wuensche_other": "Nur das"})
    texts = await Answer.select(Answer.id, Answer.choice, Answer.text).where(Answer.text.is_not_null()).order_by(
        Answer.id)
    other = next(a["id"] for a in texts if a["text"] == "Nur das")
    plain = next(a["id"] for a in texts if a["choice"] is None)
    for answer in (other, plain):
        await hide_answer(survey, answer, user)
        assert await _as_shown(survey) == await _counted_afresh(survey)
    await show_answer(survey, other, user)
    assert await _as_shown(survey) == await _counted_afresh(survey)
    assert builds == [survey]

    # A restarted process (nothing in memory) reads the stored counts, and closing changes nothing.
    kept._memory.clear()
    await make.close(survey)
    assert await _as_shown(survey) == await _counted_afresh(survey)
    assert builds == [survey]

    # A response gone under the kept counts (or committed late under a lower id): they are counted anew.
    first = (await Response.select(Response.id).where(Response.survey == survey).order_by(Response.id).first())["id"]
    await Response.delete().where(Response.id == first)
    assert await _as_shown(survey) == await _counted_afresh(survey)
    assert builds == [survey, survey]


async def test_forgotten_counts_are_counted_anew(make, builds):
    survey = await make.survey()
    nord = await make.district("Nord")
    for _ in range(3):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4", "anregung": "Mehr Plätze"})
    assert (await protected.load_protected(survey, 1)).response_counts == {(nord, None): 3}
    # An answer changed in place (as a retention job deleting free text would): forget_counts makes it count.
    await Answer.delete().where(Answer.text == "Mehr Plätze")
    await kept.forget_counts(survey)
    view = await protected.load_protected(survey, 1)
    assert "anregung" not in {q.key for q in view.survey.questions if view.respondents.get(q.id)}
    assert builds == [survey, survey]
