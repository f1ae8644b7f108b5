"""Data objects of the directory, for pages, forms and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import Form, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from participation.i18n import lazy_gettext as _l


@dataclass(frozen=True, slots=True)
class DistrictOut:
    id: int
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class OperatorOut:
    id: int
    name: str
    short_name: str


@dataclass(frozen=True, slots=True)
class CentreOut:
    id: int
    name: str
    slug: str
    district_id: int
    district_name: str
    operator_id: int
    operator_name: str
    address: str
    email: str


class CentreForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte geben Sie einen Namen ein.")), Length(max=200)])
    district = SelectField(_l("Stadtteil"), coerce=str, choices=[])
    operator = SelectField(_l("Träger"), coerce=str, choices=[])
    address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300)])
    email = StringField(
        _l("E-Mail-Adresse"),
        validators=[Optional(), Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein.")), Length(max=200)],
    )


class NamedForm(Form):
    """A district or an operator: just a name."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte geben Sie einen Namen ein.")), Length(max=200)])
