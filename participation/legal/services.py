"""The legal pages' content: the city's entries (stored per field) and the facts that follow from the platform."""

from __future__ import annotations

from datetime import UTC, date, datetime

from participation.accounts.sessions import COOKIE as SESSION_COOKIE
from participation.accounts.sessions import CSRF_COOKIE
from participation.dialogues.poll_controllers import VOTER_COOKIE
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.legal.schemas import (
    DEFAULT_ENFORCEMENT,
    LEGAL_FIELDS,
    CookieUse,
    PrivacyFacts,
    StoredField,
)
from participation.legal.tables import LegalText
from participation.settings import Settings
from participation.surveys.controllers.parents import ANSWERED_COOKIE
from participation.surveys.services.paper_entry import PAPER_DRAFT_DAYS
from participation.web.context import LANGUAGE_COOKIE

#: Finished jobs (and their results) are deleted this many days after they finished.
JOB_RESULT_DAYS = 30

#: Defaults of fields the city may leave as they are.
_DEFAULTS = {"enforcement": DEFAULT_ENFORCEMENT, "conformance": "partial"}


class LegalTextError(DomainError):
    """An entry of the legal pages cannot be saved as given."""


async def legal_texts() -> dict[str, str]:
    """Every editable field of the legal pages, empty where the city has entered nothing yet."""
    stored = {row["key"]: row["value"] for row in await LegalText.select(LegalText.key, LegalText.value)}
    return {key: stored.get(key, _DEFAULTS.get(key, "")) for key in LEGAL_FIELDS}


async def save_legal_texts(values: dict[str, str]) -> None:
    """Store the city's entries (only known fields; others are refused, so a typo cannot vanish silently)."""
    unknown = set(values) - set(LEGAL_FIELDS)
    if unknown:
        raise LegalTextError(_("Unbekanntes Feld: %(name)s", name=", ".join(sorted(unknown))))
    existing = {row["key"] for row in await LegalText.select(LegalText.key)}
    now = datetime.now(UTC)
    async with LegalText._meta.db.transaction():
        for key, value in values.items():
            value = (value or "").strip()
            if key in existing:
                await LegalText.update({LegalText.value: value, LegalText.updated_at: now}).where(LegalText.key == key)
            else:
                await LegalText.insert(LegalText(key=key, value=value, updated_at=now))


def checked_on(texts: dict[str, str]) -> date | None:
    """The date of the last accessibility check, if the office entered one."""
    try:
        return date.fromisoformat(texts.get("checked_on", ""))
    except ValueError:
        return None


def cookies_used() -> tuple[CookieUse, ...]:
    """Every cookie the platform sets (a test walks the site and compares): none for tracking, none from others."""
    return (
        CookieUse(LANGUAGE_COOKIE, _("merkt sich die Sprache, die Sie oben auf der Seite gewählt haben"),
                  _("alle, die eine Sprache wählen"), _("1 Jahr")),
        CookieUse(ANSWERED_COOKIE, _("merkt sich auf diesem Gerät, welche Umfragen schon beantwortet wurden, damit "
                                     "versehentliche doppelte Antworten auffallen; er enthält nur die Nummern der "
                                     "Umfragen, nicht Ihre Antworten"),
                  _("Eltern nach dem Absenden einer Umfrage"), _("180 Tage")),
        CookieUse(VOTER_COOKIE, _("hält für eine Abstimmung in der Sitzung eine zufällige Kennung dieses Handys, damit "
                                  "jedes Handy einmal abstimmt; gespeichert wird nur ihr Prüfwert, nicht wer wie "
                                  "abgestimmt hat"),
                  _("Eltern, die in einer Sitzung abstimmen"), _("1 Tag")),
        CookieUse(CSRF_COOKIE, _("schützt Formulare davor, von fremden Seiten aus abgeschickt zu werden "
                                 "(Sicherheits-Cookie, technisch notwendig)"),
                  _("alle, die ein Formular öffnen"), _("bis zum Schließen des Browsers")),
        CookieUse(SESSION_COOKIE, _("hält die Anmeldung von Mitarbeitenden; er enthält nur eine zufällige Kennung"),
                  _("nur angemeldete Mitarbeitende"), _("bis zur Abmeldung, höchstens einige Stunden")),
    )


def stored_for_a_response() -> tuple[StoredField, ...]:
    """What is stored with one response, column by column (a test compares with the table)."""
    return (
        StoredField("survey", _("zu welcher Umfrage die Antwort gehört")),
        StoredField("district", _("der Stadtteil, den Sie gewählt haben (Pflichtangabe)")),
        StoredField("centre", _("das Kinder- und Familienzentrum, wenn Sie eines gewählt haben")),
        StoredField("language", _("die Sprache, in der Sie geantwortet haben")),
        StoredField("submitted_on", _("der Tag des Absendens, ohne Uhrzeit")),
        StoredField("channel", _("ob Sie online oder auf einem Papierbogen geantwortet haben (nicht, wer ihn "
                                 "abgetippt hat)")),
        StoredField("submission_id", _("eine zufällige Kennung des Formulars, damit ein doppelter Klick nur eine "
                                       "Antwort speichert")),
        StoredField("answers", _("Ihre Antworten auf die Fragen, auch Ihre Texte in Freitextfeldern")),
    )


def privacy_facts(settings: Settings) -> PrivacyFacts:
    """What the privacy notice states because the platform works so, with the configured values."""
    return PrivacyFacts(
        threshold=settings.privacy_threshold,
        free_text_months=settings.free_text_retention_months,
        job_result_days=JOB_RESULT_DAYS,
        cookies=cookies_used(),
        stored=stored_for_a_response(),
        email_subscriptions=True,
        subscription_stored=stored_for_a_subscription(),
        pending_days=settings.notification_pending_days,
        paper_draft_days=PAPER_DRAFT_DAYS,
    )


def stored_for_a_subscription() -> tuple[StoredField, ...]:
    """What is stored for an address left for a notification, column by column (a test compares with the table).
    Nothing of it refers to a response."""
    return (
        StoredField("round", _("über welche Dialogrunde wir Sie benachrichtigen sollen")),
        StoredField("email", _("Ihre E-Mail-Adresse")),
        StoredField("address_key", _("eine Prüfsumme aus Runde und Adresse, damit eine Adresse nur einmal je Runde "
                                     "eingetragen ist")),
        StoredField("language", _("die Sprache, in der wir Ihnen schreiben")),
        StoredField("token_hash", _("eine Prüfsumme des Links zum Bestätigen und Abmelden")),
        StoredField("status", _("ob Sie die Adresse schon bestätigt haben")),
        StoredField("created_on", _("der Tag der Eintragung, ohne Uhrzeit")),
        StoredField("confirmed_on", _("der Tag der Bestätigung, ohne Uhrzeit")),
    )
