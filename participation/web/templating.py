"""The Jinja2 environments of pages and of PDFs: autoescaping everywhere, gettext from the request's language,
dates and numbers through `documents.formatting`."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pyphen
from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from participation.documents.formatting import day, moment, number, numeric_date
from participation.i18n import LANGUAGE_NAMES, current_language, gettext, ngettext, pgettext, text_direction
from participation.settings import PACKAGE_ROOT, PROJECT_ROOT, UI_LANGUAGES, Settings
from participation.site.services import CurrentSite

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PACKAGE_ROOT / "static"


@cache
def _static_version(name: str) -> str:
    path = STATIC_DIR / name
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path.exists() else "0"


def static_url(name: str) -> str:
    """URL of a file in participation/static, with a content hash so browsers never keep a stale copy."""
    return f"/static/{name}?v={_static_version(name)}"


def format_day(value: date | datetime | None, style: str = "long") -> str:
    """A date in the current language, e.g. "12. März 2027"."""
    return day(value, style, locale=current_language())


def format_moment(value: datetime | None, style: str = "medium") -> str:
    """A point in time in the city's time zone and the current language."""
    return moment(value, style, locale=current_language())


@cache
def _hyphenator(language: str) -> pyphen.Pyphen | None:
    try:
        return pyphen.Pyphen(lang=language, left=3, right=3)
    except KeyError:
        return None


def soft_hyphens(text: object) -> str:
    """Long words with soft hyphens (U+00AD) where the current language divides them, so narrow table headings
    wrap at syllables: browsers hyphenate only where they have a dictionary, and breaking anywhere splits words
    at random."""
    hyphenator = _hyphenator(current_language())
    words = str(text).split(" ")
    if hyphenator is None:
        return str(text)
    return " ".join("-".join(hyphenator.inserted(part, hyphen="\u00ad") if len(part) > 5 else part
                             for part in word.split("-")) for word in words)


def make_environment(settings: Settings, templates_dir: Path = TEMPLATES_DIR) -> Environment:
    """The pages' Jinja2 environment, in the current request's language (PDFs use `pdf_templates`)."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext)  # type: ignore[attr-defined]
    env.filters["day"] = format_day
    env.filters["moment"] = format_moment
    env.filters["number"] = number
    env.filters["numeric_date"] = numeric_date
    env.filters["soft_hyphens"] = soft_hyphens
    env.globals.update(
        current_language=current_language,
        text_direction=text_direction,
        language_names=LANGUAGE_NAMES,
        ui_languages=UI_LANGUAGES,
        parent_languages=settings.languages,
        static_url=static_url,
        privacy_threshold=settings.privacy_threshold,
        free_text_retention_months=settings.free_text_retention_months,
        public_base_url=settings.base_url,
        survey_status_labels=_status_labels(),
        # The city's settings for the current request: {{ site.city_name }}, {{ site.title }} (site/schemas.py).
        site=CurrentSite(),
    )
    return env


@cache
def pdf_templates() -> Environment:
    """The one Jinja2 environment of every PDF (minutes, centre summaries, offering plans, invitation codes):
    `documents.pdf.pdf_environment` over our templates, with gettext in the current language; relative links in
    notes point to BASE_URL."""
    from participation.documents.pdf import pdf_environment  # WeasyPrint loads only where PDFs are made

    return pdf_environment(TEMPLATES_DIR, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                           link_base=Settings.from_env().base_url)


def _status_labels() -> dict:
    from participation.surveys.schemas import STATUS_LABELS

    return STATUS_LABELS


def make_template_config(settings: Settings) -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(make_environment(settings)))
