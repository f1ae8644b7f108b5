"""Subscriptions: a parent leaves an address for a round, confirms it from a mail, is told of the outcomes once.

The answer to a subscription never says whether the address was known (no enumeration); a mail is queued at most
once per subscription and kind (the outbox's unique key); the address goes when its outcome mail has been sent,
when its owner unsubscribes, or, unconfirmed, after `NOTIFICATION_PENDING_DAYS`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email

from participation.db import transaction
from participation.dialogues.tables import MinutesVersion, Round
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.notifications.schemas import RoundCounts, RoundToFollow, SubscriptionView
from participation.notifications.tables import Mail, SentCount, Subscription
from participation.settings import PARENT_LANGUAGES

PENDING = "pending"
CONFIRMED = "confirmed"
CONFIRM = "confirm"
OUTCOMES = "outcomes"
#: Unconfirmed subscriptions one address may have at a time (across rounds): nobody fills a stranger's inbox.
PENDING_PER_ADDRESS = 3

CONFIRM_PATH = "/benachrichtigung/bestaetigen/{token:str}"
UNSUBSCRIBE_PATH = "/benachrichtigung/abmelden/{token:str}"


class NotificationError(DomainError):
    """An address or link the notification service cannot use."""


def normalised_address(raw: str) -> str:
    """The address as it will be used, or NotificationError with a message for the parent (no DNS lookup)."""
    raw = (raw or "").strip()
    if not raw:
        raise NotificationError(_("Bitte geben Sie Ihre E-Mail-Adresse ein."), "email")
    if len(raw) > 320:
        raise NotificationError(_("Diese E-Mail-Adresse ist zu lang."), "email")
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        raise NotificationError(_("Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel "
                                  "name@beispiel.de."), "email") from None


def _address_key(round_id: int, address: str) -> str:
    return hashlib.sha256(f"{round_id}\x00{address.lower()}".encode()).hexdigest()


def link_token(secret_key: str, subscription_id: int, address_key: str) -> str:
    """The token of a subscription's confirm and unsubscribe links: derived from SECRET_KEY and the row, so the
    sender can put it in every mail while the database holds only its hash."""
    key = hashlib.sha256(f"notification-links:{secret_key}".encode()).digest()
    digest = hmac.new(key, f"{subscription_id}:{address_key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def round_is_public(round_id: int) -> bool:
    return await MinutesVersion.exists().where((MinutesVersion.round == round_id) & MinutesVersion.public.eq(True))


async def round_to_follow(round_id: int | None = None) -> RoundToFollow | None:
    """The round a parent can ask to be told about: `round_id` if given and its outcomes are not public yet, else
    (for the outcome pages) the newest round whose outcomes are not public yet."""
    public = {row["round"] for row in await MinutesVersion.select(MinutesVersion.round).where(
        MinutesVersion.public.eq(True)).distinct()}
    query = Round.select(Round.id, Round.title)
    if round_id is not None:
        query = query.where(Round.id == round_id)
    for row in await query.order_by(Round.year, ascending=False).order_by(Round.id, ascending=False):
        if row["id"] not in public:
            return RoundToFollow(row["id"], row["title"])
    return None


async def subscribe(round_id: int, raw_address: str, language: str, *, secret_key: str,
                    today: date | None = None) -> bool:
    """Store a pending subscription and queue its confirm mail; True when a mail was queued.

    Whatever the outcome (new, already pending or confirmed, too many pending for this address), the caller shows
    the same page, so nobody learns from it whether an address is subscribed.
    """
    address = normalised_address(raw_address)
    if await round_to_follow(round_id) is None:
        raise NotificationError(_("Für diese Runde sind die Ergebnisse schon veröffentlicht."), "email")
    language = language if language in PARENT_LANGUAGES else "de"
    today = today or datetime.now(UTC).date()
    key = _address_key(round_id, address)
    async with transaction():
        pending = await Subscription.count().where(
            (Subscription.email == address) & (Subscription.status == PENDING))
        if pending >= PENDING_PER_ADDRESS:
            return False
        rows = await Subscription.insert(Subscription(
            round=round_id, email=address, address_key=key, language=language,
            token_hash=secrets.token_hex(32), status=PENDING, created_on=today,
        )).on_conflict(target=Subscription.address_key, action="DO NOTHING").returning(Subscription.id)
        if not rows:
            return False
        subscription_id = rows[0]["id"]
        await Subscription.update({
            Subscription.token_hash: token_hash(link_token(secret_key, subscription_id, key)),
        }).where(Subscription.id == subscription_id)
        await _queue(subscription_id, CONFIRM)
    return True


async def _queue(subscription_id: int, kind: str, now: datetime | None = None) -> bool:
    rows = await Mail.insert(Mail(
        subscription=subscription_id, kind=kind, key=f"{subscription_id}:{kind}", status="queued",
        next_attempt_at=now or datetime.now(UTC),
    )).on_conflict(target=Mail.key, action="DO NOTHING").returning(Mail.id)
    return bool(rows)


async def by_token(token: str) -> SubscriptionView | None:
    """The subscription a link's token belongs to, or None (unknown, unsubscribed or deleted)."""
    if not token or len(token) > 100:
        return None
    row = await Subscription.select(
        Subscription.id, Subscription.round, Subscription.round.title.as_alias("title"), Subscription.status,
        Subscription.language,
    ).where(Subscription.token_hash == token_hash(token)).first()
    if row is None:
        return None
    return SubscriptionView(row["id"], row["round"], row["title"], row["status"], row["language"])


