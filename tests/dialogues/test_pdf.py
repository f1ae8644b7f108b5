"""The minutes PDF and the centre summary: they open, have a sensible length, carry the decisions and action items,
show free text as text, never fetch a URL, and fail cleanly when the content is too large."""

from __future__ import annotations

import io
import socket
import urllib.request

import pytest
from pypdf import PdfReader
from weasyprint.urls import URLFetcher

from participation import jobs
from participation.dialogues.services import actions, agenda, attendance, notes, pdfs, published, publishing, snapshots
from participation.dialogues.tables import RenderedPdf
from participation.documents import pdf as documents_pdf
from tests.dialogues.helpers import page_count, pdf_text
from tests.factories import post_form, sign_in, text_of

SCRIPT_NOTES = (
    'Eltern berichten: <script>alert("x")</script> und <b>fett</b> im Text.\n\n'
    '<img src="http://tracker.example/pixel.png" alt="Pixel">\n\n'
    "![Bild](https://tracker.example/bild.png)\n\n"
    "| Stadtteil | Wunsch |\n|---|---|\n| Eglosheim | Ferienbetreuung |\n"
)


async def _minutes_with_content(setting) -> dict:
    r = setting.round_id
    topic_item = await agenda.add_topic_item(r, setting.topic_id)
    theme_item = await agenda.add_theme_item(r, setting.theme_id)
    await agenda.save_item_minutes(r, topic_item, SCRIPT_NOTES, "Kita-Öffnungszeiten verlängern\nBedarf erheben")
    await agenda.save_item_minutes(r, theme_item, "Kurz besprochen.", "Spielplatz sanieren")
    await attendance.save_attendance(r, {setting.district_a: (14, 3), setting.district_b: (9, 2)})
    await actions.add_action(r, actions.ActionInput(title="Sommerferien abdecken", centre_id=setting.centre_a))
    await actions.add_action(r, actions.ActionInput(title="Elterncafé starten", centre_id=setting.centre_b))
    await actions.add_action(r, actions.ActionInput(title="Kitaplätze zählen", topic_id=setting.topic_id))
    return await snapshots.build_snapshot(r, threshold=5)


@pytest.fixture
def arm_tripwire(monkeypatch: pytest.MonkeyPatch):
    """A function that, once called, records (and fails) every attempt to open a connection or fetch a non-data
    URL. Armed after the database work, because PostgreSQL connections are sockets too."""
    calls: list[tuple[str, str]] = []

    def arm() -> list[tuple[str, str]]:
        def tripwire(name: str):
            def refuse(*args: object, **kwargs: object) -> None:
                calls.append((name, repr(args[1:2])))
                raise OSError(f"network access in a test: {name}")

            return refuse

        for target, name in ((socket, "create_connection"), (socket, "getaddrinfo"), (socket.socket, "connect"),
                             (urllib.request, "urlopen"), (urllib.request.HTTPHandler, "http_open"),
                             (urllib.request.HTTPSHandler, "https_open")):
            monkeypatch.setattr(target, name, tripwire(name))
        original_fetch = URLFetcher.fetch

        def fetch(self: URLFetcher, url: str, headers: object = None) -> object:
            if not url.startswith("data:"):
                calls.append(("URLFetcher.fetch", url))
            return original_fetch(self, url, headers)

        monkeypatch.setattr(URLFetcher, "fetch", fetch)
        return calls

    return arm


