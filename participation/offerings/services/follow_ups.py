"""The follow-up of published action items.

An action item (*Maßnahme*) counts as published once it stands in a published minutes version. From then on it is a
proposal in the responsible centre's inbox (the office's for city items, `centre` None). The centre accepts it
(linking a new or existing offering of its plan), marks it implemented, or declines it with a reason. Every change
is one row of `ActionStatusChange` (status, note, author, time): the history. The centre's words (*Stellungnahme*)
are public: German plus optional translations per parent language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from participation.dialogues.tables import ActionItem, MinutesVersion
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.offerings.schemas import FOLLOW_UP_LABELS, FollowUpStatus
from participation.offerings.services.plans import (
    NotFound,
    OfferingError,
    OfferingInput,
    create_offering,
    get_offering,
)
from participation.offerings.tables import ActionFollowUp, ActionStatusChange

MAX_STATEMENT_CHARS = 2000
MAX_NOTE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a centre's staff (centre_id set) or the office (acts for the city: centre_id None)."""

    user_id: int | None
    name: str
    centre_id: int | None
    is_office: bool


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
    #: The title and the decline reason for parents by language: {"title": {lang: text}, "reason": {lang: text}}.
    public_translations: dict[str, dict[str, str]] = field(default_factory=dict)

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

    def title_in(self, language: str) -> tuple[str, str]:
        """(title, language code) for parents: the staff's translation into `language` where given, else German."""
        text = self.public_translations.get("title", {}).get(language, "").strip() if language != "de" else ""
        return (text, language) if text else (self.title, "de")

    @property
    def decline_reason(self) -> str:
        """The German reason of the last decline ("" when none)."""
        reason, previous = "", None
        for entry in self.history:  # the note of each change *to* declined (not of later changes of the words)
            if entry.status is FollowUpStatus.DECLINED and previous is not FollowUpStatus.DECLINED:
                reason = entry.note
            previous = entry.status
        return reason

    def reason_in(self, language: str) -> tuple[str, str]:
        """(reason, language code) of the last decline in `language` where given, else German."""
        text = self.public_translations.get("reason", {}).get(language, "").strip() if language != "de" else ""
        return (text, language) if text else (self.decline_reason, "de")

    def missing_languages(self, languages: tuple[str, ...]) -> list[str]:
        """Parents' languages without a translation of what the public page shows in German: the title, the
        statement, and (for a declined item without a statement) the reason."""
        titles = self.public_translations.get("title", {})
        reasons = self.public_translations.get("reason", {})
        missing = []
        for language in languages:
            if not titles.get(language) or (self.statement and not self.translations.get(language)) or (
                    not self.statement and self.status is FollowUpStatus.DECLINED and self.decline_reason
                    and not reasons.get(language)):
                missing.append(language)
        return missing


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
            updated_at=state.get("updated_at"), public_translations=_loads(state.get("public_translations")),
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
#: The decisions on an item (its page's forms), by the status each leads to.
DECISIONS = {
    "accept": FollowUpStatus.ACCEPTED,
    "implement": FollowUpStatus.IMPLEMENTED,
    "decline": FollowUpStatus.DECLINED,
}


def allowed_decisions(view: FollowUpView) -> dict[str, bool]:
    """Which decisions the item's status allows now: the page offers only these, and the decisions refuse the
    others."""
    return {name: view.status in _ALLOWED_FROM[target] for name, target in DECISIONS.items()}


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


def _clean_translations(texts: dict[str, str] | None, field_prefix: str) -> dict[str, str]:
    cleaned = {}
    for language, text in (texts or {}).items():
        text = (text or "").strip()
        if len(text) > MAX_STATEMENT_CHARS:
            raise OfferingError(_("Die Übersetzung ist zu lang (höchstens %(n)s Zeichen).", n=MAX_STATEMENT_CHARS),
                                f"{field_prefix}_{language}")
        if text:
            cleaned[language] = text
    return cleaned


