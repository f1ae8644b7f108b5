"""Safe PDF rendering: tagged PDF/UA, metadata, no network, clean limits."""

from __future__ import annotations

import base64
import logging
from io import BytesIO
from pathlib import Path

import jinja2
import pytest
from PIL import Image

from participation.documents.charts import bar_chart
from participation.documents.pdf import (
    DocumentError,
    DocumentTooLarge,
    page_counter_css,
    render_pdf,
    render_template_pdf,
)
from tests.documents.helpers import pdf_text, read_pdf

LONG_PARAGRAPH = "Die Familien im Stadtteil wünschen sich längere Öffnungszeiten und mehr Ferienbetreuung. " * 8


def simple_html(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>T</title>'
        f'<style>body {{ font-family: "DejaVu Sans"; }}</style>{head}</head><body>{body}</body></html>'
    )


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), (31, 95, 168)).save(buffer, format="PNG")
    return buffer.getvalue()


def image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in read_pdf(pdf).pages)


def sample_context(paragraphs: int = 2) -> dict[str, object]:
    return {
        "items": ["Begrüßung", "Vereinbarkeit von Familie und Beruf", "<b>Betreuungsarrangements</b>"],
        "rows": [("Ferienbetreuung ausweiten", "KiFaZ Grünbühl & Eglosheim"), ("Elterncafé", "Stadt")],
        "paragraphs": [LONG_PARAGRAPH] * paragraphs,
    }


def test_minutes_render_as_tagged_pdf_ua_with_title_and_language(env: jinja2.Environment) -> None:
    pdf = render_template_pdf(env, "test/sample.html", sample_context(), title="Protokoll Frühjahr 2027")
    reader = read_pdf(pdf)
    assert reader.metadata.title == "Protokoll Frühjahr 2027"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    text = pdf_text(pdf)
    assert "Protokoll Frühjahr 2027" in text
    assert "Vereinbarkeit von Familie und Beruf" in text
    assert "KiFaZ Grünbühl & Eglosheim" in text


