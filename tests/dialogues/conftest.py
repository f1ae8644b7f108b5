"""Fixtures for the session pages: a round with survey, responses and a theme."""

from __future__ import annotations

import pytest

from tests.factories import sign_in


@pytest.fixture
async def office(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")


class Setting:
    """A round whose survey has answers from two districts, a centre in each, and one agenda-candidate theme."""

    round_id: int
    survey_id: int
    topic_id: int
    theme_id: int
    district_a: int
    district_b: int
    centre_a: int
    centre_b: int


ANREGUNGEN = [
    "Mehr Plätze in der Kita", "Längere Öffnungszeiten der Kita", "Mehr Kitaplätze bitte",
    "Öffnungszeiten bis 18 Uhr", "Ein sauberer Spielplatz", "Mehr Ferienbetreuung",
]


@pytest.fixture
async def setting(make) -> Setting:
    from participation import jobs
    from participation.dialogues.tables import Topic
    from participation.surveys.services import themes
    from participation.surveys.services.definition import load_survey

    s = Setting()
    s.district_a = await make.district("Eglosheim")
    s.district_b = await make.district("Oßweil")
    s.centre_a = await make.centre("Kinder- und Familienzentrum Eglosheim", district=s.district_a)
    s.centre_b = await make.centre("Kinder- und Familienzentrum Oßweil", district=s.district_b)
    s.survey_id = await make.survey()
    survey = await load_survey(s.survey_id)
    s.round_id = survey.round_id
    for index, text in enumerate(ANREGUNGEN * 2):
        district = s.district_a if index % 2 == 0 else s.district_b
        await make.response(s.survey_id, district, {
            "betreuung": "kita" if index % 3 else "tagespflege", "zufriedenheit": str(2 + index % 4),
            "anregung": text,
        })
    await make.close(s.survey_id)
    text_question = next(q for q in survey.questions if q.kind.is_text)
    run_id, _job = await themes.start_run(s.survey_id, question_id=text_question.id)
    await jobs.run_until_idle()
    theme = (await themes.get_run(run_id, threshold=5)).themes[0]
    await themes.accept_suggestion(run_id, theme.id)  # only a confirmed name goes onto an agenda
    await themes.set_agenda_candidate(run_id, theme.id, True)
    s.theme_id = theme.id
    s.topic_id = (await Topic.select(Topic.id).where(Topic.round == s.round_id).first())["id"]
    return s
