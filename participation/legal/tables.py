"""The city's own entries on the legal pages, one row per field (see `legal.schemas.LEGAL_FIELDS`)."""

from __future__ import annotations

from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class LegalText(Table, tablename="legal_text"):
    """One editable field of the legal pages, e.g. `controller` (the *Verantwortliche* of the privacy notice)."""

    key = Varchar(length=60, unique=True)
    value = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())
