"""Offering plans and the follow-up of action items (steps 6-7 of the loop).

* A centre's *Angebotsplan* (offering plan) is edited by that centre's staff only; the office reads every plan.
* An action item (*Maßnahme*) counts as published once its round has at least one published minutes version. From
  then on it is a proposal in the responsible centre's inbox (the office's for city items, `centre` None). The centre
  accepts it (linking a new or existing offering of its plan), marks it implemented, or declines it with a reason.
  Every change is one row of `ActionStatusChange` (status, note, author, time): the history.
* The centre's words (*Stellungnahme*) are public: German plus optional translations per parent language; the page
  "Was ist aus Ihren Anregungen geworden?" shows them in the visitor's language where given, else in German.
* Trends compare questions with the same key across rounds per district, from `results.survey_results` (so every
  point passes the same suppression as the results pages).

Another centre's offering or action item is reported as not found (404), exactly like an unknown id, so no one can
probe which ids exist elsewhere.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from participation.dialogues.tables import ActionItem, MinutesVersion, Round
from participation.directory.schemas import CentreOut
from participation.directory.services import get_centre, list_centres
from participation.documents.formatting import numeric_date
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.offerings.schemas import (
    FOLLOW_UP_LABELS,
    KIND_LABELS,
    OFFERING_STATUS_LABELS,
    FollowUpStatus,
    OfferingKind,
    OfferingStatus,
)
from participation.offerings.tables import ActionFollowUp, ActionStatusChange, Offering
from participation.settings import PACKAGE_ROOT
from participation.web.templating import pdf_templates

MAX_OFFERINGS_PER_CENTRE = 500
MAX_STATEMENT_CHARS = 2000
MAX_NOTE_CHARS = 2000
#: How many key questions the centre dashboard shows a trend for.
DASHBOARD_TREND_KEYS = 3


class OfferingError(DomainError):
    """A request about offerings or follow-ups cannot be done as asked; `str(error)` is the message for the user."""


class NotFound(LookupError):
    """Unknown id, or an id of another centre (both answered alike, as 404)."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a centre's staff (centre_id set) or the office (acts for the city: centre_id None)."""

    user_id: int
    name: str
    centre_id: int | None
    is_office: bool


# --- offerings -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OfferingOut:
    id: int
    centre_id: int
    title: str
    kind: OfferingKind
    topic: str
    target_group: str
    languages: str
    schedule: str
    capacity: int | None
    status: OfferingStatus
    updated_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def status_label(self) -> str:
        return str(OFFERING_STATUS_LABELS[self.status])


@dataclass(slots=True)
class OfferingInput:
    title: str
    kind: str
    topic: str = ""
    target_group: str = ""
    languages: str = ""
    schedule: str = ""
    capacity: int | None = None
    status: str = OfferingStatus.PLANNED.value


def _offering(row: dict) -> OfferingOut:
    return OfferingOut(
        id=row["id"], centre_id=row["centre"], title=row["title"], kind=OfferingKind(row["kind"]), topic=row["topic"],
        target_group=row["target_group"], languages=row["languages"], schedule=row["schedule"],
        capacity=row["capacity"], status=OfferingStatus(row["status"]), updated_at=row.get("updated_at"),
    )


_STATUS_ORDER = {OfferingStatus.RUNNING: 0, OfferingStatus.PLANNED: 1, OfferingStatus.ENDED: 2}


async def list_offerings(centre_id: int) -> list[OfferingOut]:
    """A centre's plan: running offerings first, then planned, then ended; by title within each."""
    rows = await Offering.select().where(Offering.centre == centre_id)
    offerings = [_offering(row) for row in rows]
    offerings.sort(key=lambda o: (_STATUS_ORDER[o.status], o.title.casefold(), o.id))
    return offerings


async def get_offering(centre_id: int, offering_id: int) -> OfferingOut:
    """An offering of this centre's plan; `NotFound` for an unknown id or another centre's offering."""
    row = await Offering.select().where((Offering.id == offering_id) & (Offering.centre == centre_id)).first()
    if row is None:
        raise NotFound(offering_id)
    return _offering(row)


