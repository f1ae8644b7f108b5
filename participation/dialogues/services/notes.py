"""Notes and decisions of an agenda item: what the minutes accept (notes are Markdown, decisions one per line)."""

from __future__ import annotations

import re

from participation.documents import formatting
from participation.documents.markdown import markdown_tokens
from participation.i18n import gettext as _

#: Limits that keep one input from blowing up a page or a PDF (checked in the forms, with a message).
MAX_NOTES_CHARS = 20_000
MAX_DECISIONS_CHARS = 5_000
MAX_TABLE_COLUMNS = 10
MAX_TABLE_ROWS = 200
#: A longer run without a space (a "word") makes WeasyPrint's table layout crawl: 300-character words in ten
#: columns take over a minute. URLs fit.
MAX_WORD_CHARS = 120


def notes_problem(text: str) -> str | None:
    """Why these notes cannot be taken (too long, an abusive table), or None."""
    if len(text or "") > MAX_NOTES_CHARS:
        limit = formatting.number(MAX_NOTES_CHARS, thousands=".")
        return _("Die Notizen sind zu lang (höchstens %(n)s Zeichen).", n=limit)
    if any(len(word) > MAX_WORD_CHARS for word in re.split(r"[\s|]+", text or "")):
        return _("Ein Wort in den Notizen ist zu lang (höchstens %(n)s Zeichen ohne Leerzeichen).", n=MAX_WORD_CHARS)
    columns = rows = 0
    for token in markdown_tokens(text):
        if token.type == "tr_open":
            rows += 1
            columns = 0
        elif token.type in ("th_open", "td_open"):
            columns += 1
            if columns > MAX_TABLE_COLUMNS:
                return _("Eine Tabelle in den Notizen hat zu viele Spalten (höchstens %(n)s).", n=MAX_TABLE_COLUMNS)
    if rows > MAX_TABLE_ROWS:
        return _("Die Tabellen in den Notizen haben zu viele Zeilen (höchstens %(n)s).", n=MAX_TABLE_ROWS)
    return None


def decision_lines(text: str) -> list[str]:
    """Decisions are written one per line; empty lines and list markers are dropped."""
    lines = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-*•").strip()
        if line:
            lines.append(line)
    return lines
