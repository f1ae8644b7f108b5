"""Results of a survey: the protected view, and from it responses per group, per-question figures, cross-tabs by
district and free texts.

`load_protected` counts a survey's answers per cell (district × centre) in a fixed few grouped queries and plans,
per question, the blocks its figures may be published in (`privacy`). Every figure any role sees is a sum over
those blocks: result pages for the city, a district or a centre, cross-tabs, free texts, themes, exports, the API,
minutes, centre summaries, trends and `participation audit`. Nothing else counts responses. While a survey is open
only rounded response counts are shown.

Answers marked hidden (abusive free text) are left out of every figure here; they are never deleted.

Queries are a fixed few per page, each grouped in SQL (no query per question).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from piccolo.columns.combination import Where
from piccolo.columns.operators.comparison import ComparisonOperator
from piccolo.query.functions.aggregate import Count

from participation.db import transaction
from participation.errors import DomainError
from participation.i18n import current_language, ngettext
from participation.i18n import gettext as _
from participation.surveys.schemas import NO, OTHER, YES, QuestionDef, QuestionKind, SurveyStatus
from participation.surveys.services.privacy import (
    DISTRICT,
    RESIDUAL,
    Block,
    Cell,
    rounded_count,
)
from participation.surveys.services.protected import ProtectedSurvey, load_channel_view, load_protected
from participation.surveys.tables import Answer, ModerationEntry

#: The text that replaces a hidden free-text answer wherever its row must still appear (exports).
HIDDEN_MARK = "[ausgeblendet]"


class ResultsError(DomainError):
    """A results request cannot be answered as asked (e.g. an unknown district)."""


# --- data objects --------------------------------------------------------------------------------------------------

@dataclass
class GroupCount:
    """Responses of one group (district, centre or a residual block); `count` None means too few to say."""

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
    """One answer option: count and percent of the question's respondents (None: not shown)."""

    value: str
    label: str
    count: int | None
    percent: float | None


@dataclass
class NumberSummary:
    """Mean and median of a number question; no minimum or maximum, which are single people's values."""

    mean: float
    median: float


@dataclass
class CrossTabColumn:
    """A block of the cross-tab: a district, or the residual of the small ones (`district_id` None)."""

    district_id: int | None
    district_name: str
    respondents: int | None
    #: Every district whose answers are in this column.
    district_ids: list[int] = field(default_factory=list)


@dataclass
class CrossTabRow:
    value: str
    label: str
    #: One cell per column, in column order.
    counts: list[int | None]
    percents: list[float | None]


@dataclass
class CrossTab:
    """An option × block table of one question."""

    columns: list[CrossTabColumn]
    rows: list[CrossTabRow]
    #: Scale questions: the mean per column.
    means: list[float | None] | None = None


@dataclass
class QuestionResult:
    """The figures of one question; `respondents` None means no figure of it may be shown in this view."""

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
    #: Set when the figures are those of a wider group than the one asked for ("weitere Stadtteile: …").
    group_label: str | None = None
    #: Why figures are missing or what they leave out, in words.
    note: str | None = None
    #: The cells (district id, centre id) the figures cover: what `participation audit` reads.
    cells: list[Cell] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.respondents is None

    @property
    def other_groups(self) -> list[tuple[str, int]]:
        """The "Sonstiges" texts grouped, most frequent first: texts that differ only in case, spaces or closing
        punctuation are one group, named by its most frequent spelling. Every text is one the page shows anyway."""
        groups: dict[str, Counter[str]] = {}
        for text in self.other_texts:
            spelling = " ".join(text.split())
            key = spelling.rstrip(".!?;,").casefold()
            groups.setdefault(key, Counter())[spelling] += 1
        named = [(spellings.most_common(1)[0][0], spellings.total()) for spellings in groups.values()]
        return sorted(named, key=lambda group: (-group[1], group[0].casefold()))


