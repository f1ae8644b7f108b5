"""Results of a survey: responses per district and centre, per-question figures, district cross-tabs, free texts.

Every figure passes through `privacy` before it leaves this module, and the same suppression pattern is used for
the overview, the district view, the cross-tabs, the exports and the API, so no two views can be combined to derive
a suppressed figure. In particular a district's own view shows exactly its column of the cross-tabs.

Answers marked hidden (abusive free text) are left out of every figure here; they are never deleted.

Queries are a fixed few per page, each grouped in SQL (no query per question).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from piccolo.columns.combination import Where
from piccolo.columns.operators.comparison import ComparisonOperator
from piccolo.query.functions.aggregate import Count

from participation.db import transaction
from participation.directory.services import list_centres, list_districts
from participation.documents.charts import ChartTexts, bar_chart, scale_chart
from participation.i18n import current_language
from participation.i18n import gettext as _
from participation.surveys.schemas import NO, OTHER, YES, QuestionDef, QuestionKind, SurveyDef
from participation.surveys.services.definition import load_survey
from participation.surveys.services.privacy import (
    is_small,
    suppress,
    suppress_table_with_column_totals,
    suppress_total,
    suppress_within,
)
from participation.surveys.tables import Answer, ModerationEntry, Response

#: The text that replaces a hidden free-text answer wherever its row must still appear (exports).
HIDDEN_MARK = "[ausgeblendet]"


class ResultsError(ValueError):
    """A results request cannot be answered as asked (e.g. an unknown district)."""


# --- data objects --------------------------------------------------------------------------------------------------

@dataclass
class GroupCount:
    """Responses of one group (district or centre); `count` None means suppressed."""

    id: int | None
    name: str
    count: int | None


@dataclass
class DistrictCentres:
    """The centres named in one district's responses ("ohne Angabe" has id None)."""

    district_id: int
    district_name: str
    count: int | None
    centres: list[GroupCount] = field(default_factory=list)


@dataclass
class OptionResult:
    """One answer option: count and percent of the question's respondents (None: suppressed)."""

    value: str
    label: str
    count: int | None
    percent: float | None


@dataclass
class NumberSummary:
    mean: float
    median: float
    minimum: float
    maximum: float


@dataclass
class CrossTabColumn:
    district_id: int
    district_name: str
    respondents: int | None


@dataclass
class CrossTabRow:
    value: str
    label: str
    #: One cell per column, in column order; None means suppressed.
    counts: list[int | None]
    percents: list[float | None]


@dataclass
class CrossTab:
    """An option × district table of one question."""

    columns: list[CrossTabColumn]
    rows: list[CrossTabRow]
    #: Scale questions: the mean per column (None when the column is suppressed).
    means: list[float | None] | None = None


@dataclass
class QuestionResult:
    """The figures of one question; `respondents` None means the whole question is suppressed."""

    id: int
    key: str
    kind: QuestionKind
    text: str
    section_title: str
    respondents: int | None
    options: list[OptionResult] = field(default_factory=list)
    mean: float | None = None
    numbers: NumberSummary | None = None
    other_texts: list[str] = field(default_factory=list)
    crosstab: CrossTab | None = None
    #: Scale questions: the labels of the ends ("gar nicht", "sehr").
    low_label: str = ""
    high_label: str = ""

    @property
    def suppressed(self) -> bool:
        return self.respondents is None


@dataclass
class SurveyResults:
    """Everything the results page, the centre page and the API show of one survey."""

    survey_id: int
    title: str
    threshold: int
    district_id: int | None
    district_name: str | None
    total: int | None
    #: True when nothing may be shown (the group is below the threshold); `message` says why.
    suppressed: bool
    message: str | None
    districts: list[GroupCount] = field(default_factory=list)
    centres: list[DistrictCentres] = field(default_factory=list)
    questions: list[QuestionResult] = field(default_factory=list)


# --- group suppression shared by every view ------------------------------------------------------------------------

@dataclass
class GroupSuppression:
    """Which districts and centres of a survey may be named with their counts (None: suppressed)."""

    threshold: int
    district_names: dict[int, str]
    centre_names: dict[int, str]
    district_counts: dict[int, int]
    shown_districts: dict[int, int | None]
    total: int
    shown_total: int | None
    #: district id -> {centre id or None: shown count}
    shown_centres: dict[int, dict[int | None, int | None]]
    raw_centres: dict[int, dict[int | None, int]]

    def district_shown(self, district_id: int) -> bool:
        return self.shown_districts.get(district_id) is not None

    def centre_shown(self, district_id: int, centre_id: int | None) -> bool:
        return self.shown_centres.get(district_id, {}).get(centre_id) is not None


