"""The catalogues name no city: translations carry the city, its leader and the dialogue's name as placeholders."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from participation.i18n import LOCALES_DIR

LANGUAGES = ("en", "tr", "ar", "ru", "uk")
#: Ludwigsburg as the catalogues had it, in Latin, Cyrillic (Russian, Ukrainian) and Arabic script.
CITY_SPELLINGS = re.compile(r"Ludwigsburg|Людвигсбург|Людвігсбург|لودفيغسبورغ", re.IGNORECASE)
SITE_PLACEHOLDERS = re.compile(r"%\((city|leader|dialogue)\)s")


def _catalogue(language: str):
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def _strings(message) -> list[str]:
    return [s for s in (message.string if isinstance(message.string, tuple | list) else [message.string]) if s]


def test_no_translation_names_the_model_city():
    found = []
    for language in LANGUAGES:
        catalogue = _catalogue(language)
        for message in [*catalogue, *catalogue.obsolete.values()]:
            found += [f"{language}: {text[:60]}" for text in _strings(message) if CITY_SPELLINGS.search(text)]
    assert not found, "\n".join(found)


def test_every_text_with_the_city_is_translated_with_the_same_placeholders():
    with_site = [m for m in _catalogue("en") if isinstance(m.id, str) and SITE_PLACEHOLDERS.search(m.id)]
    assert len(with_site) >= 6  # the site's name, footer, start page, minutes page, thank-you page (2)
    problems = []
    for language in LANGUAGES:
        catalogue = _catalogue(language)
        for source in with_site:
            message = catalogue.get(source.id)
            wanted = sorted(SITE_PLACEHOLDERS.findall(source.id))
            if message is None or not message.string:
                problems.append(f"{language}: untranslated {source.id[:50]!r}")
            elif sorted(SITE_PLACEHOLDERS.findall(message.string)) != wanted:
                problems.append(f"{language}: placeholders differ in {source.id[:50]!r}")
    assert not problems, "\n".join(problems)