@dataclass
class SurveyResults:
    """Everything the results page, the centre page and the API show of one survey."""

    survey_id: int
    title: str
    threshold: int
    district_id: int | None
    district_name: str | None
    total: int | None
    #: True when no figure may be shown; `message` says why.
    suppressed: bool
    message: str | None
    districts: list[GroupCount] = field(default_factory=list)
    centres: list[DistrictCentres] = field(default_factory=list)
    questions: list[QuestionResult] = field(default_factory=list)
    centre_id: int | None = None
    centre_name: str | None = None
    #: The survey is not closed yet: only rounded response counts are shown.
    pending: bool = False
    #: The figures are those of one channel ("online" or "paper"); None: of all responses.
    channel: str | None = None
    #: Channel figures: why the numbers of responses per group are not shown.
    channel_note: str | None = None

    def by_section(self) -> list[tuple[str, list[QuestionResult]]]:
        """The questions grouped by their section, in the survey's order (for the page's index and its body)."""
        sections: list[tuple[str, list[QuestionResult]]] = []
        for question in self.questions:
            if not sections or sections[-1][0] != question.section_title:
                sections.append((question.section_title, []))
            sections[-1][1].append(question)
        return sections


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
    return NumberSummary(mean=round(statistics.fmean(values), 1), median=round(statistics.median(values), 1))


def _sorted_blocks(view: ProtectedSurvey, blocks: Iterable[Block]) -> list[Block]:
    return sorted(blocks, key=lambda b: (b.is_residual, view.label(b).casefold()))


async def survey_results(
    survey_id: int, *, district_id: int | None = None, centre_id: int | None = None, threshold: int,
    view: ProtectedSurvey | None = None, channel: str | None = None,
) -> SurveyResults | None:
    """The results of a survey for everyone, one district or one centre; None if the survey is unknown.

    `channel` ("online" or "paper") gives the figures of that channel's responses only (`load_channel_view`: shown
    only where no small group follows from them and the figures of everyone). Raises `ResultsError` for an unknown
    district or centre.
    """
    if view is None:
        view = (await load_channel_view(survey_id, threshold, channel) if channel
                else await load_protected(survey_id, threshold))
    if view is None:
        return None
    if centre_id is not None:
        if centre_id not in view.centre_names:
            raise ResultsError(_("Dieses Zentrum gibt es nicht."))
        district_id = view.centre_districts[centre_id]
    if district_id is not None and district_id not in view.district_names:
        raise ResultsError(_("Diesen Stadtteil gibt es nicht."))
    survey = view.survey
    language = current_language()
    responses = view.responses
    result = SurveyResults(
        survey_id=survey_id, title=survey.title(language), threshold=threshold, district_id=district_id,
        district_name=view.district_names.get(district_id) if district_id is not None else None,
        total=responses.total if responses.total >= threshold or responses.total == 0 else None,
        suppressed=False, message=None, centre_id=centre_id,
        centre_name=view.centre_names.get(centre_id) if centre_id is not None else None,
    )
    result.channel = view.channel
    if view.channel and not view.closed:
        result.suppressed = result.pending = True
        result.total = None
        result.message = _("Die Umfrage läuft noch. Zahlen getrennt nach Eingangsweg erscheinen, wenn sie "
                           "geschlossen ist.")
        return result
    if not view.closed:
        result.suppressed = result.pending = True
        result.total = rounded_count(responses.total)
        result.message = _(
            "Die Umfrage läuft noch. Ergebnisse erscheinen, wenn sie geschlossen ist: Zahlen, die sich mit jeder "
            "neuen Antwort ändern, ließen sich vergleichen und verrieten so einzelne Antworten. Bis dahin zeigen "
            "wir nur die Zahl der Antworten je Stadtteil, auf %(step)s gerundet.", step=5)
        result.districts = [
            GroupCount(id=d, name=name, count=rounded_count(sum(
                n for (cd, _c), n in view.response_counts.items() if cd == d)))
            for d, name in sorted(view.district_names.items(), key=lambda item: item[1].casefold())
            if district_id is None or d == district_id
        ]
        return result
    if not responses.shown:
        result.suppressed = True
        result.message = _("Es liegen erst %(n)s von mindestens %(min)s Antworten vor. Ergebnisse werden erst ab "
                           "%(min)s Antworten gezeigt, damit niemand erkannt werden kann.",
                           n=_few(responses.total, threshold), min=threshold)
        return result
    if view.responses_withheld:
        result.total = None
        result.channel_note = _(
            "Die Zahl der Antworten je Stadtteil und Zentrum wird für diesen Eingangsweg nicht gezeigt: In mindestens "
            "einem Stadtteil kamen zu wenige Antworten auf diesem oder dem anderen Weg, und ihre Zahl ließe sich aus "
            "den Gesamtzahlen errechnen.")
    else:
        result.districts = _district_counts(view, district_id)
        result.centres = _centre_tables(view, district_id)
    if district_id is not None and not view.responses_withheld:
        own = responses.own_block(district_id)
        result.total = own.respondents if own is not None else None
    result.questions = [_question_result(view, q, district_id, centre_id) for q in survey.questions]
    return result