async def group_suppression(survey_id: int, threshold: int) -> GroupSuppression:
    """Responses per district and per centre of a survey, suppressed (three queries)."""
    districts = await list_districts()
    centres = await list_centres()
    rows = await Response.select(Response.district, Response.centre, Count()).where(
        Response.survey == survey_id
    ).group_by(Response.district, Response.centre)
    district_counts = {d.id: 0 for d in districts}
    raw_centres: dict[int, dict[int | None, int]] = {d.id: {} for d in districts}
    for centre in centres:
        raw_centres.setdefault(centre.district_id, {})[centre.id] = 0
    for row in rows:
        district_counts[row["district"]] = district_counts.get(row["district"], 0) + row["count"]
        by_centre = raw_centres.setdefault(row["district"], {})
        by_centre[row["centre"]] = by_centre.get(row["centre"], 0) + row["count"]
    for by_centre in raw_centres.values():
        by_centre.setdefault(None, 0)
    shown_districts = suppress(district_counts, threshold)
    total = sum(district_counts.values())
    shown_centres = {
        district_id: suppress_within(by_centre, threshold, parent_shown=shown_districts.get(district_id) is not None)
        for district_id, by_centre in raw_centres.items()
    }
    return GroupSuppression(
        threshold=threshold,
        district_names={d.id: d.name for d in districts},
        centre_names={c.id: c.name for c in centres},
        district_counts=district_counts,
        shown_districts=shown_districts,
        total=total,
        shown_total=suppress_total(total, threshold),
        shown_centres=shown_centres,
        raw_centres=raw_centres,
    )


def _column_suppression(
    groups: GroupSuppression, respondents: dict[int, int]
) -> dict[int, int | None]:
    """Respondents of one question per district, suppressed consistently with the district counts.

    A district hidden in the district counts stays hidden here too: for a required question its respondents equal
    its responses.
    """
    counts = {district_id: respondents.get(district_id, 0) for district_id in groups.district_counts}
    return suppress(counts, groups.threshold, force=[d for d in counts if not groups.district_shown(d)])


# --- survey results ------------------------------------------------------------------------------------------------

def _percent(count: int | None, base: int | None) -> float | None:
    if count is None or not base:
        return None
    return round(100 * count / base, 1)


def _rows_of(question: QuestionDef) -> list[tuple[str, str]]:
    """(stored value, German-or-current-language label) of every row a choice question is counted in."""
    language = current_language()
    if question.kind is QuestionKind.YESNO:
        return [(YES, _("Ja")), (NO, _("Nein"))]
    if question.kind is QuestionKind.SCALE:
        return [(str(i), str(i)) for i in range(1, 6)]
    rows = [(option.value, option.label(language) or option.value) for option in question.options]
    if question.allow_other:
        rows.append((OTHER, _("Sonstiges")))
    return rows


def _is_choice(question: QuestionDef) -> bool:
    return question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE, QuestionKind.YESNO)


def _scale_mean(counts: dict[str, int]) -> float | None:
    n = sum(counts.values())
    if not n:
        return None
    return round(sum(int(value) * count for value, count in counts.items()) / n, 1)


def _number_summary(values: list[float]) -> NumberSummary | None:
    if not values:
        return None
    return NumberSummary(
        mean=round(statistics.fmean(values), 1), median=round(statistics.median(values), 1),
        minimum=min(values), maximum=max(values),
    )


