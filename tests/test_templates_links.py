"""Pages link to the app's own pages by route name (`url_for`), so that moving a route cannot leave a dead link.

PDF templates (templates/pdf/) are rendered without a request and keep absolute links to BASE_URL; they are not
checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from participation.app import create_app
from participation.web.templating import TEMPLATES_DIR

# A quote followed by one slash starts a hand-written path on this site: href="/…", action="/…", "/verwaltung/" ~ id.
# Two slashes (protocol-relative) and full addresses (https://…) point elsewhere and are allowed.
HAND_WRITTEN_PATH = re.compile(r"""["']/(?!/)""")
URL_FOR_CALL = re.compile(r"url_for\(([^)]*)\)")
QUOTED = re.compile(r"""["']([^"']*)["']""")


def page_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES_DIR.rglob("*.html") if "pdf" not in p.relative_to(TEMPLATES_DIR).parts)


def hand_written_paths(text: str) -> list[str]:
    """The lines of a template that write a path on this site by hand."""
    return [line.strip() for line in text.splitlines() if HAND_WRITTEN_PATH.search(line)]


def route_names_used(text: str) -> set[str]:
    """Every quoted name in the arguments of `url_for(...)`, including both sides of `'a' if x else 'b'`."""
    return {name for call in URL_FOR_CALL.findall(text) for name in QUOTED.findall(call)}


@pytest.mark.parametrize("snippet", [
    '<a href="/verwaltung/runden">',
    '<a href="/">',
    '<form method="post" action="/zentrum/angebote/{{ o.id }}">',
    '{{ job_status(job, "/auftraege/" ~ job.id, _("Fortschritt")) }}',
    "<input type=\"hidden\" name=\"back\" value='/verwaltung/themen/{{ run.id }}'>",
])
def test_the_check_finds_a_hand_written_link(snippet):
    assert hand_written_paths(snippet) == [snippet]


@pytest.mark.parametrize("snippet", [
    "<a href=\"{{ url_for('round', round_id=round.id) }}#massnahmen\">",
    "<link rel=\"stylesheet\" href=\"{{ static_url('site.css') }}\">",
    '<a href="https://www.ludwigsburg.de/">',
    '<a class="skip-link" href="#main">',
])
def test_the_check_lets_route_names_static_files_and_other_sites_pass(snippet):
    assert hand_written_paths(snippet) == []


def test_page_templates_write_no_internal_path_by_hand():
    found = {
        str(path.relative_to(TEMPLATES_DIR)): lines
        for path in page_templates()
        if (lines := hand_written_paths(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "Use url_for('route-name', ...) instead of these hand-written paths"


def test_every_route_name_in_the_templates_exists(settings):
    app = create_app(settings)
    known = {handler.name for route in app.routes for handler in route.route_handlers if handler.name}
    unknown = {
        str(path.relative_to(TEMPLATES_DIR)): sorted(route_names_used(path.read_text(encoding="utf-8")) - known)
        for path in page_templates()
    }
    assert {name: names for name, names in unknown.items() if names} == {}
    assert len(known) > 100  # the app really was built with its routes
