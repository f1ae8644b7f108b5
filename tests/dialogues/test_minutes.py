"""Minutes: attendance by district, notes and decisions per item, action items; publishing frozen versions."""

from __future__ import annotations

from participation import jobs
from participation.dialogues.services import actions, agenda, attendance, pdfs, published, snapshots
from participation.dialogues.tables import MinutesVersion, RenderedPdf
from participation.documents.markdown import render_markdown
from tests.factories import post_form, text_of


async def _agenda(round_id: int, setting) -> list[int]:
    return [
        await agenda.add_topic_item(round_id, setting.topic_id),
        await agenda.add_free_item(round_id, "Verschiedenes"),
    ]


async def test_office_records_attendance_notes_decisions_and_action_items(client, office, setting):
    r = setting.round_id
    topic_item, _free_item = await _agenda(r, setting)
    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/teilnahme", {
        f"att-parents_{setting.district_a}": "14", f"att-staff_{setting.district_a}": "3",
        f"att-parents_{setting.district_b}": "9", f"att-staff_{setting.district_b}": "",
    })
    assert response.status_code == 303
    assert {(a.district_name, a.parents, a.staff) for a in await attendance.attendance(r)} == {
        ("Eglosheim", 14, 3), ("Oßweil", 9, 0)}

    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/punkte/{topic_item}", {
        f"item{topic_item}-notes": "Eltern wünschen **längere** Öffnungszeiten.\n\n- Früh\n- Spät",
        f"item{topic_item}-decisions": "Öffnungszeiten prüfen\n- Bedarf erheben\n",
    })
    assert response.status_code == 303
    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/massnahmen", {
        "action-title": "Ferienbetreuung ausbauen", "action-description": "Zwei Wochen mehr im Sommer",
        "action-centre": str(setting.centre_a), "action-due_date": "2027-09-30",
        "action-topic": str(setting.topic_id), "action-theme": "",
    })
    assert response.status_code == 303
    await post_form(client, f"/verwaltung/runden/{r}/protokoll/massnahmen", {
        "action-title": "Kitaplätze zählen", "action-centre": "", "action-topic": "",
        "action-theme": str(setting.theme_id),
    })

    snapshot = await snapshots.build_snapshot(r, threshold=5)
    assert snapshot["attendance"]["parents"] == 23 and snapshot["attendance"]["staff"] == 3
    assert snapshot["items"][0]["decisions"] == ["Öffnungszeiten prüfen", "Bedarf erheben"]
    responsible = [a["responsible"] for a in snapshot["actions"]]
    assert responsible == ["Stadtverwaltung", "Kinder- und Familienzentrum Eglosheim"]
    assert snapshot["actions"][1]["topic"] == "Betreuungsarrangements" and snapshot["actions"][0]["theme"]

    page = await client.get(f"/verwaltung/runden/{r}/protokoll")
    assert page.status_code == 200
    assert "<strong>längere</strong>" in page.text  # the preview of the Markdown notes
    text = text_of(page.text)
    assert "Ferienbetreuung ausbauen" in text and "30. September 2027" in text and "Stadtverwaltung" in text

    action = snapshot["actions"][1]["id"]
    edit = await client.get(f"/verwaltung/runden/{r}/protokoll/massnahmen/{action}")
    assert edit.status_code == 200 and "Ferienbetreuung ausbauen" in edit.text
    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/massnahmen/{action}", {
        "action-title": "Ferienbetreuung deutlich ausbauen", "action-centre": str(setting.centre_b),
        "action-topic": "", "action-theme": "",
    })
    assert response.status_code == 303
    changed = await actions.get_action(r, action)
    assert changed.title == "Ferienbetreuung deutlich ausbauen" and changed.centre_id == setting.centre_b
    removed = await post_form(client, f"/verwaltung/runden/{r}/protokoll/massnahmen/{action}/loeschen")
    assert removed.status_code == 303
    assert await actions.get_action(r, action) is None


async def test_bad_minutes_input_is_refused_with_field_messages(client, office, setting):
    r = setting.round_id
    item, _free = await _agenda(r, setting)
    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/teilnahme", {
        f"att-parents_{setting.district_a}": "-4", f"att-staff_{setting.district_a}": "viele",
    })
    assert response.status_code == 400
    assert f'id="att-parents_{setting.district_a}-error"' in response.text
    assert f'id="att-staff_{setting.district_a}-error"' in response.text

    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/massnahmen", {
        "action-title": "", "action-centre": "999999", "action-due_date": "morgen",
    })
    assert response.status_code == 400
    for name in ("title", "centre", "due_date"):
        assert f'id="action-{name}-error"' in response.text

    huge = "Sehr lange Notiz. " * 2000
    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/punkte/{item}", {f"item{item}-notes": huge})
    assert response.status_code == 400 and "Die Notizen sind zu lang" in response.text

    wide = "|" + "|".join(f"S{i}" for i in range(40)) + "|\n|" + "|".join("---" for _ in range(40)) + "|\n"
    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/punkte/{item}", {f"item{item}-notes": wide})
    assert response.status_code == 400 and "zu viele Spalten" in response.text
    assert (await agenda.get_agenda_item(r, item)).notes == ""

    assert (await client.get(f"/verwaltung/runden/{r}/protokoll/massnahmen/999999")).status_code == 404
    assert (await post_form(client, f"/verwaltung/runden/{r}/protokoll/punkte/999999")).status_code == 404
    assert (await client.get("/verwaltung/runden/999999/protokoll")).status_code == 404