async def survey_results(survey_id: int, *, district_id: int | None = None, threshold: int) -> SurveyResults | None:
    """The results of a survey for everyone (`district_id` None) or one district; None if the survey is unknown.

    Raises `ResultsError` for an unknown district.
    """
    survey = await load_survey(survey_id)
    if survey is None:
        return None
    groups = await group_suppression(survey_id, threshold)
    if district_id is not None and district_id not in groups.district_names:
        raise ResultsError(_("Diesen Stadtteil gibt es nicht."))
    language = current_language()
    result = SurveyResults(
        survey_id=survey_id, title=survey.title(language), threshold=threshold, district_id=district_id,
        district_name=groups.district_names.get(district_id) if district_id is not None else None,
        total=groups.shown_total, suppressed=False, message=None,
    )
    if groups.shown_total is None:
        result.suppressed = True
        result.message = _("Es liegen erst %(n)s von mindestens %(min)s Antworten vor. Ergebnisse werden erst ab "
                           "%(min)s Antworten gezeigt, damit niemand erkannt werden kann.",
                           n=_few(groups.total, threshold), min=threshold)
        return result
    if district_id is not None:
        shown = groups.shown_districts[district_id]
        result.total = shown
        if shown is None:
            result.suppressed = True
            result.message = _(
                "Für diesen Stadtteil werden keine Ergebnisse gezeigt: er hat weniger als %(min)s Antworten, oder "
                "seine Zahl muss verborgen bleiben, damit die Zahl eines kleineren Stadtteils nicht errechnet "
                "werden kann.", min=threshold)
            return result
    result.districts = [
        GroupCount(id=d, name=groups.district_names[d], count=groups.shown_districts[d])
        for d in sorted(groups.district_names, key=lambda d: groups.district_names[d])
        if district_id is None or d == district_id
    ]
    result.centres = _centre_tables(groups, district_id)
    result.questions = await _question_results(survey, groups, district_id)
    return result


def _few(count: int, threshold: int) -> str:
    return str(count) if count == 0 else _("weniger als %(min)s", min=threshold)


def _centre_tables(groups: GroupSuppression, district_id: int | None) -> list[DistrictCentres]:
    tables = []
    for d in sorted(groups.district_names, key=lambda d: groups.district_names[d]):
        if district_id is not None and d != district_id:
            continue
        if not groups.district_counts.get(d) and district_id is None:
            continue
        shown = groups.shown_centres.get(d, {})
        centres = [
            GroupCount(id=c, name=groups.centre_names.get(c, "?"), count=shown[c])
            for c in sorted((c for c in shown if c is not None), key=lambda c: groups.centre_names.get(c, ""))
        ]
        centres.append(GroupCount(id=None, name=_("ohne Angabe eines Zentrums"), count=shown.get(None, 0)))
        tables.append(DistrictCentres(district_id=d, district_name=groups.district_names[d],
                                      count=groups.shown_districts[d], centres=centres))
    return tables


async def _question_results(
    survey: SurveyDef, groups: GroupSuppression, district_id: int | None
) -> list[QuestionResult]:
    visible = Answer.hidden.eq(False)
    of_survey = Answer.question.survey == survey.id
    district = Answer.response.district.as_alias("district")
    respondent_rows = await Answer.select(
        Answer.question, district, Count(distinct=[Answer.response], alias="n")
    ).where(of_survey & visible).group_by(Answer.question, Answer.response.district)
    choice_rows = await Answer.select(
        Answer.question, Answer.choice, Answer.response.district.as_alias("district"), Count()
    ).where(of_survey & visible & Answer.choice.is_not_null()).group_by(
        Answer.question, Answer.choice, Answer.response.district
    )
    number_rows = await Answer.select(
        Answer.question, Answer.response.district.as_alias("district"), Answer.number
    ).where(of_survey & visible & (Answer.question.kind == QuestionKind.NUMBER.value) & Answer.number.is_not_null())
    other_rows = await Answer.select(
        Answer.question, Answer.response.district.as_alias("district"), Answer.text
    ).where(of_survey & visible & (Answer.choice == OTHER) & Answer.text.is_not_null()).order_by(Answer.id)

    respondents: dict[int, dict[int, int]] = defaultdict(dict)
    for row in respondent_rows:
        respondents[row["question"]][row["district"]] = row["n"]
    choices: dict[int, dict[tuple[str, int], int]] = defaultdict(dict)
    for row in choice_rows:
        choices[row["question"]][(row["choice"], row["district"])] = row["count"]
    numbers: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for row in number_rows:
        numbers[row["question"]].append((row["district"], row["number"]))
    others: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in other_rows:
        others[row["question"]].append((row["district"], row["text"]))

    language = current_language()
    section_titles = {section.id: section.title(language) for section in survey.sections}
    columns = sorted(groups.district_names, key=lambda d: groups.district_names[d])
    results = []
    for question in survey.questions:
        by_district = respondents.get(question.id, {})
        shown_columns = _column_suppression(groups, by_district)
        total_n = sum(by_district.values())
        if district_id is None:
            n_shown = suppress_total(total_n, groups.threshold)
            in_view = lambda d: True  # noqa: E731
        else:
            n_shown = shown_columns[district_id]
            in_view = lambda d, wanted=district_id: d == wanted  # noqa: E731
        result = QuestionResult(
            id=question.id, key=question.key, kind=question.kind, text=question.text(language),
            section_title=section_titles.get(question.section_id, ""), respondents=n_shown,
            low_label=question.text(language, "low"), high_label=question.text(language, "high"),
        )
        results.append(result)
        if n_shown is None:
            continue
        if _is_choice(question):
            _fill_choice(result, question, choices.get(question.id, {}), by_district, shown_columns, columns,
                         groups, district_id)
        elif question.kind is QuestionKind.NUMBER:
            result.numbers = _number_summary([v for d, v in numbers.get(question.id, []) if in_view(d)])
        if question.kind is QuestionKind.MULTIPLE:
            result.other_texts = [t for d, t in others.get(question.id, []) if in_view(d)]
    return results


