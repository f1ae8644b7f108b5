"""Safe PDF rendering with WeasyPrint: HTML in, tagged PDF/UA-1 bytes out.

Rendering never touches the network: a restricted URL fetcher only serves ``data:``
URIs and files below ``static_root``; every other URL is refused (and logged), which
WeasyPrint treats like a missing image or stylesheet. Inputs that are too big fail
with :class:`DocumentTooLarge` before or right after layout, never with a crash.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
import weasyprint
from markupsafe import Markup
from weasyprint.logger import PROGRESS_LOGGER
from weasyprint.urls import URLFetcher, URLFetcherResponse

from participation.documents import formatting
from participation.documents.formatting import number
from participation.documents.markdown import render_markdown

__all__ = [
    "MAX_HTML_BYTES",
    "MAX_PAGES",
    "MAX_SECONDS",
    "DocumentError",
    "DocumentTooLarge",
    "ResourceRefused",
    "RestrictedURLFetcher",
    "page_counter_css",
    "pdf_environment",
    "render_pdf",
    "render_template_pdf",
]

logger = logging.getLogger(__name__)

MAX_HTML_BYTES = 2_000_000
MAX_PAGES = 300
MAX_SECONDS = 60.0
PDF_VARIANT = "pdf/ua-1"
DEFAULT_PAGE_LABEL = "Seite {page} von {pages}"


class DocumentError(Exception):
    """A document could not be rendered; ``str(error)`` is a German message for users."""


class DocumentTooLarge(DocumentError):
    """The input or the resulting PDF exceeds a configured limit.

    ``limit`` and ``actual`` carry the numbers, ``unit`` is ``"bytes"``, ``"pages"``,
    ``"seconds"`` or ``"depth"``, so a caller can word its own (translated) message.
    """

    def __init__(self, message: str, *, limit: float, actual: float | None, unit: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.actual = actual
        self.unit = unit


class ResourceRefused(ValueError):
    """A resource URL outside the allowed sources; WeasyPrint skips the resource."""


class RestrictedURLFetcher(URLFetcher):
    """URL fetcher that serves ``data:`` URIs and files under ``static_root`` only.

    Everything else (http, https, ftp, file outside the root, …) raises
    :class:`ResourceRefused` without opening a connection.
    """

    def __init__(self, static_root: Path | str | None = None) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.static_root = Path(static_root).resolve() if static_root is not None else None

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource for ``url`` or raise :class:`ResourceRefused`."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            # urllib's DataHandler decodes the URI locally; no socket is involved.
            return super().fetch(url, headers)
        if scheme == "file" and self.static_root is not None:
            path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
            if path.is_relative_to(self.static_root) and path.is_file():
                mime_type, _ = mimetypes.guess_type(path.name)
                return URLFetcherResponse(
                    path.as_uri(),
                    path.read_bytes(),
                    headers={"Content-Type": mime_type or "application/octet-stream"},
                )
        logger.warning("PDF rendering refused resource %s", _shorten(url))
        raise ResourceRefused(f"resource not allowed in PDF rendering: {_shorten(url)}")


class _LimitReached(Exception):
    def __init__(self, unit: str, actual: float) -> None:
        super().__init__(unit, actual)
        self.unit = unit
        self.actual = actual


_budget: ContextVar[tuple[float, int] | None] = ContextVar("pdf_render_budget", default=None)


class _BudgetFilter(logging.Filter):
    """Abort a render that exceeds its page or time budget, checked at every layout step.

    WeasyPrint offers no hook into layout except its progress log ("Step 5 - Creating
    layout - Page n"), so the limits ride on that: raising here unwinds the layout
    before hundreds of pages or minutes of work pile up.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        budget = _budget.get()
        if budget is not None:
            deadline, max_pages = budget
            if time.monotonic() > deadline:
                raise _LimitReached("seconds", time.monotonic() - deadline)
            if str(record.msg).startswith("Step 5 - Creating layout - Page") and record.args:
                page = record.args[0] if isinstance(record.args, tuple) else 0
                if isinstance(page, int) and page > max_pages:
                    raise _LimitReached("pages", page)
        # Pass the record on only if the application asked for WeasyPrint's info messages.
        parent = PROGRESS_LOGGER.parent
        return parent is not None and parent.getEffectiveLevel() <= logging.INFO


# Progress records must be created for the filter to see them, so the progress logger
# is opened to INFO; the filter keeps the application's logs as they were.
if PROGRESS_LOGGER.level == logging.NOTSET or PROGRESS_LOGGER.level > logging.INFO:
    PROGRESS_LOGGER.setLevel(logging.INFO)
PROGRESS_LOGGER.addFilter(_BudgetFilter())


@contextmanager
def _render_budget(max_pages: int, max_seconds: float) -> Iterator[None]:
    token = _budget.set((time.monotonic() + max_seconds, max_pages))
    try:
        yield
    finally:
        _budget.reset(token)


def _shorten(url: str, limit: int = 200) -> str:
    return url if len(url) <= limit else url[:limit] + "…"


def render_pdf(
    html: str,
    *,
    title: str,
    lang: str = "de",
    base_url: str | None = None,
    static_root: Path | str | None = None,
    max_html_bytes: int = MAX_HTML_BYTES,
    max_pages: int = MAX_PAGES,
    max_seconds: float = MAX_SECONDS,
) -> bytes:
    """Render ``html`` to a tagged PDF/UA-1 document and return its bytes.

    ``title`` and ``lang`` (BCP 47, e.g. ``"de"``) go into the PDF metadata. Relative
    URLs resolve against ``base_url``, or against ``static_root`` when only that is
    given; only files below ``static_root`` and ``data:`` URIs are ever loaded.
    Raises :class:`DocumentTooLarge` when the HTML exceeds ``max_html_bytes`` or the
    layout exceeds ``max_pages`` or ``max_seconds`` (checked between pages, so one
    pathological page can overrun it), and :class:`DocumentError` for other failures.
    """
    size = len(html.encode("utf-8"))
    if size > max_html_bytes:
        raise DocumentTooLarge(
            f"Das Dokument ist zu groß für die PDF-Erstellung ({_megabytes(size)} MB, "
            f"erlaubt sind höchstens {_megabytes(max_html_bytes)} MB).",
            limit=max_html_bytes,
            actual=size,
            unit="bytes",
        )
    if base_url is None and static_root is not None:
        base_url = Path(static_root).resolve().as_uri() + "/"
    fetcher = RestrictedURLFetcher(static_root)
    try:
        with _render_budget(max_pages, max_seconds):
            document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                pdf_variant=PDF_VARIANT
            )
            if len(document.pages) > max_pages:
                raise _LimitReached("pages", len(document.pages))
            _drop_local_links(document)
            document.metadata.title = title
            document.metadata.lang = lang
            return document.write_pdf(pdf_variant=PDF_VARIANT)
    except _LimitReached as error:
        raise _too_large(error.unit, max_pages if error.unit == "pages" else max_seconds) from None
    except RecursionError as error:
        # Pathologically deep nesting exhausts WeasyPrint's recursive layout.
        raise DocumentTooLarge(
            "Das Dokument ist zu tief verschachtelt für die PDF-Erstellung.",
            limit=0,
            actual=None,
            unit="depth",
        ) from error
    except Exception as error:
        logger.exception("PDF rendering failed for %r", title)
        raise DocumentError("Das PDF konnte nicht erstellt werden.") from error


