"""SVG charts: valid, accessible, escaped, readable without colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from participation.documents import charts
from participation.documents.charts import ChartTexts, bar_chart, line_chart, scale_chart, yes_no_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Co'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def visible_texts(svg: str) -> list[str]:
    return ["".join(node.itertext()) for node in parse(svg).iter(f"{SVG}text")]


def title_and_desc(svg: str) -> tuple[str, str]:
    root = parse(svg)
    return root.find(f"{SVG}title").text, root.find(f"{SVG}desc").text


def contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def marker_without_colour(group: ET.Element) -> str:
    """A series' first marker as markup, with its colour blanked out."""
    marker = next(child for child in group if child.tag != f"{SVG}polyline")
    return re.sub(r"#[0-9a-f]{6}", "#000000", ET.tostring(marker, encoding="unicode"))


def all_charts() -> list[str]:
    return [
        bar_chart("Angebote", [("Kita", 12), ("Elterncafé", 30), ("Sonstiges", None)], 50, chart_id="a"),
        scale_chart("Zufriedenheit", [2, 5, 10, 20, 8], chart_id="b"),
        yes_no_chart("Kennen Sie das Zentrum?", 40, 5, chart_id="c"),
        line_chart("Verlauf", ["F 2026", "H 2026"], {"Nord": [3.0, 3.5], "Süd": [None, 2.0]}, chart_id="d"),
    ]


def test_every_chart_is_an_accessible_svg_image() -> None:
    for svg in all_charts():
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        labelled_by = root.get("aria-labelledby")
        described_by = root.get("aria-describedby")
        ids = {node.get("id") for node in root.iter() if node.get("id")}
        assert labelled_by in ids and described_by in ids
        assert root.find(f"{SVG}title").get("id") == labelled_by
        assert root.find(f"{SVG}desc").get("id") == described_by
        assert root.get("viewBox")


def test_charts_contain_no_scripts_and_no_external_references() -> None:
    for svg in all_charts():
        assert "<script" not in svg
        assert "href" not in svg
        assert "url(" not in svg
        assert "<style" not in svg
        assert re.findall(r"https?://[^\"']+", svg) == ["http://www.w3.org/2000/svg"]
        assert not any(attribute.startswith("on") for node in parse(svg).iter() for attribute in node.attrib)


def test_hostile_labels_stay_text() -> None:
    svg = bar_chart(HOSTILE, [(HOSTILE, 3), ("Nein & nochmal\x00\x07nein", 4)], chart_id="hostile")
    root = parse(svg)
    assert not [node for node in root.iter() if node.tag.endswith("script")]
    assert "&lt;script&gt;" in svg
    assert "&amp; Co" in svg
    assert HOSTILE in visible_texts(svg)
    title, desc = title_and_desc(svg)
    assert title == HOSTILE
    assert HOSTILE in desc


def test_hostile_series_and_axis_labels_are_escaped() -> None:
    svg = line_chart(HOSTILE, [HOSTILE, "b"], {HOSTILE: [1, 2]}, y_label=HOSTILE, chart_id="x")
    parse(svg)
    assert "<script>" not in svg
    svg = scale_chart(HOSTILE, [1, 2, 3], point_labels=[HOSTILE, "", ""], chart_id="y")
    parse(svg)
    assert "<script>" not in svg


def test_bar_chart_writes_counts_and_percentages_as_text() -> None:
    svg = bar_chart("Welche Angebote nutzen Sie?", [("Kita", 12), ("Elterncafé", 30), ("Nichts", 0)], 50)
    texts = visible_texts(svg)
    assert "12 (24 %)" in texts
    assert "30 (60 %)" in texts
    assert "0 (0 %)" in texts
    assert "Kita" in texts and "Elterncafé" in texts
    assert "50 Antworten insgesamt" in texts
    _, desc = title_and_desc(svg)
    assert "Kita: 12 Antworten (24 %)" in desc
    assert "Elterncafé: 30 Antworten (60 %)" in desc


def test_bar_chart_without_total_uses_the_sum() -> None:
    texts = visible_texts(bar_chart("Q", [("A", 1), ("B", 3)]))
    assert "1 (25 %)" in texts and "3 (75 %)" in texts


def test_suppressed_value_is_shown_as_suppressed_not_as_zero() -> None:
    svg = bar_chart("Q", [("Kleine Gruppe", None), ("Große Gruppe", 40)], 44)
    texts = visible_texts(svg)
    assert "– unterdrückt" in texts
    assert not any(text.startswith("0") for text in texts)
    _, desc = title_and_desc(svg)
    assert "Kleine Gruppe: unterdrückt" in desc


def test_suppressed_value_without_total_shows_no_percentages() -> None:
    texts = visible_texts(bar_chart("Q", [("A", None), ("B", 40)]))
    assert "40" in texts
    assert not any("%" in text for text in texts)