def published_response_count(count: int, status: SurveyStatus, threshold: int) -> int | None:
    """A survey's number of responses as lists may show it: rounded while open, None below the threshold."""
    if status is not SurveyStatus.CLOSED:
        return rounded_count(count)
    return count if count == 0 or count >= threshold else None


def _few(count: int, threshold: int) -> str:
    return str(count) if count == 0 else _("weniger als %(min)s", min=threshold)


def _district_count(view: ProtectedSurvey, district_id: int) -> int:
    return sum(n for (d, _c), n in view.response_counts.items() if d == district_id)


def _district_counts(view: ProtectedSurvey, district_id: int | None) -> list[GroupCount]:
    """Responses per district; small districts as "too few", with their residual block's total (city view)."""
    counts = []
    for d, name in sorted(view.district_names.items(), key=lambda item: item[1].casefold()):
        if district_id is not None and d != district_id:
            continue
        own = view.responses.own_block(d)
        n = _district_count(view, d)
        counts.append(GroupCount(id=d, name=name, count=own.respondents if own else (0 if n == 0 else None)))
    if district_id is None:
        counts += [GroupCount(id=None, name=view.label(b), count=b.respondents)
                   for b in view.responses.blocks if b.kind == RESIDUAL]
    return counts


def _centre_tables(view: ProtectedSurvey, district_id: int | None) -> list[DistrictCentres]:
    tables = []
    for d, name in sorted(view.district_names.items(), key=lambda item: item[1].casefold()):
        if district_id is not None and d != district_id:
            continue
        own = view.responses.own_block(d)
        if own is None:
            continue
        parts = view.responses.centre_blocks.get(d, ())
        centres = [GroupCount(id=b.centre_ids[0], name=view.label(b), count=b.respondents)
                   for b in _sorted_blocks(view, parts)]
        tables.append(DistrictCentres(district_id=d, district_name=name, count=own.respondents, centres=centres))
    return tables


