"""Forms of the session pages: agenda items, attendance, minutes per item, action items, publishing."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    Form,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from participation.dialogues.services.notes import MAX_DECISIONS_CHARS, MAX_NOTES_CHARS, notes_problem
from participation.i18n import lazy_gettext as _l
from participation.ids import parse_id

#: Attendance per district and group: generous, but no typo of six digits.
MAX_ATTENDANCE = 5000


def _optional_int(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    parsed = parse_id(value)
    return -1 if parsed is None else parsed  # -1 is not among the choices: the select reports it


class AgendaTopicForm(Form):
    topic = SelectField(_l("Thema der Runde"), coerce=int, validators=[DataRequired(_l("Bitte wählen Sie ein Thema."))])


class AgendaThemeForm(Form):
    theme = SelectField(
        _l("Vorgemerktes Thema aus den Freitexten"), coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie ein Thema."))],
    )


class AgendaFreeForm(Form):
    title = StringField(
        _l("Titel des Tagesordnungspunkts"),
        validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=300)],
    )


def _notes_ok(form: Form, field: TextAreaField) -> None:
    problem = notes_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class ItemMinutesForm(Form):
    notes = TextAreaField(
        _l("Notizen"), validators=[Optional(), Length(max=MAX_NOTES_CHARS, message=_l(
            "Die Notizen sind zu lang.")), _notes_ok],
    )
    decisions = TextAreaField(
        _l("Beschlüsse (einer pro Zeile)"),
        validators=[Optional(), Length(max=MAX_DECISIONS_CHARS, message=_l("Die Beschlüsse sind zu lang."))],
    )


class ActionItemForm(Form):
    title = StringField(
        _l("Maßnahme"), validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=300)],
    )
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), Length(max=5000)])
    centre = SelectField(_l("Zuständig"), coerce=_optional_int, validate_choice=True)
    due_date = DateField(_l("Fällig bis"), validators=[Optional()])
    topic = SelectField(_l("Bezug: Thema der Runde"), coerce=_optional_int)
    theme = SelectField(_l("Bezug: Thema aus den Freitexten"), coerce=_optional_int)


class PublishForm(Form):
    public = BooleanField(_l("öffentlich – auch für Eltern und alle Interessierten unter „Protokolle“"))


def attendance_form_class(district_ids: list[int]) -> type[Form]:
    """A form with a parents and a staff field per district (ids are in the field names)."""
    fields = {}
    for district_id in district_ids:
        for group, label in (("parents", _l("Eltern")), ("staff", _l("Fachkräfte"))):
            fields[f"{group}_{district_id}"] = IntegerField(label, validators=[
                Optional(),
                NumberRange(0, MAX_ATTENDANCE, _l("Bitte eine Zahl zwischen 0 und %(max)s angeben.")),
            ])
    return type("AttendanceForm", (Form,), fields)


class PollForm(Form):
    """A live poll of the session (*Stimmungsbild*)."""

    kind = SelectField(_l("Art der Abstimmung"), choices=[
        SelectChoice("top3", _l("Die drei wichtigsten Themen (Punkte der Tagesordnung)")),
        SelectChoice("yes_no", _l("Ja oder nein")),
        SelectChoice("scale", _l("Skala von 1 bis 5")),
    ], validators=[DataRequired(_l("Bitte wählen Sie die Art der Abstimmung."))])
    question = StringField(_l("Frage (leer: die übliche Frage dieser Art)"), validators=[Optional(), Length(max=300)])