def _fill_choice(
    result: QuestionResult, question: QuestionDef, cells: dict[tuple[str, int], int], by_district: dict[int, int],
    shown_columns: dict[int, int | None], columns: list[int], groups: GroupSuppression, district_id: int | None,
) -> None:
    """Options, mean and cross-tab of a choice, scale or yes/no question (the question itself is shown)."""
    rows = _rows_of(question)
    values = [value for value, _label in rows]
    partition = question.kind is not QuestionKind.MULTIPLE
    overall = {value: sum(count for (v, _d), count in cells.items() if v == value) for value in values}
    overall_shown = suppress(overall, groups.threshold) if partition else {
        value: (None if is_small(count, groups.threshold) else count) for value, count in overall.items()
    }
    column_totals = {d: by_district.get(d, 0) for d in columns}
    _columns, table = suppress_table_with_column_totals(
        {(v, d): count for (v, d), count in cells.items() if v in overall}, values, columns, column_totals,
        groups.threshold, row_totals_shown={v: overall_shown[v] is not None for v in values},
        columns_add_up=partition, force_columns=[d for d in columns if shown_columns[d] is None],
    )
    if district_id is None:
        n = result.respondents
        result.options = [
            OptionResult(value=v, label=label, count=overall_shown[v], percent=_percent(overall_shown[v], n))
            for v, label in rows
        ]
        if question.kind is QuestionKind.SCALE:
            result.mean = _scale_mean(overall)
        used = [d for d in columns if column_totals[d] or shown_columns[d] is None]
        crosstab_columns = [CrossTabColumn(district_id=d, district_name=groups.district_names[d],
                                           respondents=shown_columns[d]) for d in used]
        result.crosstab = CrossTab(
            columns=crosstab_columns,
            rows=[
                CrossTabRow(
                    value=v, label=label, counts=[table[(v, d)] for d in used],
                    percents=[_percent(table[(v, d)], shown_columns[d]) for d in used],
                )
                for v, label in rows
            ],
            means=[
                _scale_mean({v: cells.get((v, d), 0) for v in values}) if shown_columns[d] is not None else None
                for d in used
            ] if question.kind is QuestionKind.SCALE else None,
        )
    else:
        n = shown_columns[district_id]
        result.options = [
            OptionResult(value=v, label=label, count=table[(v, district_id)],
                         percent=_percent(table[(v, district_id)], n))
            for v, label in rows
        ]
        if question.kind is QuestionKind.SCALE:
            result.mean = _scale_mean({v: cells.get((v, district_id), 0) for v in values})


# --- charts --------------------------------------------------------------------------------------------------------

def chart_texts() -> ChartTexts:
    """The charts' fixed words in the current language."""
    return ChartTexts(
        suppressed_label=_("unterdrückt"), responses_label=_("Antworten"),
        total_template=_("{total} Befragte insgesamt"), mean_label=_("Mittelwert"), yes_label=_("Ja"),
        no_label=_("Nein"), legend_label=_("Legende"), no_data_label=_("Keine Daten"),
    )