def _question_result(
    view: ProtectedSurvey, question: QuestionDef, district_id: int | None, centre_id: int | None
) -> QuestionResult:
    language = current_language()
    section_titles = {section.id: section.title(language) for section in view.survey.sections}
    grouping = view.groupings[question.id]
    threshold = view.threshold
    result = QuestionResult(
        id=question.id, key=question.key, kind=question.kind, text=question.text(language),
        section_title=section_titles.get(question.section_id, ""), respondents=None,
        low_label=question.text(language, "low"), high_label=question.text(language, "high"),
    )
    asked = view.respondents.get(question.id, {})
    if question.id in view.channel_withheld:
        result.note = _(
            "Für diese Frage werden keine Zahlen nach Eingangsweg gezeigt: In mindestens einer Gruppe haben zu wenige "
            "Personen auf Papier oder online geantwortet, und ihre Antworten ließen sich aus den Zahlen aller "
            "errechnen.")
        return result
    if not grouping.shown:
        result.note = _("Für diese Frage werden keine Zahlen gezeigt: Sie wurde von weniger als %(n)s Personen "
                        "beantwortet.", n=threshold)
        return result
    if district_id is None:
        cells = grouping.shown_cells
        if grouping.excluded and view.channel:
            result.note = _("Ohne Antworten aus Stadtteilen, die zu wenige Antworten für eine eigene Zahl haben.")
        elif grouping.excluded:
            result.note = ngettext(
                "Ohne %(num)s Antwort aus Stadtteilen, die zu wenige Antworten für eine eigene Zahl haben.",
                "Ohne %(num)s Antworten aus Stadtteilen, die zu wenige Antworten für eine eigene Zahl haben.",
                grouping.excluded_count, num=grouping.excluded_count)
    else:
        asked_here = sum(n for (d, c), n in asked.items()
                         if d == district_id and (centre_id is None or c == centre_id))
        block = grouping.block_of_district(district_id) if centre_id is None else grouping.centre_block(
            district_id, centre_id)
        if block is None:
            if asked_here == 0:
                result.respondents = 0
                return result
            result.note = _("Für diese Frage werden hier keine Zahlen gezeigt: zu wenige Personen haben sie "
                            "beantwortet, auch zusammen mit anderen kleinen Gruppen.") if centre_id is None else _(
                "Für dieses Zentrum allein haben zu wenige Personen diese Frage beantwortet; die Zahlen des "
                "Stadtteils zeigen sie mit.")
            return result
        cells = block.cells
        if block.is_residual:
            result.group_label = view.label(block)
    result.cells = sorted(cells, key=lambda cell: (cell[0], cell[1] is None, cell[1] or 0))
    result.respondents = sum(asked.get(cell, 0) for cell in cells)
    if result.respondents == 0:
        return result
    if _is_choice(question):
        _fill_choice(view, result, question, cells, crosstab=district_id is None)
    elif question.kind is QuestionKind.NUMBER:
        result.numbers = _number_summary([v for cell, v in view.numbers.get(question.id, []) if cell in cells])
    if question.kind is QuestionKind.MULTIPLE:
        result.other_texts = [t for cell, t in view.others.get(question.id, []) if cell in cells]
    return result


def _fill_choice(
    view: ProtectedSurvey, result: QuestionResult, question: QuestionDef, cells: frozenset[Cell], *, crosstab: bool
) -> None:
    """Options, mean and (city view) cross-tab by block of a choice, scale or yes/no question."""
    rows = _rows_of(question)
    values = [value for value, _label in rows]
    counts = view.choices.get(question.id, {})

    def count(value: str, of: Iterable[Cell]) -> int:
        return sum(counts.get((value, cell), 0) for cell in of)

    n = result.respondents
    result.options = [OptionResult(value=v, label=label, count=count(v, cells), percent=_percent(count(v, cells), n))
                      for v, label in rows]
    if question.kind is QuestionKind.SCALE:
        result.mean = _scale_mean({v: count(v, cells) for v in values})
    if not crosstab:
        return
    blocks = _sorted_blocks(view, view.groupings[question.id].blocks)
    respondents = view.respondents.get(question.id, {})
    sizes = [sum(respondents.get(cell, 0) for cell in b.cells) for b in blocks]
    result.crosstab = CrossTab(
        columns=[CrossTabColumn(district_id=b.district_ids[0] if b.kind == DISTRICT else None,
                                district_name=view.label(b), respondents=size, district_ids=list(b.district_ids))
                 for b, size in zip(blocks, sizes, strict=True)],
        rows=[CrossTabRow(value=v, label=label, counts=[count(v, b.cells) for b in blocks],
                          percents=[_percent(count(v, b.cells), size) for b, size in zip(blocks, sizes, strict=True)])
              for v, label in rows],
        means=[_scale_mean({v: count(v, b.cells) for v in values}) for b in blocks]
        if question.kind is QuestionKind.SCALE else None,
    )


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
    # An answer in another language is also found by its German translation.
    return (Where(column=Answer.text, value=like_pattern(search), operator=operator)
            | Where(column=Answer.translation, value=like_pattern(search), operator=operator))


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
    #: German translation of an answer in another language (staff or machine), shown beside it.
    translation: str | None = None


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
    #: Texts found in all (`items` holds one page of them when the list is paginated).
    total: int = 0
    page: int = 1
    pages: int = 1


