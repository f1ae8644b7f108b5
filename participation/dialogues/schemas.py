"""Data objects and forms of dialogue rounds."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from wtforms import DateField, Form, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from participation.i18n import lazy_gettext as _l


class Season(enum.StrEnum):
    SPRING = "spring"
    AUTUMN = "autumn"


SEASON_LABELS = {Season.SPRING: _l("Frühjahr"), Season.AUTUMN: _l("Herbst")}
SEASON_TITLES = {Season.SPRING: "Frühjahr", Season.AUTUMN: "Herbst"}


def translated_round_title(title: str) -> str:
    """A round's German title ("Frühjahr 2027") in the current language ("Spring 2027"); other titles unchanged."""
    for season, german in SEASON_TITLES.items():
        if title.startswith(f"{german} "):
            return f"{SEASON_LABELS[season]}{title[len(german):]}"
    return title

#: The city's usual topics; a new round starts with these (editable).
DEFAULT_TOPICS = [
    "Vereinbarkeit von Familie und Beruf",
    "Betreuungsarrangements",
    "Angebotsportfolio",
    "Entwicklungen im Stadtteil",
    "Fördermöglichkeiten",
]


@dataclass(frozen=True, slots=True)
class TopicOut:
    id: int
    title: str
    description: str
    position: int


@dataclass(frozen=True, slots=True)
class RoundOut:
    id: int
    title: str
    season: Season
    year: int
    session_date: date | None
    session_venue: str
    topics: tuple[TopicOut, ...] = ()
    survey_id: int | None = None


class RoundForm(Form):
    season = SelectField(_l("Halbjahr"), choices=[SelectChoice(s.value, label) for s, label in SEASON_LABELS.items()])
    year = IntegerField(
        _l("Jahr"),
        validators=[
            DataRequired(_l("Bitte geben Sie das Jahr an.")),
            NumberRange(2020, 2100, _l("Bitte geben Sie ein Jahr zwischen 2020 und 2100 an.")),
        ],
    )
    session_date = DateField(_l("Datum des Familiendialogs"), validators=[Optional()])
    session_venue = StringField(_l("Ort des Familiendialogs"), validators=[Optional(), Length(max=300)])


class TopicForm(Form):
    title = StringField(_l("Thema"), validators=[DataRequired(_l("Bitte geben Sie ein Thema ein.")), Length(max=200)])
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), Length(max=2000)])