async def test_the_minutes_pdf_opens_and_carries_decisions_and_action_items_grouped_by_centre(setting):
    snapshot = await _minutes_with_content(setting)
    pdf = pdfs.minutes_pdf(snapshot)
    reader = PdfReader(io.BytesIO(pdf))
    assert 3 <= len(reader.pages) <= 12
    assert reader.metadata.title == "Protokoll des Familiendialogs Frühjahr 2027"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged (PDF/UA)
    fonts = [f for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()]
    assert fonts and all("/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                         or "/FontFile3" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                         for f in fonts)  # every font embedded

    text = pdf_text(pdf)
    assert "STADT LUDWIGSBURG" in text and "Inhalt" in text and "Seite 1 von" not in text  # the cover has no footer
    for expected in ("Kita-Öffnungszeiten verlängern", "Bedarf erheben", "Spielplatz sanieren",
                     "Sommerferien abdecken", "Elterncafé starten", "Kitaplätze zählen", "Seite 2 von"):
        assert expected in text, expected
    # Grouped by who is responsible: the city office first, then the centres by name.
    positions = [text.rindex(name) for name in (
        "Stadtverwaltung", "Kinder- und Familienzentrum Eglosheim", "Kinder- und Familienzentrum Oßweil")]
    assert positions == sorted(positions)
    assert text.rindex("Kitaplätze zählen") < text.rindex("Sommerferien abdecken") < text.rindex("Elterncafé starten")
    # Markup and script in notes are text, not markup.
    assert '<script>alert("x")</script>' in text and "<b>fett</b>" in text


async def test_no_url_is_fetched_while_rendering_even_with_external_images_in_notes(setting, arm_tripwire):
    # The database work is done first; the tripwire then watches the (pure) rendering.
    snapshot = await _minutes_with_content(setting)
    network_calls = arm_tripwire()
    snapshot["items"][1]["notes"] = '<img src="https://evil.example/a.png"> ![x](http://evil.example/b.png)'
    pdf = pdfs.minutes_pdf(snapshot)
    assert pdf.startswith(b"%PDF")
    assert network_calls == []
    assert "evil.example/a.png" in pdf_text(pdf)  # the raw <img> shows as text


def test_the_restricted_fetcher_refuses_an_outside_address(arm_tripwire):
    """Even an <img> that reached the HTML (not possible through the notes) is refused by the url_fetcher."""
    from participation.documents.pdf import render_pdf

    network_calls = arm_tripwire()
    pdf = render_pdf('<html lang="de"><body><p>Bild:</p><img src="http://tracker.example/x.png" alt="x"></body></html>',
                     title="Test", static_root=pdfs.STATIC_ROOT)
    assert pdf.startswith(b"%PDF")
    assert all(call[0] == "URLFetcher.fetch" for call in network_calls)  # never a socket


async def test_a_document_too_large_fails_its_job_with_a_message_and_is_not_retried(client, office, setting,
                                                                                      monkeypatch):
    await _minutes_with_content(setting)
    monkeypatch.setattr(documents_pdf, "MAX_PAGES", 2)
    await post_form(client, f"/verwaltung/runden/{setting.round_id}/protokoll/veroeffentlichen")
    version = (await published.list_versions(setting.round_id))[0]
    await jobs.run_until_idle()
    job = await jobs.Job.select().where(jobs.Job.kind == pdfs.RENDER_MINUTES_JOB).first()
    assert job["status"] == "failed" and "mehr als 2 Seiten" in job["error"]

    response = await client.get(f"/verwaltung/runden/{setting.round_id}/protokoll/versionen/{version.id}/pdf")
    assert response.status_code == 400
    assert "Das PDF kann nicht erstellt werden" in response.text and "mehr als 2 Seiten" in response.text
    assert await jobs.Job.count().where(jobs.Job.kind == pdfs.RENDER_MINUTES_JOB) == 1  # not queued again
    page = text_of((await client.get(f"/verwaltung/runden/{setting.round_id}/protokoll")).text)
    assert "mehr als 2 Seiten" in page


async def test_an_abusive_width_table_is_refused_and_the_widest_allowed_one_stays_on_the_page(setting):
    columns = 10
    abusive = "|" + "|".join("X" * 300 for _ in range(columns)) + "|\n|" + "|".join("---" for _ in range(columns))
    assert "zu lang" in notes.notes_problem(abusive + "|\n")  # would take WeasyPrint minutes: refused up front
    snapshot = await _minutes_with_content(setting)
    wide = "|" + "|".join("Ü" * 120 for _ in range(columns)) + "|\n|" + "|".join("---" for _ in range(columns)) + "|\n"
    wide += ("|" + "|".join("Wort" * 30 for _ in range(columns)) + "|\n") * 3
    assert notes.notes_problem(wide) is None  # the widest the form allows
    snapshot["items"][0]["notes"] = wide
    pdf = pdfs.minutes_pdf(snapshot)
    assert 3 <= page_count(pdf) <= 20


async def test_centre_staff_see_all_published_minutes_and_the_public_only_public_ones(client, make, setting):
    r = setting.round_id
    await _minutes_with_content(setting)
    internal = await publishing.publish_minutes(r, public=False, threshold=5)
    await agenda.save_item_minutes(r, (await agenda.list_agenda(r))[1].id, "Ergänzt.", "Spielplatz sanieren")
    public = await publishing.publish_minutes(r, public=True, threshold=5)
    await jobs.run_until_idle()

    listing = await client.get("/protokolle")
    assert listing.status_code == 200
    assert f"/protokolle/{public.version_id}/pdf" in listing.text
    assert f"/protokolle/{internal.version_id}/pdf" not in listing.text
    assert (await client.get(f"/protokolle/{internal.version_id}/pdf")).status_code == 404
    document = await client.get(f"/protokolle/{public.version_id}/pdf")
    assert document.status_code == 200 and "Spielplatz sanieren" in pdf_text(document.content)

    await make.centre_user(centre=setting.centre_a)
    await sign_in(client, "zentrum@example.org")
    listing = await client.get("/zentrum/protokolle")
    assert listing.status_code == 200
    assert f"/zentrum/protokolle/{internal.version_id}/pdf" in listing.text
    assert f"/zentrum/protokolle/{public.version_id}/pdf" in listing.text
    document = await client.get(f"/zentrum/protokolle/{internal.version_id}/pdf")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert (await client.get("/zentrum/protokolle/999999/pdf")).status_code == 404


async def test_a_centre_summary_shows_its_district_and_its_own_action_items(client, make, setting):
    await _minutes_with_content(setting)
    await publishing.publish_minutes(setting.round_id, public=False, threshold=5)
    await make.centre_user(centre=setting.centre_a)
    await sign_in(client, "zentrum@example.org")

    pending = await client.get("/zentrum/zusammenfassung.pdf")
    assert pending.status_code == 202 and "Das PDF wird erstellt" in pending.text
    await client.get("/zentrum/zusammenfassung.pdf")
    await jobs.run_until_idle()
    assert await jobs.Job.count().where(jobs.Job.kind == pdfs.RENDER_SUMMARY_JOB) == 1

    document = await client.get("/zentrum/zusammenfassung.pdf")
    assert document.status_code == 200 and document.headers["content-type"] == "application/pdf"
    text = pdf_text(document.content)
    assert "Kinder- und Familienzentrum Eglosheim" in text and "Stadtteil Eglosheim" in text
    assert "Sommerferien abdecken" in text
    assert "Elterncafé starten" not in text and "Kitaplätze zählen" not in text  # other centres', the city's
    assert "Wie wird Ihr Kind betreut?" in text
    assert await RenderedPdf.count().where(RenderedPdf.kind == "centre_summary") == 1


async def test_the_office_reads_any_centres_summary(client, office, setting):
    await _minutes_with_content(setting)
    url = f"/verwaltung/zentren/{setting.centre_b}/zusammenfassung.pdf?runde={setting.round_id}"
    assert (await client.get(url)).status_code == 202
    await jobs.run_until_idle()
    document = await client.get(url)
    assert document.status_code == 200
    text = pdf_text(document.content)
    assert "Oßweil" in text and "noch nicht veröffentlicht" in text
    assert (await client.get("/verwaltung/zentren/999999/zusammenfassung.pdf")).status_code == 404
    bad = await client.get(f"/verwaltung/zentren/{setting.centre_b}/zusammenfassung.pdf?runde=abc")
    assert bad.status_code == 400


async def test_the_pdfs_carry_the_citys_name_logo_and_colour_embedded(setting, arm_tripwire):
    from participation.site.services import SiteSettingsInput, save_site_settings
    from tests.site.test_settings import png

    await save_site_settings(SiteSettingsInput(
        city_name="Musterstadt", leader_title="Oberbürgermeisterin", dialogue_name="Familiendialog",
        primary_colour="#6a1b4d", contact_address="Rathausplatz 1", contact_email="amt@musterstadt.example",
        logo=png(120, 40),
    ))
    minutes = await _minutes_with_content(setting)
    summary = await snapshots.centre_summary_snapshot(setting.centre_a, threshold=5, round_id=setting.round_id)
    network_calls = arm_tripwire()
    for pdf in (pdfs.minutes_pdf(minutes), pdfs.centre_summary_pdf(summary)):
        text = pdf_text(pdf)
        assert "Musterstadt" in text.title() and "Ludwigsburg" not in text
        first_page = PdfReader(io.BytesIO(pdf)).pages[0]
        assert [(image.image.width, image.image.height) for image in first_page.images] == [(120, 40)]
    assert network_calls == []  # the logo is embedded as data, never fetched
    assert "h1, h2 { color: #6a1b4d; }" in pdfs.minutes_html(minutes)  # headings in the city's colour


def _page_ends(pdf: bytes) -> list[str]:
    """The last line of the text on each page; the page's margin boxes (running title, page number), which the
    PDF draws after the text, left out."""
    reader = PdfReader(io.BytesIO(pdf))
    running_title = reader.metadata.title
    ends = []
    for page in reader.pages:
        lines = [line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
        lines = [line for line in lines if not line.startswith("Seite ") and line != running_title]
        ends.append(lines[-1] if lines else "")
    return ends


async def test_no_heading_ends_a_page_however_long_the_notes_before_it(setting):
    snapshot = await _minutes_with_content(setting)
    headings = {"Zahlen aus der Umfrage", "Themen aus den Freitexten", "Notizen", "Beschlüsse", "Maßnahmen",
                "Stadtverwaltung", "Kinder- und Familienzentrum Eglosheim", "Kinder- und Familienzentrum Oßweil"}
    headings |= {f"{item['number']}. {item['title']}" for item in snapshot["items"]}
    headings |= {f"Maßnahmen: {name}" for name in headings}  # a table's caption without its rows is no better
    # Longer and longer notes push every later heading of the items across the foot of a page in turn ...
    for lines in range(0, 48, 8):
        snapshot["items"][0]["notes"] = "\n\n".join(f"Absatz {i}: Eltern berichten von langen Wegen." for i in
                                                     range(lines))
        ends = _page_ends(pdfs.minutes_pdf(snapshot))
        assert not headings & set(ends), (lines, ends)
    # ... and a longer and longer list of the city's action items does the same to each centre's heading.
    city = next(a for a in snapshot["actions"] if a["centre_id"] is None)
    others = [a for a in snapshot["actions"] if a is not city]
    for count in range(14, 30, 3):
        snapshot["actions"] = [{**city, "title": f"Maßnahme {i}", "description": "Mit Beschreibung."}
                               for i in range(count)] + others
        ends = _page_ends(pdfs.minutes_pdf(snapshot))
        assert not headings & set(ends), (count, ends)


async def test_the_minutes_use_the_web_pages_bundled_noto_sans_and_each_chart_title_once(setting):
    from participation.settings import PACKAGE_ROOT

    snapshot = await _minutes_with_content(setting)
    pdf = pdfs.minutes_pdf(snapshot)
    reader = PdfReader(io.BytesIO(pdf))
    names = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert names and all("Noto-Sans" in name for name in names), names
    site_css = (PACKAGE_ROOT / "static" / "site.css").read_text()
    assert 'src: url("fonts/NotoSans-Regular.ttf")' in site_css  # the same file as the PDF's
    assert (PACKAGE_ROOT / "static" / "fonts" / "NotoSans-Regular.ttf").is_file()
    text = pdf_text(pdf)
    charted = [f for item in snapshot["items"] for f in item["figures"] if f.get("options")]
    assert charted
    for figure in charted:  # in the caption, not again as the chart's drawn title
        assert text.count(figure["text"]) == 1, figure["text"]
