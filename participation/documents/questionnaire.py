"""The printable paper questionnaire: a survey as an A4 form to tick and write on, with a QR code to the online form.

Pure: a `PaperForm` (plain data, already in the reader's language, built by `surveys.services.paper` from the
survey definition) in, PDF bytes out. The page layout lives in ``templates/pdf/questionnaire.html``; fixed strings
come through the environment's gettext in the language that is current while rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import segno

from participation.documents.pdf import DEFAULT_PAGE_LABEL, render_template_pdf

__all__ = ["PaperChoice", "PaperForm", "PaperQuestion", "PaperSection", "qr_data_uri", "questionnaire_pdf"]

TEMPLATE_NAME = "pdf/questionnaire.html"
#: A questionnaire longer than this is not a paper form any more.
MAX_PAGES = 40


@dataclass(frozen=True, slots=True)
class PaperChoice:
    """One box to tick. `skip_to` is the number of the question to go on with after ticking it (None: the next
    one; 0: the end of the questionnaire), `skip` that instruction in words ("weiter mit Frage 7")."""

    label: str
    skip_to: int | None = None
    skip: str = ""


@dataclass(frozen=True, slots=True)
class PaperQuestion:
    """One numbered question. `kind` is the survey's question kind ("single", "multiple", "scale", "yesno",
    "number", "short_text", "long_text"); `only_if` is the printed filter instruction of a follow-up question
    ("Nur beantworten, wenn …"), `skip_notes` a scale's filter instructions under its row, `range_note` the
    allowed range of a number, `digits` its number of boxes."""

    number: int
    kind: str
    text: str
    required: bool = False
    help: str = ""
    choices: list[PaperChoice] = field(default_factory=list)
    other: bool = False
    low: str = ""
    high: str = ""
    only_if: str = ""
    skip_notes: list[str] = field(default_factory=list)
    range_note: str = ""
    digits: int = 4
    decimals: bool = False


@dataclass(frozen=True, slots=True)
class PaperSection:
    title: str
    intro: str
    questions: list[PaperQuestion]


@dataclass(frozen=True, slots=True)
class PaperForm:
    """Everything the paper form prints, in its language (`lang`, BCP 47; `direction` "ltr" or "rtl")."""

    lang: str
    direction: str
    site_title: str
    survey_title: str
    round_name: str
    intro: str
    closes_on: str
    form_url: str
    districts: list[str]
    centres: list[str]
    sections: list[PaperSection]
    privacy: list[str] = field(default_factory=list)
    privacy_url: str = ""
    hand_in: str = ""
    logo: str = ""


def qr_data_uri(link: str) -> str:
    """The QR code of `link` as an SVG data: URI (error level M survives a crease; border 4 is the standard's
    quiet zone), the same code as on invitation cards."""
    return segno.make(link, error="m", micro=False).svg_data_uri(scale=1, border=4)


def short_address(url: str) -> str:
    """The address to type: without "https://", with zero-width spaces after "/" and "." so it wraps readably."""
    parts = urlsplit(url)
    shown = (parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")) if parts.scheme in (
        "http", "https") else url
    return re.sub(r"(?<=[/.])(?=.)", "\u200b", shown.rstrip("/") or url)


def questionnaire_html(form: PaperForm, *, env: jinja2.Environment, page_label: str = DEFAULT_PAGE_LABEL) -> str:
    """The form's HTML (what `questionnaire_pdf` renders), for tests and previews."""
    from participation.documents.pdf import page_counter_css

    return env.get_template(TEMPLATE_NAME).render(_context(form) | {
        "document_title": form.survey_title, "lang": form.lang, "page_counter_css": page_counter_css(page_label)})


def _context(form: PaperForm) -> dict:
    return {"f": form, "direction": form.direction, "qr_src": qr_data_uri(form.form_url),
            "short_url": short_address(form.form_url)}


def questionnaire_pdf(
    form: PaperForm, *, env: jinja2.Environment, page_label: str = DEFAULT_PAGE_LABEL,
    static_root: Path | None = None,
) -> bytes:
    """Render the paper questionnaire to A4 PDF bytes (tagged, no network; see `documents.pdf`)."""
    return render_template_pdf(
        env, TEMPLATE_NAME, _context(form), title=form.survey_title, lang=form.lang, page_label=page_label,
        static_root=static_root, max_pages=MAX_PAGES,
    )
