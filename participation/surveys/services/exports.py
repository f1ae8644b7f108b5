"""Exports of a survey's results as tables: CSV, XLSX, and the same rows for the JSON API.

The export holds exactly the figures of the results pages, in one long table an office can filter and pivot in a
spreadsheet: for every question, the city ("Alle ausgewiesenen Stadtteile") and every block of the question (a
district, or "weitere Stadtteile: …"), the number of respondents and, per answer option, count and percent; means
for scale questions; mean and median for numbers. Response counts per district come first. The same tables follow
for each channel ("online", "Papier": column "Eingangsweg"), as the results page filtered by channel shows them
(a question's channel figures only where no small group follows from them, see `load_channel_view`).

There is deliberately no export of single responses. A row of one person's answers, labelled with any group, can be
lined up against the per-question tables: where a district has enough answers to one question but too few to
another, the rows would reveal the small group's answers (and a free text would tie a person to all their other
answers). Tables over the same blocks as the pages cannot be combined into anything finer than those blocks.

CSV: UTF-8 with BOM and ";" as delimiter, decimal comma — what German Excel opens correctly by double-click.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from participation.i18n import gettext as _
from participation.surveys.services.answering import ONLINE, PAPER
from participation.surveys.services.counts import has_paper_responses
from participation.surveys.services.protected import ProtectedSurvey, load_channel_views, load_protected
from participation.surveys.services.results import ResultsError, SurveyResults, survey_results

CellValue = str | float | int | None

#: `TableRow.channel` of the figures of all responses.
ALL = "all"


@dataclass
class TableRow:
    """One figure: of a question (key and text; empty for response counts), a group and a measure."""

    question_key: str
    question: str
    group: str
    measure: str
    count: int | None
    percent: float | None = None
    value: float | None = None
    #: Whose responses: "all", or one channel's ("online", "paper"; see `load_channel_view`).
    channel: str = ALL


@dataclass
class ResultsExport:
    """Every figure of a closed survey's results, as the pages show them."""

    survey_id: int
    title: str
    rows: list[TableRow] = field(default_factory=list)
    #: The API's pages: where the next page starts (pass it as `cursor`); null on the last page.
    next_cursor: str | None = None


class CursorError(ValueError):
    """A `cursor` that this API did not hand out (or for another survey)."""


