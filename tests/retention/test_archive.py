"""The archive export of a round: a ZIP with minutes, protected results, themes, action items and the survey."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from participation.dialogues.tables import Topic
from tests.dialogues.route_access_session import sample_ids
from tests.factories import sign_in

QUESTIONS = [
    {"key": "betreuung", "kind": "single", "text": "Wie wird Ihr Kind betreut?", "required": True,
     "options": [("kita", "Kita"), ("zuhause", "Zu Hause")]},
    {"key": "anregung", "kind": "long_text", "text": "Was möchten Sie sagen?"},
]


async def test_office_downloads_a_round_archive_with_every_part_and_no_small_group(client, make):
    big = await make.district("Weststadt")
    small = await make.district("Kleinweiler")
    centre = await make.centre(district=big)
    round_id = await make.round()
    survey = await make.survey(QUESTIONS, round_id=round_id)
    for n in range(6):
        await make.response(survey, big, {"betreuung": "kita", "anregung": f"Mehr Kitaplätze {n}"})
    for _n in range(2):
        await make.response(survey, small, {"betreuung": "zuhause"})
    await make.close(survey)
    topic = await Topic.select(Topic.id).where(Topic.round == round_id).first()
    await sample_ids(round_id, centre, topic["id"])
    await make.office_user()
    await sign_in(client, "buero@example.org")

    download = await client.get(f"/verwaltung/runden/{round_id}/archiv.zip")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = set(archive.namelist())
    assert {"inhalt.json", "protokolle/protokoll-fassung-1.pdf", "ergebnisse/ergebnisse.csv",
            "ergebnisse/ergebnisse.xlsx", "themen.json", "massnahmen.json", "umfrage.json"} <= names
    assert archive.read("protokolle/protokoll-fassung-1.pdf").startswith(b"%PDF")
    results = archive.read("ergebnisse/ergebnisse.csv").decode("utf-8-sig")
    assert "Wie wird Ihr Kind betreut?" in results and "Weststadt" in results
    rows = list(csv.reader(io.StringIO(results), delimiter=";"))
    small_rows = [row for row in rows if row[2] == "Kleinweiler"]
    assert small_rows and all(row[4:7] == ["", "", ""] for row in small_rows)  # 2 responses: never a figure
    actions = json.loads(archive.read("massnahmen.json"))
    assert [a["title"] for a in actions] == ["Maßnahme"] and "history" in actions[0]
    definition = json.loads(archive.read("umfrage.json"))
    assert "anregung" in json.dumps(definition)
    manifest = json.loads(archive.read("inhalt.json"))
    assert manifest["fehlt"] == [] and manifest["datenschutzschwelle"] == 5


async def test_an_open_round_is_archived_without_results_and_says_why(client, make):
    round_id = await make.round()
    await make.survey(QUESTIONS, round_id=round_id)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    archive = zipfile.ZipFile(io.BytesIO((await client.get(f"/verwaltung/runden/{round_id}/archiv.zip")).content))
    assert "ergebnisse/ergebnisse.csv" not in archive.namelist()
    missing = " ".join(json.loads(archive.read("inhalt.json"))["fehlt"])
    assert "Die Umfrage läuft noch" in missing and "noch keine veröffentlichte Fassung" in missing


async def test_centre_staff_cannot_download_a_round_archive(client, make):
    round_id = await make.round()
    await make.centre_user()
    await sign_in(client, "zentrum@example.org")
    assert (await client.get(f"/verwaltung/runden/{round_id}/archiv.zip")).status_code == 403
    assert (await client.get("/verwaltung/runden/999999/archiv.zip")).status_code in (403, 404)
