"""Piccolo tables of accounts."""

from piccolo.columns import Boolean, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from participation.directory.tables import Centre


class User(Table, tablename="app_user"):
    """A person who signs in: office staff (everything) or centre staff (their own centre)."""

    email = Varchar(length=254, unique=True)
    display_name = Varchar(length=200)
    password_hash = Varchar(length=255)
    role = Varchar(length=20)
    centre = ForeignKey(references=Centre, on_delete=OnDelete.restrict, null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_sign_in = Timestamptz(null=True, default=None)
