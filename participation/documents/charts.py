"""Accessible, server-rendered SVG charts for results pages and PDFs.

Every chart is a self-contained ``<svg role="img">`` string: a ``<title>`` and a
``<desc>`` that summarises all values in words, every number also written as real
SVG text (readable without colour), no scripts, no external references, no
randomness (same data, same bytes). User-provided labels are escaped.

A value passed as ``None`` was suppressed for privacy (group below the threshold)
and is shown as ``ChartTexts.suppressed_value`` with ``ChartTexts.suppressed_label``.
Fixed strings visible to readers come from :class:`ChartTexts`, so the caller can
translate them; the defaults are German.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from participation.documents.formatting import number

__all__ = [
    "ChartTexts",
    "bar_chart",
    "line_chart",
    "scale_chart",
    "svg_data_uri",
    "yes_no_chart",
]

FONT_FAMILY = "'Noto Sans', 'DejaVu Sans', Arial, sans-serif"  # the pages' and PDFs' font first
TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#595959"
GRID_COLOUR = "#d9d9d9"
BAR_COLOUR = "#1f5fa8"
MEAN_COLOUR = "#a63a00"
# All series colours reach at least 4.5:1 against white (WCAG AA for text), and each
# series also differs by dash pattern and marker shape, so colour is never needed.
SERIES_COLOURS = (
    "#1f5fa8",
    "#a63a00",
    "#1f6f3f",
    "#7b3fa0",
    "#c2185b",
    "#00707a",
    "#8a5a00",
    "#4d4d4d",
)
# Twelve of each: a city has ten districts, and every district's line differs from every other in dash pattern and
# marker shape (from the thirteenth series on, the pairs stay distinct: see `series_style`).
SERIES_DASHES = ("", "8 4", "2 4", "12 4 2 4", "4 4", "12 3 3 3 3 3", "1 3", "16 6", "6 2", "10 2 2 2",
                 "3 2 3 6", "20 4 4 4 4 4")
SERIES_MARKERS = ("circle", "square", "triangle", "diamond", "cross", "triangle-down", "plus", "ring",
                  "square-ring", "diamond-ring", "triangle-ring", "triangle-down-ring")

# Average glyph advance of DejaVu Sans relative to the font size; used to wrap labels
# because SVG text cannot wrap itself. Slightly generous so text never overflows.
_CHAR_WIDTH = 0.62
_PAD = 16
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ChartTexts:
    """Human-visible fixed strings of all charts; translate by passing another instance.

    ``total_template`` takes ``{total}``, ``mean_template`` takes ``{label}`` and
    ``{mean}``, ``percent_template`` takes ``{percent}``.
    """

    suppressed_label: str = "unterdrückt"
    suppressed_value: str = "–"
    responses_label: str = "Antworten"
    total_template: str = "{total} Antworten insgesamt"
    mean_label: str = "Mittelwert"
    mean_template: str = "{label}: {mean}"
    yes_label: str = "Ja"
    no_label: str = "Nein"
    legend_label: str = "Legende"
    no_data_label: str = "Keine Daten"
    percent_template: str = "{percent} %"
    decimal_separator: str = ","
    thousands_separator: str = "."


DEFAULT_TEXTS = ChartTexts()


# --------------------------------------------------------------------------- helpers


def _esc(value: object) -> str:
    """Escape text for SVG/XML content and attributes, dropping characters XML forbids."""
    return escape(_INVALID_XML_CHARS.sub("", str(value)), quote=True)


def _chart_id(chart_id: str | None, *parts: object) -> str:
    if chart_id:
        cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
        return cleaned if cleaned[0].isalpha() else f"chart-{cleaned}"
    # Derived from the content so output stays deterministic; two identical charts on
    # one page still need an explicit chart_id.
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:10]
    return f"chart-{digest}"


def _fmt_int(value: int, texts: ChartTexts) -> str:
    return number(value, thousands=texts.thousands_separator)


def _fmt_float(value: float, texts: ChartTexts, decimals: int = 1) -> str:
    return number(value, decimals, thousands=texts.thousands_separator, decimal=texts.decimal_separator)


def _fmt_percent(count: int, total: int | None, texts: ChartTexts) -> str | None:
    if not total:
        return None
    return texts.percent_template.format(percent=round(100 * count / total))


def _wrap(text: str, max_px: float, font_px: float, max_lines: int = 3) -> list[str]:
    """Wrap ``text`` into lines that fit ``max_px``; ellipsise beyond ``max_lines``."""
    chars = max(4, int(max_px / (font_px * _CHAR_WIDTH)))
    lines = textwrap.wrap(str(text), width=chars, break_long_words=True, break_on_hyphens=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, chars - 1)].rstrip() + "…"
    return lines


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 13,
    anchor: str = "start",
    weight: str | None = None,
    fill: str = TEXT_COLOUR,
) -> str:
    weight_attr = f' font-weight="{weight}"' if weight else ""
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{fill}"{anchor_attr}{weight_attr}>'
        f"{_esc(content)}</text>"
    )


def _text_lines(x: float, y: float, lines: Sequence[str], *, size: float, line_height: float, **kwargs: str) -> str:
    return "".join(_text(x, y + i * line_height, line, size=size, **kwargs) for i, line in enumerate(lines))


def _svg(cid: str, width: float, height: float, title: str, desc: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{cid}" class="chart" role="img" '
        f'aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="{FONT_FAMILY}">'
        f'<title id="{cid}-title">{_esc(title)}</title>'
        f'<desc id="{cid}-desc">{_esc(desc)}</desc>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _title_block(title: str, width: float, show: bool = True) -> tuple[list[str], float]:
    """Return the visible title elements and the y where content may start.

    With ``show=False`` the title stays the chart's accessible name (``<title>``) but is not drawn: for a chart
    under a heading or above a caption that already says it, so a reader sees it once.
    """
    if not show:
        return [], _PAD
    lines = _wrap(title, width - 2 * _PAD, 16, max_lines=3)
    y = _PAD + 16
    parts = [_text_lines(_PAD, y, lines, size=16, line_height=20, weight="bold")]
    return parts, y + 20 * (len(lines) - 1) + 16


def _value_phrase(count: int | None, total: int | None, texts: ChartTexts) -> str:
    if count is None:
        return texts.suppressed_label
    percent = _fmt_percent(count, total, texts)
    phrase = f"{_fmt_int(count, texts)} {texts.responses_label}"
    return f"{phrase} ({percent})" if percent else phrase


def svg_data_uri(svg: str) -> str:
    """Return ``svg`` as a ``data:`` URI, e.g. for ``<img alt=...>`` in PDFs."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# ------------------------------------------------------------------------- bar chart


