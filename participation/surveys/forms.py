"""WTForms of the office's survey editor: survey texts, sections, questions, publishing, codes.

Choices that depend on the database (condition questions, centres) are filled in by the controller.
"""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    Form,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from participation.i18n import lazy_gettext as _l
from participation.surveys.schemas import KIND_LABELS
from participation.surveys.services.codes import MAX_CODES_PER_REQUEST

#: The format browsers send for <input type="datetime-local">.
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class NewSurveyForm(Form):
    """A new, empty survey for a round."""

    title = StringField(
        _l("Titel der Umfrage"),
        validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=200)],
    )
    intro = TextAreaField(_l("Einleitung für Eltern"), validators=[Optional(), Length(max=5000)])


class SurveyTextsForm(NewSurveyForm):
    """The survey's German title and intro, and whether invitation codes are needed."""

    uses_codes = BooleanField(_l("Nur mit Einladungscode teilnehmen"))


class SectionForm(Form):
    title = StringField(
        _l("Titel des Abschnitts"),
        validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=200)],
    )


class SectionTextsForm(SectionForm):
    """A section's topic name for the office and what parents read on its page (German; translated like every
    other text of the survey)."""

    parents_title = StringField(_l("Überschrift für Eltern"), validators=[Optional(), Length(max=200)])
    parents_intro = TextAreaField(_l("Einleitung für Eltern"), validators=[Optional(), Length(max=1000)])


class QuestionForm(Form):
    """One question in German; which fields matter depends on the kind (see the hints in the template)."""

    key = StringField(
        _l("Schlüssel"),
        validators=[DataRequired(_l("Bitte geben Sie einen Schlüssel ein.")), Length(max=60)],
    )
    kind = SelectField(_l("Fragetyp"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()])
    text = TextAreaField(
        _l("Fragetext"), validators=[DataRequired(_l("Bitte geben Sie den Fragetext ein.")), Length(max=1000)]
    )
    help = TextAreaField(_l("Hilfetext"), validators=[Optional(), Length(max=2000)])
    required = BooleanField(_l("Pflichtfrage"))
    options = TextAreaField(_l("Antwortmöglichkeiten"), validators=[Optional(), Length(max=10000)])
    allow_other = BooleanField(_l("Feld „Sonstiges“ mit eigenem Text anbieten (nur Mehrfachauswahl)"))
    low_label = StringField(_l("Beschriftung für 1"), validators=[Optional(), Length(max=100)])
    high_label = StringField(_l("Beschriftung für 5"), validators=[Optional(), Length(max=100)])
    min_value = FloatField(
        _l("Kleinster Wert"), validators=[Optional()], render_kw={"inputmode": "decimal"},
    )
    max_value = FloatField(
        _l("Größter Wert"), validators=[Optional()], render_kw={"inputmode": "decimal"},
    )
    whole_number = BooleanField(_l("Nur ganze Zahlen (eine Anzahl, z. B. Kinder)"))
    # The service checks the condition; the select only offers sensible choices.
    condition_key = SelectField(_l("Nur zeigen, wenn diese Frage …"), choices=[], validate_choice=False)
    condition_value = StringField(_l("… so beantwortet wurde (Antwortcode)"), validators=[Optional(), Length(max=60)])
    #: What the page offers: one choice of an earlier question's answer ("Frage – Antwort", sent as "key=value");
    #: the two fields above stay for posts that name key and code directly.
    condition = SelectField(_l("Nur zeigen, wenn so geantwortet wurde"), choices=[], validate_choice=False)


class PublishForm(Form):
    """The open/close window, entered in local (Berlin) time."""

    opens_at = DateTimeLocalField(
        _l("Geöffnet ab"), format=DATETIME_LOCAL_FORMATS,
        validators=[DataRequired(_l("Bitte geben Sie Datum und Uhrzeit an."))],
    )
    closes_at = DateTimeLocalField(
        _l("Geöffnet bis"), format=DATETIME_LOCAL_FORMATS,
        validators=[DataRequired(_l("Bitte geben Sie Datum und Uhrzeit an."))],
    )


class ReopenForm(Form):
    closes_at = DateTimeLocalField(
        _l("Neues Ende"), format=DATETIME_LOCAL_FORMATS,
        validators=[DataRequired(_l("Bitte geben Sie Datum und Uhrzeit an."))],
    )


class CodesForm(Form):
    """How many invitation codes to generate for which centre."""

    centre = SelectField(_l("Zentrum"), choices=[], validate_choice=False)
    count = IntegerField(
        _l("Anzahl neuer Codes"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine Anzahl an.")),
            NumberRange(1, MAX_CODES_PER_REQUEST, _l("Bitte wählen Sie zwischen %(min)s und %(max)s Codes.")),
        ],
    )