def test_fonts_are_embedded(env: jinja2.Environment) -> None:
    pdf = render_template_pdf(env, "test/sample.html", sample_context(), title="Schriften")
    descriptors = []
    for page in read_pdf(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptors.append(descendant.get_object()["/FontDescriptor"].get_object())
    assert descriptors
    assert all("/FontFile2" in d or "/FontFile3" in d or "/FontFile" in d for d in descriptors)
    assert any("Noto-Sans" in str(d["/FontName"]) for d in descriptors)  # the web pages' font


def test_user_text_is_escaped_in_the_pdf(env: jinja2.Environment) -> None:
    pdf = render_template_pdf(env, "test/sample.html", sample_context(), title="Escaping")
    assert "<b>Betreuungsarrangements</b>" in pdf_text(pdf)


def test_footer_counts_pages_and_header_repeats_the_title(env: jinja2.Environment) -> None:
    pdf = render_template_pdf(env, "test/sample.html", sample_context(paragraphs=14), title="Lang & breit")
    pages = read_pdf(pdf).pages
    assert len(pages) >= 2
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {total}" in page.extract_text()
    assert "Lang & breit" in pages[1].extract_text()


def test_page_label_is_translatable(env: jinja2.Environment) -> None:
    pdf = render_template_pdf(
        env, "test/sample.html", sample_context(), title="Page", lang="en", page_label="Page {page} of {pages}"
    )
    assert "Page 1 of 1" in pdf_text(pdf)
    assert read_pdf(pdf).trailer["/Root"]["/Lang"] == "en"


def test_page_counter_css_cannot_break_out_of_the_style_element() -> None:
    css = page_counter_css('Seite {page} "von" {pages} </style><script>')
    assert css == '"Seite " counter(page) " \\"von\\" " counter(pages) " \\3c /style\\3e \\3c script\\3e "'


def test_environment_without_autoescape_is_refused(tmp_path: Path) -> None:
    unsafe = jinja2.Environment(loader=jinja2.DictLoader({"x.html": "{{ a }}"}), autoescape=False)
    with pytest.raises(ValueError, match="autoescape"):
        render_template_pdf(unsafe, "x.html", {"a": 1}, title="x")


def test_external_resources_are_never_fetched(
    network_calls: list[tuple[str, str]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim")
    static = tmp_path / "static"
    static.mkdir()
    head = (
        '<link rel="stylesheet" href="https://example.com/evil.css">'
        "<style>"
        "@import url(http://example.com/import.css);"
        "@font-face { font-family: Evil; src: url(https://example.com/evil.woff2); }"
        "body { background: url(https://example.com/tracker.png); }"
        "</style>"
    )
    body = (
        "<h1>Extern</h1><p>Text bleibt.</p>"
        '<img src="http://example.com/x.png" alt="x">'
        '<img src="ftp://example.com/y.png" alt="y">'
        f'<img src="{secret.as_uri()}" alt="z">'
        '<img src="../secret.txt" alt="relativ">'
        '<iframe src="https://example.com/frame"></iframe>'
        '<object data="https://example.com/o.svg"></object>'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
        '<image xlink:href="https://example.com/svg.png" width="10" height="10"/></svg>'
    )
    with caplog.at_level(logging.WARNING, logger="participation.documents.pdf"):
        pdf = render_pdf(simple_html(body, head), title="Extern", static_root=static)
    assert network_calls == []
    assert "Text bleibt." in pdf_text(pdf)
    assert "geheim" not in pdf_text(pdf)
    refused = " ".join(record.getMessage() for record in caplog.records)
    for url in ("https://example.com/evil.css", "http://example.com/x.png", "ftp://example.com/y.png"):
        assert url in refused
    assert secret.as_uri() in refused


def test_external_resources_are_refused_without_static_root(network_calls: list[tuple[str, str]]) -> None:
    pdf = render_pdf(simple_html('<p>Ohne Wurzel</p><img src="https://example.com/x.png" alt="x">'), title="x")
    assert network_calls == []
    assert "Ohne Wurzel" in pdf_text(pdf)


def test_files_under_the_static_root_and_data_uris_are_used(
    network_calls: list[tuple[str, str]], tmp_path: Path
) -> None:
    static = tmp_path / "static"
    (static / "img").mkdir(parents=True)
    (static / "img" / "logo.png").write_bytes(png_bytes())
    (static / "print.css").write_text("p.marked { color: #1f5fa8; }")
    data_uri = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    html = simple_html(
        '<p class="marked">Mit Logo</p><img src="img/logo.png" alt="Logo der Stadt">'
        f'<img src="{data_uri}" alt="Eingebettet">',
        '<link rel="stylesheet" href="print.css">',
    )
    pdf = render_pdf(html, title="Logo", static_root=static)
    assert network_calls == []
    assert image_count(pdf) == 2


def test_static_root_cannot_be_escaped_with_dot_dot(network_calls: list[tuple[str, str]], tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "outside.png").write_bytes(png_bytes())
    html = simple_html('<img src="../outside.png" alt="a"><img src="%2e%2e/outside.png" alt="b">')
    pdf = render_pdf(html, title="Ausbruch", static_root=static)
    assert image_count(pdf) == 0
    assert network_calls == []


def test_charts_embed_as_vector_text_in_pdfs() -> None:
    chart = bar_chart("Nutzung der Angebote", [("Kita & Krippe", 12), ("Elterncafé", None)], 20, chart_id="c1")
    pdf = render_pdf(simple_html(f"<h1>Ergebnisse</h1><figure>{chart}</figure>"), title="Diagramm")
    text = pdf_text(pdf)
    assert "Kita & Krippe" in text
    assert "12 (60 %)" in text
    assert "unterdrückt" in text


def test_html_above_the_size_cap_fails_cleanly() -> None:
    html = simple_html("<p>" + "x" * 3_000_000 + "</p>")
    with pytest.raises(DocumentTooLarge) as raised:
        render_pdf(html, title="Riesig")
    assert "zu groß" in str(raised.value)
    assert raised.value.unit == "bytes"
    assert raised.value.actual > raised.value.limit
    assert isinstance(raised.value, DocumentError)


def test_too_many_pages_fail_cleanly_during_layout() -> None:
    html = simple_html("".join(f"<p>Absatz {i}</p>" for i in range(600)))
    with pytest.raises(DocumentTooLarge) as raised:
        render_pdf(html, title="Viele Seiten", max_pages=2)
    assert raised.value.unit == "pages"
    assert "Seiten" in str(raised.value)


def test_rendering_time_is_bounded() -> None:
    html = simple_html("".join(f"<p>{LONG_PARAGRAPH}</p>" for _ in range(300)))
    with pytest.raises(DocumentTooLarge) as raised:
        render_pdf(html, title="Langsam", max_seconds=0.2)
    assert raised.value.unit == "seconds"
    assert "Zeitlimit" in str(raised.value)


def test_deeply_nested_html_fails_cleanly() -> None:
    html = simple_html("<div>" * 400 + "tief" + "</div>" * 400)
    with pytest.raises(DocumentTooLarge, match="verschachtelt"):
        render_pdf(html, title="Tief")


def test_abusively_wide_table_renders_inside_the_page(env: jinja2.Environment) -> None:
    # Twelve columns leave 14 mm each; the "words" are several times wider than the page.
    columns = 12
    long_word = "Donaudampfschifffahrtsgesellschaftskapitän" * 2
    rows = [(f"{long_word}-{row}", "https://example.com/" + "a" * 120 if row % 2 else "kurz") for row in range(3)]
    header = "".join(f'<th scope="col">Spalte {i}</th>' for i in range(columns))
    body = "".join(
        "<tr>" + f"<td>{first}</td><td>{second}</td>" + "<td>x</td>" * (columns - 2) + "</tr>" for first, second in rows
    )
    environment = pdf_environment_with(env, f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>")
    pdf = render_template_pdf(environment, "test/wide.html", {}, title="Breite Tabelle")
    reader = read_pdf(pdf)
    assert 1 <= len(reader.pages) <= 6  # rows taller than a page get split, never dropped
    text = pdf_text(pdf).replace("\n", "").replace("-", "").replace("\u2010", "")  # hyphenation marks
    assert "Donaudampf" in text
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.5)  # still A4 portrait


def pdf_environment_with(env: jinja2.Environment, content: str) -> jinja2.Environment:
    """Add a template ``test/wide.html`` with fixed (trusted) ``content`` to ``env``."""
    template = '{% extends "pdf/_base.html" %}{% block content %}' + content + "{% endblock %}"
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader({"test/wide.html": template})])
    return env