def question_chart(question: QuestionResult) -> str | None:
    """An accessible SVG chart of a choice, yes/no or scale question, or None (other kinds, suppressed)."""
    if question.suppressed or not question.options:
        return None
    texts = chart_texts()
    chart_id = f"chart-{question.key}"
    if question.kind is QuestionKind.SCALE:
        labels = [question.low_label, "", "", "", question.high_label]
        return scale_chart(
            question.text, [option.count for option in question.options], mean=question.mean,
            total=question.respondents, point_labels=labels if any(labels) else None, chart_id=chart_id, texts=texts,
        )
    return bar_chart(
        question.text, [(option.label, option.count) for option in question.options], question.respondents,
        chart_id=chart_id, texts=texts,
    )


def question_charts(results: SurveyResults) -> dict[str, str]:
    """The chart of every question that has one, by question key."""
    charts = {}
    for question in results.questions:
        svg = question_chart(question)
        if svg is not None:
            charts[question.key] = svg
    return charts


# --- free texts ----------------------------------------------------------------------------------------------------

class _ILikeEscaped(ComparisonOperator):
    """Case-insensitive LIKE in which backslash escapes % and _ (ILIKE on PostgreSQL, LIKE on SQLite)."""

    template = "{name} ILIKE {value} ESCAPE '\\'"


class _LikeEscaped(ComparisonOperator):
    template = "{name} LIKE {value} ESCAPE '\\'"


def like_pattern(search: str) -> str:
    """A LIKE pattern that finds `search` as a literal substring (% and _ are not wildcards)."""
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_contains(search: str) -> Where:
    engine = Answer._meta.db.engine_type
    operator = _ILikeEscaped if engine in ("postgres", "cockroach") else _LikeEscaped
    return Where(column=Answer.text, value=like_pattern(search), operator=operator)


@dataclass
class FreeText:
    """A free-text answer (or the text of "other") as listed for reading and moderation."""

    answer_id: int
    question_key: str
    question_text: str
    text: str
    #: None when the district may not be named (its group is suppressed).
    district_name: str | None
    is_other: bool
    hidden: bool
    hidden_by: str | None = None
    hidden_at: datetime | None = None


@dataclass
class FreeTextList:
    survey_id: int
    title: str
    suppressed: bool
    message: str | None
    items: list[FreeText] = field(default_factory=list)
    #: (key, text) of every question that has free text, for the filter.
    questions: list[tuple[str, str]] = field(default_factory=list)
    #: Questions whose texts are left out in this district's view because the group is too small.
    withheld: list[str] = field(default_factory=list)


def _has_text(question: QuestionDef) -> bool:
    return question.kind.is_text or (question.kind is QuestionKind.MULTIPLE and question.allow_other)


