"""Charts of survey results: accessible SVG from the figures of the protected view, words in the current language."""

from __future__ import annotations

from participation.documents.charts import ChartTexts, bar_chart, scale_chart
from participation.i18n import gettext as _
from participation.surveys.schemas import QuestionKind
from participation.surveys.services.results import QuestionResult, SurveyResults


def chart_texts() -> ChartTexts:
    """The charts' fixed words in the current language."""
    return ChartTexts(
        suppressed_label=_("unterdrückt"), responses_label=_("Antworten"),
        total_template=_("{total} Befragte insgesamt"), mean_label=_("Mittelwert"), yes_label=_("Ja"),
        no_label=_("Nein"), legend_label=_("Legende"), no_data_label=_("Keine Daten"),
    )


#: Web charts are drawn this wide: on a 375 px phone they shrink by less than a tenth, so their text stays readable;
#: wider screens show them larger (site.css).
WEB_CHART_WIDTH = 360


def question_chart(question: QuestionResult) -> str | None:
    """An accessible SVG chart of a choice, yes/no or scale question, or None (other kinds, suppressed).

    The question is the heading above the chart, so the chart does not draw it again (it stays its accessible name).
    """
    if question.suppressed or not question.options:
        return None
    texts = chart_texts()
    chart_id = f"chart-{question.key}"
    if question.kind is QuestionKind.SCALE:
        labels = [question.low_label, "", "", "", question.high_label]
        return scale_chart(
            question.text, [option.count for option in question.options], mean=question.mean,
            total=question.respondents, point_labels=labels if any(labels) else None, chart_id=chart_id, texts=texts,
            width=WEB_CHART_WIDTH, show_title=False,
        )
    return bar_chart(
        question.text, [(option.label, option.count) for option in question.options], question.respondents,
        chart_id=chart_id, texts=texts, width=WEB_CHART_WIDTH, show_title=False,
    )


def question_charts(results: SurveyResults) -> dict[str, str]:
    """The chart of every question that has one, by question key."""
    charts = {}
    for question in results.questions:
        svg = question_chart(question)
        if svg is not None:
            charts[question.key] = svg
    return charts


