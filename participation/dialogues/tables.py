"""Piccolo tables of dialogue rounds and topics.

A *Familiendialog* round happens twice a year (spring and autumn); each has a session with the first mayor, a set of
topics and one survey that prepares it.
"""

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


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
