"""Who may use the legal pages, the retention overview and the round archive (merged into tests/route_access.py)."""

from __future__ import annotations

ROUTES: dict[tuple[str, str], str] = {
    # the legal pages and the office's entries on them
    ("GET", "/impressum"): "public",
    ("GET", "/datenschutz"): "public",
    ("GET", "/barrierefreiheit"): "public",
    ("GET", "/leichte-sprache"): "public",
    ("GET", "/verwaltung/rechtliches"): "office",
    ("POST", "/verwaltung/rechtliches"): "office",
    ("GET", "/verwaltung/aufbewahrung"): "office",
    ("GET", "/verwaltung/runden/{round_id:int}/archiv.zip"): "office",
}

#: Not HTML pages (the accessibility walk skips them).
NOT_PAGES = {"/verwaltung/runden/{round_id:int}/archiv.zip"}