def _check_offering(data: OfferingInput) -> dict:
    title = (data.title or "").strip()
    if not title:
        raise OfferingError(_("Bitte geben Sie einen Titel ein."), "title")
    if data.kind not in {k.value for k in OfferingKind}:
        raise OfferingError(_("Bitte wählen Sie eine Art des Angebots."), "kind")
    if data.status not in {s.value for s in OfferingStatus}:
        raise OfferingError(_("Bitte wählen Sie einen Stand."), "status")
    if data.capacity is not None and not 0 < data.capacity <= 10_000:
        raise OfferingError(_("Bitte geben Sie eine Zahl zwischen 1 und 10000 an."), "capacity")
    return {
        "title": title[:200], "kind": data.kind, "topic": data.topic.strip()[:200],
        "target_group": data.target_group.strip()[:200], "languages": data.languages.strip()[:200],
        "schedule": data.schedule.strip()[:300], "capacity": data.capacity, "status": data.status,
    }


async def create_offering(centre_id: int, data: OfferingInput) -> int:
    """Add an offering to a centre's plan."""
    values = _check_offering(data)
    if await Offering.count().where(Offering.centre == centre_id) >= MAX_OFFERINGS_PER_CENTRE:
        raise OfferingError(_("Der Angebotsplan hat schon %(n)s Angebote.", n=MAX_OFFERINGS_PER_CENTRE), "title")
    rows = await Offering.insert(Offering(centre=centre_id, **values)).returning(Offering.id)
    return rows[0]["id"]


async def update_offering(centre_id: int, offering_id: int, data: OfferingInput) -> None:
    """Change an offering of this centre's plan (`NotFound` for another centre's)."""
    await get_offering(centre_id, offering_id)
    values = {getattr(Offering, name): value for name, value in _check_offering(data).items()}
    values[Offering.updated_at] = datetime.now().astimezone()
    await Offering.update(values).where((Offering.id == offering_id) & (Offering.centre == centre_id))


# --- published action items and their follow-up ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HistoryEntry:
    status: FollowUpStatus
    note: str
    offering_title: str | None
    author: str
    at: datetime

    @property
    def status_label(self) -> str:
        return str(FOLLOW_UP_LABELS[self.status])


@dataclass(slots=True)
class FollowUpView:
    """One published action item with its follow-up (a proposal until someone acts)."""

    action_id: int
    round_id: int
    round_title: str
    title: str
    description: str
    centre_id: int | None
    responsible: str
    operator: str
    due_date: date | None
    status: FollowUpStatus
    offering_id: int | None
    offering_title: str | None
    statement: str
    translations: dict[str, str]
    updated_at: datetime | None
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(FOLLOW_UP_LABELS[self.status])

    @property
    def open(self) -> bool:
        return self.status in (FollowUpStatus.PROPOSED, FollowUpStatus.ACCEPTED)

    def overdue(self, today: date | None = None) -> bool:
        """Not yet implemented or declined, and past its due date."""
        return self.open and self.due_date is not None and self.due_date < (today or date.today())

    def statement_in(self, language: str) -> tuple[str, str]:
        """(text, language code) of the public words in `language` where given, else German."""
        text = (self.translations or {}).get(language, "").strip() if language != "de" else ""
        if text:
            return text, language
        return self.statement, "de"


def _loads(value: Any) -> dict:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value else {}
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


async def published_round_ids(public_only: bool = False) -> set[int]:
    """Rounds with at least one published (or public) minutes version."""
    query = MinutesVersion.select(MinutesVersion.round).distinct()
    if public_only:
        query = query.where(MinutesVersion.public.eq(True))
    return {row["round"] for row in await query}


