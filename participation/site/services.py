"""Site settings: reading them (cached), checking and saving them, and the first run of a new installation.

Read them with `await site_settings()` (a frozen `SiteSettings`); in templates they are the global `site`, set per
request by `RequestContextMiddleware` through `use_site`. Each process keeps the settings for `CACHE_SECONDS`
(saving drops its own copy at once; other processes see a change within that time), so a page costs no query.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import hmac
import re
import struct
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml

from participation.accounts.schemas import Role
from participation.accounts.services import create_user
from participation.accounts.tables import User
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.site.schemas import SiteSettings
from participation.site.tables import SiteSettingsRow

#: Seconds a process keeps the settings before reading them again (a change made by another process shows then).
CACHE_SECONDS = 30.0
#: The largest logo accepted, in bytes.
LOGO_MAX_BYTES = 256 * 1024
#: The largest PNG logo accepted, in pixels per side.
LOGO_MAX_PIXELS = 4000
#: White text needs at least this contrast on the primary colour (WCAG 2.1, 1.4.3, normal text).
MIN_CONTRAST_WITH_WHITE = 4.5

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class SiteError(DomainError):
    """Settings cannot be saved as given; `field` names the form field at fault."""


#: The clock the kept copy ages by (tests move it forward).
_clock = time.monotonic
_cached: tuple[float, SiteSettings] | None = None
_current_site: contextvars.ContextVar[SiteSettings | None] = contextvars.ContextVar("site", default=None)


async def site_settings() -> SiteSettings:
    """The installation's settings (defaults with `configured=False` before the first run)."""
    global _cached
    if _cached is not None and _clock() - _cached[0] < CACHE_SECONDS:
        return _cached[1]
    row = await SiteSettingsRow.select().order_by(SiteSettingsRow.id).first()
    if row is None:
        return SiteSettings()  # not kept: the first run may end in another process any moment
    settings = SiteSettings(
        city_name=row["city_name"], leader_title=row["leader_title"], dialogue_name=row["dialogue_name"],
        logo=bytes(row["logo"]) if row["logo"] else None, logo_content_type=row["logo_content_type"],
        primary_colour=row["primary_colour"], contact_address=row["contact_address"],
        contact_email=row["contact_email"], configured=True, updated_at=row["updated_at"],
    )
    _cached = (_clock(), settings)
    return settings


def forget_site_settings() -> None:
    """Drop this process's copy, so the next `site_settings()` reads the database (after a save; tests)."""
    global _cached
    _cached = None


def current_site() -> SiteSettings:
    """The settings of the request being handled (set by the request middleware); outside a request (an unknown
    path's 404 page) the process's copy, else the defaults."""
    site = _current_site.get()
    if site is None:
        site = _cached[1] if _cached is not None else SiteSettings()
    return site


def use_site(site: SiteSettings) -> contextvars.Token[SiteSettings | None]:
    """Make `site` the current request's settings (for `current_site()` and the templates' `site`)."""
    return _current_site.set(site)


def reset_site(token: contextvars.Token[SiteSettings | None]) -> None:
    _current_site.reset(token)


class CurrentSite:
    """The templates' `site`: the current request's `SiteSettings`, attribute by attribute."""

    def __getattr__(self, name: str) -> object:
        return getattr(current_site(), name)


async def first_run_pending() -> bool:
    """True for a new installation: no settings saved and no account yet (every page leads to the first run).

    An installation that has accounts but no settings (one from before settings existed) runs on defaults and the
    office fills them in on the settings page; nobody unknown can take it over through the first-run page.
    """
    if (await site_settings()).configured:
        return False
    return not await User.exists()


# --- checks ---

def relative_luminance(colour: str) -> float:
    """The relative luminance of "#rrggbb" (WCAG 2.1 definition)."""
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_with_white(colour: str) -> float:
    """The contrast ratio of white text on `colour` (1 to 21)."""
    return 1.05 / (relative_luminance(colour) + 0.05)


