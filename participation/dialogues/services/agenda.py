"""The session's agenda (*Tagesordnung*): items from the round's topics, from themes of parents' free text, or free
titles, in the office's order, each with its notes and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from participation.dialogues.services.notes import MAX_DECISIONS_CHARS, notes_problem
from participation.dialogues.services.rounds import renumber, swapped
from participation.dialogues.tables import AgendaItem, Round, Topic
from participation.errors import DomainError
from participation.i18n import gettext as _

MAX_AGENDA_ITEMS = 60


class SessionError(DomainError):
    """A request about the session cannot be done as asked; `str(error)` is the German message for the user."""


async def round_exists(round_id: int) -> bool:
    return await Round.exists().where(Round.id == round_id)


async def survey_of_round(round_id: int) -> int | None:
    from participation.surveys.tables import Survey

    row = await Survey.select(Survey.id).where(Survey.round == round_id).first()
    return row["id"] if row else None


@dataclass(frozen=True, slots=True)
class AgendaItemOut:
    id: int
    position: int
    kind: str
    title: str
    topic_id: int | None
    theme_id: int | None
    notes: str
    decisions: str


async def list_agenda(round_id: int) -> list[AgendaItemOut]:
    rows = await AgendaItem.select().where(AgendaItem.round == round_id).order_by(AgendaItem.position).order_by(
        AgendaItem.id
    )
    return [
        AgendaItemOut(id=r["id"], position=r["position"], kind=r["kind"], title=r["title"], topic_id=r["topic"],
                      theme_id=r["theme"], notes=r["notes"], decisions=r["decisions"])
        for r in rows
    ]


async def get_agenda_item(round_id: int, item_id: int) -> AgendaItemOut | None:
    return next((item for item in await list_agenda(round_id) if item.id == item_id), None)


async def theme_choices(round_id: int) -> list[tuple[int, str]]:
    """(theme id, label) of the themes the office marked as agenda candidates in the round's survey."""
    from participation.surveys.services.themes import agenda_candidates

    survey_id = await survey_of_round(round_id)
    if survey_id is None:
        return []
    return [(row["id"], row["label"]) for row in await agenda_candidates(survey_id)]


async def _add_item(round_id: int, **values: Any) -> int:
    count = await AgendaItem.count().where(AgendaItem.round == round_id)
    if count >= MAX_AGENDA_ITEMS:
        raise SessionError(_("Die Tagesordnung hat schon %(n)s Punkte; mehr sind nicht möglich.", n=MAX_AGENDA_ITEMS))
    rows = await AgendaItem.insert(AgendaItem(round=round_id, position=count, **values)).returning(AgendaItem.id)
    return rows[0]["id"]


async def add_topic_item(round_id: int, topic_id: int) -> int:
    """Put a topic of the round on the agenda; it shows the survey figures of the topic's section."""
    topic = await Topic.select(Topic.title).where((Topic.id == topic_id) & (Topic.round == round_id)).first()
    if topic is None:
        raise SessionError(_("Dieses Thema gehört nicht zu dieser Runde."), "topic")
    return await _add_item(round_id, kind="topic", topic=topic_id, title=topic["title"][:300])


async def add_theme_item(round_id: int, theme_id: int) -> int:
    """Put a theme of parents' free text (an agenda candidate of the round's survey) on the agenda."""
    from participation.surveys.services.themes import not_confirmed_message, unconfirmed_among

    label = dict(await theme_choices(round_id)).get(theme_id)
    if label is None and await unconfirmed_among([theme_id]):
        raise SessionError(not_confirmed_message(), "theme")
    if label is None:
        raise SessionError(_("Dieses Thema ist nicht für die Tagesordnung vorgemerkt."), "theme")
    return await _add_item(round_id, kind="theme", theme=theme_id, title=label[:300])


async def add_free_item(round_id: int, title: str) -> int:
    title = (title or "").strip()
    if not title:
        raise SessionError(_("Bitte geben Sie einen Titel ein."), "title")
    return await _add_item(round_id, kind="free", title=title[:300])


async def move_item(round_id: int, item_id: int, offset: int) -> None:
    """Move an agenda item one place up (-1) or down (+1)."""
    await renumber(AgendaItem, swapped([item.id for item in await list_agenda(round_id)], item_id, offset))


async def delete_item(round_id: int, item_id: int) -> None:
    await AgendaItem.delete().where((AgendaItem.id == item_id) & (AgendaItem.round == round_id))
    ids = [item.id for item in await list_agenda(round_id)]
    for position, other in enumerate(ids):
        await AgendaItem.update({AgendaItem.position: position}).where(AgendaItem.id == other)


async def save_item_minutes(round_id: int, item_id: int, notes: str, decisions: str) -> None:
    problem = notes_problem(notes)
    if problem:
        raise SessionError(problem, "notes")
    if len(decisions or "") > MAX_DECISIONS_CHARS:
        raise SessionError(_("Die Beschlüsse sind zu lang."), "decisions")
    await AgendaItem.update({AgendaItem.notes: notes.strip(), AgendaItem.decisions: decisions.strip()}).where(
        (AgendaItem.id == item_id) & (AgendaItem.round == round_id)
    )
