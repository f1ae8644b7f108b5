"""CSV and XLSX exports: one row per response, readable labels, privacy rules, nothing that identifies a response."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from participation.surveys.tables import Answer, Response
from tests.factories import post_form, sign_in

HEADER = ["Nr.", "Stadtteil", "Zentrum", "Sprache", "Datum", "betreuung", "wuensche", "zufriedenheit",
          "berufstaetig", "stunden", "anregung"]


async def populate(make):
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
    await make.office_user()
    return survey


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


async def test_csv_has_one_row_per_response_with_labels_and_suppressed_small_districts(client, make):
    survey = await populate(make)
    await sign_in(client, "buero@example.org")
    response = await client.get(f"/verwaltung/umfragen/{survey}/export.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="umfrage-{survey}-antworten.csv"'
    rows = read_csv(response.content)
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 12)]
    nord = [r for r in rows[1:] if r[1] == "Nord"]
    assert len(nord) == 6
    assert nord[0][2] == "Zentrum Nord" and nord[0][5] == "Kita" and nord[0][6] == "Sprachkurs; Sonstiges: Spielplatz"
    assert nord[0][7] == "4" and nord[0][8] == "Ja" and nord[0][9] == "12,5"
    small = [r for r in rows[1:] if r[1] != "Nord"]
    # West (3) and Süd (2) hide each other: their rows cannot be told apart or counted separately.
    assert len(small) == 5 and all(r[1] == "unterdrückt" and r[2] == "" for r in small)
    assert "West" not in response.content.decode("utf-8-sig")


async def test_exports_never_contain_submission_ids_or_codes(client, make):
    survey = await populate(make)
    await sign_in(client, "buero@example.org")
    content = (await client.get(f"/verwaltung/umfragen/{survey}/export.csv")).content.decode("utf-8-sig")
    for row in await Response.select(Response.submission_id):
        assert row["submission_id"] not in content
    assert "kita" not in content and "sprachkurs" not in content and ";yes;" not in content


async def test_hidden_text_is_replaced_in_the_export(client, make):
    survey = await populate(make)
    await sign_in(client, "buero@example.org")
    target = (await Answer.select(Answer.id).where(Answer.text == "Text 3").first())["id"]
    other = (await Answer.select(Answer.id).where(Answer.text == "Spielplatz").first())["id"]
    await post_form(client, f"/verwaltung/umfragen/{survey}/freitext/{target}/ausblenden")
    await post_form(client, f"/verwaltung/umfragen/{survey}/freitext/{other}/ausblenden")
    content = (await client.get(f"/verwaltung/umfragen/{survey}/export.csv")).content.decode("utf-8-sig")
    assert "Text 3" not in content and "[ausgeblendet]" in content
    assert "Sprachkurs; Sonstiges: [ausgeblendet]" in content


async def test_xlsx_has_a_bold_frozen_header_and_the_same_rows(client, make):
    survey = await populate(make)
    await sign_in(client, "buero@example.org")
    response = await client.get(f"/verwaltung/umfragen/{survey}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith('antworten.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
    assert len(rows) == 12
    assert sum(1 for r in rows[1:] if r[1] == "unterdrückt") == 5
    nord = next(r for r in rows[1:] if r[1] == "Nord")
    assert nord[7] == 4 and nord[9] == 12.5


async def test_text_that_looks_like_a_formula_stays_text(client, make):
    survey = await make.survey()
    nord = await make.district("Nord")
    for _ in range(5):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4", "anregung": "=HYPERLINK(1)"})
    await make.office_user()
    await sign_in(client, "buero@example.org")
    sheet = load_workbook(io.BytesIO((await client.get(f"/verwaltung/umfragen/{survey}/export.xlsx")).content)).active
    assert sheet["K2"].data_type == "s"
    rows = read_csv((await client.get(f"/verwaltung/umfragen/{survey}/export.csv")).content)
    assert rows[1][10] == "'=HYPERLINK(1)"