async def published_action_ids(public_only: bool = False) -> set[int]:
    """Action items that stand in a published (or public) minutes version; items added since are still drafts."""
    query = MinutesVersion.select(MinutesVersion.snapshot)
    if public_only:
        query = query.where(MinutesVersion.public.eq(True))
    ids: set[int] = set()
    for row in await query:
        ids.update(a["id"] for a in _loads(row["snapshot"]).get("actions", []) if "id" in a)
    return ids


async def _follow_ups(*conditions: Any, with_history: bool = False, public_only: bool = False) -> list[FollowUpView]:
    """Published action items matching `conditions`, with follow-ups (a fixed few queries, no query per item)."""
    published = await published_action_ids(public_only)
    if not published:
        return []
    where = ActionItem.id.is_in(sorted(published))
    for condition in conditions:
        where = where & condition
    rows = await ActionItem.select(
        ActionItem.id, ActionItem.round, ActionItem.title, ActionItem.description, ActionItem.centre,
        ActionItem.due_date, ActionItem.round.title.as_alias("round_title"),
        ActionItem.centre.name.as_alias("centre_name"),
        ActionItem.centre.operator.name.as_alias("operator_name"),
    ).where(where).order_by(ActionItem.id)
    ids = [row["id"] for row in rows]
    states = {
        row["action"]: row for row in await ActionFollowUp.select(
            ActionFollowUp.all_columns(), ActionFollowUp.offering.title.as_alias("offering_title"),
        ).where(ActionFollowUp.action.is_in(ids))
    } if ids else {}
    views = []
    for row in rows:
        state = states.get(row["id"], {})
        views.append(FollowUpView(
            action_id=row["id"], round_id=row["round"], round_title=row["round_title"], title=row["title"],
            description=row["description"], centre_id=row["centre"],
            responsible=row["centre_name"] or _("Stadtverwaltung"), operator=row["operator_name"] or "",
            due_date=row["due_date"], status=FollowUpStatus(state.get("status", FollowUpStatus.PROPOSED.value)),
            offering_id=state.get("offering"), offering_title=state.get("offering_title"),
            statement=state.get("statement", ""), translations=_loads(state.get("translations")),
            updated_at=state.get("updated_at"),
        ))
    if with_history and ids:
        history: dict[int, list[HistoryEntry]] = {}
        for change in await ActionStatusChange.select(
            ActionStatusChange.all_columns(), ActionStatusChange.offering.title.as_alias("offering_title"),
        ).where(ActionStatusChange.action.is_in(ids)).order_by(ActionStatusChange.at).order_by(ActionStatusChange.id):
            history.setdefault(change["action"], []).append(HistoryEntry(
                status=FollowUpStatus(change["status"]), note=change["note"],
                offering_title=change["offering_title"], author=change["author_name"], at=change["at"],
            ))
        for view in views:
            view.history = history.get(view.action_id, [])
    return views


def _sorted(views: list[FollowUpView]) -> list[FollowUpView]:
    order = {FollowUpStatus.PROPOSED: 0, FollowUpStatus.ACCEPTED: 1, FollowUpStatus.IMPLEMENTED: 2,
             FollowUpStatus.DECLINED: 3}
    return sorted(views, key=lambda v: (order[v.status], v.due_date or date.max, v.action_id))


async def inbox(centre_id: int | None) -> list[FollowUpView]:
    """The published action items a centre (or, with None, the city office) is responsible for."""
    condition = ActionItem.centre.is_null() if centre_id is None else (ActionItem.centre == centre_id)
    return _sorted(await _follow_ups(condition))


async def get_follow_up(action_id: int, actor: Actor | None = None) -> FollowUpView:
    """One published action item with its history. With an `actor`, only one they may act on (else `NotFound`);
    without, any published item (the office reads every item)."""
    views = await _follow_ups(ActionItem.id == action_id, with_history=True)
    if not views:
        raise NotFound(action_id)
    view = views[0]
    if actor is not None and not may_act(actor, view):
        raise NotFound(action_id)
    return view


def may_act(actor: Actor, view: FollowUpView) -> bool:
    """Centre staff act on their centre's items, the office on the city's."""
    if actor.is_office:
        return view.centre_id is None
    return actor.centre_id is not None and view.centre_id == actor.centre_id


