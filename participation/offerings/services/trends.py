"""Trends across rounds: questions with the same key compared per district, from `results.survey_results` (so every
point passes the same suppression as the results pages)."""

from __future__ import annotations

from dataclasses import dataclass

from participation.i18n import gettext as _
from participation.offerings.services.follow_ups import _loads

TREND_KINDS = ("scale", "yesno", "single")


@dataclass(frozen=True, slots=True)
class TrendKey:
    key: str
    kind: str
    text: str
    rounds: int


async def trend_keys() -> list[TrendKey]:
    """Question keys asked (as scale, yes/no or single choice, the same kind) in the surveys of two or more rounds."""
    from participation.surveys.tables import Question

    rows = await Question.select(
        Question.key, Question.kind, Question.survey, Question.survey.round.as_alias("round"),
    ).where(Question.kind.is_in(list(TREND_KINDS)))
    rounds: dict[tuple[str, str], set[int]] = {}
    for row in rows:
        rounds.setdefault((row["key"], row["kind"]), set()).add(row["round"])
    keys = [(key, kind, len(found)) for (key, kind), found in rounds.items() if len(found) >= 2]
    texts = await _question_texts([k for k, _kind, _n in keys])
    return sorted((TrendKey(key=k, kind=kind, text=texts.get(k, k), rounds=n) for k, kind, n in keys),
                  key=lambda t: t.text.casefold())


async def _question_texts(keys: list[str]) -> dict[str, str]:
    """The German text of each key's most recent question."""
    from participation.surveys.tables import Question

    if not keys:
        return {}
    found: dict[str, str] = {}
    for row in await Question.select(Question.key, Question.texts).where(Question.key.is_in(keys)).order_by(
        Question.id
    ):
        texts = _loads(row["texts"])
        text = texts.get("de", {}).get("text") if isinstance(texts.get("de"), dict) else texts.get("text")
        found[row["key"]] = text or found.get(row["key"]) or row["key"]
    return found


@dataclass(slots=True)
class TrendPoint:
    """One district in one round: `value` None with `suppressed` True means hidden, else None means no answers."""

    value: float | None
    respondents: int | None
    suppressed: bool


@dataclass(slots=True)
class Trend:
    key: str
    kind: str
    text: str
    #: What is plotted, in words (e.g. "Mittelwert (1 = gar nicht, 5 = sehr)").
    measure: str
    option: str | None
    options: list[tuple[str, str]]
    rounds: list[tuple[int, str]]
    #: district name -> one point per round
    series: dict[str, list[TrendPoint]]
    y_min: float
    y_max: float
    decimals: int

    @property
    def empty(self) -> bool:
        return not self.rounds


def _round_order(row: dict) -> tuple[int, int]:
    return row["year"], 1 if row["season"] == "autumn" else 0


async def district_trend(key: str, *, threshold: int, district_id: int | None = None,
                         option: str | None = None) -> Trend | None:
    """The figure of question `key` per district over the rounds whose surveys ask it; None for an unknown key.

    Scale: the mean (1–5). Yes/no: the share answering "yes". Single choice: the share of one option (`option`,
    default the first). Every point comes from `survey_results` (the same suppression as the results pages): a
    district whose figure is hidden there is a gap here, marked "unterdrückt".
    """
    from participation.surveys.services.protected import one_view_per_request

    async with one_view_per_request():
        return await _district_trend(key, threshold=threshold, district_id=district_id, option=option)


