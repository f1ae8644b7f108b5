"""Demo: the autumn 2026 session — agenda from its topics and a theme of parents' free text, attendance, minutes
with decisions, action items for centres and the city, published publicly; then the centres' follow-ups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from participation import jobs
from participation.dialogues.services import actions, agenda, attendance, publishing
from participation.dialogues.tables import Round, Topic
from participation.directory.services import list_centres, list_districts
from participation.surveys.services import themes
from participation.surveys.tables import Question, Survey

NOTES = {
    "Vereinbarkeit von Familie und Beruf": (
        "Viele Eltern in der **Innenstadt** arbeiten Vollzeit; die Öffnungszeiten reichen oft nicht bis 17 Uhr.\n\n"
        "- Randzeiten sind das größte Problem\n- Ferienbetreuung wird knapp",
        "Die Stadt prüft längere Öffnungszeiten in zwei Kitas der Innenstadt.\n"
        "Die Zentren sammeln den Bedarf an Ferienbetreuung bis Januar.",
    ),
    "Betreuungsarrangements": (
        "Eltern berichten von langen Wartelisten für Krippenplätze, besonders in Oßweil und Pflugfelden.",
        "Die Stadt veröffentlicht die Wartezeiten je Stadtteil zweimal im Jahr.",
    ),
    "Angebotsportfolio": (
        "Gewünscht werden Angebote am Samstag und Angebote für Väter.",
        "Drei Zentren testen ein Samstagsangebot im Frühjahr.\n"
        "Das Zentrum Weststadt startet eine Vätergruppe.",
    ),
    "Entwicklungen im Stadtteil": (
        "Spielplätze in Grünbühl-Sonnenberg sind in schlechtem Zustand.",
        "Der Fachbereich Tiefbau begeht die Spielplätze mit Eltern noch im Oktober.",
    ),
    "Fördermöglichkeiten": (
        "Sprachförderung und Hilfe bei Anträgen (Bildung und Teilhabe) sind sehr gefragt.",
        "Die Zentren bieten eine Antragssprechstunde mit Dolmetschenden an.\n"
        "Das Zentrum Sonnenberg prüft ein Sprachcafé für Eltern.",
    ),
}

ACTIONS = [
    ("Längere Öffnungszeiten prüfen", "Bedarf bis 17 Uhr in zwei Kitas der Innenstadt erheben.",
     "Kinder- und Familienzentrum Innenstadt", date(2027, 2, 28), "Vereinbarkeit von Familie und Beruf"),
    ("Ferienbetreuung abfragen", "Bedarf für Oster- und Sommerferien sammeln.",
     "Kinder- und Familienzentrum Oststadt", date(2027, 1, 31), "Vereinbarkeit von Familie und Beruf"),
    ("Wartezeiten veröffentlichen", "Wartezeiten für Krippenplätze je Stadtteil online stellen.",
     None, date(2027, 3, 31), "Betreuungsarrangements"),
    ("Samstagsangebot testen", "Ein Familienfrühstück am Samstag, einmal im Monat.",
     "Kinder- und Familienzentrum Eglosheim", date(2027, 4, 30), "Angebotsportfolio"),
    ("Vätergruppe starten", "Ein Treffen für Väter mit kleinen Kindern am Abend.",
     "Kinder- und Familienzentrum Weststadt", date(2027, 3, 15), "Angebotsportfolio"),
    ("Spielplatzbegehung", "Begehung der Spielplätze mit Eltern und dem Fachbereich Tiefbau.",
     None, date(2026, 10, 31), "Entwicklungen im Stadtteil"),
    ("Antragssprechstunde mit Dolmetschenden", "Hilfe bei Anträgen auf Türkisch und Arabisch.",
     "Kinder- und Familienzentrum Grünbühl", date(2027, 2, 15), "Fördermöglichkeiten"),
    ("Sprachcafé für Eltern", "Deutsch üben bei Kaffee, mit Kinderbetreuung.",
     "Kinder- und Familienzentrum Sonnenberg", date(2027, 3, 1), "Fördermöglichkeiten"),
]


async def load_demo_minutes(progress: Callable[[str], None] = lambda step: None, *, threshold: int = 5) -> None:
    """Agenda, minutes and action items of the autumn 2026 session, published publicly, and the centres' answers."""
    from participation.demo.follow_ups import add_demo_follow_ups

    progress("session and minutes Herbst 2026")
    autumn = await Round.select(Round.id).where(Round.year == 2026).first()
    topics = {t["title"]: t["id"] for t in await Topic.select(Topic.id, Topic.title).where(
        Topic.round == autumn["id"]).order_by(Topic.position)}
    item_ids = {}
    for title, topic_id in topics.items():
        item_ids[title] = await agenda.add_topic_item(autumn["id"], topic_id)
        notes, decisions = NOTES.get(title, ("", ""))
        await agenda.save_item_minutes(autumn["id"], item_ids[title], notes, decisions)

    theme_item = await add_wish_theme_item(autumn["id"], threshold=threshold)
    await agenda.save_item_minutes(autumn["id"], theme_item, "Eltern wünschen sich dazu mehr Angebote im Stadtteil.",
                                   "Die Zentren berichten im Frühjahr, was sie umgesetzt haben.")

    districts = await list_districts()
    await attendance.save_attendance(autumn["id"], {
        d.id: (3 + (index * 7) % 9, 1 + index % 3) for index, d in enumerate(districts)
    })
    centres = {c.name: c.id for c in await list_centres()}
    for title, description, centre, due, topic in ACTIONS:
        await actions.add_action(autumn["id"], actions.ActionInput(
            title=title, description=description, centre_id=centres.get(centre) if centre else None,
            due_date=due, topic_id=topics.get(topic),
        ))
    await publishing.publish_minutes(autumn["id"], public=True, threshold=threshold)
    progress("centres' follow-up")
    await add_demo_follow_ups()


async def add_wish_theme_item(round_id: int, *, threshold: int) -> int:
    """Parents' free text of "what do you wish from your centre" in the round's survey as themes (the clustering job
    run to its end); the largest theme becomes an agenda item of the round (its id is returned)."""
    survey = await Survey.select(Survey.id).where(Survey.round == round_id).first()
    question = await Question.select(Question.id).where(
        (Question.survey == survey["id"]) & (Question.key == "wunsch_zentrum")).first()
    run_id, _job = await themes.start_run(survey["id"], question_id=question["id"], threshold=threshold)
    await jobs.run_until_idle()
    run = await themes.get_run(run_id, threshold=threshold)
    top = next(t for t in run.themes if not t.is_sonstiges)
    await themes.accept_suggestion(run_id, top.id)
    await themes.set_agenda_candidate(run_id, top.id, True)
    return await agenda.add_theme_item(round_id, top.id)
