"""Exports of a survey's responses: one row per response, as CSV, XLSX or data for the JSON API.

A row holds a running number (not the database id), district, centre, language, the day of submission and one
column per question key. Never exported: submission ids, invitation codes, option codes (options are written as
their German labels), hidden free text (written as "[ausgeblendet]").

Districts and centres hidden in the results (too small, or hidden so a smaller one cannot be derived) are written
as "unterdrückt", so counting rows cannot reveal them; the centre of a row whose district is hidden stays blank.
Rows are sorted by what they show only, so their order cannot reveal a hidden group either.

CSV: UTF-8 with BOM and ";" as delimiter, decimal comma — what German Excel opens correctly by double-click.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from participation.i18n import gettext as _
from participation.surveys.schemas import NO, OTHER, YES, QuestionDef, QuestionKind
from participation.surveys.services.definition import load_survey
from participation.surveys.services.results import HIDDEN_MARK, group_suppression
from participation.surveys.tables import Answer, Response

SUPPRESSED = "unterdrückt"
CellValue = str | float | int | None


@dataclass
class ExportRow:
    """One response as exported."""

    number: int
    district: str
    centre: str
    language: str
    submitted_on: date
    #: By question key; missing answers are None.
    answers: dict[str, CellValue] = field(default_factory=dict)


@dataclass
class ResponsesExport:
    """Every response of a survey, privacy rules applied."""

    survey_id: int
    title: str
    question_keys: list[str]
    rows: list[ExportRow]


def _labels(question: QuestionDef) -> dict[str, str]:
    if question.kind is QuestionKind.YESNO:
        return {YES: "Ja", NO: "Nein"}
    labels = {option.value: option.label("de") or option.value for option in question.options}
    labels[OTHER] = "Sonstiges"
    return labels


def _value(question: QuestionDef, answers: list[dict]) -> CellValue:
    """The exported value of one question from its answer rows."""
    kind = question.kind
    if kind.is_text:
        row = answers[0]
        return HIDDEN_MARK if row["hidden"] else row["text"]
    if kind is QuestionKind.NUMBER:
        number = answers[0]["number"]
        return int(number) if number is not None and float(number).is_integer() else number
    if kind is QuestionKind.SCALE:
        return int(answers[0]["choice"])
    labels = _labels(question)
    parts = []
    for row in answers:
        label = labels.get(row["choice"], row["choice"])
        if row["choice"] == OTHER:
            label = f"{label}: {HIDDEN_MARK if row['hidden'] else (row['text'] or '')}"
        parts.append(label)
    return "; ".join(parts)


async def responses_export(survey_id: int, *, threshold: int) -> ResponsesExport | None:
    """The rows of the export of a survey; None if the survey is unknown (a fixed handful of queries)."""
    survey = await load_survey(survey_id)
    if survey is None:
        return None
    groups = await group_suppression(survey_id, threshold)
    responses = await Response.select(
        Response.id, Response.district, Response.centre, Response.language, Response.submitted_on
    ).where(Response.survey == survey_id)
    answers = await Answer.select(
        Answer.response, Answer.question, Answer.choice, Answer.number, Answer.text, Answer.hidden
    ).where(Answer.question.survey == survey_id).order_by(Answer.id)
    questions = {q.id: q for q in survey.questions}
    order = {option.value: i for q in survey.questions for i, option in enumerate(q.options)}
    by_response: dict[int, dict[int, list[dict]]] = {}
    for row in answers:
        by_response.setdefault(row["response"], {}).setdefault(row["question"], []).append(row)

    rows = []
    for response in responses:
        district_id, centre_id = response["district"], response["centre"]
        if not groups.district_shown(district_id):
            district, centre = SUPPRESSED, ""
        else:
            district = groups.district_names.get(district_id, "")
            if not groups.centre_shown(district_id, centre_id):
                centre = SUPPRESSED
            else:
                centre = groups.centre_names.get(centre_id, "") if centre_id is not None else ""
        values: dict[str, CellValue] = {}
        for question_id, question in questions.items():
            given = by_response.get(response["id"], {}).get(question_id)
            if given:
                given.sort(key=lambda r: (r["choice"] == OTHER, order.get(r["choice"], 0)))
                values[question.key] = _value(question, given)
            else:
                values[question.key] = None
        rows.append(ExportRow(number=0, district=district, centre=centre, language=response["language"],
                              submitted_on=response["submitted_on"], answers=values))
    keys = [q.key for q in survey.questions]
    rows.sort(key=lambda r: (r.district == SUPPRESSED, r.district, r.centre, r.submitted_on, r.language,
                             [str(r.answers[k]) for k in keys]))
    for number, row in enumerate(rows, start=1):
        row.number = number
    return ResponsesExport(survey_id=survey_id, title=survey.title("de"), question_keys=keys, rows=rows)


def header(export: ResponsesExport) -> list[str]:
    return [_("Nr."), _("Stadtteil"), _("Zentrum"), _("Sprache"), _("Datum"), *export.question_keys]


#: A cell starting with one of these would run as a formula in a spreadsheet (parents write the free texts).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def to_csv(export: ResponsesExport) -> bytes:
    """The export as CSV for German Excel: UTF-8 with BOM, ";" delimiter, decimal comma, dates as YYYY-MM-DD."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(export))
    for row in export.rows:
        writer.writerow([
            row.number, row.district, row.centre, row.language, row.submitted_on.isoformat(),
            *[_csv_cell(row.answers[key]) for key in export.question_keys],
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(export: ResponsesExport) -> bytes:
    """The export as an Excel workbook: bold, frozen header row; numbers and dates as real cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Antworten")
    sheet.append(header(export))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in export.rows:
        sheet.append([
            row.number, row.district, row.centre, row.language, row.submitted_on,
            *[row.answers[key] for key in export.question_keys],
        ])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text that merely starts with "=" stays text
                cell.data_type = "s"
    for cell in sheet["E"][1:]:
        cell.number_format = "DD.MM.YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(export: ResponsesExport, extension: str) -> str:
    """A plain ASCII file name such as "umfrage-12-antworten.csv"."""
    return f"umfrage-{export.survey_id}-antworten.{extension}"