#: Link targets a reader of the PDF may follow; anything else (``file:`` above all, which shows the server's paths)
#: is not made a link.
_LINK_SCHEMES = ("http:", "https:", "mailto:")


def _drop_local_links(document: weasyprint.Document) -> None:
    """Remove external links other than http(s) and mailto, whatever the template put in (a safety net below
    ``render_markdown``'s own link handling); links within the document stay."""
    for page in document.pages:
        page.links[:] = [
            link for link in page.links
            if link[0] != "external" or str(link[1]).lower().startswith(_LINK_SCHEMES)
        ]


def _too_large(unit: str, limit: float) -> DocumentTooLarge:
    if unit == "pages":
        return DocumentTooLarge(
            f"Das Dokument hätte mehr als {int(limit)} Seiten; das ist zu umfangreich für ein PDF.",
            limit=int(limit),
            actual=None,
            unit="pages",
        )
    return DocumentTooLarge(
        f"Die PDF-Erstellung hat das Zeitlimit von {limit:g} Sekunden überschritten; das Dokument ist zu umfangreich.",
        limit=limit,
        actual=None,
        unit="seconds",
    )


def _megabytes(size: int) -> str:
    return number(size / 1_000_000, 1)


_CSS_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\a ", "\r": "", "<": "\\3c ", ">": "\\3e "}


