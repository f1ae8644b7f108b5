"""Data objects and forms of offering plans and action items' follow-up."""

from __future__ import annotations

import enum

from wtforms import Form, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from participation.i18n import LANGUAGE_NAMES, text_direction
from participation.i18n import gettext as _
from participation.i18n import lazy_gettext as _l


class OfferingKind(enum.StrEnum):
    EDUCATION = "education"
    COUNSELLING = "counselling"
    ENCOUNTER = "encounter"
    CARE = "care"


class OfferingStatus(enum.StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    ENDED = "ended"


class FollowUpStatus(enum.StrEnum):
    """Where an action item stands: proposed → accepted (offering linked) → implemented; or declined."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"


KIND_LABELS = {
    OfferingKind.EDUCATION: _l("Bildung"),
    OfferingKind.COUNSELLING: _l("Beratung"),
    OfferingKind.ENCOUNTER: _l("Begegnung"),
    OfferingKind.CARE: _l("Betreuung"),
}
OFFERING_STATUS_LABELS = {
    OfferingStatus.PLANNED: _l("geplant"),
    OfferingStatus.RUNNING: _l("läuft"),
    OfferingStatus.ENDED: _l("beendet"),
}
FOLLOW_UP_LABELS = {
    FollowUpStatus.PROPOSED: _l("vorgeschlagen"),
    FollowUpStatus.ACCEPTED: _l("angenommen – in Planung"),
    FollowUpStatus.IMPLEMENTED: _l("umgesetzt"),
    FollowUpStatus.DECLINED: _l("abgelehnt"),
}

#: Languages the public words may be translated into (the parents' languages besides German).
TRANSLATION_LANGUAGES = ("en", "tr", "ar", "ru", "uk")


_KIND_CHOICES = [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]
_STATUS_CHOICES = [SelectChoice(status.value, label) for status, label in OFFERING_STATUS_LABELS.items()]


class OfferingForm(Form):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")),
                                                 Length(max=200)])
    kind = SelectField(_l("Art des Angebots"), choices=_KIND_CHOICES,
                       validators=[InputRequired(_l("Bitte wählen Sie eine Art des Angebots."))])
    topic = StringField(_l("Thema"), validators=[Optional(), Length(max=200)])
    target_group = StringField(_l("Zielgruppe"), validators=[Optional(), Length(max=200)])
    languages = StringField(_l("Sprachen"), validators=[Optional(), Length(max=200)])
    schedule = StringField(_l("Termine"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(_l("Plätze"), validators=[
        Optional(), NumberRange(1, 10_000, _l("Bitte geben Sie eine Zahl zwischen 1 und 10000 an."))])
    status = SelectField(_l("Stand"), choices=_STATUS_CHOICES,
                         default=OfferingStatus.PLANNED.value)


def words_fields(languages: tuple[str, ...]) -> dict:
    """The public words: German and one field per translation language (labels made per request); the item's title
    per language too (its German title is the minutes')."""
    fields = {"statement": TextAreaField(_l("Stellungnahme für Eltern (Deutsch)"),
                                         validators=[Optional(), Length(max=2000)])}
    for language in languages:
        name = LANGUAGE_NAMES.get(language, language)
        fields[f"statement_{language}"] = TextAreaField(
            _("Übersetzung: %(language)s", language=name),
            validators=[Optional(), Length(max=2000)],
            render_kw={"lang": language, "dir": text_direction(language)},
        )
        fields[f"title_{language}"] = StringField(
            _("Titel der Maßnahme: %(language)s", language=name),
            validators=[Optional(), Length(max=300)],
            render_kw={"lang": language, "dir": text_direction(language)},
        )
    return fields


def _form_class(name: str, base: dict, languages: tuple[str, ...]) -> type[Form]:
    return type(name, (Form,), {**base, **words_fields(languages)})


def accept_form_class(languages: tuple[str, ...], *, with_offering: bool) -> type[Form]:
    """Accept a proposal: link an existing offering or create a new one (city items: no offering)."""
    fields: dict = {"note": TextAreaField(_l("Notiz (intern)"), validators=[Optional(), Length(max=2000)])}
    if with_offering:
        fields["offering"] = SelectField(_l("Angebot"), validate_choice=False)
        fields["new_title"] = StringField(_l("Titel des neuen Angebots"), validators=[Optional(), Length(max=200)])
        fields["new_kind"] = SelectField(_l("Art des neuen Angebots"), validate_choice=False,
                                         choices=_KIND_CHOICES)
    return _form_class("AcceptForm", fields, languages)


def implement_form_class(languages: tuple[str, ...]) -> type[Form]:
    return _form_class("ImplementForm", {
        "note": TextAreaField(_l("Notiz (intern)"), validators=[Optional(), Length(max=2000)]),
    }, languages)


def decline_form_class(languages: tuple[str, ...]) -> type[Form]:
    fields: dict = {
        "reason": TextAreaField(_l("Begründung"), validators=[
            DataRequired(_l("Bitte begründen Sie die Ablehnung.")), Length(max=2000)]),
    }
    for language in languages:
        fields[f"reason_{language}"] = TextAreaField(
            _("Begründung: %(language)s", language=LANGUAGE_NAMES.get(language, language)),
            validators=[Optional(), Length(max=2000)],
            render_kw={"lang": language, "dir": text_direction(language)},
        )
    return _form_class("DeclineForm", fields, languages)


def statement_form_class(languages: tuple[str, ...]) -> type[Form]:
    return _form_class("StatementForm", {}, languages)


class TrendForm(Form):
    key = SelectField(_l("Frage"), validate_choice=False)
    option = SelectField(_l("Antwort (bei Auswahlfragen)"), validate_choice=False)