def _public_translations(view: FollowUpView, titles: dict[str, str] | None,
                         reasons: dict[str, str] | None) -> dict[str, dict[str, str]]:
    """The stored title and reason translations with the given ones applied (None keeps what is stored)."""
    current = view.public_translations
    return {
        "title": _clean_translations(titles, "title") if titles is not None else dict(current.get("title", {})),
        "reason": _clean_translations(reasons, "reason") if reasons is not None else dict(current.get("reason", {})),
    }


async def _record(view: FollowUpView, actor: Actor, status: FollowUpStatus, note: str, offering_id: int | None,
                  statement: str, translations: dict[str, str],
                  public_translations: dict[str, dict[str, str]] | None = None) -> None:
    now = datetime.now().astimezone()
    values = {
        "status": status.value, "offering": offering_id, "statement": statement, "translations": translations,
        "public_translations": public_translations if public_translations is not None else view.public_translations,
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


def chosen_offering(view: FollowUpView, offering: str | None, new_title: str | None = None,
                    new_kind: str | None = None) -> tuple[int | None, OfferingInput | None]:
    """What the accept form chose for an item: an offering of the centre's plan (its id, as the form sends it) or a
    new one (title and kind), as `accept_action` takes them; city items take none. `OfferingError` when a centre's
    item gets neither."""
    if view.centre_id is None:
        return None, None
    if offering:
        if (offering_id := parse_id(offering)) is None:
            raise OfferingError(_("Dieses Angebot gibt es im Angebotsplan nicht."), "offering")
        return offering_id, None
    if (new_title or "").strip():
        return None, OfferingInput(title=new_title, kind=new_kind or "")
    raise OfferingError(_("Bitte wählen Sie ein Angebot oder geben Sie den Titel eines neuen Angebots ein."),
                        "new_title")


async def accept_action(
    action_id: int, actor: Actor, *, offering_id: int | None = None, new_offering: OfferingInput | None = None,
    note: str = "", statement: str | None = None, translations: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
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
    await _record(view, actor, FollowUpStatus.ACCEPTED, note, offering_id, *words,
                  public_translations=_public_translations(view, titles, None))
    return offering_id


async def implement_action(action_id: int, actor: Actor, *, note: str = "", statement: str | None = None,
                           translations: dict[str, str] | None = None, titles: dict[str, str] | None = None) -> None:
    """Mark an accepted action item as implemented."""
    view = await _acting(action_id, actor, FollowUpStatus.IMPLEMENTED)
    words = _clean_words(statement if statement is not None else view.statement,
                         translations if translations is not None else view.translations)
    await _record(view, actor, FollowUpStatus.IMPLEMENTED, _note(note), view.offering_id, *words,
                  public_translations=_public_translations(view, titles, None))


async def decline_action(action_id: int, actor: Actor, *, reason: str, statement: str | None = None,
                         translations: dict[str, str] | None = None, titles: dict[str, str] | None = None,
                         reasons: dict[str, str] | None = None) -> None:
    """Decline a proposal (or an accepted item); the reason is required and kept in the history."""
    view = await _acting(action_id, actor, FollowUpStatus.DECLINED)
    reason = _note(reason)
    if not reason:
        raise OfferingError(_("Bitte begründen Sie die Ablehnung."), "reason")
    words = _clean_words(statement if statement is not None else view.statement,
                         translations if translations is not None else view.translations)
    await _record(view, actor, FollowUpStatus.DECLINED, reason, None, *words,
                  public_translations=_public_translations(view, titles, reasons if reasons is not None else {}))


async def update_statement(action_id: int, actor: Actor, *, statement: str, translations: dict[str, str],
                           titles: dict[str, str] | None = None) -> None:
    """Change the public words without changing the status (kept in the history too)."""
    view = await _acting(action_id, actor, None)
    words = _clean_words(statement, translations)
    await _record(view, actor, view.status, _("Stellungnahme geändert"), view.offering_id, *words,
                  public_translations=_public_translations(view, titles, None))
