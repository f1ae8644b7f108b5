"""Piccolo tables of dialogue rounds and topics.

A *Familiendialog* round happens twice a year (spring and autumn); each has a session with the first mayor, a set of
topics and one survey that prepares it.
"""

from piccolo.columns import JSON, Boolean, Bytea, Date, Float, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from participation.accounts.tables import User
from participation.directory.tables import Centre, District


class Round(Table, tablename="dialogue_round"):
    """One round of the Familiendialog, e.g. "Frühjahr 2027"."""

    title = Varchar(length=120, unique=True)
    season = Varchar(length=10)  # "spring" | "autumn"
    year = Integer()
    session_date = Date(null=True, default=None)
    session_venue = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())



class Topic(Table, tablename="dialogue_topic"):
    """A topic of a round (Vereinbarkeit von Familie und Beruf, Betreuungsarrangements, …)."""

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False)
    title = Varchar(length=200)
    description = Text(default="")
    position = Integer(default=0)


# --- the session: agenda, minutes, action items, published versions (steps 4-5 of the loop) -----------------------


class AgendaItem(Table, tablename="dialogue_agenda_item"):
    """One item of a round's session agenda, from a topic, from a theme of parents' free text, or free text.

    `theme` holds the id of an analysis theme (surveys domain) without a foreign key, because the surveys tables
    already depend on this module; a theme that is gone leaves the item with its title.
    """

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False)
    position = Integer(default=0)
    kind = Varchar(length=10, default="free")  # "topic" | "theme" | "free"
    topic = ForeignKey(references=Topic, on_delete=OnDelete.set_null, null=True, default=None)
    theme = Integer(null=True, default=None)
    title = Varchar(length=300)
    #: The minutes of this item: notes in Markdown, decisions one per line.
    notes = Text(default="")
    decisions = Text(default="")


class Attendance(Table, tablename="dialogue_attendance"):
    """How many parents and staff from one district came to a round's session."""

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False)
    district = ForeignKey(references=District, on_delete=OnDelete.cascade, null=False)
    parents = Integer(default=0)
    staff = Integer(default=0)


class ActionItem(Table, tablename="dialogue_action_item"):
    """A measure agreed in the session; `centre` None means the city office (*Stadtverwaltung*) is responsible."""

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False)
    title = Varchar(length=300)
    description = Text(default="")
    centre = ForeignKey(references=Centre, on_delete=OnDelete.restrict, null=True, default=None)
    due_date = Date(null=True, default=None)
    topic = ForeignKey(references=Topic, on_delete=OnDelete.set_null, null=True, default=None)
    #: An analysis theme id (see AgendaItem.theme).
    theme = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class MinutesVersion(Table, tablename="dialogue_minutes_version"):
    """A published, frozen version of a round's minutes: the snapshot the PDF shows and its sha256."""

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False)
    number = Integer(default=1)
    content_hash = Varchar(length=64, index=True)
    snapshot = JSON(default={})
    public = Boolean(default=False)
    published_at = Timestamptz(default=TimestamptzNow())
    published_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)


class RenderedPdf(Table, tablename="dialogue_rendered_pdf"):
    """A rendered PDF, stored once per content hash, so the same content is never rendered twice.

    `error` holds the user-facing message when the content cannot be rendered (e.g. too large); it is not retried.
    """

    content_hash = Varchar(length=64, unique=True)
    kind = Varchar(length=30)  # "minutes" | "centre_summary"
    pdf = Bytea(null=True, default=None)
    byte_size = Integer(default=0)
    error = Text(default="")
    seconds = Float(default=0.0)
    rendered_at = Timestamptz(default=TimestamptzNow())


# --- the live poll of the session (*Stimmungsbild*) ----------------------------------------------------------------


class Poll(Table, tablename="dialogue_poll"):
    """A live poll the office runs during the session; parents in the room vote with their phones at /s/{code}.

    `shown` is the stepped state every screen shows (see services.polls: it moves only when at least the privacy
    threshold of new voters arrived), kept here so every app process shows the same one. `result` is the result
    stored on closing, with the option labels copied, so later edits of the agenda do not change it.
    """

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False)
    kind = Varchar(length=10)  # "top3" | "yes_no" | "scale"
    question = Varchar(length=300)
    status = Varchar(length=10, default="draft")  # "draft" | "open" | "closed"
    code = Varchar(length=8, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    opened_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    shown_voters = Integer(default=0)
    shown = JSON(default={})
    result = JSON(default={})


class PollOption(Table, tablename="dialogue_poll_option"):
    """One answer of a poll: an agenda item (label copied), yes/no, or a point of the scale 1–5."""

    poll = ForeignKey(references=Poll, on_delete=OnDelete.cascade, null=False)
    position = Integer(default=0)
    value = Varchar(length=20)  # "item" | "yes" | "no" | "1" … "5"
    label = Varchar(length=300)


class PollVote(Table, tablename="dialogue_poll_vote"):
    """One phone's vote: up to three chosen options, no personal data.

    `token_hash` is sha256 of the poll id and the phone's random per-poll token; unique, so one phone casts one
    vote per poll whichever app process takes it, double click included.
    """

    poll = ForeignKey(references=Poll, on_delete=OnDelete.cascade, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    choice_1 = Integer()
    choice_2 = Integer(null=True, default=None)
    choice_3 = Integer(null=True, default=None)