async def confirm(token: str, today: date | None = None) -> SubscriptionView:
    """Confirm a subscription (confirming twice is fine); if the round's outcomes are public already, its outcome
    mail is queued at once."""
    view = await by_token(token)
    if view is None:
        raise NotificationError(_("Dieser Link ist nicht mehr gültig. Vielleicht haben Sie sich schon abgemeldet "
                                  "oder die Bestätigung ist abgelaufen."))
    if view.status == PENDING:
        await Subscription.update({
            Subscription.status: CONFIRMED, Subscription.confirmed_on: today or datetime.now(UTC).date(),
        }).where((Subscription.id == view.id) & (Subscription.status == PENDING))
        if await round_is_public(view.round_id):
            await queue_outcome_mails(view.round_id)
    return SubscriptionView(view.id, view.round_id, view.round_title, CONFIRMED, view.language)


async def unsubscribe(token: str) -> bool:
    """Delete the subscription (and its queued mails) at once; False when the link was unknown."""
    rows = await Subscription.delete().where(Subscription.token_hash == token_hash(token)).returning(Subscription.id)
    return bool(rows)


async def queue_outcome_mails(round_id: int) -> int:
    """One outcome mail per confirmed subscription of the round; queuing again adds nothing. Returns how many
    were queued now."""
    await SentCount.insert(SentCount(round=round_id, outcomes_sent=0)).on_conflict(
        target=SentCount.round, action="DO NOTHING")
    confirmed = await Subscription.select(Subscription.id).where(
        (Subscription.round == round_id) & (Subscription.status == CONFIRMED))
    if not confirmed:
        return 0
    now = datetime.now(UTC)
    rows = await Mail.insert(*[
        Mail(subscription=row["id"], kind=OUTCOMES, key=f"{row['id']}:{OUTCOMES}", status="queued", next_attempt_at=now)
        for row in confirmed
    ]).on_conflict(target=Mail.key, action="DO NOTHING").returning(Mail.id)
    return len(rows)


async def stale_pending(now: datetime, days: int) -> list[dict]:
    """Unconfirmed subscriptions per round and the day the oldest of them is deleted (for the retention page)."""
    rows = await Subscription.select(Subscription.round.title.as_alias("title"), Subscription.created_on).where(
        Subscription.status == PENDING)
    per_round: dict[str, list[date]] = {}
    for row in rows:
        per_round.setdefault(row["title"], []).append(row["created_on"])
    return [{"subject": title, "count": len(days_), "due": datetime.combine(
        min(days_) + timedelta(days=days), datetime.min.time(), tzinfo=now.tzinfo)}
        for title, days_ in sorted(per_round.items())]


async def delete_stale_pending(now: datetime, days: int) -> int:
    """Delete unconfirmed subscriptions created `days` or more days before `now`."""
    rows = await Subscription.delete().where(
        (Subscription.status == PENDING) & (Subscription.created_on <= (now - timedelta(days=days)).date())
    ).returning(Subscription.id)
    return len(rows)


async def counts_per_round() -> list[RoundCounts]:
    """Pending and confirmed subscriptions, queued and failed mails, and sent outcome mails per round."""
    counts: dict[int, dict[str, int]] = {}
    for row in await Subscription.select(Subscription.round, Subscription.status):
        bucket = counts.setdefault(row["round"], {})
        bucket[row["status"]] = bucket.get(row["status"], 0) + 1
    for row in await Mail.select(Mail.subscription.round.as_alias("round"), Mail.status).where(
            Mail.status.is_in(["queued", "failed"])):
        bucket = counts.setdefault(row["round"], {})
        bucket[row["status"]] = bucket.get(row["status"], 0) + 1
    for row in await SentCount.select(SentCount.round, SentCount.outcomes_sent):
        counts.setdefault(row["round"], {})["sent"] = row["outcomes_sent"]
    titles = {row["id"]: row["title"] for row in await Round.select(Round.id, Round.title)}
    return [RoundCounts(round_id, titles.get(round_id, ""), c.get(PENDING, 0), c.get(CONFIRMED, 0),
                        c.get("queued", 0), c.get("failed", 0), c.get("sent", 0))
            for round_id, c in sorted(counts.items(), reverse=True)]


async def retry_failed(round_id: int) -> int:
    """Queue the round's failed mails again, with a fresh budget of attempts."""
    ids = [row["id"] for row in await Mail.select(Mail.id).where(
        (Mail.status == "failed") & (Mail.subscription.round == round_id))]
    if not ids:
        return 0
    await Mail.update({Mail.status: "queued", Mail.attempts: 0, Mail.next_attempt_at: datetime.now(UTC),
                       Mail.last_error: ""}).where(Mail.id.is_in(ids))
    return len(ids)
