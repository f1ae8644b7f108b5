"""The page templates: links to the app's own pages go by route name (`url_for`), so that moving a route cannot
leave a dead link; data tables and row forms come from the shared macros in templates/_tables.html.

PDF templates (templates/pdf/) are rendered without a request and keep absolute links to BASE_URL; they are not
checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from participation.app import create_app
from participation.web.templating import TEMPLATES_DIR, make_environment

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


def _render(settings, source: str, **context) -> str:
    return make_environment(settings).from_string(source).render(**context)


def test_data_table_is_a_named_scrollable_region_with_caption_and_column_headings(settings):
    html = _render(settings, """{% from "_tables.html" import data_table, hidden_heading %}
        {% call data_table("Alle Zugänge", ["Name", hidden_heading("Aktionen")]) %}<tbody></tbody>{% endcall %}""")
    assert '<div class="table-wrap" tabindex="0" role="region" aria-label="Tabelle (seitlich verschiebbar)">' in html
    assert "<caption>Alle Zugänge</caption>" in html
    assert ('<thead><tr><th scope="col">Name</th><th scope="col"><span class="visually-hidden">Aktionen</span></th>'
            "</tr></thead>") in html
    assert html.index("<caption>") < html.index("<thead>") < html.index("<tbody>") < html.index("</table>")


def test_data_table_takes_its_own_label_and_class_and_lets_the_caller_write_the_header(settings):
    html = _render(settings, """{% from "_tables.html" import data_table %}
        {% call data_table("Nach Stadtteil", label="Kreuztabelle", class="crosstab") %}<thead></thead>{% endcall %}""")
    assert 'aria-label="Kreuztabelle"' in html
    assert '<table class="crosstab">' in html
    assert html.count("<thead>") == 1


def test_delete_form_posts_with_the_csrf_token_and_names_the_row_escaped(settings):
    html = _render(settings, """{% from "_tables.html" import delete_form with context %}
        {{ delete_form("/verwaltung/runden/1/themen/2/loeschen", "Entfernen", name) }}""",
        csrf_input='<input type="hidden" name="_csrf_token" value="T">', name="<b>Kita</b>")
    assert '<form method="post" action="/verwaltung/runden/1/themen/2/loeschen" class="inline-form">' in html
    assert '<input type="hidden" name="_csrf_token" value="T">' in html
    assert '>Entfernen<span class="visually-hidden"> – &lt;b&gt;Kita&lt;/b&gt;</span></button>' in html


def test_move_form_offers_no_way_up_for_the_first_row_and_no_way_down_for_the_last(settings):
    source = """{% from "_tables.html" import move_form with context %}{{ move_form("/m", "Thema", first, last) }}"""
    first = _render(settings, source, csrf_input="", first=True, last=False)
    last = _render(settings, source, csrf_input="", first=False, last=True)
    assert 'value="hoch"' not in first and 'value="runter"' in first
    assert 'value="hoch"' in last and 'value="runter"' not in last
