"""Translations (Babel/gettext) and the language of the current request.

German is the source language: every message id is the German text. Catalogues live in
`participation/i18n/locales/<lang>/LC_MESSAGES/messages.po`; they are compiled in memory at start-up, so no build
step is needed. A message missing from a catalogue falls back to German.
"""

from __future__ import annotations

import contextvars
import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

from participation.settings import PARENT_LANGUAGES, RTL_LANGUAGES, UI_LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "de"

#: Each language's name in that language, for the language switcher.
LANGUAGE_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "ru": "Русский",
    "uk": "Українська",
}

_current_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


@cache
def translations_for(language: str) -> NullTranslations:
    """The compiled catalogue of `language` (German and unknown languages get the identity)."""
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def current_language() -> str:
    """The language of the request being handled."""
    return _current_language.get()


def set_language(language: str) -> contextvars.Token[str]:
    """Make `language` the current language (for a request, a CLI run or a test)."""
    return _current_language.set(language)


def reset_language(token: contextvars.Token[str]) -> None:
    _current_language.reset(token)


def gettext(message: str, **variables: object) -> str:
    """`message` in the current language, with %(name)s placeholders filled from `variables`."""
    translated = translations_for(current_language()).gettext(message)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    translated = translations_for(current_language()).ngettext(singular, plural, n)
    return translated % {"num": n, **variables} if variables else translated


def pgettext(context: str, message: str) -> str:
    return translations_for(current_language()).pgettext(context, message)


def lazy_gettext(message: str) -> LazyProxy:
    """A message translated when it is shown, for labels defined at import time (forms, enums)."""
    return LazyProxy(gettext, message, enable_cache=False)


_ = gettext


def text_direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def best_match(candidates: Iterable[str | None], allowed: Iterable[str]) -> str | None:
    """The first candidate (a code like 'tr' or 'tr-TR') whose language is allowed."""
    allowed_set = set(allowed)
    for candidate in candidates:
        if not candidate:
            continue
        code = candidate.strip().lower().replace("_", "-").split("-")[0]
        if code in allowed_set:
            return code
    return None


def parse_accept_language(header: str) -> list[str]:
    """Language codes of an Accept-Language header, best first."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        code = pieces[0].strip()
        if not code or code == "*":
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weighted.append((-quality, index, code))
    return [code for _, _, code in sorted(weighted)]


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGE_NAMES",
    "PARENT_LANGUAGES",
    "UI_LANGUAGES",
    "_",
    "best_match",
    "current_language",
    "gettext",
    "lazy_gettext",
    "ngettext",
    "parse_accept_language",
    "set_language",
    "text_direction",
    "translations_for",
]