def _has_text(question: QuestionDef) -> bool:
    return question.kind.is_text or (question.kind is QuestionKind.MULTIPLE and question.allow_other)


async def free_texts(
    survey_id: int, *, district_id: int | None = None, question_key: str | None = None, search: str | None = None,
    include_hidden: bool = False, threshold: int, view: ProtectedSurvey | None = None, page: int = 1,
    page_size: int | None = None,
) -> FreeTextList | None:
    """Free-text answers of a survey, each named by the block it is published in; None if the survey is unknown.

    Texts follow the figures: a text is listed under its district only where that district has enough answers to
    the question, else under the residual block ("weitere Stadtteile: …"), and not at all where even that is too
    small. `search` finds a case-insensitive literal substring. Hidden answers are included (marked, with who hid
    them and when) only with `include_hidden`, which is for the office. With `page_size`, `items` holds page `page`
    (a page past the end gives the last one) and `total` counts them all; the texts themselves are read for that
    page only. Raises `ResultsError` for an unknown district or question.
    """
    view = view or await load_protected(survey_id, threshold)
    if view is None:
        return None
    survey = view.survey
    language = current_language()
    text_questions = [q for q in survey.questions if _has_text(q)]
    listing = FreeTextList(survey_id=survey_id, title=survey.title(language), suppressed=False, message=None,
                           questions=[(q.key, q.text(language)) for q in text_questions])
    if district_id is not None and district_id not in view.district_names:
        raise ResultsError(_("Diesen Stadtteil gibt es nicht."))
    if question_key and not any(q.key == question_key for q in text_questions):
        raise ResultsError(_("Diese Frage gibt es nicht oder sie hat keine Freitextantworten."))
    if not view.closed:
        listing.suppressed = True
        listing.message = _("Die Umfrage läuft noch. Freitextantworten erscheinen, wenn sie geschlossen ist.")
        return listing
    if not view.responses.shown:
        listing.suppressed = True
        listing.message = _("Freitextantworten werden erst gezeigt, wenn mindestens %(min)s Antworten vorliegen.",
                            min=threshold)
        return listing

    wanted = [q for q in text_questions if not question_key or q.key == question_key]
    cells_of: dict[int, frozenset[Cell]] = {}
    for question in wanted:
        grouping = view.groupings[question.id]
        if district_id is None:
            cells_of[question.id] = grouping.shown_cells
            continue
        block = grouping.block_of_district(district_id)
        if block is None:
            if any(d == district_id for d, _c in view.respondents.get(question.id, {})):
                listing.withheld.append(question.text(language))
            continue
        cells_of[question.id] = block.cells
    wanted = [q for q in wanted if cells_of.get(q.id)]
    if not wanted:
        return listing

    by_id = {q.id: q for q in wanted}
    where = (Answer.question.is_in(list(by_id))) & Answer.text.is_not_null()
    if not include_hidden:
        where &= Answer.hidden.eq(False)
    search = (search or "").strip()
    # SQLite folds only ASCII letters in LIKE; for other letters (ä, Ö …) the exact filter below decides.
    sql_search = search and (search.isascii() or Answer._meta.db.engine_type != "sqlite")
    if sql_search:
        where &= _text_contains(search)
    if search and not sql_search:
        rows = await _listed_in_python(where, cells_of, wanted, search)
        listing.total = len(rows)
        if page_size:
            listing.pages = max(1, -(-len(rows) // page_size))
            listing.page = min(max(page, 1), listing.pages)
            rows = rows[(listing.page - 1) * page_size:listing.page * page_size]
    else:
        rows = await _listed_in_sql(where, cells_of, wanted, listing, page, page_size)
    texts = {row["id"]: row for row in await Answer.select(
        Answer.id, Answer.text, Answer.choice, Answer.translation,
    ).where(Answer.id.is_in([row["id"] for row in rows]))} if rows else {}
    moderation = await _last_moderation([row["id"] for row in rows if row["hidden"]])
    for row in rows:
        question = by_id[row["question"]]
        block = view.groupings[question.id].block_of_cell((row["district"], row["centre"]))
        who, when = moderation.get(row["id"], (None, None))
        text = texts[row["id"]]
        listing.items.append(FreeText(
            answer_id=row["id"], question_key=question.key, question_text=question.text(language),
            text=text["text"], district_name=view.label(block) if block is not None else None,
            is_other=text["choice"] == OTHER, hidden=row["hidden"], hidden_by=who, hidden_at=when,
            translation=text["translation"],
        ))
    return listing


_LISTED = (Answer.id, Answer.question, Answer.hidden, Answer.response.district.as_alias("district"),
           Answer.response.centre.as_alias("centre"))


def _in_cells(cells: frozenset[Cell]) -> Where:
    """The answers given in one of `cells` (district, centre; centre None: no centre named)."""
    centres_of: dict[int, list[int | None]] = {}
    for district, centre in cells:
        centres_of.setdefault(district, []).append(centre)
    condition = None
    for district, centres in sorted(centres_of.items()):
        named = sorted(c for c in centres if c is not None)
        of_centre = Answer.response.centre.is_in(named) if named else None
        if None in centres:
            of_centre = Answer.response.centre.is_null() | of_centre if of_centre is not None else \
                Answer.response.centre.is_null()
        term = (Answer.response.district == district) & of_centre
        condition = term if condition is None else condition | term
    return condition


async def _listed_in_sql(
    where: Where, cells_of: dict[int, frozenset[Cell]], wanted: list[QuestionDef], listing: FreeTextList, page: int,
    page_size: int | None,
) -> list[dict]:
    """The answers listed (ids and cells), counted per question in SQL and read for the page shown only."""
    of_question = {q.id: (Answer.question == q.id) & _in_cells(cells_of[q.id]) for q in wanted}
    listed = None
    for condition in of_question.values():
        listed = condition if listed is None else listed | condition
    counts = dict.fromkeys(of_question, 0)
    for row in await Answer.select(Answer.question, Count(alias="n")).where(where & listed).group_by(
        Answer.question
    ):
        counts[row["question"]] = row["n"]
    listing.total = sum(counts.values())
    skip, take = 0, None
    if page_size:
        listing.pages = max(1, -(-listing.total // page_size))
        listing.page = min(max(page, 1), listing.pages)
        skip, take = (listing.page - 1) * page_size, page_size
    rows: list[dict] = []
    for question in wanted:
        if take is not None and take <= 0:
            break
        if skip >= counts[question.id]:
            skip -= counts[question.id]
            continue
        query = Answer.select(*_LISTED).where(where & of_question[question.id]).order_by(Answer.id)
        found = await (query.offset(skip).limit(take) if take is not None else query)
        rows += found
        skip = 0
        if take is not None:
            take -= len(found)
    return rows


async def _listed_in_python(
    where: Where, cells_of: dict[int, frozenset[Cell]], wanted: list[QuestionDef], search: str
) -> list[dict]:
    """The answers listed, for a search SQLite cannot do (letters beyond ASCII): every text compared here."""
    rows = await Answer.select(*_LISTED, Answer.text, Answer.translation).where(where).order_by(Answer.id)
    needle = search.casefold()
    rows = [row for row in rows if (row["district"], row["centre"]) in cells_of[row["question"]]
            and (needle in row["text"].casefold() or needle in (row["translation"] or "").casefold())]
    positions = {q.id: i for i, q in enumerate(wanted)}
    rows.sort(key=lambda row: (positions[row["question"]], row["id"]))
    return rows


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
