"""The Markdown of minutes notes as safe HTML, for pages and PDFs (pure: text in, sanitised markup out)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

#: CommonMark without raw HTML and without images (nothing in the minutes is ever loaded from elsewhere), plus tables.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "h4", "h5", "h6", "hr", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


def markdown_tokens(text: str) -> list:
    """The parsed notes (markdown-it tokens), headings moved below the page's own."""
    tokens = _MARKDOWN.parse(text or "")
    for token in tokens:
        # The notes sit under the "Notizen" heading (h3): their own headings start at h4.
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 3, 6)}"
    return tokens


def _is_relative(href: str) -> bool:
    """A link without a scheme (``protokoll.pdf``, ``/umfrage/3``, ``#punkt``): it means something on our site only."""
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc


def _resolve_links(tokens: list, link_base: str) -> None:
    """Make relative links absolute to ``link_base``; with an empty base, drop them and keep their text.

    In a PDF a relative link would resolve against the renderer's own base (a ``file://`` path on the server).
    """
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        kept, dropping = [], False
        for child in token.children:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if _is_relative(href):
                    if not link_base:
                        dropping = True
                        continue
                    child.attrSet("href", urljoin(link_base.rstrip("/") + "/", href))
            elif child.type == "link_close" and dropping:
                dropping = False
                continue
            kept.append(child)
        token.children = kept


def render_markdown(text: str, *, link_base: str | None = None) -> Markup:
    """Notes in Markdown as safe HTML: markdown-it-py (raw HTML off) and then nh3 with a small allow-list.

    Pages leave relative links as they are (``link_base=None``); documents that leave the site (PDFs) give the
    site's public address, so relative links become absolute to it, or ``""`` to drop them (their text stays).
    """
    tokens = markdown_tokens(text)
    if link_base is not None:
        _resolve_links(tokens, link_base)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    cleaned = nh3.clean(
        html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
