"""A parent's submission at speed: the survey definition each process keeps is never stale, a submission id is stored
once however often it arrives, and one submission costs a fixed, small number of statements and connections."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from piccolo.engine.sqlite import SQLiteEngine

from participation.surveys.services import definition
from participation.surveys.tables import Answer, Response, Survey
from tests.factories import post_form, text_of

ANSWERS = {
    "q_betreuung": "kita", "q_wuensche": ["sprachkurs", "other"], "q_wuensche_other": "Schwimmkurs",
    "q_zufriedenheit": "4", "q_berufstaetig": "yes", "q_stunden": "20,5", "q_anregung": "Mehr Kitaplätze bitte!",
}
#: The answer rows ANSWERS make: betreuung, two for wuensche, zufriedenheit, berufstaetig, stunden, anregung.
ROWS_PER_RESPONSE = 7


def _final_page(district: int, submission_id: str, **extra: str) -> list[tuple[str, str]]:
    fields = {**ANSWERS, "page": "1", "district": str(district), "submission_id": submission_id, "nav": "submit",
              **extra}
    return [(name, item) for name, value in fields.items() for item in (value if isinstance(value, list) else [value])]


async def _question(survey_id: int, key: str):
    survey = await definition.load_survey(survey_id)
    question = survey.question_by_key(key)
    return survey.sections[0].id, question


async def test_office_rewording_a_published_question_reaches_the_parents_form_at_once(client, make):
    district = await make.district()
    survey = await make.survey()
    form = await client.get(f"/umfrage/{survey}/antworten")  # the definition is now kept by this process
    first_page = await post_form(client, f"/umfrage/{survey}/antworten",
                                 [("page", "0"), ("district", str(district)), ("nav", "next")])
    assert form.status_code == first_page.status_code == 200
    old_text = text_of(first_page.text)
    section_id, question = await _question(survey, "anregung")
    assert question.text("de") in old_text

    await definition.save_question(survey, section_id, question.id, definition.QuestionInput(
        key="anregung", kind=question.kind, text="Was sollte Ihr Familienzentrum ändern?"))
    await definition.save_question(survey, section_id, None, definition.QuestionInput(
        key="neu_optional", kind=question.kind, text="Eine neue, freiwillige Frage?"))

    again = await post_form(client, f"/umfrage/{survey}/antworten",
                            [("page", "0"), ("district", str(district)), ("nav", "next")])
    shown = text_of(again.text)
    assert "Was sollte Ihr Familienzentrum ändern?" in shown and question.text("de") not in shown
    assert "Eine neue, freiwillige Frage?" in shown
    # The new question's answer is stored: the submission used the new definition, not the one kept before.
    done = await post_form(client, f"/umfrage/{survey}/antworten",
                           _final_page(district, "after-edit", q_neu_optional="Ja, gern"))
    assert done.status_code == 303
    assert await Answer.count().where(Answer.text == "Ja, gern") == 1


async def test_closing_and_withdrawing_a_survey_stop_answers_despite_the_kept_definition(client, make):
    district = await make.district()
    survey = await make.survey()
    assert (await client.get(f"/umfrage/{survey}/antworten")).status_code == 200

    await definition.close_survey(survey)
    closed = await post_form(client, f"/umfrage/{survey}/antworten", _final_page(district, "too-late"))
    assert closed.status_code == 409
    await definition.reopen_survey(survey, datetime.now(UTC) + timedelta(days=3))
    reopened = await post_form(client, f"/umfrage/{survey}/antworten", _final_page(district, "in-time"))
    assert reopened.status_code == 303
    # Taken back to a draft directly in the database (as another process or a restore would): 404 for parents.
    await Survey.update({Survey.published: False}).where(Survey.id == survey)
    assert (await client.get(f"/umfrage/{survey}/antworten")).status_code == 404
    assert await Response.count() == 1


async def test_a_survey_made_anew_under_a_reused_id_is_not_mistaken_for_the_old_one(client, make):
    district = await make.district()
    survey = await make.survey(title="Alte Umfrage")
    assert "Alte Umfrage" in (await client.get(f"/umfrage/{survey}")).text
    # An emptied (or restored) database hands out the same id again, and its version may well match too.
    old = await Survey.select(Survey.round, Survey.definition_version).where(Survey.id == survey).first()
    round_id = old["round"]
    await Survey.delete().where(Survey.id == survey)
    made_again = await Survey.insert(Survey(id=survey, round=round_id, texts={"de": {"title": "Neue Umfrage"}},
                                            published=True)).returning(Survey.id)
    assert made_again[0]["id"] == survey
    await definition.add_section(survey, "Allgemein")
    section_id = (await definition.load_survey(survey)).sections[0].id
    await definition.save_question(survey, section_id, None, definition.QuestionInput(
        key="frage", kind=definition.QuestionKind.SHORT_TEXT, text="Ganz neue Frage?"))
    await Survey.update({Survey.definition_version: old["definition_version"]}).where(Survey.id == survey)
    page = await post_form(client, f"/umfrage/{survey}/antworten",
                           [("page", "0"), ("district", str(district)), ("nav", "next")])
    assert "Ganz neue Frage?" in text_of(page.text)


async def test_the_same_submission_sent_twice_at_once_is_stored_once(client, make):
    district = await make.district()
    survey = await make.survey()
    await client.get(f"/umfrage/{survey}/antworten")
    fields = _final_page(district, "double-click")
    first, second = await asyncio.gather(
        post_form(client, f"/umfrage/{survey}/antworten", fields),
        post_form(client, f"/umfrage/{survey}/antworten", fields),
    )
    assert first.status_code == second.status_code == 303  # both see the thank-you page
    assert await Response.count() == 1
    assert await Answer.count() == ROWS_PER_RESPONSE


async def test_a_retry_with_an_invitation_code_keeps_one_response_and_the_code_used(client, make):
    from participation.surveys.services.codes import generate_codes

    district = await make.district()
    centre = await make.centre(district=district)
    survey = await make.survey(uses_codes=True)
    [code] = await generate_codes(survey, centre, 1)
    fields = _final_page(district, "with-code", code=code)
    first = await post_form(client, f"/umfrage/{survey}/antworten", fields)
    retry = await post_form(client, f"/umfrage/{survey}/antworten", fields)
    assert first.status_code == 303
    # The parent whose first answer got lost on the way sends again: thanked, not told their code is used.
    assert retry.status_code == 303 and retry.headers["location"].endswith(f"/umfrage/{survey}/danke")
    other = await post_form(client, f"/umfrage/{survey}/antworten", _final_page(district, "other-id", code=code))
    assert other.status_code == 400 and "schon benutzt" in other.text
    assert await Response.count() == 1 and await Answer.count() == ROWS_PER_RESPONSE


async def test_a_double_click_with_an_invitation_code_stores_one_response_and_thanks_both(client, make):
    from participation.surveys.services.codes import generate_codes

    district = await make.district()
    centre = await make.centre(district=district)
    survey = await make.survey(uses_codes=True)
    [code] = await generate_codes(survey, centre, 1)
    fields = _final_page(district, "double-with-code", code=code)
    first, second = await asyncio.gather(
        post_form(client, f"/umfrage/{survey}/antworten", fields),
        post_form(client, f"/umfrage/{survey}/antworten", fields),
    )
    assert first.status_code == second.status_code == 303
    assert await Response.count() == 1 and await Answer.count() == ROWS_PER_RESPONSE


@pytest.fixture
def database_work(engine, monkeypatch):
    """Counts the statements the app sends and the connections it takes (pooled or, on SQLite, opened)."""
    counts = {"statements": 0, "connections": 0}
    engine_class = type(engine)
    run_querystring = engine_class.run_querystring

    async def counting_run(self, querystring, in_pool=True):
        counts["statements"] += 1
        return await run_querystring(self, querystring, in_pool=in_pool)

    monkeypatch.setattr(engine_class, "run_querystring", counting_run)
    if isinstance(engine, SQLiteEngine):
        import aiosqlite

        open_connection = aiosqlite.connect

        def counting_open(*args, **kwargs):
            counts["connections"] += 1
            return open_connection(*args, **kwargs)

        monkeypatch.setattr(aiosqlite, "connect", counting_open)
    else:
        acquire = engine_class.acquire

        async def counting_acquire(self, *args, **kwargs):
            counts["connections"] += 1
            return await acquire(self, *args, **kwargs)

        monkeypatch.setattr(engine_class, "acquire", counting_acquire)
    return counts


async def test_one_submission_costs_three_or_four_statements(client, make, engine, database_work):
    district = await make.district()
    centre = await make.centre(district=district)
    survey = await make.survey()
    await client.get(f"/umfrage/{survey}/antworten")  # the parent opened the form: the definition is kept
    database_work.update(statements=0, connections=0)

    done = await post_form(client, f"/umfrage/{survey}/antworten",
                           _final_page(district, "counted", centre=str(centre)))
    work = dict(database_work)

    assert done.status_code == 303
    assert await Answer.count() == ROWS_PER_RESPONSE
    # The survey's version, the centre in its district, then on PostgreSQL the response with all its answers in one
    # statement (a pooled connection each, handed back without a reset), on SQLite the response and its answers.
    assert work["statements"] == (4 if isinstance(engine, SQLiteEngine) else 3)
    # SQLite: the reads take a connection each and the save one more (a read transaction must not become a writing
    # one).
    assert work["connections"] == 3