async def test_markdown_notes_are_sanitised():
    html = str(render_markdown(
        '<script>alert(1)</script> **fett** <img src="http://tracker.example/x.png"> '
        '![Bild](http://tracker.example/y.png) [Link](javascript:alert(1)) [Stadt](https://www.ludwigsburg.de)\n\n'
        "# Überschrift"
    ))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "<strong>fett</strong>" in html
    assert 'href="javascript' not in html and 'href="https://www.ludwigsburg.de"' in html
    assert "<h4>Überschrift</h4>" in html


async def test_publishing_freezes_a_hashed_version_and_unchanged_content_keeps_it(client, office, setting):
    r = setting.round_id
    item, _free = await _agenda(r, setting)
    await agenda.save_item_minutes(r, item, "Notiz", "Beschluss eins")

    response = await post_form(client, f"/verwaltung/runden/{r}/protokoll/veroeffentlichen")
    assert response.status_code == 303
    versions = await published.list_versions(r)
    assert len(versions) == 1 and versions[0].number == 1 and not versions[0].public
    frozen = await published.version_snapshot(versions[0].id)
    assert versions[0].content_hash == snapshots.content_hash(frozen) and len(versions[0].content_hash) == 64
    assert frozen["items"][0]["decisions"] == ["Beschluss eins"]

    # Unchanged content: the same version, only the "public" choice changes.
    await post_form(client, f"/verwaltung/runden/{r}/protokoll/veroeffentlichen", {"publish-public": "y"})
    versions = await published.list_versions(r)
    assert len(versions) == 1 and versions[0].public

    # A change after publishing: the frozen version stays as it was, publishing again makes version 2.
    await agenda.save_item_minutes(r, item, "Notiz, ergänzt", "Beschluss eins")
    page = text_of((await client.get(f"/verwaltung/runden/{r}/protokoll")).text)
    assert "seit der letzten Veröffentlichung geändert" in page
    assert (await published.version_snapshot(versions[0].id))["items"][0]["notes"] == "Notiz"
    await post_form(client, f"/verwaltung/runden/{r}/protokoll/veroeffentlichen")
    versions = await published.list_versions(r)
    assert [v.number for v in versions] == [2, 1] and versions[0].content_hash != versions[1].content_hash
    assert await MinutesVersion.count() == 2


async def test_minutes_without_items_cannot_be_published(client, office, setting):
    response = await post_form(client, f"/verwaltung/runden/{setting.round_id}/protokoll/veroeffentlichen")
    assert response.status_code == 400 and "noch keine Tagesordnungspunkte" in response.text


async def test_rendering_is_a_job_that_runs_once_per_content_hash(client, office, setting):
    r = setting.round_id
    item, _free = await _agenda(r, setting)
    await agenda.save_item_minutes(r, item, "Notiz", "Beschluss")
    await post_form(client, f"/verwaltung/runden/{r}/protokoll/veroeffentlichen")
    version = (await published.list_versions(r))[0]
    url = f"/verwaltung/runden/{r}/protokoll/versionen/{version.id}/pdf"

    pending = await client.get(url)
    assert pending.status_code == 202 and 'data-job-id="' in pending.text
    await client.get(url)  # asking again queues nothing new
    await post_form(client, f"/verwaltung/runden/{r}/protokoll/veroeffentlichen")  # unchanged: nothing new either
    assert await jobs.Job.count().where(jobs.Job.kind == pdfs.RENDER_MINUTES_JOB) == 1
    assert len(await jobs.run_until_idle()) == 1

    done = await client.get(url)
    assert done.status_code == 200 and done.headers["content-type"] == "application/pdf"
    assert done.content.startswith(b"%PDF")
    assert await RenderedPdf.count() == 1

    # Another version with the same content as a stored PDF (change, then change back) reuses that PDF.
    await agenda.save_item_minutes(r, item, "Notiz 2", "Beschluss")
    await post_form(client, f"/verwaltung/runden/{r}/protokoll/veroeffentlichen")
    await agenda.save_item_minutes(r, item, "Notiz", "Beschluss")
    await post_form(client, f"/verwaltung/runden/{r}/protokoll/veroeffentlichen")
    versions = await published.list_versions(r)
    assert [v.number for v in versions] == [3, 2, 1] and versions[0].content_hash == versions[2].content_hash
    await jobs.run_until_idle()
    assert await RenderedPdf.count() == 2
    assert await jobs.Job.count().where(jobs.Job.kind == pdfs.RENDER_MINUTES_JOB) == 2
