"""The public page "Was ist aus Ihren Anregungen geworden?": every action item of a round with public minutes, with
its status and the centre's words in the visitor's language where given, else in German."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from participation.dialogues.tables import ActionItem, AgendaItem, Round
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


#: How many parents' quotes the outcome page shows per theme.
QUOTES_PER_THEME = 2


@dataclass(slots=True)
class ThemeOrigin:
    """A theme of parents' free text behind an action item: `size` None when it is too small to be shown."""

    label: str
    size: int | None
    quotes: list[str]


@dataclass(slots=True)
class FigureOrigin:
    """A survey figure the session discussed, as the public minutes show it."""

    text: str
    respondents: int
    mean: float | None
    low_label: str
    high_label: str
    #: The most frequent answer with its share, for choice questions: (label, percent).
    top: tuple[str, float] | None
    group: str | None


@dataclass(slots=True)
class Origin:
    """What led to an action item: the agenda item(s) of its topic or theme in the public minutes, with the parents'
    themes, the figures discussed and the decisions taken."""

    agenda_titles: list[str] = field(default_factory=list)
    themes: list[ThemeOrigin] = field(default_factory=list)
    figures: list[FigureOrigin] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.agenda_titles or self.themes or self.figures or self.decisions)


@dataclass(slots=True)
class PublicOutcomes:
    round_id: int
    round_title: str
    groups: list[tuple[str, list[FollowUpView]]]
    counts: dict[str, int]
    #: action id -> what led to it (from the newest public minutes version).
    origins: dict[int, Origin] = field(default_factory=dict)
    #: When the minutes were first made public: the date of every item still only proposed.
    published_at: datetime | None = None
    threshold: int = 0

    def since(self, view: FollowUpView) -> datetime | None:
        """Since when the item has its current status: its last change, else the publication of the minutes."""
        if view.history:
            return view.history[-1].at
        return view.updated_at or self.published_at


async def public_outcomes(round_id: int) -> PublicOutcomes:
    """Every action item of a round with published minutes, grouped by who is responsible (`NotFound` otherwise),
    each with what led to it."""
    from participation.dialogues.services.published import list_versions, version_snapshot

    if round_id not in await published_round_ids(public_only=True):
        raise NotFound(round_id)
    row = await Round.select(Round.title).where(Round.id == round_id).first()
    views = await _follow_ups(ActionItem.round == round_id, with_history=True, public_only=True)
    groups: dict[str, list[FollowUpView]] = {}
    for view in sorted(views, key=lambda v: (v.centre_id is not None, v.responsible.casefold(), v.action_id)):
        groups.setdefault(view.responsible, []).append(view)
    counts = {s.value: sum(1 for v in views if v.status is s) for s in FollowUpStatus}
    versions = await list_versions(round_id, public_only=True)
    # Figures and themes come from the newest public minutes: made from the protected view when published, and
    # checked by `participation audit` for the public role. Nothing here counts answers.
    snapshot = await version_snapshot(versions[0].id) if versions else None
    threshold = int(((snapshot or {}).get("survey") or {}).get("threshold") or 0)
    return PublicOutcomes(
        round_id=round_id, round_title=row["title"], groups=list(groups.items()), counts=counts,
        origins=await _origins(round_id, snapshot or {}, [v.action_id for v in views], threshold),
        published_at=versions[-1].published_at if versions else None, threshold=threshold,
    )


async def _origins(round_id: int, snapshot: dict, action_ids: list[int], threshold: int) -> dict[int, Origin]:
    """What led to each action item: the minutes' agenda items of the same topic or theme (two queries)."""
    if not action_ids:
        return {}
    rows = await ActionItem.select(ActionItem.id, ActionItem.topic, ActionItem.theme, ActionItem.title,
                                   ActionItem.description).where(ActionItem.id.is_in(action_ids))
    links = {r["id"]: (r["topic"], r["theme"]) for r in rows}
    texts = {r["id"]: f"{r['title']} {r['description']}" for r in rows}
    agenda = {r["id"]: (r["topic"], r["theme"]) for r in await AgendaItem.select(
        AgendaItem.id, AgendaItem.topic, AgendaItem.theme).where(AgendaItem.round == round_id)}
    origins = {}
    for action_id in action_ids:
        topic, theme = links.get(action_id, (None, None))
        origin = Origin()
        for item in snapshot.get("items", []):
            item_topic, item_theme = agenda.get(item.get("id"), (None, None))
            theme_ids = {t.get("id") for t in item.get("themes", [])}
            if not ((topic is not None and item_topic == topic) or (theme is not None and (
                    item_theme == theme or theme in theme_ids))):
                continue
            origin.agenda_titles.append(item.get("title", ""))
            origin.decisions.extend(_about(item.get("decisions", []), texts.get(action_id, "")))
            for data in item.get("themes", []):
                if theme is not None and item_theme != theme and data.get("id") != theme:
                    continue  # a topic item lists all its section's themes; the item names its own theme
                size = data.get("size")
                origin.themes.append(ThemeOrigin(
                    label=data.get("label", ""), size=size if size is not None and size >= threshold else None,
                    quotes=list(data.get("quotes", []))[:QUOTES_PER_THEME]))
            origin.figures.extend(_figure_origin(f) for f in item.get("figures", []) if f.get("respondents"))
        origins[action_id] = origin
    return origins


def _stems(text: str) -> set[str]:
    return {word.casefold()[:6] for word in re.findall(r"\w{5,}", text)}


def _about(decisions: list[str], action_text: str) -> list[str]:
    """The decisions of an agenda item that concern the action item (sharing a word with its title or description);
    all of them when none does, so no decision is hidden."""
    stems = _stems(action_text)
    related = [line for line in decisions if _stems(line) & stems]
    return related or list(decisions)


def _figure_origin(figure: dict) -> FigureOrigin:
    options = [o for o in figure.get("options", []) if o.get("percent") is not None]
    top = max(options, key=lambda o: o["percent"]) if options and figure.get("kind") != "scale" else None
    return FigureOrigin(
        text=figure.get("text", ""), respondents=figure["respondents"], mean=figure.get("mean"),
        low_label=figure.get("low_label", ""), high_label=figure.get("high_label", ""),
        top=(top["label"], top["percent"]) if top else None, group=figure.get("group"),
    )


def public_words(view: FollowUpView, language: str) -> tuple[str, str]:
    """What the public page says for an item: the statement in the visitor's language (else German); for a declined
    item without a statement, the reason given."""
    text, lang = view.statement_in(language)
    if not text and view.status is FollowUpStatus.DECLINED:
        return view.reason_in(language)
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


async def action_origin(action_id: int, round_id: int) -> tuple[Origin, int]:
    """What led to one published action item, from the newest published minutes version (public or for the centres
    only), and the privacy threshold those minutes used: for the item's page and its offering."""
    from participation.dialogues.services.published import list_versions, version_snapshot

    versions = await list_versions(round_id)
    snapshot = await version_snapshot(versions[0].id) if versions else None
    threshold = int(((snapshot or {}).get("survey") or {}).get("threshold") or 0)
    origins = await _origins(round_id, snapshot or {}, [action_id], threshold)
    return origins.get(action_id, Origin()), threshold


async def actions_of_offering(centre_id: int, offering_id: int) -> list[FollowUpView]:
    """The published action items of a centre that led to one of its offerings (accepted with it)."""
    return [v for v in await _follow_ups(ActionItem.centre == centre_id) if v.offering_id == offering_id]