def test_fixed_strings_can_be_translated() -> None:
    english = ChartTexts(
        suppressed_label="suppressed",
        responses_label="answers",
        total_template="{total} answers in total",
        mean_label="Mean",
        yes_label="Yes",
        no_label="No",
        legend_label="Legend",
        decimal_separator=".",
        thousands_separator=",",
    )
    svg = yes_no_chart("Q", 1200, None, 1300, texts=english)
    texts = visible_texts(svg)
    assert "Yes" in texts and "No" in texts
    assert "1,200 (92 %)" in texts
    assert "– suppressed" in texts
    assert "1,300 answers in total" in texts
    rendered = "".join(all_texts for all_texts in texts) + "".join(title_and_desc(svg))
    for german in ("unterdrückt", "Antworten", "Ja", "Nein"):
        assert german not in rendered
    scale = visible_texts(scale_chart("Q", [1, 1], texts=english))
    assert "Mean: 1.5" in scale
    assert "Legend:" in visible_texts(line_chart("Q", ["a"], {"s": [1.0]}, texts=english))


def test_scale_chart_marks_and_writes_the_mean() -> None:
    svg = scale_chart(
        "Wie zufrieden sind Sie?", [2, 5, 10, 20, 8], point_labels=["gar nicht", "", "", "", "sehr"], chart_id="s"
    )
    texts = visible_texts(svg)
    assert "Mittelwert: 3,6" in texts
    assert {"1", "2", "3", "4", "5", "gar nicht", "sehr"} <= set(texts)
    assert "20" in texts and "44 %" in texts
    assert any("45 Antworten insgesamt" in text for text in texts)
    _, desc = title_and_desc(svg)
    assert "1 (gar nicht): 2 Antworten (4 %)" in desc
    assert "Mittelwert: 3,6" in desc
    assert parse(svg).find(f".//{SVG}line[@stroke-dasharray]") is not None


def test_scale_chart_does_not_compute_a_mean_from_a_suppressed_distribution() -> None:
    texts = visible_texts(scale_chart("Q", [1, None, 10, 20, 8]))
    assert "Mittelwert: – unterdrückt" in texts
    assert "unterdrückt" in texts
    texts = visible_texts(scale_chart("Q", [1, None, 10, 20, 8], mean=3.71, total=42))
    assert "Mittelwert: 3,7" in texts
    assert "24 %" in texts  # 10 of 42


def test_line_chart_distinguishes_series_without_colour() -> None:
    # Identical values put all markers on the same spot, so only their shapes can differ.
    series = {f"Stadtteil {i}": [2.0, 2.0, 2.0] for i in range(5)}
    svg = line_chart("Trend", ["Frühjahr 2026", "Herbst 2026", "Frühjahr 2027"], series, chart_id="t")
    root = parse(svg)
    polylines = root.findall(f".//{SVG}polyline")
    assert len(polylines) == 5
    dashes = {line.get("stroke-dasharray") for line in polylines}
    assert len(dashes) == 5  # one solid (no dasharray) and four distinct dash patterns
    groups = root.findall(f".//{SVG}g[@class='series']")
    assert len({marker_without_colour(group) for group in groups}) == 5
    texts = visible_texts(svg)
    assert "Legende:" in texts
    assert all(name in texts for name in series)
    assert {"Frühjahr 2026", "Herbst 2026", "Frühjahr 2027"} <= set(texts)


def test_line_chart_leaves_a_gap_for_suppressed_points() -> None:
    svg = line_chart("Trend", ["a", "b", "c", "d", "e"], {"Nord": [1.0, 2.0, None, 3.0, 4.0]}, chart_id="g")
    assert len(parse(svg).findall(f".//{SVG}polyline")) == 2
    _, desc = title_and_desc(svg)
    assert "Nord: a 1,0, b 2,0, c unterdrückt, d 3,0, e 4,0" in desc


def test_several_charts_on_one_page_have_unique_ids() -> None:
    page = (
        "<div>" + "".join(all_charts()) + "".join(bar_chart("Gleicher Titel", [("A", i)]) for i in range(3)) + "</div>"
    )
    ids = [node.get("id") for node in ET.fromstring(page).iter() if node.get("id")]
    assert len(ids) == len(set(ids))


def test_chart_id_is_sanitised() -> None:
    svg = bar_chart("Q", [("A", 1)], chart_id='9 "bad" <id>')
    root = parse(svg)
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", root.get("id"))


def test_same_data_gives_the_same_svg() -> None:
    assert all_charts() == all_charts()


def test_empty_data_does_not_break() -> None:
    for svg in (
        bar_chart("Leer", []),
        scale_chart("Leer", [0, 0, 0, 0, 0]),
        scale_chart("Leer", []),
        line_chart("Leer", [], {}),
        line_chart("Konstant", ["a", "b"], {"s": [2.0, 2.0]}),
        line_chart("Negativ", ["a", "b"], {"s": [-2.5, 1.0]}),
    ):
        parse(svg)
    assert "Keine Daten" in visible_texts(bar_chart("Leer", []))