#: Which status each decision may start from.
_ALLOWED_FROM = {
    FollowUpStatus.ACCEPTED: {FollowUpStatus.PROPOSED, FollowUpStatus.DECLINED},
    FollowUpStatus.IMPLEMENTED: {FollowUpStatus.ACCEPTED},
    FollowUpStatus.DECLINED: {FollowUpStatus.PROPOSED, FollowUpStatus.ACCEPTED},
}


def _clean_words(statement: str | None, translations: dict[str, str] | None) -> tuple[str, dict[str, str]]:
    statement = (statement or "").strip()
    if len(statement) > MAX_STATEMENT_CHARS:
        raise OfferingError(_("Die Stellungnahme ist zu lang (höchstens %(n)s Zeichen).", n=MAX_STATEMENT_CHARS),
                            "statement")
    cleaned = {}
    for language, text in (translations or {}).items():
        text = (text or "").strip()
        if len(text) > MAX_STATEMENT_CHARS:
            raise OfferingError(_("Die Übersetzung ist zu lang (höchstens %(n)s Zeichen).", n=MAX_STATEMENT_CHARS),
                                f"statement_{language}")
        if text:
            cleaned[language] = text
    if cleaned and not statement:
        raise OfferingError(_("Bitte schreiben Sie die Stellungnahme auch auf Deutsch."), "statement")
    return statement, cleaned


async def _record(view: FollowUpView, actor: Actor, status: FollowUpStatus, note: str, offering_id: int | None,
                  statement: str, translations: dict[str, str]) -> None:
    now = datetime.now().astimezone()
    values = {
        "status": status.value, "offering": offering_id, "statement": statement, "translations": translations,
        "updated_at": now, "updated_by": actor.user_id,
    }
    if await ActionFollowUp.exists().where(ActionFollowUp.action == view.action_id):
        await ActionFollowUp.update({getattr(ActionFollowUp, k): v for k, v in values.items()}).where(
            ActionFollowUp.action == view.action_id
        )
    else:
        await ActionFollowUp.insert(ActionFollowUp(action=view.action_id, **values))
    await ActionStatusChange.insert(ActionStatusChange(
        action=view.action_id, status=status.value, note=note, offering=offering_id, author=actor.user_id,
        author_name=actor.name[:200], at=now,
    ))


async def _acting(action_id: int, actor: Actor, target: FollowUpStatus | None) -> FollowUpView:
    view = await get_follow_up(action_id, actor)
    if target is not None and view.status not in _ALLOWED_FROM[target]:
        raise OfferingError(_("Diese Maßnahme ist „%(status)s“ und kann nicht „%(target)s“ werden.",
                              status=view.status_label, target=str(FOLLOW_UP_LABELS[target])), "status")
    return view


def _note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise OfferingError(_("Die Notiz ist zu lang (höchstens %(n)s Zeichen).", n=MAX_NOTE_CHARS), "note")
    return note


async def accept_action(
    action_id: int, actor: Actor, *, offering_id: int | None = None, new_offering: OfferingInput | None = None,
    note: str = "", statement: str | None = None, translations: dict[str, str] | None = None,
) -> int | None:
    """Accept a proposal: link an existing offering of the centre's plan or create a new one (returns its id).

    City items (the office) need no offering.
    """
    view = await _acting(action_id, actor, FollowUpStatus.ACCEPTED)
    note = _note(note)
    words = _clean_words(statement if statement is not None else view.statement,
                         translations if translations is not None else view.translations)
    if view.centre_id is not None:
        if offering_id is None and new_offering is None:
            raise OfferingError(_("Bitte wählen Sie ein Angebot oder legen Sie ein neues an."), "offering")
        if offering_id is not None:
            try:
                await get_offering(view.centre_id, offering_id)
            except NotFound:
                raise OfferingError(_("Dieses Angebot gibt es im Angebotsplan nicht."), "offering") from None
        else:
            offering_id = await create_offering(view.centre_id, new_offering)
    else:
        offering_id = None
    await _record(view, actor, FollowUpStatus.ACCEPTED, note, offering_id, *words)
    return offering_id