async def _district_trend(key: str, *, threshold: int, district_id: int | None, option: str | None) -> Trend | None:
    from participation.surveys.services.protected import load_protected
    from participation.surveys.services.results import survey_results
    from participation.surveys.tables import Question

    rows = await Question.select(
        Question.survey, Question.kind, Question.survey.round.as_alias("round"),
        Question.survey.round.title.as_alias("round_title"), Question.survey.round.year.as_alias("year"),
        Question.survey.round.season.as_alias("season"),
    ).where((Question.key == key) & Question.kind.is_in(list(TREND_KINDS)))
    if not rows:
        return None
    kinds = {row["kind"] for row in rows}
    kind = rows[-1]["kind"] if len(kinds) == 1 else max(kinds, key=lambda k: sum(r["kind"] == k for r in rows))
    closed = await _closed_surveys()
    rows = sorted((r for r in rows if r["kind"] == kind and r["survey"] in closed), key=_round_order)
    districts = {d.id: d.name for d in await _districts()}
    if district_id is not None:
        districts = {district_id: districts.get(district_id, "?")}
    series: dict[str, list[TrendPoint]] = {name: [] for name in sorted(districts.values(), key=str.casefold)}
    text = key
    low = high = ""
    options: list[tuple[str, str]] = []
    for row in rows:
        view = await load_protected(row["survey"], threshold)
        results = await survey_results(row["survey"], threshold=threshold, view=view) if view else None
        question = next((q for q in results.questions if q.key == key), None) if results else None
        answered = {d for d, _c in view.respondents.get(question.id, {})} if view and question else set()
        if question is not None:
            text = question.text
            low, high = question.low_label, question.high_label
            if kind == "single" and question.options:
                options = [(o.value, o.label) for o in question.options]
        if kind == "yesno":
            option = "yes"
        elif kind == "single" and option is None and options:
            option = options[0][0]
        for did, name in districts.items():
            series[name].append(_point(results, question, did, kind, option, answered=did in answered))
    measure = {
        "scale": _("Mittelwert (1 = %(low)s, 5 = %(high)s)", low=low or "1", high=high or "5"),
        "yesno": _("Anteil „Ja“ in Prozent der Befragten"),
        "single": _("Anteil „%(option)s“ in Prozent der Befragten",
                    option=dict(options).get(option or "", option or "")),
    }[kind]
    return Trend(
        key=key, kind=kind, text=text, measure=measure, option=option, options=options,
        rounds=[(r["round"], r["round_title"]) for r in rows], series=series,
        y_min=1.0 if kind == "scale" else 0.0, y_max=5.0 if kind == "scale" else 100.0,
        decimals=1 if kind == "scale" else 0,
    )


async def _closed_surveys() -> set[int]:
    """Surveys with results: trends leave out a survey still open (it has no per-district figures yet)."""
    from participation.surveys.schemas import SurveyStatus
    from participation.surveys.services.definition import list_surveys

    return {s.id for s in await list_surveys() if s.status is SurveyStatus.CLOSED}


async def _districts():
    from participation.directory.services import list_districts

    return await list_districts()


def _point(results, question, district_id: int, kind: str, option: str | None, *, answered: bool) -> TrendPoint:
    if results is None or results.suppressed or question is None or question.crosstab is None:
        # No figure at all for this survey (too few answers overall) or the question was suppressed as a whole.
        hidden = results is not None and (results.suppressed or (question is not None and question.suppressed))
        return TrendPoint(None, None, hidden)
    columns = [c.district_id for c in question.crosstab.columns]
    if district_id not in columns:
        # Published only together with other districts ("weitere Stadtteile"), or left out: a gap, not a zero.
        return TrendPoint(None, None, True) if answered else TrendPoint(None, 0, False)
    index = columns.index(district_id)
    respondents = question.crosstab.columns[index].respondents
    if respondents is None:
        return TrendPoint(None, None, True)
    if kind == "scale":
        value = question.crosstab.means[index] if question.crosstab.means else None
    else:
        row = next((r for r in question.crosstab.rows if r.value == option), None)
        value = row.percents[index] if row is not None else None
        if row is not None and row.counts[index] is None:
            return TrendPoint(None, respondents, True)
    return TrendPoint(value, respondents, value is None and respondents > 0)


def trend_chart(trend: Trend, chart_id: str | None = None) -> str:
    """The trend as an accessible SVG line chart (gaps where suppressed or without answers)."""
    from participation.documents.charts import line_chart
    from participation.surveys.services.charts import WEB_CHART_WIDTH, chart_texts

    return line_chart(
        trend.text, [title for _id, title in trend.rounds],
        {name: [p.value for p in points] for name, points in trend.series.items()},
        y_label=trend.measure, y_min=trend.y_min, y_max=trend.y_max, decimals=trend.decimals,
        chart_id=chart_id or f"trend-{trend.key}", texts=chart_texts(), width=WEB_CHART_WIDTH,
    )
