"""A centre's offering plan: its own staff edit it, nobody else; exports as CSV and PDF."""

from __future__ import annotations

import io

from participation.offerings.services import plans
from tests.factories import post_form, sign_in, text_of

OFFERING = {
    "title": "Elterncafé", "kind": "encounter", "topic": "Austausch", "target_group": "Eltern mit Kleinkindern",
    "languages": "Deutsch, Türkisch", "schedule": "dienstags 9–11 Uhr", "capacity": "20", "status": "running",
}


async def test_centre_staff_add_an_offering_and_see_it_in_their_plan(client, loop):
    await sign_in(client, "zentrum@example.org")
    response = await post_form(client, "/zentrum/angebote/neu", OFFERING)
    assert response.status_code == 303
    page = await client.get("/zentrum/angebote")
    assert page.status_code == 200
    assert "Elterncafé" in page.text and "Begegnung" in page.text and "läuft" in page.text
    (offering,) = await plans.list_offerings(loop.centre_a)
    assert offering.capacity == 20 and offering.languages == "Deutsch, Türkisch"


async def test_bad_offering_input_comes_back_with_messages(client, loop):
    await sign_in(client, "zentrum@example.org")
    response = await post_form(client, "/zentrum/angebote/neu", {**OFFERING, "title": "", "capacity": "-3",
                                                                  "kind": "party"})
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Bitte geben Sie einen Titel ein." in text
    assert "zwischen 1 und 10000" in text
    assert not await plans.list_offerings(loop.centre_a)


async def test_a_centre_cannot_see_or_edit_another_centres_offering(client, loop):
    other = await plans.create_offering(loop.centre_b, plans.OfferingInput(title="Krabbelgruppe", kind="care"))
    await sign_in(client, "zentrum@example.org")
    assert (await client.get(f"/zentrum/angebote/{other}")).status_code == 404
    response = await post_form(client, f"/zentrum/angebote/{other}", {**OFFERING, "title": "Gekapert"})
    assert response.status_code == 404
    assert (await plans.get_offering(loop.centre_b, other)).title == "Krabbelgruppe"
    assert "Krabbelgruppe" not in (await client.get("/zentrum/angebote")).text
    assert (await client.get("/zentrum/angebote/999999")).status_code == 404


async def test_staff_edit_their_offering(client, loop):
    offering_id = await plans.create_offering(loop.centre_a, plans.OfferingInput(title="Kurs", kind="education"))
    await sign_in(client, "zentrum@example.org")
    assert (await client.get(f"/zentrum/angebote/{offering_id}")).status_code == 200
    response = await post_form(client, f"/zentrum/angebote/{offering_id}", {**OFFERING, "status": "ended"})
    assert response.status_code == 303
    offering = await plans.get_offering(loop.centre_a, offering_id)
    assert offering.title == "Elterncafé" and offering.status.value == "ended"


async def test_the_office_reads_but_cannot_edit_a_centres_plan(client, loop):
    await plans.create_offering(loop.centre_a, plans.OfferingInput(title="Krabbelgruppe", kind="care"))
    await sign_in(client, "buero@example.org")
    page = await client.get(f"/verwaltung/zentren/{loop.centre_a}/angebote")
    assert page.status_code == 200 and "Krabbelgruppe" in page.text
    assert "/zentrum/angebote/neu" not in page.text
    assert (await post_form(client, "/zentrum/angebote/neu", OFFERING)).status_code == 403
    assert (await client.get("/verwaltung/zentren/999999/angebote")).status_code == 404


async def test_anonymous_visitors_are_sent_to_sign_in(client, loop):
    for url in ("/zentrum", "/zentrum/angebote", "/zentrum/massnahmen", "/verwaltung/massnahmen",
                "/verwaltung/trends"):
        response = await client.get(url)
        assert response.status_code == 303 and response.headers["location"].startswith("/anmelden"), url


async def test_plan_exports_as_csv_and_pdf(client, loop):
    from pypdf import PdfReader

    await plans.create_offering(loop.centre_a, plans.OfferingInput(
        title="=Elterncafé", kind="encounter", languages="Deutsch, Arabisch", capacity=12, status="running"))
    await plans.create_offering(loop.centre_b, plans.OfferingInput(title="Krabbelgruppe", kind="care"))
    await sign_in(client, "zentrum@example.org")
    csv_response = await client.get("/zentrum/angebote/plan.csv")
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Angebot;Art;Thema")
    assert "'=Elterncafé;Begegnung" in text  # a formula-like title is neutralised
    assert "Krabbelgruppe" not in text
    pdf_response = await client.get("/zentrum/angebote/plan.pdf")
    assert pdf_response.status_code == 200 and pdf_response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf_response.content))
    content = "".join(page.extract_text() for page in reader.pages)
    assert "Elterncafé" in content and "Angebotsplan" in content


async def test_the_office_exports_any_centres_plan_and_centres_cannot(client, loop):
    from pypdf import PdfReader

    await plans.create_offering(loop.centre_b, plans.OfferingInput(title="Krabbelgruppe", kind="care"))
    await sign_in(client, "buero@example.org")
    csv_response = await client.get(f"/verwaltung/zentren/{loop.centre_b}/angebote.csv")
    assert csv_response.status_code == 200 and "Krabbelgruppe" in csv_response.content.decode("utf-8-sig")
    pdf_response = await client.get(f"/verwaltung/zentren/{loop.centre_b}/angebote.pdf")
    assert pdf_response.status_code == 200
    assert "Krabbelgruppe" in PdfReader(io.BytesIO(pdf_response.content)).pages[0].extract_text()
    await client.get("/abmelden")
    await post_form(client, "/abmelden")
    await sign_in(client, "zentrum@example.org")
    assert (await client.get(f"/verwaltung/zentren/{loop.centre_b}/angebote.csv")).status_code == 403


async def test_a_centre_account_without_a_centre_exports_no_plan_of_another_centre(client, loop):
    from participation.accounts.tables import User

    await plans.create_offering(loop.centre_b, plans.OfferingInput(title="Krabbelgruppe", kind="care"))
    await sign_in(client, "zentrum@example.org")
    await User.update({User.centre: None}).where(User.id == loop.staff_a)  # e.g. repaired by hand in the database
    for path in ("/zentrum/angebote/plan.csv", "/zentrum/angebote/plan.pdf"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Krabbelgruppe" not in response.text