async def implement_action(action_id: int, actor: Actor, *, note: str = "", statement: str | None = None,
                           translations: dict[str, str] | None = None) -> None:
    """Mark an accepted action item as implemented."""
    view = await _acting(action_id, actor, FollowUpStatus.IMPLEMENTED)
    words = _clean_words(statement if statement is not None else view.statement,
                         translations if translations is not None else view.translations)
    await _record(view, actor, FollowUpStatus.IMPLEMENTED, _note(note), view.offering_id, *words)


async def decline_action(action_id: int, actor: Actor, *, reason: str, statement: str | None = None,
                         translations: dict[str, str] | None = None) -> None:
    """Decline a proposal (or an accepted item); the reason is required and kept in the history."""
    view = await _acting(action_id, actor, FollowUpStatus.DECLINED)
    reason = _note(reason)
    if not reason:
        raise OfferingError(_("Bitte begründen Sie die Ablehnung."), "reason")
    words = _clean_words(statement if statement is not None else view.statement,
                         translations if translations is not None else view.translations)
    await _record(view, actor, FollowUpStatus.DECLINED, reason, None, *words)


async def update_statement(action_id: int, actor: Actor, *, statement: str, translations: dict[str, str]) -> None:
    """Change the public words without changing the status (kept in the history too)."""
    view = await _acting(action_id, actor, None)
    words = _clean_words(statement, translations)
    await _record(view, actor, view.status, _("Stellungnahme geändert"), view.offering_id, *words)


# --- the office's overview -------------------------------------------------------------------------------------------

@dataclass(slots=True)
class OverviewGroup:
    """The action items of one responsible party (a centre with its operator, or the city office)."""

    centre_id: int | None
    name: str
    operator: str
    items: list[FollowUpView]
    counts: dict[str, int]
    overdue: int


async def office_overview(*, status: str | None = None, today: date | None = None) -> list[OverviewGroup]:
    """Every published action item, grouped by centre (city office first, then by operator and centre)."""
    views = _sorted(await _follow_ups())
    if status:
        views = [v for v in views if v.status.value == status]
    groups: dict[int | None, OverviewGroup] = {}
    for view in views:
        group = groups.get(view.centre_id)
        if group is None:
            group = groups[view.centre_id] = OverviewGroup(
                centre_id=view.centre_id, name=view.responsible, operator=view.operator, items=[],
                counts={s.value: 0 for s in FollowUpStatus}, overdue=0,
            )
        group.items.append(view)
        group.counts[view.status.value] += 1
        group.overdue += view.overdue(today)
    return sorted(groups.values(), key=lambda g: (g.centre_id is not None, g.operator.casefold(),
                                                  g.name.casefold()))


