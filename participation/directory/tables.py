"""Piccolo tables of the directory.

*Träger* (operator) runs centres; a *Stadtteil* (district) is where parents live and answer from; a
*Kinder- und Familienzentrum* (centre) belongs to one district and one operator.
"""

from piccolo.columns import ForeignKey, OnDelete, Varchar
from piccolo.table import Table


class Operator(Table, tablename="operator"):
    """A *Träger*: the organisation that runs one or more centres."""

    name = Varchar(length=200, unique=True)
    short_name = Varchar(length=60, default="")


class District(Table, tablename="district"):
    """A *Stadtteil* of the city."""

    name = Varchar(length=100, unique=True)
    slug = Varchar(length=100, unique=True)


class Centre(Table, tablename="centre"):
    """A *Kinder- und Familienzentrum*."""

    name = Varchar(length=200, unique=True)
    slug = Varchar(length=100, unique=True)
    district = ForeignKey(references=District, on_delete=OnDelete.restrict, null=False)
    operator = ForeignKey(references=Operator, on_delete=OnDelete.restrict, null=False)
    address = Varchar(length=300, default="")
    email = Varchar(length=200, default="")
