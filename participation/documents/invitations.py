"""Printable invitation-code sheets: A4 pages of cut-out cards with code, QR code and link.

Centres hand these cards to parents; each code admits one response. The QR code
opens the survey with the code already filled in (``?code=...``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jinja2
import segno

from participation.documents.pdf import DEFAULT_PAGE_LABEL, MAX_PAGES, render_template_pdf

__all__ = ["InvitationTexts", "invitation_sheet_pdf", "survey_link"]

TEMPLATE_NAME = "pdf/invitation_codes.html"
# Cards per page -> (card height, QR size); two cards per row. Heights leave room for
# the sheet heading on the first page, so every page holds the same number of cards.
CARD_LAYOUTS = {8: ("62mm", "34mm"), 10: ("49.5mm", "27mm")}


@dataclass(frozen=True)
class InvitationTexts:
    """Fixed strings printed on the sheet; translate by passing another instance.

    ``document_title`` takes ``{survey_title}`` and ``{centre_name}``; ``qr_alt``
    takes ``{code}``; ``page_label`` takes ``{page}`` and ``{pages}``.
    """

    document_title: str = "Einladungscodes: {survey_title} – {centre_name}"
    heading: str = "Einladung zum Familiendialog"
    instruction: str = "QR-Code scannen oder Adresse öffnen und Code eingeben."
    code_label: str = "Ihr Code"
    address_label: str = "Adresse"
    qr_alt: str = "QR-Code: Link zur Umfrage mit Ihrem Code {code}"
    cut_hint: str = "Bitte entlang der gestrichelten Linien ausschneiden."
    page_label: str = DEFAULT_PAGE_LABEL


DEFAULT_INVITATION_TEXTS = InvitationTexts()


def survey_link(survey_url: str, code: str) -> str:
    """Return ``survey_url`` with ``code`` set as its ``code`` query parameter."""
    parts = urlsplit(survey_url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "code"]
    query.append(("code", code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _display_url(survey_url: str) -> str:
    parts = urlsplit(survey_url)
    shown = parts.netloc + parts.path if parts.scheme in ("http", "https") else survey_url
    return shown.rstrip("/") or survey_url


def _breakable_url(url: str) -> str:
    # A zero-width space after "/" and "." lets a long address wrap at a readable point
    # instead of in the middle of a word.
    return re.sub(r"(?<=[/.])(?=.)", "\u200b", url)


def _qr_data_uri(link: str) -> str:
    # Error level M survives a crease or smudge on a paper card; border 4 is the
    # quiet zone the QR standard asks for.
    return segno.make(link, error="m", micro=False).svg_data_uri(scale=1, border=4)


def qr_code_svg(link: str, title: str = "") -> bytes:
    """A QR code of ``link`` as an SVG file to show or print (error level M, the standard's quiet zone)."""
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buffer, kind="svg", scale=8, border=4, title=title or None)
    return buffer.getvalue()


def invitation_sheet_pdf(
    codes: Sequence[str],
    *,
    centre_name: str,
    survey_title: str,
    survey_url: str,
    env: jinja2.Environment,
    display_url: str | None = None,
    texts: InvitationTexts = DEFAULT_INVITATION_TEXTS,
    lang: str = "de",
    cards_per_page: int = 8,
    static_root: Path | None = None,
    max_pages: int = MAX_PAGES,
) -> bytes:
    """Render invitation codes as an A4 PDF of cut-out cards (8 or 10 per page).

    Each card shows the code in large monospace, a QR code for
    ``survey_url?code=<code>``, the short address (``display_url``, default:
    ``survey_url`` without scheme) and a one-line instruction. ``env`` is a Jinja
    environment (autoescaping) that can load ``pdf/invitation_codes.html``.
    """
    if cards_per_page not in CARD_LAYOUTS:
        raise ValueError(f"cards_per_page must be one of {sorted(CARD_LAYOUTS)}")
    cards = [
        {
            "code": code,
            "qr_src": _qr_data_uri(survey_link(survey_url, code)),
            "qr_alt": texts.qr_alt.format(code=code),
        }
        for code in codes
    ]
    pages = [cards[i : i + cards_per_page] for i in range(0, len(cards), cards_per_page)] or [[]]
    title = texts.document_title.format(survey_title=survey_title, centre_name=centre_name)
    return render_template_pdf(
        env,
        TEMPLATE_NAME,
        {
            "pages": pages,
            "card_height": CARD_LAYOUTS[cards_per_page][0],
            "qr_size": CARD_LAYOUTS[cards_per_page][1],
            "centre_name": centre_name,
            "survey_title": survey_title,
            "display_url": _breakable_url(display_url or _display_url(survey_url)),
            "texts": texts,
        },
        title=title,
        lang=lang,
        page_label=texts.page_label,
        static_root=static_root,
        max_pages=max_pages,
    )
