"""The session's action items (*Maßnahmen*): what is to be done, by whom (a centre, or the city office:
*Stadtverwaltung*) and until when, linked to a topic or a theme of the round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from participation.dialogues.services.agenda import SessionError, theme_choices
from participation.dialogues.tables import ActionItem, Topic
from participation.directory.services import get_centre
from participation.i18n import gettext as _

MAX_ACTION_ITEMS = 300


@dataclass(frozen=True, slots=True)
class ActionItemOut:
    id: int
    title: str
    description: str
    centre_id: int | None
    responsible: str
    due_date: date | None
    topic_id: int | None
    topic_title: str | None
    theme_id: int | None
    theme_label: str | None


@dataclass(slots=True)
class ActionInput:
    title: str
    description: str = ""
    centre_id: int | None = None
    due_date: date | None = None
    topic_id: int | None = None
    theme_id: int | None = None


async def list_actions(round_id: int) -> list[ActionItemOut]:
    """The round's action items, grouped by who is responsible (city office first, then centres by name)."""
    rows = await ActionItem.select(
        ActionItem.all_columns(), ActionItem.centre.name.as_alias("centre_name"),
        ActionItem.topic.title.as_alias("topic_title"),
    ).where(ActionItem.round == round_id).order_by(ActionItem.id)
    labels = dict(await theme_choices(round_id)) if any(r["theme"] for r in rows) else {}
    items = [
        ActionItemOut(
            id=r["id"], title=r["title"], description=r["description"], centre_id=r["centre"],
            responsible=r["centre_name"] or _("Stadtverwaltung"), due_date=r["due_date"], topic_id=r["topic"],
            topic_title=r["topic_title"], theme_id=r["theme"], theme_label=labels.get(r["theme"]),
        )
        for r in rows
    ]
    items.sort(key=lambda a: (a.centre_id is not None, a.responsible if a.centre_id else "", a.due_date or date.max,
                              a.id))
    return items


async def _check_action(round_id: int, data: ActionInput) -> None:
    if not data.title.strip():
        raise SessionError(_("Bitte geben Sie einen Titel ein."), "title")
    if data.centre_id is not None and await get_centre(data.centre_id) is None:
        raise SessionError(_("Dieses Zentrum gibt es nicht."), "centre")
    if data.topic_id is not None and not await Topic.exists().where(
        (Topic.id == data.topic_id) & (Topic.round == round_id)
    ):
        raise SessionError(_("Dieses Thema gehört nicht zu dieser Runde."), "topic")
    if data.theme_id is not None and data.theme_id not in dict(await theme_choices(round_id)):
        raise SessionError(_("Dieses Thema ist nicht für die Tagesordnung vorgemerkt."), "theme")


def _action_values(data: ActionInput) -> dict:
    return {
        "title": data.title.strip()[:300], "description": data.description.strip(), "centre": data.centre_id,
        "due_date": data.due_date, "topic": data.topic_id, "theme": data.theme_id,
    }


async def add_action(round_id: int, data: ActionInput) -> int:
    await _check_action(round_id, data)
    if await ActionItem.count().where(ActionItem.round == round_id) >= MAX_ACTION_ITEMS:
        raise SessionError(_("Diese Runde hat schon %(n)s Maßnahmen.", n=MAX_ACTION_ITEMS), "title")
    rows = await ActionItem.insert(ActionItem(round=round_id, **_action_values(data))).returning(ActionItem.id)
    return rows[0]["id"]


async def update_action(round_id: int, action_id: int, data: ActionInput) -> None:
    await _check_action(round_id, data)
    values = {getattr(ActionItem, name): value for name, value in _action_values(data).items()}
    await ActionItem.update(values).where((ActionItem.id == action_id) & (ActionItem.round == round_id))


async def get_action(round_id: int, action_id: int) -> ActionItemOut | None:
    return next((a for a in await list_actions(round_id) if a.id == action_id), None)


async def delete_action(round_id: int, action_id: int) -> None:
    await ActionItem.delete().where((ActionItem.id == action_id) & (ActionItem.round == round_id))