@pytest.mark.parametrize(
    "colour",
    [*charts.SERIES_COLOURS, charts.BAR_COLOUR, charts.MEAN_COLOUR, charts.TEXT_COLOUR, charts.MUTED_COLOUR],
)
def test_colours_reach_wcag_aa_contrast_on_white(colour: str) -> None:
    assert contrast_with_white(colour) >= 4.5


def test_text_fills_in_rendered_charts_reach_aa_contrast() -> None:
    for svg in all_charts():
        for node in parse(svg).iter(f"{SVG}text"):
            assert contrast_with_white(node.get("fill")) >= 4.5


def test_all_marker_shapes_differ_in_black_and_white() -> None:
    shapes = {charts._marker(shape, 10, 10, "#000000") for shape in charts.SERIES_MARKERS}
    assert len(shapes) == len(charts.SERIES_MARKERS)
    assert len(set(charts.SERIES_DASHES)) == len(charts.SERIES_DASHES)


def test_svg_data_uri_round_trips() -> None:
    import base64

    svg = all_charts()[0]
    uri = charts.svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg


def _text_box(node: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of an SVG text, its width estimated as the charts estimate it."""
    size = float(node.get("font-size"))
    width = len("".join(node.itertext())) * size * charts._CHAR_WIDTH
    x, y = float(node.get("x")), float(node.get("y"))
    left = {"middle": x - width / 2, "end": x - width}.get(node.get("text-anchor"), x)
    return left, y - size, left + width, y


@pytest.mark.parametrize("counts", [[2, 5, 10, 20, 8], [30, 1, 1, 1, 1], [1, 1, 1, 1, 30], [5, 5, 5, 5, 5]])
@pytest.mark.parametrize("width", [360, 640])
def test_the_scale_charts_mean_marker_never_covers_a_number(counts, width) -> None:
    for mean in (1.0, 1.4, 2.0, 3.0, 3.6, 4.0, 4.8, 5.0):
        root = parse(scale_chart("Q", counts, mean=mean, total=sum(counts), width=width, show_title=False))
        texts = list(root.iter(f"{SVG}text"))
        label = next(t for t in texts if "".join(t.itertext()).startswith("Mittelwert:"))
        l1, t1, r1, b1 = _text_box(label)
        assert _inside(l1, r1, width)
        for other in texts:
            if other is label or other.get("y") == texts[-1].get("y"):  # the footer repeats the mean below
                continue
            l2, t2, r2, b2 = _text_box(other)
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (mean, "".join(other.itertext()))
        # The dashed line is drawn first; a number it crosses sits on a white patch drawn after it.
        children = list(root)
        line = next(c for c in children if c.tag == f"{SVG}line" and c.get("stroke-dasharray"))
        x = float(line.get("x1"))
        for node in texts:
            l2, _t, r2, _b = _text_box(node)
            if node is not label and l2 <= x <= r2 and float(node.get("y")) < float(line.get("y2")):
                patch = children[children.index(node) - 1]
                assert children.index(patch) > children.index(line)
                assert patch.tag == f"{SVG}rect" and patch.get("fill") == "#ffffff"


def _inside(left: float, right: float, width: int) -> bool:
    return left >= 0 and right <= width


def test_a_chart_under_a_heading_keeps_its_title_for_screen_readers_but_does_not_draw_it() -> None:
    for svg in (bar_chart("Wie wird Ihr Kind betreut?", [("Kita", 6)], show_title=False),
                scale_chart("Wie wird Ihr Kind betreut?", [1, 2, 3, 4, 5], show_title=False)):
        assert title_and_desc(svg)[0] == "Wie wird Ihr Kind betreut?"
        assert "Wie wird Ihr Kind betreut?" not in visible_texts(svg)
    assert "Wie wird Ihr Kind betreut?" in visible_texts(bar_chart("Wie wird Ihr Kind betreut?", [("Kita", 6)]))


def test_ten_districts_trend_lines_differ_in_dash_and_marker_from_each_other() -> None:
    series = {f"Stadtteil {i}": [2.0, 2.0, 2.0] for i in range(10)}
    root = parse(line_chart("Trend", ["Frühjahr 2026", "Herbst 2026", "Frühjahr 2027"], series, chart_id="t"))
    groups = root.findall(f".//{SVG}g[@class='series']")
    dashes = [group.find(f"{SVG}polyline").get("stroke-dasharray") for group in groups]
    assert len(set(dashes)) == 10
    assert len({marker_without_colour(group) for group in groups}) == 10
    # Even far beyond a city's districts no two lines look the same without colour.
    assert len({charts.series_style(i)[1:] for i in range(60)}) == 60
