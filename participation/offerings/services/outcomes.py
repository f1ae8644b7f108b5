"""The public page "Was ist aus Ihren Anregungen geworden?": every action item of a round with public minutes, with
its status and the centre's words in the visitor's language where given, else in German."""

from __future__ import annotations

from dataclasses import dataclass

from participation.dialogues.tables import ActionItem, Round
from participation.offerings.schemas import FollowUpStatus
from participation.offerings.services.follow_ups import (
    FollowUpView,
    _follow_ups,
    published_action_ids,
    published_round_ids,
)
from participation.offerings.services.plans import NotFound


@dataclass(frozen=True, slots=True)
class PublicRound:
    id: int
    title: str
    actions: int


async def public_rounds() -> list[PublicRound]:
    """Rounds with published minutes, newest first, with their number of action items."""
    published = await published_round_ids(public_only=True)
    if not published:
        return []
    rows = await Round.select(Round.id, Round.title, Round.year, Round.season).where(Round.id.is_in(sorted(published)))
    counts: dict[int, int] = {}
    public_actions = sorted(await published_action_ids(public_only=True)) or [0]
    for row in await ActionItem.select(ActionItem.round).where(ActionItem.id.is_in(public_actions)):
        counts[row["round"]] = counts.get(row["round"], 0) + 1
    rows.sort(key=lambda r: (r["year"], r["season"] == "autumn"), reverse=True)
    return [PublicRound(id=r["id"], title=r["title"], actions=counts.get(r["id"], 0)) for r in rows]


@dataclass(slots=True)
class PublicOutcomes:
    round_id: int
    round_title: str
    groups: list[tuple[str, list[FollowUpView]]]
    counts: dict[str, int]


async def public_outcomes(round_id: int) -> PublicOutcomes:
    """Every action item of a round with published minutes, grouped by who is responsible (`NotFound` otherwise)."""
    if round_id not in await published_round_ids(public_only=True):
        raise NotFound(round_id)
    row = await Round.select(Round.title).where(Round.id == round_id).first()
    views = await _follow_ups(ActionItem.round == round_id, with_history=True, public_only=True)
    groups: dict[str, list[FollowUpView]] = {}
    for view in sorted(views, key=lambda v: (v.centre_id is not None, v.responsible.casefold(), v.action_id)):
        groups.setdefault(view.responsible, []).append(view)
    counts = {s.value: sum(1 for v in views if v.status is s) for s in FollowUpStatus}
    return PublicOutcomes(round_id=round_id, round_title=row["title"], groups=list(groups.items()), counts=counts)


def public_words(view: FollowUpView, language: str) -> tuple[str, str]:
    """What the public page says for an item: the statement in the visitor's language (else German); for a declined
    item without a statement, the reason given."""
    text, lang = view.statement_in(language)
    if not text and view.status is FollowUpStatus.DECLINED:
        reasons = [h.note for h in view.history if h.status is FollowUpStatus.DECLINED and h.note]
        if reasons:
            return reasons[-1], "de"
    return text, lang


async def outcomes_link_before(round_id: int) -> dict | None:
    """For a survey's start page: the latest earlier round with published minutes ({"round_id", "title"}), if any."""
    current = await Round.select(Round.year, Round.season).where(Round.id == round_id).first()
    if current is None:
        return None
    order = (current["year"], current["season"] == "autumn")
    for candidate in await public_rounds():
        row = await Round.select(Round.year, Round.season).where(Round.id == candidate.id).first()
        if (row["year"], row["season"] == "autumn") < order:
            return {"round_id": candidate.id, "title": candidate.title}
    return None
