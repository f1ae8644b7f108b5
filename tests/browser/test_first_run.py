"""A new installation in the browser: the first-run page and the settings page pass axe, with and without errors,
and the city's logo and colour show in the header."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.browser.conftest import axe_violations, serving_by_uvicorn, sign_in
from tests.conftest import empty_database
from tests.site.test_settings import png

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
async def fresh_server(engine) -> AsyncIterator[str]:
    """The platform on an empty database (no settings, no account), served by uvicorn on a free port."""
    await empty_database(engine)
    async with serving_by_uvicorn(DB_POOL_MAX="2", RUN_JOBS_IN_APP="0") as base_url:
        yield base_url


async def test_first_run_and_settings_pages_pass_axe_and_set_up_the_city(fresh_server, browser, tmp_path):
    logo = tmp_path / "wappen.png"
    logo.write_bytes(png(80, 40))
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await page.goto(fresh_server + "/")
    assert page.url.endswith("/einrichtung")
    violations = await axe_violations(page)

    # Sent empty: every field says what is missing, the summary links to it.
    await page.get_by_role("button", name="Einrichten").click()
    await page.wait_for_load_state()
    assert await page.locator(".error-summary li").count() >= 6
    violations += await axe_violations(page)

    await page.get_by_label("Name der Stadt oder Gemeinde").fill("Musterstadt")
    await page.get_by_label("Wer leitet den Dialog?").fill("Oberbürgermeisterin")
    await page.get_by_label("Anschrift (Kontakt)").fill("Rathausplatz 1\n12345 Musterstadt")
    await page.get_by_label("E-Mail-Adresse (Kontakt)").fill("familie@musterstadt.example")
    await page.get_by_label("Hauptfarbe").fill("#6a1b4d")
    await page.get_by_label("Logo (PNG oder SVG").set_input_files(str(logo))
    await page.get_by_label("Ihr Name").fill("Frau Amt")
    await page.get_by_label("Ihre E-Mail-Adresse").fill("amt@musterstadt.example")
    await page.get_by_label("Passwort (mindestens 10 Zeichen)").fill("ein-gutes-passwort")
    await page.get_by_label("Passwort wiederholen").fill("ein-gutes-passwort")
    await page.get_by_role("button", name="Einrichten").click()
    await page.wait_for_load_state()
    assert page.url.endswith("/anmelden")

    await sign_in(page, fresh_server, "amt@musterstadt.example", "ein-gutes-passwort")
    await page.goto(fresh_server + "/verwaltung/einstellungen")
    assert await page.locator(".site-name").inner_text() == "Familiendialog Musterstadt"
    assert await page.locator(".site-logo").evaluate("img => img.naturalWidth") == 80
    header_colour = await page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(106, 27, 77)"
    violations += await axe_violations(page)

    # A colour white text cannot be read on is refused at the field.
    await page.get_by_label("Hauptfarbe").fill("#ffcc00")
    await page.get_by_role("button", name="Speichern").click()
    await page.wait_for_load_state()
    assert "Kontrast" in await page.locator("#primary_colour-error").inner_text()
    violations += await axe_violations(page)
    await context.close()
    assert not violations, "\n".join(violations)