def check_primary_colour(colour: str) -> str:
    """The colour as "#rrggbb" (lower case) if white text on it is readable; else `SiteError`."""
    colour = colour.strip()
    if not _COLOUR.match(colour):
        raise SiteError(_("Bitte geben Sie die Farbe als Hex-Wert mit # und sechs Stellen ein, z. B. #0b4f8a."),
                        "primary_colour")
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        raise SiteError(
            _("Weiße Schrift auf dieser Farbe hat nur einen Kontrast von %(ratio)s : 1; nötig sind mindestens "
              "4,5 : 1. Bitte wählen Sie eine dunklere Farbe.", ratio=f"{ratio:.2f}".replace(".", ",")),
            "primary_colour",
        )
    return colour.lower()


def check_logo(data: bytes) -> str:
    """The content type of an acceptable logo (PNG or SVG within the limits); else `SiteError` saying why."""
    if not data:
        raise SiteError(_("Die Logo-Datei ist leer."), "logo")
    if len(data) > LOGO_MAX_BYTES:
        raise SiteError(_("Das Logo ist zu groß: höchstens 256 KB."), "logo")
    if data.startswith(_PNG_SIGNATURE):
        _check_png(data)
        return "image/png"
    _check_svg(data)
    return "image/svg+xml"


def _check_png(data: bytes) -> None:
    # The first chunk of a PNG is IHDR: length 13, then width and height as big-endian 32-bit numbers.
    if len(data) < 33 or data[12:16] != b"IHDR" or struct.unpack(">I", data[8:12])[0] != 13:
        raise SiteError(_("Die PNG-Datei ist beschädigt."), "logo")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= LOGO_MAX_PIXELS and 0 < height <= LOGO_MAX_PIXELS):
        raise SiteError(_("Das Logo darf höchstens 4000 × 4000 Pixel groß sein."), "logo")