def _csv(rows: list[list[Any]]) -> bytes:
    """CSV for German Excel: UTF-8 with BOM, ";" separated (as the survey exports)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else _csv_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(cell: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


async def overview_csv(today: date | None = None) -> bytes:
    today = today or date.today()
    rows: list[list[Any]] = [[
        _("Runde"), _("Träger"), _("Zuständig"), _("Maßnahme"), _("Fällig bis"), _("Stand"), _("Überfällig"),
        _("Angebot"), _("Stellungnahme"), _("Zuletzt geändert"),
    ]]
    for group in await office_overview(today=today):
        for v in group.items:
            rows.append([
                v.round_title, v.operator, v.responsible, v.title, v.due_date.isoformat() if v.due_date else "",
                v.status_label, _("ja") if v.overdue(today) else _("nein"), v.offering_title or "", v.statement,
                v.updated_at.date().isoformat() if v.updated_at else "",
            ])
    return _csv(rows)


# --- the public page: what became of your input ----------------------------------------------------------------------

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


# --- trends across rounds --------------------------------------------------------------------------------------------

TREND_KINDS = ("scale", "yesno", "single")


@dataclass(frozen=True, slots=True)
class TrendKey:
    key: str
    kind: str
    text: str
    rounds: int


async def trend_keys() -> list[TrendKey]:
    """Question keys asked (as scale, yes/no or single choice, the same kind) in the surveys of two or more rounds."""
    from participation.surveys.tables import Question

    rows = await Question.select(
        Question.key, Question.kind, Question.survey, Question.survey.round.as_alias("round"),
    ).where(Question.kind.is_in(list(TREND_KINDS)))
    rounds: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        rounds.setdefault((row["key"], row["kind"]), set()).add(row["round"])
    keys = [(key, kind, len(found)) for (key, kind), found in rounds.items() if len(found) >= 2]
    texts = await _question_texts([k for k, _kind, _n in keys])
    return sorted((TrendKey(key=k, kind=kind, text=texts.get(k, k), rounds=n) for k, kind, n in keys),
                  key=lambda t: t.text.casefold())


async def _question_texts(keys: list[str]) -> dict[str, str]:
    """The German text of each key's most recent question."""
    from participation.surveys.tables import Question

    if not keys:
        return {}
    found: dict[str, str] = {}
    for row in await Question.select(Question.key, Question.texts).where(Question.key.is_in(keys)).order_by(
        Question.id
    ):
        texts = _loads(row["texts"])
        text = texts.get("de", {}).get("text") if isinstance(texts.get("de"), dict) else texts.get("text")
        found[row["key"]] = text or found.get(row["key"]) or row["key"]
    return found


@dataclass(slots=True)
class TrendPoint:
    """One district in one round: `value` None with `suppressed` True means hidden, else None means no answers."""

    value: float | None
    respondents: int | None
    suppressed: bool


@dataclass(slots=True)
class Trend:
    key: str
    kind: str
    text: str
    #: What is plotted, in words (e.g. "Mittelwert (1 = gar nicht, 5 = sehr)").
    measure: str
    option: str | None
    options: list[tuple[str, str]]
    rounds: list[tuple[int, str]]
    #: district name -> one point per round
    series: dict[str, list[TrendPoint]]
    y_min: float
    y_max: float
    decimals: int

    @property
    def empty(self) -> bool:
        return not self.rounds


def _round_order(row: dict) -> tuple[int, int]:
    return row["year"], 1 if row["season"] == "autumn" else 0


async def district_trend(key: str, *, threshold: int, district_id: int | None = None,
                         option: str | None = None) -> Trend | None:
    """The figure of question `key` per district over the rounds whose surveys ask it; None for an unknown key.

    Scale: the mean (1–5). Yes/no: the share answering "yes". Single choice: the share of one option (`option`,
    default the first). Every point comes from `survey_results` (the same suppression as the results pages): a
    district whose figure is hidden there is a gap here, marked "unterdrückt".
    """
    from participation.surveys.services.results import survey_results
    from participation.surveys.tables import Question

    rows = await Question.select(
        Question.survey, Question.kind, Question.survey.round.as_alias("round"),
        Question.survey.round.title.as_alias("round_title"), Question.survey.round.year.as_alias("year"),
        Question.survey.round.season.as_alias("season"),
    ).where((Question.key == key) & Question.kind.is_in(list(TREND_KINDS)))
    if not rows:
        return None
    kinds = {row["kind"] for row in rows}
    kind = rows[-1]["kind"] if len(kinds) == 1 else max(kinds, key=lambda k: sum(r["kind"] == k for r in rows))
    rows = sorted((r for r in rows if r["kind"] == kind), key=_round_order)
    districts = {d.id: d.name for d in await _districts()}
    if district_id is not None:
        districts = {district_id: districts.get(district_id, "?")}
    series: dict[str, list[TrendPoint]] = {name: [] for name in sorted(districts.values(), key=str.casefold)}
    text = key
    low = high = ""
    options: list[tuple[str, str]] = []
    for row in rows:
        results = await survey_results(row["survey"], threshold=threshold)
        question = next((q for q in results.questions if q.key == key), None) if results else None
        if question is not None:
            text = question.text
            low, high = question.low_label, question.high_label
            if kind == "single" and question.options:
                options = [(o.value, o.label) for o in question.options]
        if kind == "yesno":
            option = "yes"
        elif kind == "single" and option is None and options:
            option = options[0][0]
        for did, name in districts.items():
            series[name].append(_point(results, question, did, kind, option))
    measure = {
        "scale": _("Mittelwert (1 = %(low)s, 5 = %(high)s)", low=low or "1", high=high or "5"),
        "yesno": _("Anteil „Ja“ in Prozent der Befragten"),
        "single": _("Anteil „%(option)s“ in Prozent der Befragten",
                    option=dict(options).get(option or "", option or "")),
    }[kind]
    return Trend(
        key=key, kind=kind, text=text, measure=measure, option=option, options=options,
        rounds=[(r["round"], r["round_title"]) for r in rows], series=series,
        y_min=1.0 if kind == "scale" else 0.0, y_max=5.0 if kind == "scale" else 100.0,
        decimals=1 if kind == "scale" else 0,
    )