def _encode_cursor(survey_id: int, offset: int) -> str:
    raw = json.dumps({"survey": survey_id, "after": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(survey_id: int, cursor: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["after"]
        ok = data["survey"] == survey_id and isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        ok = False
    if not ok:
        raise CursorError(_("Der Cursor ist ungültig. Verwenden Sie den Wert next_cursor der vorigen Seite."))
    return offset


def page_of(export: ResultsExport, cursor: str | None, limit: int) -> ResultsExport:
    """One page of the export's rows for the API: `limit` rows from `cursor` (the first page without one).

    The rows come in a fixed order from a closed survey's protected view, so following `next_cursor` from page to
    page yields every row once. Raises `CursorError` for a cursor that was not handed out for this survey.
    """
    start = _decode_cursor(export.survey_id, cursor) if cursor else 0
    if start > len(export.rows):
        raise CursorError(_("Der Cursor ist ungültig. Verwenden Sie den Wert next_cursor der vorigen Seite."))
    end = start + limit
    return ResultsExport(
        survey_id=export.survey_id, title=export.title, rows=export.rows[start:end],
        next_cursor=_encode_cursor(export.survey_id, end) if end < len(export.rows) else None,
    )


async def results_export(
    survey_id: int, *, threshold: int, view: ProtectedSurvey | None = None
) -> ResultsExport | None:
    """The export of a survey; None if the survey is unknown. Raises `ResultsError` while the survey is open."""
    view = view or await load_protected(survey_id, threshold)
    if view is None:
        return None
    if not view.closed:
        raise ResultsError(_("Die Umfrage läuft noch. Ergebnisse lassen sich exportieren, wenn sie geschlossen ist."))
    results = await survey_results(survey_id, threshold=threshold, view=view)
    export = ResultsExport(survey_id=survey_id, title=results.title)
    if results.suppressed:
        return export
    _add_rows(export.rows, results, ALL)
    if not await has_paper_responses(survey_id):
        return export  # no paper forms: the channel tables would repeat the tables above
    channel_views = await load_channel_views(survey_id, threshold, survey=view.survey)
    for channel, channel_view in channel_views.items():
        _add_rows(export.rows, await survey_results(survey_id, threshold=threshold, view=channel_view), channel)
    return export


def _add_rows(rows: list[TableRow], results: SurveyResults, channel: str) -> None:
    """The rows of one results view (all responses, or one channel's), in the page's order."""
    city = _("Alle ausgewiesenen Stadtteile")
    responses = _("Antworten")
    if results.suppressed:
        return
    for group in results.districts:
        rows.append(TableRow("", "", group.name, responses, group.count, channel=channel))
    for question in results.questions:
        if question.suppressed or not question.respondents:
            continue
        groups = [(city, question.respondents, question.options, question.mean, question.numbers)]
        if question.crosstab is not None:
            for index, column in enumerate(question.crosstab.columns):
                options = [
                    _Option(row.label, row.counts[index], row.percents[index]) for row in question.crosstab.rows
                ]
                mean = question.crosstab.means[index] if question.crosstab.means else None
                groups.append((column.district_name, column.respondents, options, mean, None))
        for name, n, options, mean, numbers in groups:
            rows.append(TableRow(question.key, question.text, name, _("Befragte"), n, channel=channel))
            for option in options:
                rows.append(TableRow(question.key, question.text, name, option.label, option.count, option.percent,
                                     channel=channel))
            if mean is not None:
                rows.append(TableRow(question.key, question.text, name, _("Mittelwert"), None, value=mean,
                                     channel=channel))
            if numbers is not None:
                rows.append(TableRow(question.key, question.text, name, _("Mittelwert"), None, value=numbers.mean,
                                     channel=channel))
                rows.append(TableRow(question.key, question.text, name, _("Median"), None, value=numbers.median,
                                     channel=channel))


@dataclass
class _Option:
    label: str
    count: int | None
    percent: float | None


def header() -> list[str]:
    return [_("Frage"), _("Fragetext"), _("Gruppe"), _("Angabe"), _("Anzahl"), _("Anteil (%)"), _("Wert"),
            _("Eingangsweg")]


def channel_label(channel: str) -> str:
    return {ONLINE: _("online"), PAPER: _("Papier")}.get(channel, _("alle"))


def _cells(row: TableRow) -> list[CellValue]:
    return [row.question_key, row.question, row.group, row.measure, row.count, row.percent, row.value,
            channel_label(row.channel)]


#: A cell starting with one of these would run as a formula in a spreadsheet (parents write option labels too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def iter_csv(export: ResultsExport, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The export as CSV for German Excel (UTF-8 with BOM, ";" delimiter, decimal comma), in chunks of rows: a
    response can stream it without holding the whole file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header())
    for index, row in enumerate(export.rows, 1):
        writer.writerow([_csv_cell(value) for value in _cells(row)])
        if index % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def to_csv(export: ResultsExport) -> bytes:
    """The whole CSV at once (see `iter_csv`)."""
    return b"".join(iter_csv(export))


def to_xlsx(export: ResultsExport) -> bytes:
    """The export as an Excel workbook: bold, frozen header row; numbers as real cells.

    Written in openpyxl's write-only mode: each row is streamed out as it is appended, so the time grows with the
    rows (the in-memory worksheet re-counted all rows for every appended one). CPU-bound: call it off the event loop
    (`asyncio.to_thread`).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ergebnisse"))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_styled(sheet, title, bold) for title in header()])
    for row in export.rows:
        sheet.append([_xlsx_value(sheet, value) for value in _cells(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _styled(sheet, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _xlsx_value(sheet, value: CellValue) -> CellValue | WriteOnlyCell:
    """The value as is, except text starting with "=", which openpyxl would store as a formula: it stays text."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export_filename(export: ResultsExport, extension: str) -> str:
    """A plain ASCII file name such as "umfrage-12-ergebnisse.csv"."""
    return f"umfrage-{export.survey_id}-ergebnisse.{extension}"
