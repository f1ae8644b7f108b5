"""The Markdown of minutes notes as safe HTML, for pages and PDFs (pure: text in, sanitised markup out)."""

from __future__ import annotations

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


def render_markdown(text: str) -> Markup:
    """Notes in Markdown as safe HTML: markdown-it-py (raw HTML off) and then nh3 with a small allow-list."""
    html = _MARKDOWN.renderer.render(markdown_tokens(text), _MARKDOWN.options, {})
    cleaned = nh3.clean(
        html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