def _css_string(text: str) -> str:
    return '"' + "".join(_CSS_STRING_ESCAPES.get(char, char) for char in text) + '"'


def page_counter_css(label: str = DEFAULT_PAGE_LABEL) -> Markup:
    """Turn a label like ``"Seite {page} von {pages}"`` into a CSS ``content`` value.

    The result (e.g. ``"Seite " counter(page) " von " counter(pages)``) is safe to
    place inside a ``<style>`` element, so translated labels may use any word order.
    """
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", label):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    # Every literal piece went through _css_string, so the markup is safe inside <style>.
    return Markup(" ".join(parts) or '""')  # noqa: S704


def pdf_environment(
    templates_dir: Path | str,
    *,
    gettext: Callable[..., str] | None = None,
    ngettext: Callable[..., str] | None = None,
    pgettext: Callable[..., str] | None = None,
    link_base: str = "",
) -> jinja2.Environment:
    """The Jinja environment every PDF renders with (the app builds its one instance through here).

    Autoescaping everywhere (PDFs carry users' text), undefined names fail, block tags leave no blank lines. The
    filters ``day`` and ``number`` format as :mod:`formatting` does, ``markdown`` renders notes safely. Give the
    app's gettext callables for ``_()`` in templates; without them the (German) source text stands. Relative links
    in notes become absolute to ``link_base`` (the site's public address, BASE_URL), or are dropped without one.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    if gettext is None:
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    else:
        env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext)  # type: ignore[attr-defined]
    env.filters["day"] = formatting.day
    env.filters["number"] = formatting.number
    env.filters["markdown"] = lambda text: render_markdown(text, link_base=link_base)
    return env


def _autoescapes(env: jinja2.Environment, template_name: str) -> bool:
    setting = env.autoescape
    return bool(setting(template_name)) if callable(setting) else bool(setting)


def render_template_pdf(
    env: jinja2.Environment,
    template_name: str,
    context: Mapping[str, Any],
    *,
    title: str,
    lang: str = "de",
    page_label: str = DEFAULT_PAGE_LABEL,
    base_url: str | None = None,
    static_root: Path | str | None = None,
    max_html_bytes: int = MAX_HTML_BYTES,
    max_pages: int = MAX_PAGES,
    max_seconds: float = MAX_SECONDS,
) -> bytes:
    """Render a Jinja template (normally extending ``pdf/_base.html``) to PDF bytes.

    The template sees ``context`` plus ``document_title``, ``lang`` and
    ``page_counter_css`` (from ``page_label``, the translated "Seite x von y").
    ``env`` must autoescape the template, because PDFs carry user text.
    """
    if not _autoescapes(env, template_name):
        raise ValueError(f"Jinja environment must autoescape {template_name!r} for PDF rendering")
    html = env.get_template(template_name).render(
        {
            **context,
            "document_title": title,
            "lang": lang,
            "page_counter_css": page_counter_css(page_label),
        }
    )
    return render_pdf(
        html,
        title=title,
        lang=lang,
        base_url=base_url,
        static_root=static_root,
        max_html_bytes=max_html_bytes,
        max_pages=max_pages,
        max_seconds=max_seconds,
    )
