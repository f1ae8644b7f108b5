"""The minutes of a dialogue session and a centre's summary as PDFs: a snapshot in, tagged PDF/UA-1 bytes out.

Pure: the snapshot is plain data (every figure already suppressed by the services that built it), the caller gives
the template environment and the translated words, and rendering never fetches a URL. Templates:
`pdf/minutes.html` (the snapshot as `m`) and `pdf/centre_summary.html` (as `s`).
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from participation.documents import formatting
from participation.documents import pdf as documents_pdf
from participation.documents.charts import DEFAULT_TEXTS, ChartTexts, bar_chart, scale_chart, svg_data_uri

__all__ = ["centre_summary_pdf", "chart_image", "group_actions", "minutes_html", "minutes_pdf"]

MINUTES_TEMPLATE = "pdf/minutes.html"
CENTRE_SUMMARY_TEMPLATE = "pdf/centre_summary.html"


def group_actions(actions: list[dict]) -> list[tuple[str, list[dict]]]:
    """Action items grouped by who is responsible, in the snapshot's order (city office first)."""
    groups: dict[str, list[dict]] = {}
    for action in actions:
        groups.setdefault(action["responsible"], []).append(action)
    return list(groups.items())


def chart_image(figure: dict, texts: ChartTexts = DEFAULT_TEXTS) -> dict | None:
    """A figure's chart as an image for the PDF: data URI and a text alternative naming every value."""
    if figure.get("respondents") is None or not figure.get("options"):
        return None
    chart_id = f"chart-{figure['key']}"
    counts = [option["count"] for option in figure["options"]]
    if figure["kind"] == "scale":
        labels = [figure.get("low_label") or "", "", "", "", figure.get("high_label") or ""]
        svg = scale_chart(figure["text"], counts, mean=figure.get("mean"), total=figure["respondents"],
                          point_labels=labels if any(labels) else None, chart_id=chart_id, texts=texts,
                          show_title=False)
    else:
        svg = bar_chart(figure["text"], [(o["label"], o["count"]) for o in figure["options"]], figure["respondents"],
                        chart_id=chart_id, texts=texts, show_title=False)
    parts = []
    for o in figure["options"]:
        if o["count"] is None:
            parts.append(f"{o['label']}: {texts.suppressed_label}")
        else:
            percent = f" ({formatting.number(o['percent'], 1)} %)" if o["percent"] is not None else ""
            parts.append(f"{o['label']}: {formatting.number(o['count'])}{percent}")
    alt = f"{figure['text']} – " + "; ".join(parts)
    if figure.get("mean") is not None:
        alt += f"; {texts.mean_label} {formatting.number(figure['mean'], 1)}"
    return {"src": svg_data_uri(svg), "alt": alt}


def _helpers(texts: ChartTexts) -> dict:
    """What the session templates call besides their snapshot."""
    return {"group_actions": group_actions, "chart_image": lambda figure: chart_image(figure, texts)}


def _render(env: jinja2.Environment, template: str, context: dict, *, title: str, page_label: str,
            texts: ChartTexts, static_root: Path | None, max_pages: int | None) -> bytes:
    return documents_pdf.render_template_pdf(
        env, template, {**context, **_helpers(texts)}, title=title, lang="de", page_label=page_label,
        static_root=static_root, max_pages=max_pages or documents_pdf.MAX_PAGES,
    )


def minutes_pdf(snapshot: dict, *, env: jinja2.Environment, title: str,
                page_label: str = documents_pdf.DEFAULT_PAGE_LABEL, texts: ChartTexts = DEFAULT_TEXTS,
                static_root: Path | None = None, max_pages: int | None = None) -> bytes:
    """The minutes as a tagged PDF/UA-1 (pure: the snapshot in, bytes out; never fetches a URL)."""
    return _render(env, MINUTES_TEMPLATE, {"m": snapshot}, title=title, page_label=page_label, texts=texts,
                   static_root=static_root, max_pages=max_pages)


def minutes_html(snapshot: dict, *, env: jinja2.Environment, title: str,
                 page_label: str = documents_pdf.DEFAULT_PAGE_LABEL, texts: ChartTexts = DEFAULT_TEXTS) -> str:
    """The HTML WeasyPrint gets for the minutes (for the benchmark's comparison with WeasyPrint alone)."""
    return env.get_template(MINUTES_TEMPLATE).render({
        "m": snapshot, "document_title": title, "lang": "de",
        "page_counter_css": documents_pdf.page_counter_css(page_label), **_helpers(texts),
    })


def centre_summary_pdf(snapshot: dict, *, env: jinja2.Environment, title: str,
                       page_label: str = documents_pdf.DEFAULT_PAGE_LABEL, texts: ChartTexts = DEFAULT_TEXTS,
                       static_root: Path | None = None, max_pages: int | None = None) -> bytes:
    """A centre's summary as a tagged PDF/UA-1 (pure, like the minutes)."""
    return _render(env, CENTRE_SUMMARY_TEMPLATE, {"s": snapshot}, title=title, page_label=page_label, texts=texts,
                   static_root=static_root, max_pages=max_pages)