def _check_svg(data: bytes) -> None:
    not_an_image = SiteError(_("Bitte laden Sie ein Logo als PNG- oder SVG-Datei hoch."), "logo")
    try:
        root = parse_xml(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise SiteError(_("Die SVG-Datei enthält Verweise, die nicht erlaubt sind."), "logo") from error
    except Exception as error:  # not XML at all (ParseError, encoding errors)
        raise not_an_image from error
    if root.tag != f"{{{_SVG_NAMESPACE}}}svg":
        raise not_an_image
    for element in root.iter():
        local_name = str(element.tag).rpartition("}")[2].lower()
        if local_name in {"script", "foreignobject", "iframe", "embed", "object"}:
            raise SiteError(_("Die SVG-Datei enthält Skripte oder eingebettete Inhalte; das ist nicht erlaubt."),
                            "logo")
        texts = [(str(name).rpartition("}")[2].lower(), value) for name, value in element.attrib.items()]
        if local_name == "style":
            texts.append(("style", element.text or ""))
        for name, value in texts:
            if name.startswith("on"):
                raise SiteError(
                    _("Die SVG-Datei enthält Skripte oder eingebettete Inhalte; das ist nicht erlaubt."), "logo"
                )
            if _refers_outside(name, value):
                raise SiteError(_("Die SVG-Datei enthält Verweise, die nicht erlaubt sind."), "logo")


def _refers_outside(name: str, value: str) -> bool:
    """Whether an attribute (or a style sheet) points at anything outside the file itself."""
    value = value.strip().lower()
    if name == "href":
        return not value.startswith("#")
    if "javascript:" in value or "@import" in value:
        return True
    return any(not target.strip(" '\"").startswith("#") for target in re.findall(r"url\(([^)]*)\)", value))


# --- saving ---

@dataclass(frozen=True, slots=True)
class SiteSettingsInput:
    """What the settings form sends; `logo` None keeps the current logo, `remove_logo` drops it."""

    city_name: str
    leader_title: str
    dialogue_name: str
    primary_colour: str
    contact_address: str
    contact_email: str
    logo: bytes | None = None
    remove_logo: bool = False


async def save_site_settings(values: SiteSettingsInput) -> SiteSettings:
    """Check and save the settings (creating them on the first run); returns them as now saved."""
    colour = check_primary_colour(values.primary_colour)
    logo_type = check_logo(values.logo) if values.logo is not None else None
    for field, text in (("city_name", values.city_name), ("leader_title", values.leader_title),
                        ("dialogue_name", values.dialogue_name)):
        if not text.strip():
            raise SiteError(_("Bitte füllen Sie dieses Feld aus."), field)
    columns = {
        SiteSettingsRow.city_name: values.city_name.strip(),
        SiteSettingsRow.leader_title: values.leader_title.strip(),
        SiteSettingsRow.dialogue_name: values.dialogue_name.strip(),
        SiteSettingsRow.primary_colour: colour,
        SiteSettingsRow.contact_address: values.contact_address.strip().replace("\r\n", "\n"),
        SiteSettingsRow.contact_email: values.contact_email.strip(),
    }
    if logo_type is not None:
        columns[SiteSettingsRow.logo] = values.logo
        columns[SiteSettingsRow.logo_content_type] = logo_type
    elif values.remove_logo:
        columns[SiteSettingsRow.logo] = None
        columns[SiteSettingsRow.logo_content_type] = ""
    existing = await SiteSettingsRow.select(SiteSettingsRow.id).order_by(SiteSettingsRow.id).first()
    if existing is None:
        await SiteSettingsRow.insert(SiteSettingsRow(columns))
    else:
        columns[SiteSettingsRow.updated_at] = datetime.now(UTC)
        await SiteSettingsRow.update(columns).where(SiteSettingsRow.id == existing["id"])
    forget_site_settings()
    return await site_settings()


def setup_code(secret_key: str) -> str:
    """The code the first-run page asks for in production ("ABCD-EFGH-IJKL").

    Derived from SECRET_KEY, so every app process agrees without storing anything, and only someone who can run
    `participation setup-code` on the server (or read its configuration) can set a new installation up; whoever
    merely reaches its address first cannot take it over.
    """
    digest = hmac.new(secret_key.encode(), b"familiendialog first run", hashlib.sha256).digest()
    code = base64.b32encode(digest).decode()[:12]
    return "-".join(code[i:i + 4] for i in range(0, 12, 4))


def _same_code(given: str, expected: str) -> bool:
    normalised = re.sub(r"[^A-Z0-9]", "", given.upper())
    return hmac.compare_digest(normalised, expected.replace("-", ""))


@dataclass(frozen=True, slots=True)
class FirstOfficeAccount:
    display_name: str
    email: str
    password: str


async def complete_first_run(values: SiteSettingsInput, account: FirstOfficeAccount, *,
                             expected_code: str | None = None, given_code: str = "") -> SiteSettings:
    """Save the settings of a new installation and create its first office account, or neither.

    Refused once the installation is set up (settings saved or any account present), so the page cannot be used to
    take over a running installation; with `expected_code` (production: `setup_code`) also without that code.
    """
    from participation.db import transaction

    if expected_code is not None and not _same_code(given_code, expected_code):
        raise SiteError(_("Der Einrichtungscode stimmt nicht. Sie erhalten ihn auf dem Server mit "
                          "„participation setup-code“."), "setup_code")
    try:
        async with transaction():
            if not await first_run_pending():
                raise SiteError(_("Diese Installation ist bereits eingerichtet. Bitte melden Sie sich an."))
            await save_site_settings(values)
            await create_user(email=account.email, display_name=account.display_name, password=account.password,
                              role=Role.OFFICE)
    finally:
        forget_site_settings()  # what was read inside the transaction may have been rolled back
    return await site_settings()
