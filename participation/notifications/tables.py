"""Piccolo tables of notifications: subscriptions, the outbox of mails, and the kept count of sent outcome mails.

Nothing here refers to a response: a subscription knows its round, its address, its language and the day only.
"""

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from participation.dialogues.tables import Round


class Subscription(Table, tablename="notification_subscription"):
    """An address to tell when a round's outcomes are published: pending until its owner confirms it."""

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False)
    email = Varchar(length=320)
    #: sha256 of round and the normalised address: one subscription per address and round, however often sent.
    address_key = Varchar(length=64, unique=True)
    language = Varchar(length=5, default="de")
    #: sha256 of the token in the mails' confirm and unsubscribe links (the token itself is derived from
    #: SECRET_KEY and the row, so the database alone does not hold a working link).
    token_hash = Varchar(length=64, unique=True)
    status = Varchar(length=10, default="pending", index=True)  # "pending" | "confirmed"
    created_on = Date()
    confirmed_on = Date(null=True, default=None)


class Mail(Table, tablename="notification_mail"):
    """One mail to send to a subscription; `key` ("<subscription>:<kind>") is unique, so no mail is queued twice."""

    subscription = ForeignKey(references=Subscription, on_delete=OnDelete.cascade, null=False)
    kind = Varchar(length=10)  # "confirm" | "outcomes"
    key = Varchar(length=40, unique=True)
    status = Varchar(length=10, default="queued", index=True)  # "queued" | "sent" | "failed"
    attempts = Integer(default=0)
    #: Due from then on; a sender takes a mail by moving this on (a claim), so a killed sender's mail falls due again.
    next_attempt_at = Timestamptz(index=True)
    last_error = Text(default="")


class SentCount(Table, tablename="notification_sent_count"):
    """Outcome mails sent per round: kept when the addresses are deleted, for the office's "N versandt"."""

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False, unique=True)
    outcomes_sent = Integer(default=0)
