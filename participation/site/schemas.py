"""Data objects of the site settings: the settings as every layer reads them, and the forms that change them."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime

from wtforms import EmailField, FileField, Form, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from participation.i18n import gettext
from participation.i18n import lazy_gettext as _l

#: The name of the dialogue unless the city calls it something else; shown translated in every language.
DEFAULT_DIALOGUE_NAME = "Familiendialog"
#: The header colour of a new installation (contrast with white text 8.6:1).
DEFAULT_PRIMARY_COLOUR = "#0b4f8a"


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """The city running this installation, as pages, PDFs and services read it (`site_settings()`).

    Templates see it as the global `site`: `{{ site.city_name }}`, `{{ site.title }}`. Texts a parent reads use
    these values through placeholders (`_("… in %(city)s …", city=site.city_name)`), never a city's name.
    """

    #: "Ludwigsburg"
    city_name: str = ""
    #: Who leads the dialogue, as the city writes it: "Erster Bürgermeister", "Oberbürgermeisterin" …
    leader_title: str = ""
    #: The dialogue's name without the city ("Familiendialog", "Elternforum").
    dialogue_name: str = DEFAULT_DIALOGUE_NAME
    #: The logo's bytes (PNG or SVG, checked on upload) and its content type; None without a logo.
    logo: bytes | None = None
    logo_content_type: str = ""
    #: The header's background colour, "#rrggbb", contrast with white text at least 4.5:1.
    primary_colour: str = DEFAULT_PRIMARY_COLOUR
    #: Postal address of the office running the dialogue (several lines).
    contact_address: str = ""
    contact_email: str = ""
    #: False until the first-run page (or the demo) has saved settings.
    configured: bool = False
    updated_at: datetime | None = None

    @property
    def dialogue(self) -> str:
        """The dialogue's name in the current language (the default name is translated, a city's own is not)."""
        if self.dialogue_name == DEFAULT_DIALOGUE_NAME:
            return gettext("Familiendialog")
        return self.dialogue_name

    @property
    def title(self) -> str:
        """The site's name in the current language: "Familiendialog Ludwigsburg", "Ludwigsburg Aile Diyaloğu"."""
        if not self.city_name:
            return self.dialogue
        # Translators: the site's name, e.g. "Familiendialog Ludwigsburg"; keep both placeholders.
        return gettext("%(dialogue)s %(city)s", dialogue=self.dialogue, city=self.city_name)

    @property
    def has_logo(self) -> bool:
        return bool(self.logo and self.logo_content_type)

    @property
    def logo_version(self) -> str:
        """A short hash of the logo, for its URL (browsers may keep it as long as it does not change)."""
        return hashlib.sha256(self.logo or b"").hexdigest()[:10]

    @property
    def logo_data_uri(self) -> str:
        """The logo as a data: URI, for PDFs (which never fetch anything); "" without a logo."""
        if not self.has_logo:
            return ""
        return f"data:{self.logo_content_type};base64,{base64.b64encode(self.logo or b'').decode('ascii')}"

    @property
    def primary_colour_dark(self) -> str:
        """The primary colour darkened by a third (navigation bar, hover), keeping its contrast with white."""
        red, green, blue = (int(self.primary_colour[i:i + 2], 16) for i in (1, 3, 5))
        return "#{:02x}{:02x}{:02x}".format(*(round(channel * 2 / 3) for channel in (red, green, blue)))

    @property
    def style_version(self) -> str:
        """A short hash of what the site's style sheet depends on, for its URL."""
        return hashlib.sha256(self.primary_colour.encode()).hexdigest()[:10]


class SiteSettingsForm(Form):
    """The settings the office (or the first-run page) fills in; the logo comes as a file of its own."""

    city_name = StringField(
        _l("Name der Stadt oder Gemeinde"),
        validators=[DataRequired(_l("Bitte geben Sie den Namen der Stadt ein.")), Length(max=100)],
    )
    leader_title = StringField(
        _l("Wer leitet den Dialog? (Amtsbezeichnung)"),
        description=_l("So, wie Eltern es lesen sollen, z. B. „Erster Bürgermeister“ oder „Oberbürgermeisterin“."),
        validators=[DataRequired(_l("Bitte geben Sie an, wer den Dialog leitet.")), Length(max=200)],
    )
    dialogue_name = StringField(
        _l("Name des Dialogs"),
        description=_l("Ohne den Namen der Stadt, z. B. „Familiendialog“; er steht im Kopf jeder Seite."),
        default=DEFAULT_DIALOGUE_NAME,
        validators=[DataRequired(_l("Bitte geben Sie einen Namen für den Dialog ein.")), Length(max=100)],
    )
    primary_colour = StringField(
        _l("Hauptfarbe (Hex, z. B. #0b4f8a)"),
        description=_l("Hintergrund der Kopfzeile und der Schaltflächen; weiße Schrift muss darauf gut lesbar sein "
                       "(Kontrast mindestens 4,5 : 1)."),
        default=DEFAULT_PRIMARY_COLOUR,
        validators=[DataRequired(_l("Bitte geben Sie eine Farbe ein.")), Length(max=7)],
    )
    contact_address = TextAreaField(
        _l("Anschrift (Kontakt)"),
        validators=[DataRequired(_l("Bitte geben Sie eine Anschrift ein.")), Length(max=1000)],
    )
    contact_email = EmailField(
        _l("E-Mail-Adresse (Kontakt)"),
        validators=[DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein.")),
                    Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein.")), Length(max=254)],
    )
    logo = FileField(
        _l("Logo (PNG oder SVG, höchstens 256 KB)"),
        description=_l("Optional. Ein neues Logo ersetzt das bisherige."),
    )


class FirstRunForm(SiteSettingsForm):
    """The first-run page: the settings and the first office account (in production also the setup code)."""

    setup_code = StringField(
        _l("Einrichtungscode"),
        description=_l("Sie erhalten ihn auf dem Server mit dem Befehl „participation setup-code“."),
        validators=[Length(max=40)],
    )
    display_name = StringField(
        _l("Ihr Name"), validators=[DataRequired(_l("Bitte geben Sie Ihren Namen ein.")), Length(max=200)]
    )
    email = EmailField(
        _l("Ihre E-Mail-Adresse (Anmeldename)"),
        validators=[DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse ein.")),
                    Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Passwort (mindestens 10 Zeichen)"),
        validators=[DataRequired(_l("Bitte geben Sie ein Passwort ein.")), Length(max=200)],
    )
    password_repeat = PasswordField(
        _l("Passwort wiederholen"),
        validators=[DataRequired(_l("Bitte wiederholen Sie das Passwort.")),
                    EqualTo("password", _l("Die Passwörter stimmen nicht überein."))],
    )



