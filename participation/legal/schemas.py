"""The legal pages' editable fields and the facts generated from how the platform works."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import Form, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.fields import DateField
from wtforms.validators import URL, Length, Optional

from participation.i18n import lazy_gettext as _l

#: Conformance status of the accessibility statement (BITV 2.0 / EU 2016/2102 model statement).
CONFORMANCE = {
    "full": _l("vollständig mit BITV 2.0 vereinbar"),
    "partial": _l("teilweise mit BITV 2.0 vereinbar"),
    "none": _l("nicht mit BITV 2.0 vereinbar"),
}

#: The national body for complaints about accessibility (§ 16 BGG); a Land's own body may replace it.
DEFAULT_ENFORCEMENT = (
    "Schlichtungsstelle nach § 16 BGG bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit "
    "Behinderungen, Mauerstraße 53, 10117 Berlin, Telefon 030 18 527-2805, "
    "E-Mail info@schlichtungsstelle-bgg.de, www.schlichtungsstelle-bgg.de"
)


def _text(label, max_length: int = 2000, **kwargs) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=max_length)], **kwargs)


class LegalTextsForm(Form):
    """What the city enters; everything else on the legal pages follows from the platform and its settings."""

    provider = _text(_l("Anbieter (Name und Anschrift)"))
    represented_by = StringField(_l("Vertreten durch"), validators=[Optional(), Length(max=300)])
    contact = _text(_l("Kontakt (Telefon, E-Mail)"), 500)
    content_responsible = _text(_l("Inhaltlich verantwortlich"), 500)
    supervisory_authority = _text(_l("Aufsichtsbehörde"), 500)
    controller = _text(_l("Verantwortliche Stelle (Datenschutz)"))
    data_protection_officer = _text(_l("Datenschutzbeauftragte oder Datenschutzbeauftragter"))
    legal_basis = _text(_l("Rechtsgrundlage der Verarbeitung"))
    complaint_authority = _text(_l("Datenschutz-Aufsichtsbehörde (Beschwerderecht)"), 500)
    conformance = SelectField(_l("Stand der Vereinbarkeit"), default="partial",
                              choices=[SelectChoice(value, label) for value, label in CONFORMANCE.items()])
    known_limitations = _text(_l("Nicht barrierefreie Inhalte"), 4000)
    checked_on = DateField(_l("Datum der letzten Prüfung"), validators=[Optional()],
                           render_kw={"autocomplete": "off"})
    check_method = StringField(_l("Art der Prüfung"), validators=[Optional(), Length(max=300)])
    accessibility_contact = _text(_l("Kontakt für Rückmeldungen zur Barrierefreiheit"), 500)
    enforcement = _text(_l("Durchsetzungsverfahren (Schlichtungsstelle)"), 1000, default=DEFAULT_ENFORCEMENT)
    dgs_video_url = StringField(
        _l("Link zum Video in Deutscher Gebärdensprache (DGS)"),
        validators=[Optional(), Length(max=500),
                    URL(require_tld=True, message=_l("Bitte geben Sie eine vollständige Adresse mit https:// ein."))],
    )


#: The editable fields, in the form's order.
LEGAL_FIELDS: tuple[str, ...] = tuple(
    name for name, value in vars(LegalTextsForm).items() if hasattr(value, "field_class")
)


@dataclass(frozen=True, slots=True)
class CookieUse:
    """A cookie the platform sets, why, for whom and how long: the privacy notice lists exactly these."""

    name: str
    purpose: str
    who: str
    lifetime: str


@dataclass(frozen=True, slots=True)
class StoredField:
    """A column of a stored response and what it means, for the privacy notice."""

    column: str
    meaning: str


@dataclass(frozen=True, slots=True)
class PrivacyFacts:
    """What the privacy notice says because the platform works so (kept true by tests)."""

    threshold: int
    free_text_months: int
    job_result_days: int
    cookies: tuple[CookieUse, ...]
    stored: tuple[StoredField, ...]
    email_subscriptions: bool = False
    #: What is stored for a notification address, column by column (a test compares with the table).
    subscription_stored: tuple[StoredField, ...] = ()
    #: Days an unconfirmed address is kept.
    pending_days: int = 7
    #: Days at most a typed paper form waits for its second entry.
    paper_draft_days: int = 14