async def free_texts(
    survey_id: int, *, district_id: int | None = None, question_key: str | None = None, search: str | None = None,
    include_hidden: bool = False, threshold: int,
) -> FreeTextList | None:
    """Free-text answers of a survey, only from groups of at least `threshold`; None if the survey is unknown.

    `search` finds a case-insensitive literal substring. Hidden answers are included (marked, with who hid them and
    when) only with `include_hidden`, which is for the office. Raises `ResultsError` for an unknown district or
    question.
    """
    survey = await load_survey(survey_id)
    if survey is None:
        return None
    language = current_language()
    text_questions = [q for q in survey.questions if _has_text(q)]
    listing = FreeTextList(survey_id=survey_id, title=survey.title(language), suppressed=False, message=None,
                           questions=[(q.key, q.text(language)) for q in text_questions])
    groups = await group_suppression(survey_id, threshold)
    if district_id is not None and district_id not in groups.district_names:
        raise ResultsError(_("Diesen Stadtteil gibt es nicht."))
    if question_key and not any(q.key == question_key for q in text_questions):
        raise ResultsError(_("Diese Frage gibt es nicht oder sie hat keine Freitextantworten."))
    if groups.shown_total is None or (district_id is not None and not groups.district_shown(district_id)):
        listing.suppressed = True
        listing.message = _("Freitextantworten werden erst gezeigt, wenn die Gruppe mindestens %(min)s Antworten "
                            "hat.", min=threshold)
        return listing

    wanted = [q for q in text_questions if not question_key or q.key == question_key]
    respondent_rows = await Answer.select(
        Answer.question, Answer.response.district.as_alias("district"), Count(distinct=[Answer.response], alias="n")
    ).where((Answer.question.survey == survey_id) & Answer.hidden.eq(False)).group_by(
        Answer.question, Answer.response.district
    )
    respondents: dict[int, dict[int, int]] = defaultdict(dict)
    for row in respondent_rows:
        respondents[row["question"]][row["district"]] = row["n"]
    columns = {q.id: _column_suppression(groups, respondents.get(q.id, {})) for q in wanted}
    if district_id is not None:
        listing.withheld = [q.text(language) for q in wanted if columns[q.id][district_id] is None]
        wanted = [q for q in wanted if columns[q.id][district_id] is not None]
    if not wanted:
        return listing

    by_id = {q.id: q for q in wanted}
    where = (Answer.question.is_in(list(by_id))) & Answer.text.is_not_null()
    if district_id is not None:
        where &= Answer.response.district == district_id
    if not include_hidden:
        where &= Answer.hidden.eq(False)
    search = (search or "").strip()
    # SQLite folds only ASCII letters in LIKE; for other letters (ä, Ö …) the exact filter below decides.
    sql_search = search and (search.isascii() or Answer._meta.db.engine_type != "sqlite")
    if sql_search:
        where &= _text_contains(search)
    rows = await Answer.select(
        Answer.id, Answer.question, Answer.text, Answer.choice, Answer.hidden,
        Answer.response.district.as_alias("district"),
    ).where(where).order_by(Answer.id)
    if search and not sql_search:
        needle = search.casefold()
        rows = [row for row in rows if needle in row["text"].casefold()]
    moderation = await _last_moderation([row["id"] for row in rows if row["hidden"]])
    positions = {q.id: i for i, q in enumerate(wanted)}
    rows.sort(key=lambda row: (positions[row["question"]], row["id"]))
    for row in rows:
        question = by_id[row["question"]]
        named = columns[question.id].get(row["district"]) is not None
        who, when = moderation.get(row["id"], (None, None))
        listing.items.append(FreeText(
            answer_id=row["id"], question_key=question.key, question_text=question.text(language), text=row["text"],
            district_name=groups.district_names.get(row["district"]) if named else None,
            is_other=row["choice"] == OTHER, hidden=row["hidden"], hidden_by=who, hidden_at=when,
        ))
    return listing


async def _last_moderation(answer_ids: Iterable[int]) -> dict[int, tuple[str | None, datetime | None]]:
    ids = list(answer_ids)
    if not ids:
        return {}
    rows = await ModerationEntry.select(
        ModerationEntry.answer, ModerationEntry.user.display_name.as_alias("user_name"), ModerationEntry.at,
    ).where(ModerationEntry.answer.is_in(ids) & (ModerationEntry.action == "hide")).order_by(
        ModerationEntry.at
    ).order_by(ModerationEntry.id)
    return {row["answer"]: (row["user_name"], row["at"]) for row in rows}


async def _set_hidden(survey_id: int, answer_id: int, user_id: int, hidden: bool) -> None:
    exists = await Answer.exists().where(
        (Answer.id == answer_id) & (Answer.question.survey == survey_id) & Answer.text.is_not_null()
    )
    if not exists:
        raise ResultsError(_("Diese Freitextantwort gibt es nicht."))
    async with transaction():
        await Answer.update({Answer.hidden: hidden}).where(Answer.id == answer_id)
        await ModerationEntry.insert(
            ModerationEntry(answer=answer_id, user=user_id, action="hide" if hidden else "show")
        )


async def hide_answer(survey_id: int, answer_id: int, user_id: int) -> None:
    """Hide an abusive free-text answer (it stays stored) and log who did it."""
    await _set_hidden(survey_id, answer_id, user_id, True)


async def show_answer(survey_id: int, answer_id: int, user_id: int) -> None:
    """Show a hidden free-text answer again and log who did it."""
    await _set_hidden(survey_id, answer_id, user_id, False)


async def moderation_log(answer_id: int) -> list[dict]:
    """Every hide/show of an answer, oldest first: {"action", "user_name", "at"}."""
    return await ModerationEntry.select(
        ModerationEntry.action, ModerationEntry.user.display_name.as_alias("user_name"), ModerationEntry.at,
    ).where(ModerationEntry.answer == answer_id).order_by(ModerationEntry.at).order_by(ModerationEntry.id)