def bar_chart(
    title: str,
    items: Sequence[tuple[str, int | None]],
    total: int | None = None,
    *,
    chart_id: str | None = None,
    texts: ChartTexts = DEFAULT_TEXTS,
    width: int = 640,
    colour: str = BAR_COLOUR,
    show_title: bool = True,
) -> str:
    """Horizontal bar chart of answer options with counts and percentages as text.

    ``items`` are ``(label, count)`` pairs in display order; ``count=None`` marks a
    suppressed value. ``total`` is the percentage base (respondents; for multiple
    choice it differs from the sum); when omitted, the sum of the shown counts is
    used if nothing is suppressed, otherwise no percentages are shown.
    Each bar carries its label directly above it, so no legend or colour is needed.
    """
    cid = _chart_id(chart_id, "bar", title, tuple(items), total)
    if total is None and all(count is not None for _, count in items):
        total = sum(count for _, count in items if count is not None)
    counts = [count for _, count in items if count is not None]
    max_count = max(counts, default=0) or 1

    body, y = _title_block(title, width, show_title)
    label_size, label_lh, bar_h = 13, 17, 20
    value_space = min(150, width * 0.34)
    bar_area = width - 2 * _PAD - value_space
    y += 10
    for label, count in items:
        lines = _wrap(label, width - 2 * _PAD, label_size)
        y += label_size
        body.append(_text_lines(_PAD, y, lines, size=label_size, line_height=label_lh))
        y += label_lh * (len(lines) - 1) + 6
        body.append(
            f'<line x1="{_PAD + 0.5}" y1="{y - 2:.1f}" x2="{_PAD + 0.5}" y2="{y + bar_h + 2:.1f}" '
            f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
        )
        text_y = y + bar_h / 2 + 4.5
        if count is None:
            body.append(
                f'<rect x="{_PAD + 1}" y="{y:.1f}" width="{bar_area * 0.25:.1f}" height="{bar_h}" '
                f'fill="none" stroke="{MUTED_COLOUR}" stroke-dasharray="4 3"/>'
            )
            suppressed = f"{texts.suppressed_value} {texts.suppressed_label}"
            body.append(_text(_PAD + 8, text_y, suppressed, size=12, fill=MUTED_COLOUR))
        else:
            bar_w = bar_area * count / max_count
            body.append(f'<rect x="{_PAD + 1}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h}" fill="{colour}"/>')
            percent = _fmt_percent(count, total, texts)
            value = _fmt_int(count, texts) + (f" ({percent})" if percent else "")
            body.append(_text(_PAD + bar_w + 8, text_y, value, size=13, weight="bold"))
        y += bar_h + 10
    if not items:
        y += 14
        body.append(_text(_PAD, y, texts.no_data_label, size=13, fill=MUTED_COLOUR))
        y += 10

    summary = ""
    if total is not None:
        summary = texts.total_template.format(total=_fmt_int(total, texts))
        y += 12
        body.append(_text(_PAD, y, summary, size=12, fill=MUTED_COLOUR))
    height = y + _PAD

    desc_parts = [f"{label}: {_value_phrase(count, total, texts)}" for label, count in items]
    desc = "; ".join(desc_parts) or texts.no_data_label
    if summary:
        desc += f". {summary}."
    return _svg(cid, width, height, title, desc, body)


