"""Piccolo tables of the offerings domain: a centre's offering plan and the follow-up of action items.

*Angebot* is an offering of a centre (a course, counselling hour, parents' café, care); the *Angebotsplan* is the
list of a centre's offerings. A *Maßnahme* (dialogues.ActionItem) of a round with published minutes reaches the
responsible centre as a proposal; its follow-up (status, the centre's public words) lives here, every change of it
kept in `ActionStatusChange`.
"""

from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from participation.accounts.tables import User
from participation.dialogues.tables import ActionItem
from participation.directory.tables import Centre


class Offering(Table, tablename="offering"):
    """One offering of a centre's plan."""

    centre = ForeignKey(references=Centre, on_delete=OnDelete.cascade, null=False)
    title = Varchar(length=200)
    kind = Varchar(length=20)  # "education" | "counselling" | "encounter" | "care"
    topic = Varchar(length=200, default="")
    target_group = Varchar(length=200, default="")
    #: The languages the offering is held in, as the centre writes them ("Deutsch, Türkisch").
    languages = Varchar(length=200, default="")
    schedule = Varchar(length=300, default="")
    capacity = Integer(null=True, default=None)
    status = Varchar(length=10, default="planned")  # "planned" | "running" | "ended"
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ActionFollowUp(Table, tablename="offering_action_follow_up"):
    """The current state of one action item's follow-up; an action item without a row is a proposal."""

    action = ForeignKey(references=ActionItem, on_delete=OnDelete.cascade, null=False, unique=True)
    status = Varchar(length=12, default="proposed")  # "proposed" | "accepted" | "implemented" | "declined"
    offering = ForeignKey(references=Offering, on_delete=OnDelete.set_null, null=True, default=None)
    #: The centre's (or the office's) words for parents, in German, and translations by language code.
    statement = Text(default="")
    translations = JSON(default={})
    #: The item's title and the decline reason for parents, by language code: {"title": {...}, "reason": {...}}.
    #: The German title is the action item's own; the German reason the last decline's note.
    public_translations = JSON(default={})
    updated_at = Timestamptz(default=TimestamptzNow())
    updated_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)


class ActionStatusChange(Table, tablename="offering_action_status_change"):
    """One change of an action item's follow-up: the status after it, the note or reason, who and when."""

    action = ForeignKey(references=ActionItem, on_delete=OnDelete.cascade, null=False, index=True)
    status = Varchar(length=12)
    note = Text(default="")
    offering = ForeignKey(references=Offering, on_delete=OnDelete.set_null, null=True, default=None)
    author = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    #: The author's name at the time, so the history stays readable when an account is deleted.
    author_name = Varchar(length=200, default="")
    at = Timestamptz(default=TimestamptzNow())
