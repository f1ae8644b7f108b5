"""CSV and XLSX exports: the results pages' tables, readable labels, no single response, nothing finer than a page."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from participation.surveys.tables import Response
from tests.factories import sign_in

HEADER = ["Frage", "Fragetext", "Gruppe", "Angabe", "Anzahl", "Anteil (%)", "Wert", "Eingangsweg"]


async def populate(make, *, close: bool = True):
    survey = await make.survey()
    nord, west, sued = await make.district("Nord"), await make.district("West"), await make.district("Süd")
    centre = await make.centre("Zentrum Nord", district=nord)
    for i in range(6):
        await make.response(survey, nord, {
            "betreuung": "kita", "zufriedenheit": "4", "wuensche": ["sprachkurs", "other"],
            "q_wuensche_other": "Spielplatz", "berufstaetig": "yes", "stunden": "12,5", "anregung": f"Text {i}",
        }, centre=centre)
    for district, n in ((west, 3), (sued, 2)):
        for _ in range(n):
            await make.response(survey, district, {"betreuung": "zuhause", "zufriedenheit": "2"})
    if close:
        await make.close(survey)
    await make.office_user()
    return survey


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


async def test_csv_holds_the_tables_of_the_results_page_with_small_districts_combined(client, make):
    survey = await populate(make)
    await sign_in(client, "buero@example.org")
    response = await client.get(f"/verwaltung/umfragen/{survey}/export.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="umfrage-{survey}-ergebnisse.csv"'
    assert response.headers["content-type"] == "text/csv; charset=utf-8"  # one charset, not two
    rows = read_csv(response.content)
    assert rows[0] == HEADER
    assert ["", "", "Nord", "Antworten", "6", "", "", "alle"] in rows
    assert ["", "", "West", "Antworten", "", "", "", "alle"] in rows  # fewer than 5: no number
    betreuung = [r for r in rows if r[0] == "betreuung"]
    assert ["betreuung", "Wie wird Ihr Kind betreut?", "Alle ausgewiesenen Stadtteile", "Kita", "6", "54,5", "",
            "alle"] in betreuung
    # West (3) and Süd (2) appear only together, as on the results page.
    assert ["betreuung", "Wie wird Ihr Kind betreut?", "weitere Stadtteile: Süd, West", "Zu Hause", "5", "100,0", "",
            "alle"] in betreuung
    assert not any(r[2] in ("West", "Süd") for r in betreuung)
    assert ["zufriedenheit", "Wie zufrieden sind Sie mit der Betreuung?", "Nord", "Mittelwert", "", "", "4,0",
            "alle"] in rows


async def test_exports_never_contain_single_responses_texts_or_codes(client, make):
    survey = await populate(make)
    await sign_in(client, "buero@example.org")
    content = (await client.get(f"/verwaltung/umfragen/{survey}/export.csv")).content.decode("utf-8-sig")
    for row in await Response.select(Response.submission_id):
        assert row["submission_id"] not in content
    assert "Text 1" not in content and "Spielplatz" not in content
    assert "kita" not in content and "sprachkurs" not in content and ";yes;" not in content


async def test_an_open_survey_cannot_be_exported(client, make):
    survey = await populate(make, close=False)
    await sign_in(client, "buero@example.org")
    response = await client.get(f"/verwaltung/umfragen/{survey}/export.csv")
    assert response.status_code == 409 and "wenn sie geschlossen ist" in response.text


async def test_xlsx_has_a_bold_frozen_header_and_the_same_rows(client, make):
    survey = await populate(make)
    await sign_in(client, "buero@example.org")
    response = await client.get(f"/verwaltung/umfragen/{survey}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('ergebnisse.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
    csv_rows = read_csv((await client.get(f"/verwaltung/umfragen/{survey}/export.csv")).content)
    assert len(rows) == len(csv_rows)
    hours = next(r for r in rows if r[0] == "stunden" and r[3] == "Mittelwert")
    assert hours[2] == "Alle ausgewiesenen Stadtteile" and hours[6] == 12.5


async def test_a_label_that_looks_like_a_formula_stays_text(client, make):
    survey = await make.survey([{"kind": "single", "key": "wahl", "text": "=Frage", "required": True,
                                 "options": [("a", "=HYPERLINK(1)"), ("b", "B")]}])
    nord = await make.district("Nord")
    for _ in range(5):
        await make.response(survey, nord, {"wahl": "a"})
    await make.close(survey)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    sheet = load_workbook(io.BytesIO((await client.get(f"/verwaltung/umfragen/{survey}/export.xlsx")).content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=HYPERLINK(1)"]
    assert cells and all(cell.data_type == "s" for cell in cells)
    rows = read_csv((await client.get(f"/verwaltung/umfragen/{survey}/export.csv")).content)
    assert any(r[3] == "'=HYPERLINK(1)" for r in rows) and any(r[1] == "'=Frage" for r in rows)