def yes_no_chart(
    title: str,
    yes: int | None,
    no: int | None,
    total: int | None = None,
    *,
    chart_id: str | None = None,
    texts: ChartTexts = DEFAULT_TEXTS,
    width: int = 640,
    show_title: bool = True,
) -> str:
    """Bar chart of a yes/no question; labels come from ``texts.yes_label``/``no_label``."""
    return bar_chart(
        title,
        [(texts.yes_label, yes), (texts.no_label, no)],
        total,
        chart_id=chart_id or _chart_id(None, "yes_no", title, yes, no, total),
        texts=texts,
        width=width,
        show_title=show_title,
    )


# ----------------------------------------------------------------------- scale chart


def scale_chart(
    title: str,
    counts: Sequence[int | None],
    *,
    mean: float | None = None,
    total: int | None = None,
    start: int = 1,
    point_labels: Sequence[str] | None = None,
    chart_id: str | None = None,
    texts: ChartTexts = DEFAULT_TEXTS,
    width: int = 640,
    show_title: bool = True,
) -> str:
    """Distribution over a rating scale (default 1–5) with the mean marked and written.

    ``counts[i]`` is the number of answers for scale value ``start + i`` (``None`` if
    suppressed). ``total`` is the percentage base; it defaults to the sum of the
    counts when nothing is suppressed. ``point_labels`` optionally names scale points (e.g. "1 = gar nicht").
    The mean is computed from the counts unless given; if a count is suppressed and no
    mean is given, the mean is shown as suppressed rather than computed from a part.

    The mean's label has a band of its own above the columns, and its dashed line runs behind the columns and
    their numbers (which carry a white outline), so the marker never covers a number.
    """
    cid = _chart_id(chart_id, "scale", title, tuple(counts), mean, total, start, tuple(point_labels or ()))
    n = len(counts)
    width = max(width, n * 64 + 2 * _PAD)
    complete = all(count is not None for count in counts)
    known = [count for count in counts if count is not None]
    if total is None and complete:
        total = sum(known)
    if mean is None and complete and sum(known):
        mean = sum((start + i) * count for i, count in enumerate(counts) if count is not None) / sum(known)

    body, y = _title_block(title, width, show_title)
    mean_text = texts.mean_template.format(
        label=texts.mean_label,
        mean=_fmt_float(mean, texts) if mean is not None else f"{texts.suppressed_value} {texts.suppressed_label}",
    )
    mean_label_y = y + 14  # the mean's own band
    marker_y = mean_label_y + 14  # tip of the mean's triangle
    plot_top = marker_y + 38  # room for the count and percent above the tallest column
    plot_h = 170
    base_y = plot_top + plot_h
    slot = (width - 2 * _PAD) / max(n, 1)
    bar_w = slot * 0.6
    max_count = max(known, default=0) or 1

    if mean is not None and n:
        clamped = min(max(mean, start), start + n - 1)
        mean_x = _PAD + slot * (clamped - start + 0.5)
        body.append(
            f'<line x1="{mean_x:.1f}" y1="{marker_y:.1f}" x2="{mean_x:.1f}" y2="{base_y:.1f}" '
            f'stroke="{MEAN_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        body.append(f'<path d="M{mean_x - 6:.1f} {marker_y - 8:.1f}h12l-6 8z" fill="{MEAN_COLOUR}"/>')
        # The label starts beside the triangle and stays inside the chart.
        label_w = len(mean_text) * 13 * _CHAR_WIDTH
        label_x = min(max(mean_x + 10, _PAD), width - _PAD - label_w)
        if label_x < mean_x + 8 and label_x + label_w > mean_x - 8:
            label_x = max(_PAD, mean_x - 10 - label_w)
        body.append(_text(label_x, mean_label_y, mean_text, size=13, weight="bold", fill=MEAN_COLOUR))

    for i, count in enumerate(counts):
        centre = _PAD + slot * (i + 0.5)
        if count is None:
            body.append(_halo_text(centre, base_y - 22, texts.suppressed_value, size=16, fill=MUTED_COLOUR))
            body.append(_halo_text(centre, base_y - 6, texts.suppressed_label, size=12, fill=MUTED_COLOUR))
            continue
        bar_h = plot_h * count / max_count
        body.append(
            f'<rect x="{centre - bar_w / 2:.1f}" y="{base_y - bar_h:.1f}" width="{bar_w:.1f}" '
            f'height="{bar_h:.1f}" fill="{BAR_COLOUR}"/>'
        )
        top = base_y - bar_h
        body.append(_halo_text(centre, top - 20, _fmt_int(count, texts), size=13, weight="bold"))
        percent = _fmt_percent(count, total, texts)
        if percent:
            body.append(_halo_text(centre, top - 5, percent, size=12))
    body.append(
        f'<line x1="{_PAD}" y1="{base_y + 0.5:.1f}" x2="{width - _PAD}" y2="{base_y + 0.5:.1f}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )

    label_bottom = base_y
    # Labels of the two ends only (the usual "gar nicht" … "sehr") may use two columns' width each, from the
    # chart's edges inwards, so they wrap between words even in a narrow chart.
    ends_only = bool(point_labels) and n > 3 and len(point_labels) == n and not any(point_labels[1:-1])
    for i in range(n):
        centre = _PAD + slot * (i + 0.5)
        body.append(_text(centre, base_y + 18, str(start + i), size=13, anchor="middle", weight="bold"))
        label_bottom = max(label_bottom, base_y + 18)
        if point_labels and i < len(point_labels) and point_labels[i]:
            if ends_only:
                lines = _wrap(point_labels[i], 2 * slot - 12, 12, max_lines=3)
                x, anchor = (_PAD + 2, "start") if i == 0 else (width - _PAD - 2, "end")
            else:
                lines = _wrap(point_labels[i], slot - 6, 12, max_lines=3)
                x, anchor = centre, "middle"
            body.append(_text_lines(x, base_y + 34, lines, size=12, line_height=15, anchor=anchor))
            label_bottom = max(label_bottom, base_y + 34 + 15 * (len(lines) - 1))

    y = label_bottom + 24
    footer = [mean_text]
    if total is not None:
        footer.append(texts.total_template.format(total=_fmt_int(total, texts)))
    for line in _wrap(" · ".join(footer), width - 2 * _PAD, 12, max_lines=2):
        body.append(_text(_PAD, y, line, size=12, fill=TEXT_COLOUR))
        y += 16
    height = y - 16 + _PAD

    desc_parts = []
    for i, count in enumerate(counts):
        name = str(start + i)
        if point_labels and i < len(point_labels) and point_labels[i]:
            name = f"{name} ({point_labels[i]})"
        desc_parts.append(f"{name}: {_value_phrase(count, total, texts)}")
    desc = "; ".join(desc_parts) + ". " + ". ".join(footer) + "."
    return _svg(cid, width, height, title, desc, body)


def _halo_text(x: float, y: float, content: str, *, size: float, weight: str | None = None,
               fill: str = TEXT_COLOUR) -> str:
    """Centred text on a white patch, legible where the mean's line runs behind it (a patch, not an outline:
    WeasyPrint ignores ``paint-order``)."""
    w = len(content) * size * _CHAR_WIDTH + 4
    patch = (f'<rect x="{x - w / 2:.1f}" y="{y - size * 0.85:.1f}" width="{w:.1f}" height="{size * 1.1:.1f}" '
             'fill="#ffffff"/>')
    return patch + _text(x, y, content, size=size, anchor="middle", weight=weight, fill=fill)


# ------------------------------------------------------------------------ line chart


def _nice_step(span: float, target_ticks: int = 5) -> float:
    raw = span / max(target_ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def series_style(index: int) -> tuple[str, str, str]:
    """(colour, dash pattern, marker shape) of the line with this index; no two lines share dash and marker."""
    markers, dashes = len(SERIES_MARKERS), len(SERIES_DASHES)
    return (SERIES_COLOURS[index % len(SERIES_COLOURS)], SERIES_DASHES[(index + index // markers) % dashes],
            SERIES_MARKERS[index % markers])


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    r = 4.5
    if shape.endswith("-ring"):  # the filled shape's outline on white
        filled = _marker(shape.removesuffix("-ring"), x, y, colour)
        return filled.replace(f'fill="{colour}"', f'fill="#ffffff" stroke="{colour}" stroke-width="2"', 1)
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
    if shape == "ring":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}"/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - r - 1:.1f}L{x + r + 1:.1f} {y + r:.1f}H{x - r - 1:.1f}Z" fill="{colour}"/>'
    if shape == "triangle-down":
        return f'<path d="M{x:.1f} {y + r + 1:.1f}L{x + r + 1:.1f} {y - r:.1f}H{x - r - 1:.1f}Z" fill="{colour}"/>'
    if shape == "diamond":
        d = r + 1.5
        return (
            f'<path d="M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}Z" '
            f'fill="{colour}"/>'
        )
    if shape == "plus":
        return (
            f'<path d="M{x - r - 1:.1f} {y:.1f}H{x + r + 1:.1f}M{x:.1f} {y - r - 1:.1f}V{y + r + 1:.1f}" '
            f'stroke="{colour}" stroke-width="2.5"/>'
        )
    return (  # cross
        f'<path d="M{x - r:.1f} {y - r:.1f}L{x + r:.1f} {y + r:.1f}M{x - r:.1f} {y + r:.1f}L{x + r:.1f} {y - r:.1f}" '
        f'stroke="{colour}" stroke-width="2.5"/>'
    )


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    y_label: str | None = None,
    y_min: float | None = None,
    y_max: float | None = None,
    decimals: int = 1,
    chart_id: str | None = None,
    texts: ChartTexts = DEFAULT_TEXTS,
    width: int = 640,
) -> str:
    """Line chart over time, e.g. rounds on the x axis and one line per district.

    Each series gets its own colour, dash pattern and marker shape and is named in a
    text legend. ``None`` values (suppressed or missing) leave a gap in the line.
    ``y_label`` is the caller's (translated) axis title, e.g. "Mittelwert (1–5)".
    """
    cid = _chart_id(
        chart_id, "line", title, tuple(x_labels), tuple((k, tuple(v)) for k, v in series.items()), y_min, y_max
    )
    values = [v for points in series.values() for v in points if v is not None]
    lo = min(values, default=0.0)
    hi = max(values, default=1.0)
    if y_min is None:
        y_min = 0.0 if lo >= 0 else lo
    if y_max is None:
        y_max = hi
    if y_max <= y_min:
        y_max = y_min + 1
    step = _nice_step(y_max - y_min)
    y_min = math.floor(y_min / step) * step
    y_max = math.ceil(y_max / step) * step
    ticks = [y_min + i * step for i in range(round((y_max - y_min) / step) + 1)]
    tick_decimals = 0 if float(step).is_integer() else max(1, -math.floor(math.log10(step)) + 1)

    body, y = _title_block(title, width)
    if y_label:
        y += 16
        body.append(_text(_PAD, y, y_label, size=12, fill=MUTED_COLOUR))
    tick_texts = [_fmt_float(t, texts, tick_decimals) for t in ticks]
    left = _PAD + max((len(t) for t in tick_texts), default=1) * 12 * _CHAR_WIDTH + 10
    right = width - _PAD - 10
    plot_top = y + 18
    plot_h = 200
    base_y = plot_top + plot_h

    def to_y(value: float) -> float:
        return base_y - plot_h * (value - y_min) / (y_max - y_min)

    for tick, label in zip(ticks, tick_texts, strict=True):
        ty = to_y(tick)
        body.append(f'<line x1="{left:.1f}" y1="{ty:.1f}" x2="{right:.1f}" y2="{ty:.1f}" stroke="{GRID_COLOUR}"/>')
        body.append(_text(left - 6, ty + 4, label, size=12, anchor="end"))
    body.append(f'<line x1="{left:.1f}" y1="{base_y:.1f}" x2="{right:.1f}" y2="{base_y:.1f}" stroke="{TEXT_COLOUR}"/>')

    n = len(x_labels)
    slot = (right - left) / max(n, 1)

    def to_x(index: int) -> float:
        return left + slot * (index + 0.5)

    label_bottom = base_y
    for i, label in enumerate(x_labels):
        lines = _wrap(label, slot - 4, 12, max_lines=2)
        body.append(_text_lines(to_x(i), base_y + 18, lines, size=12, line_height=15, anchor="middle"))
        label_bottom = max(label_bottom, base_y + 18 + 15 * (len(lines) - 1))

    for index, points in enumerate(series.values()):
        colour, dash, shape = series_style(index)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(points[:n]):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{to_x(i):.1f},{to_y(value):.1f}")
        if segment:
            segments.append(segment)
        group = [f'<g class="series" data-series="{index}">']
        for seg in segments:
            if len(seg) > 1:
                group.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    f'{dash_attr} stroke-linejoin="round"/>'
                )
        for i, value in enumerate(points[:n]):
            if value is not None:
                group.append(_marker(shape, to_x(i), to_y(value), colour))
        group.append("</g>")
        body.append("".join(group))

    # Text legend: sample line with marker, then the series name, flowing in rows.
    y = label_bottom + 28
    body.append(_text(_PAD, y, texts.legend_label + ":", size=12, weight="bold"))
    x = _PAD + (len(texts.legend_label) + 2) * 12 * _CHAR_WIDTH
    row_h = 20
    for index, name in enumerate(series):
        colour, dash, shape = series_style(index)
        label = _wrap(name, width - 2 * _PAD - 50, 12, max_lines=1)[0]
        entry_w = 36 + len(label) * 12 * _CHAR_WIDTH + 18
        if x + entry_w > width - _PAD and x > _PAD + 1:
            x = _PAD
            y += row_h
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 30:.1f}" y2="{y - 4:.1f}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        body.append(_marker(shape, x + 15, y - 4, colour))
        body.append(_text(x + 36, y, label, size=12))
        x += entry_w
    height = y + _PAD

    desc_parts = []
    for name, points in series.items():
        described = []
        for i, label in enumerate(x_labels):
            value = points[i] if i < len(points) else None
            shown = _fmt_float(value, texts, decimals) if value is not None else texts.suppressed_label
            described.append(f"{label} {shown}")
        desc_parts.append(f"{name}: " + ", ".join(described))
    desc = (y_label + ". " if y_label else "") + ("; ".join(desc_parts) or texts.no_data_label) + "."
    return _svg(cid, width, height, title, desc, body)