async def _districts():
    from participation.directory.services import list_districts

    return await list_districts()


def _point(results, question, district_id: int, kind: str, option: str | None) -> TrendPoint:
    if results is None or results.suppressed or question is None or question.crosstab is None:
        # No figure at all for this survey (too few answers overall) or the question was suppressed as a whole.
        hidden = results is not None and (results.suppressed or (question is not None and question.suppressed))
        return TrendPoint(None, None, hidden)
    columns = [c.district_id for c in question.crosstab.columns]
    if district_id not in columns:
        return TrendPoint(None, 0, False)
    index = columns.index(district_id)
    respondents = question.crosstab.columns[index].respondents
    if respondents is None:
        return TrendPoint(None, None, True)
    if kind == "scale":
        value = question.crosstab.means[index] if question.crosstab.means else None
    else:
        row = next((r for r in question.crosstab.rows if r.value == option), None)
        value = row.percents[index] if row is not None else None
        if row is not None and row.counts[index] is None:
            return TrendPoint(None, respondents, True)
    return TrendPoint(value, respondents, value is None and respondents > 0)


def trend_chart(trend: Trend, chart_id: str | None = None) -> str:
    """The trend as an accessible SVG line chart (gaps where suppressed or without answers)."""
    from participation.documents.charts import line_chart
    from participation.surveys.services.results import chart_texts

    return line_chart(
        trend.text, [title for _id, title in trend.rounds],
        {name: [p.value for p in points] for name, points in trend.series.items()},
        y_label=trend.measure, y_min=trend.y_min, y_max=trend.y_max, decimals=trend.decimals,
        chart_id=chart_id or f"trend-{trend.key}", texts=chart_texts(),
    )


# --- the centre's dashboard ------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Dashboard:
    centre: CentreOut
    summary: dict | None
    actions: list[FollowUpView]
    counts: dict[str, int]
    offerings: list[OfferingOut]
    trends: list[Trend]


async def centre_dashboard(centre_id: int, *, threshold: int) -> Dashboard | None:
    """A centre's feedback summary: district results and themes of the latest round (suppressed, from the minutes'
    centre summary), trends of a few key questions for its district, its action items by status, its plan."""
    from participation.dialogues.services.snapshots import centre_summary_snapshot

    centre = await get_centre(centre_id)
    if centre is None:
        return None
    summary = await centre_summary_snapshot(centre_id, threshold=threshold)
    actions = await inbox(centre_id)
    counts = {s.value: sum(1 for a in actions if a.status is s) for s in FollowUpStatus}
    trends = []
    for key in (await trend_keys())[:DASHBOARD_TREND_KEYS]:
        trend = await district_trend(key.key, threshold=threshold, district_id=centre.district_id)
        if trend is not None:
            trends.append(trend)
    return Dashboard(centre=centre, summary=summary, actions=actions, counts=counts,
                     offerings=await list_offerings(centre_id), trends=trends)


