"""Fixtures for the job runner's fault tests: a closed survey whose free-text answers a clustering job can group."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

#: Answers with a few clear themes (childcare places, opening hours, playgrounds, holidays, language courses).
TEXTS = [
    "Mehr Kitaplätze im Stadtteil", "Zu wenige Plätze in der Kita", "Wir brauchen mehr Krippenplätze",
    "Kita Plätze fehlen überall", "Längere Öffnungszeiten der Kita", "Öffnungszeiten bis 18 Uhr bitte",
    "Die Kita schließt zu früh", "Flexiblere Öffnungszeiten am Nachmittag", "Der Spielplatz ist schmutzig",
    "Ein sauberer Spielplatz wäre schön", "Neue Spielgeräte auf dem Spielplatz", "Spielplatz braucht Schatten",
    "Mehr Ferienbetreuung im Sommer", "Ferienbetreuung ist zu teuer", "Betreuung in den Ferien fehlt",
    "Ferienprogramm für Schulkinder", "Deutschkurse für Eltern", "Sprachkurs mit Kinderbetreuung",
    "Mehr Sprachförderung für Kinder", "Deutschkurs am Abend anbieten",
]


@dataclass
class Answers:
    survey_id: int
    question_id: int
    count: int


@pytest.fixture
async def answers(make) -> Answers:
    """A closed survey with 60 free-text answers from two districts."""
    from participation.surveys.services.definition import load_survey

    districts = [await make.district("Eglosheim"), await make.district("Oßweil")]
    survey_id = await make.survey()
    texts = [f"{text} ({n})" if n else text for n in range(3) for text in TEXTS]
    for index, text in enumerate(texts):
        await make.response(survey_id, districts[index % 2], {
            "betreuung": "kita", "zufriedenheit": "3", "anregung": text,
        })
    await make.close(survey_id)
    survey = await load_survey(survey_id)
    question = next(q for q in survey.questions if q.kind.is_text)
    return Answers(survey_id, question.id, len(texts))


async def run_summary(run_id: int) -> dict:
    """What the office sees of a run: its status, each theme's label and size, and how many answers are assigned."""
    from participation.surveys.tables import AnalysisRun, Theme, ThemeAssignment

    run = await AnalysisRun.select(AnalysisRun.status, AnalysisRun.answer_count).where(
        AnalysisRun.id == run_id).first()
    themes = await Theme.select(Theme.id, Theme.label, Theme.number).where(Theme.run == run_id)
    assigned = await ThemeAssignment.select(ThemeAssignment.theme).where(ThemeAssignment.run == run_id)
    sizes = {theme["id"]: 0 for theme in themes}
    for row in assigned:
        sizes[row["theme"]] += 1
    return {
        "status": run["status"], "answer_count": run["answer_count"], "assigned": len(assigned),
        "themes": sorted((theme["number"], theme["label"], sizes[theme["id"]]) for theme in themes),
    }
