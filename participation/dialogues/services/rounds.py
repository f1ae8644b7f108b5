"""Dialogue rounds and their topics."""

from __future__ import annotations

from datetime import date

from participation.dialogues.schemas import DEFAULT_TOPICS, SEASON_TITLES, RoundOut, Season, TopicOut
from participation.dialogues.tables import Round, Topic
from participation.errors import DomainError
from participation.i18n import gettext as _


class RoundError(DomainError):
    """A round or topic cannot be saved as asked."""


def round_title(season: Season, year: int) -> str:
    """The German name of a round: "Frühjahr 2027"."""
    return f"{SEASON_TITLES[season]} {year}"


async def create_round(
    season: Season, year: int, *, session_date: date | None = None, session_venue: str = "",
    topics: list[str] | None = None,
) -> int:
    """Open a new round with the city's usual topics (or the given ones)."""
    if await Round.exists().where((Round.season == season.value) & (Round.year == year)):
        raise RoundError(_("Diese Runde gibt es schon."), "year")
    rows = await Round.insert(
        Round(title=round_title(season, year), season=season.value, year=year, session_date=session_date,
              session_venue=session_venue.strip())
    ).returning(Round.id)
    round_id = rows[0]["id"]
    titles = DEFAULT_TOPICS if topics is None else topics
    if titles:
        await Topic.insert(*[Topic(round=round_id, title=t, position=i) for i, t in enumerate(titles)])
    return round_id


async def update_round(round_id: int, *, session_date: date | None, session_venue: str) -> None:
    await Round.update({Round.session_date: session_date, Round.session_venue: session_venue.strip()}).where(
        Round.id == round_id
    )


async def list_rounds() -> list[RoundOut]:
    """All rounds, newest first, each with its survey's id (one query for rounds, one for surveys)."""
    from participation.surveys.tables import Survey

    rows = await Round.select().order_by(Round.year, ascending=False).order_by(Round.season, ascending=True)
    surveys = {row["round"]: row["id"] for row in await Survey.select(Survey.id, Survey.round)}
    return [_round_out(row, survey_id=surveys.get(row["id"])) for row in rows]


async def get_round(round_id: int) -> RoundOut | None:
    from participation.surveys.tables import Survey

    row = await Round.select().where(Round.id == round_id).first()
    if row is None:
        return None
    topics = await Topic.select().where(Topic.round == round_id).order_by(Topic.position).order_by(Topic.id)
    survey = await Survey.select(Survey.id).where(Survey.round == round_id).first()
    return _round_out(
        row,
        topics=tuple(TopicOut(id=t["id"], title=t["title"], description=t["description"], position=t["position"])
                     for t in topics),
        survey_id=survey["id"] if survey else None,
    )


async def previous_round(round_id: int) -> RoundOut | None:
    """The round before this one (by year and season), if any."""
    current = await get_round(round_id)
    if current is None:
        return None
    order = (current.year, 0 if current.season is Season.SPRING else 1)
    earlier = [r for r in await list_rounds() if (r.year, 0 if r.season is Season.SPRING else 1) < order]
    return max(earlier, key=lambda r: (r.year, 0 if r.season is Season.SPRING else 1), default=None)


async def add_topic(round_id: int, title: str, description: str = "") -> int:
    count = await Topic.count().where(Topic.round == round_id)
    rows = await Topic.insert(
        Topic(round=round_id, title=title.strip(), description=description.strip(), position=count)
    ).returning(Topic.id)
    return rows[0]["id"]


async def update_topic(topic_id: int, title: str, description: str = "") -> None:
    await Topic.update({Topic.title: title.strip(), Topic.description: description.strip()}).where(
        Topic.id == topic_id
    )


async def delete_topic(topic_id: int) -> None:
    await Topic.delete().where(Topic.id == topic_id)


async def move_topic(round_id: int, topic_id: int, offset: int) -> None:
    """Move a topic up (-1) or down (+1) in its round's order."""
    topics = await Topic.select(Topic.id).where(Topic.round == round_id).order_by(Topic.position).order_by(Topic.id)
    await renumber(Topic, swapped([t["id"] for t in topics], topic_id, offset))


def swapped(ids: list[int], moved: int, offset: int) -> list[int]:
    """`ids` with `moved` one place up (-1) or down (+1); unchanged at either end or when absent."""
    ids = list(ids)
    if moved in ids:
        index = ids.index(moved)
        target = index + offset
        if 0 <= target < len(ids):
            ids[index], ids[target] = ids[target], ids[index]
    return ids


async def renumber(table, ids: list[int]) -> None:
    """Store the order of `ids` in the table's `position` column."""
    for position, row_id in enumerate(ids):
        await table.update({table.position: position}).where(table.id == row_id)


def _round_out(row: dict, topics: tuple[TopicOut, ...] = (), survey_id: int | None = None) -> RoundOut:
    return RoundOut(
        id=row["id"], title=row["title"], season=Season(row["season"]), year=row["year"],
        session_date=row["session_date"], session_venue=row["session_venue"], topics=topics, survey_id=survey_id,
    )