# --- plan exports ----------------------------------------------------------------------------------------------------

def _plan_rows(offerings: list[OfferingOut]) -> list[list[Any]]:
    return [[o.title, o.kind_label, o.topic, o.target_group, o.languages, o.schedule, o.capacity, o.status_label]
            for o in offerings]


def plan_header() -> list[str]:
    return [_("Angebot"), _("Art"), _("Thema"), _("Zielgruppe"), _("Sprachen"), _("Termine"), _("Plätze"),
            _("Stand")]


async def plan_csv(centre_id: int) -> bytes:
    return _csv([plan_header(), *_plan_rows(await list_offerings(centre_id))])


def plan_filename(centre: CentreOut, extension: str) -> str:
    from participation.directory.services import slugify

    return f"angebotsplan-{slugify(centre.name)}.{extension}"


async def plan_pdf(centre_id: int) -> bytes:
    """The centre's plan as a tagged PDF. A plan is small (at most a few pages), so it renders synchronously in a
    thread instead of as a job."""
    from participation.documents.pdf import render_template_pdf

    centre = await get_centre(centre_id)
    if centre is None:
        raise NotFound(centre_id)
    offerings = await list_offerings(centre_id)
    title = _("Angebotsplan %(centre)s", centre=centre.name)
    context = {"centre": centre, "offerings": offerings, "header": plan_header(),
               "today": numeric_date(date.today())}
    env = pdf_templates()
    return await asyncio.to_thread(
        render_template_pdf, env, "pdf/offering_plan.html", context, title=title, lang="de",
        page_label=_("Seite {page} von {pages}"), static_root=PACKAGE_ROOT / "static", max_pages=60,
    )


# --- demo data -------------------------------------------------------------------------------------------------------

async def add_demo_follow_ups() -> int:
    """Demo: give each centre a small plan and let the centres answer some published action items; returns how many
    follow-ups were recorded. Safe to call once after the demo's minutes are published (needs a centre user or an
    office user as author)."""
    from participation.accounts.tables import User

    count = 0
    for centre in await list_centres():
        if not await Offering.exists().where(Offering.centre == centre.id):
            await create_offering(centre.id, OfferingInput(
                title="Elterncafé", kind="encounter", topic="Austausch im Stadtteil", target_group="Eltern mit Kindern "
                "bis 6 Jahre", languages="Deutsch, Türkisch, Arabisch", schedule="dienstags 9–11 Uhr", capacity=20,
                status="running"))
            await create_offering(centre.id, OfferingInput(
                title="Sprechstunde Erziehungsberatung", kind="counselling", target_group="Familien",
                languages="Deutsch", schedule="jeden ersten Donnerstag im Monat", capacity=6, status="planned"))
    users = await User.select(User.id, User.display_name, User.centre, User.role)
    for view in await _follow_ups():
        if view.status is not FollowUpStatus.PROPOSED:
            continue
        author = next((u for u in users if (u["centre"] == view.centre_id if view.centre_id else u["role"] ==
                                            "office")), None)
        if author is None:
            continue
        actor = Actor(author["id"], author["display_name"], view.centre_id, view.centre_id is None)
        if view.action_id % 3 == 0:
            await decline_action(view.action_id, actor, reason="Dafür fehlen uns derzeit Räume.",
                                 statement="Das können wir leider nicht anbieten: Uns fehlen die Räume.")
        else:
            new = None if view.centre_id is None else OfferingInput(title=view.title[:200], kind="education",
                                                                    status="planned")
            await accept_action(view.action_id, actor, new_offering=new,
                                statement="Wir setzen das um.", translations={"en": "We are doing this."})
            if view.action_id % 3 == 1:
                await implement_action(view.action_id, actor, note="Läuft seit diesem Monat.")
        count += 1
    return count
