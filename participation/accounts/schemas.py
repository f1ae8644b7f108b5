"""Data objects of accounts: the signed-in user as the web layer sees it, and the forms."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wtforms import BooleanField, EmailField, Form, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from participation.i18n import lazy_gettext as _l


class Role(enum.StrEnum):
    """What a signed-in person may do (DESIGN.md, "Users and roles")."""

    OFFICE = "office"
    CENTRE = "centre"


ROLE_LABELS = {Role.OFFICE: _l("Stadtverwaltung (Koordination)"), Role.CENTRE: _l("Mitarbeitende eines Zentrums")}


@dataclass(frozen=True, slots=True)
class CurrentUser:
    """The person behind the current request."""

    id: int
    email: str
    display_name: str
    role: Role
    centre_id: int | None
    district_id: int | None

    @property
    def is_office(self) -> bool:
        return self.role is Role.OFFICE

    @property
    def is_centre_staff(self) -> bool:
        return self.role is Role.CENTRE


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    email: str
    display_name: str
    role: Role
    centre_name: str | None
    active: bool


class SignInForm(Form):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse ein."))])
    password = PasswordField(_l("Passwort"), validators=[DataRequired(_l("Bitte geben Sie Ihr Passwort ein."))])


class UserForm(Form):
    display_name = StringField(
        _l("Name"), validators=[DataRequired(_l("Bitte geben Sie einen Namen ein.")), Length(max=200)]
    )
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein.")),
            Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein.")),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Rolle"), choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()])
    centre = SelectField(_l("Zentrum (nur für Mitarbeitende eines Zentrums)"), coerce=str, choices=[])
    password = PasswordField(
        _l("Passwort"),
        validators=[
            DataRequired(_l("Bitte vergeben Sie ein Passwort.")),
            Length(min=10, message=_l("Das Passwort muss mindestens 10 Zeichen lang sein.")),
        ],
    )
    password_repeat = PasswordField(
        _l("Passwort wiederholen"),
        validators=[EqualTo("password", _l("Die beiden Passwörter stimmen nicht überein."))],
    )
    active = BooleanField(_l("Zugang aktiv"), default=True, validators=[Optional()])


class PasswordChangeForm(Form):
    current_password = PasswordField(
        _l("Bisheriges Passwort"), validators=[DataRequired(_l("Bitte geben Sie Ihr bisheriges Passwort ein."))]
    )
    password = PasswordField(
        _l("Neues Passwort"),
        validators=[
            DataRequired(_l("Bitte vergeben Sie ein neues Passwort.")),
            Length(min=10, message=_l("Das Passwort muss mindestens 10 Zeichen lang sein.")),
        ],
    )
    password_repeat = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[EqualTo("password", _l("Die beiden Passwörter stimmen nicht überein."))],
    )
