"""Site settings: the first run of a new installation, the office's settings page, and what they refuse."""

from __future__ import annotations

import re
import struct
import zlib

import pytest

from participation.site.services import SiteError, check_logo, check_primary_colour, contrast_with_white
from tests.factories import PASSWORD, sign_in

SETTINGS = {
    "city_name": "Musterstadt",
    "leader_title": "Oberbürgermeisterin",
    "dialogue_name": "Familiendialog",
    "primary_colour": "#6a1b4d",
    "contact_address": "Rathausplatz 1\n12345 Musterstadt",
    "contact_email": "familie@musterstadt.example",
}
ACCOUNT = {"display_name": "Frau Amt", "email": "amt@musterstadt.example", "password": PASSWORD,
           "password_repeat": PASSWORD}


def png(width: int = 40, height: int = 20) -> bytes:
    """A real (tiny, grey) PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#123"/></svg>'


async def post_multipart(client, url: str, data: dict, logo: tuple[str, bytes, str] | None = None):
    """POST the form as the browser does (multipart, with the CSRF token)."""
    if "fd_csrf" not in client.cookies:
        await client.get(url)
    files = {"logo": logo} if logo else {"logo": ("", b"", "application/octet-stream")}
    return await client.post(url, data={**data, "_csrf_token": client.cookies["fd_csrf"]}, files=files)


# --- the rules, without a server ---

def test_contrast_with_white_follows_the_wcag_formula():
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes
    assert check_primary_colour(" #0B4F8A ") == "#0b4f8a"
    with pytest.raises(SiteError, match="4,5 : 1") as refused:
        check_primary_colour("#777777")  # 4.48 : 1
    assert refused.value.field == "primary_colour"
    with pytest.raises(SiteError, match="Hex-Wert"):
        check_primary_colour("blue")


def test_logo_checks_accept_png_and_plain_svg_and_refuse_the_rest():
    assert check_logo(png()) == "image/png"
    assert check_logo(SVG) == "image/svg+xml"
    refused = {
        "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "handler": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "external image": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
                          b'<image x:href="https://tracker.example/p.png"/></svg>',
        "external style": b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.example/a.css);'
                          b'</style></svg>',
        "css url": b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.example/#g)"/></svg>',
        "entity": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                  b'<svg xmlns="http://www.w3.org/2000/svg">&e;</svg>',
        "foreign object": b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
        "not svg": b"<html><body>logo</body></html>",
        "not an image": b"GIF89a....",
        "broken png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 30,
        "huge png": png(5000, 1)[:33],
        "too large": SVG + b" " * (256 * 1024),
        "empty": b"",
    }
    for case, data in refused.items():
        with pytest.raises(SiteError) as error:
            check_logo(data)
        assert error.value.field == "logo", case
    # An internal reference (a gradient in the same file) is fine.
    check_logo(b'<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs>'
               b'<rect style="fill:url(#g)"/></svg>')


# --- the first run ---

async def test_a_new_installation_leads_every_page_to_the_first_run(fresh_installation, client):
    for path in ("/", "/anmelden", "/verwaltung", "/protokolle"):
        response = await client.get(path)
        assert response.status_code == 302, path
        assert response.headers["location"] == "/einrichtung"
    assert (await client.get("/health/live")).status_code == 200
    page = await client.get("/einrichtung")
    assert page.status_code == 200
    assert "Plattform einrichten" in page.text
    assert "Ludwigsburg" not in page.text


async def test_first_run_saves_the_city_and_the_first_office_account(fresh_installation, client):
    response = await post_multipart(client, "/einrichtung", {**SETTINGS, **ACCOUNT}, ("logo.svg", SVG, "image/svg+xml"))
    assert response.status_code == 303
    assert response.headers["location"] == "/anmelden"
    # Normal operation: the city's name on the start page, the first run gone, the new account signs in.
    home = await client.get("/")
    assert home.status_code == 200
    assert "Familiendialog Musterstadt" in home.text
    assert "Oberbürgermeisterin" in home.text
    assert (await client.get("/einrichtung")).headers["location"] == "/"
    await sign_in(client, "amt@musterstadt.example")
    assert (await client.get("/verwaltung")).status_code == 200
    logo = await client.get("/logo")
    assert logo.headers["content-type"].startswith("image/svg+xml")
    assert logo.content == SVG
    css = await client.get("/gestaltung.css")
    assert "--accent: #6a1b4d" in css.text


async def test_first_run_cannot_take_over_an_installed_site(fresh_installation, client):
    await post_multipart(client, "/einrichtung", {**SETTINGS, **ACCOUNT})
    intruder = await post_multipart(client, "/einrichtung", {**SETTINGS, **ACCOUNT, "email": "boese@example.org",
                                                              "city_name": "Übernommen"})
    assert intruder.status_code == 303
    home = await client.get("/")
    assert "Übernommen" not in home.text and "Musterstadt" in home.text
    from participation.accounts.tables import User

    assert await User.count() == 1


async def test_first_run_with_bad_input_says_why_and_saves_nothing(fresh_installation, client):
    response = await post_multipart(
        client, "/einrichtung", {**SETTINGS, **ACCOUNT, "primary_colour": "#ffcc00", "password_repeat": "anders"},
    )
    assert response.status_code == 400
    assert "Kontrast" in response.text or "Passwörter" in response.text
    # The colour is only checked once the form itself is complete; the password mismatch comes first.
    assert "Die Passwörter stimmen nicht überein." in response.text
    assert 'value="Musterstadt"' in response.text  # what was typed is still there
    response = await post_multipart(client, "/einrichtung", {**SETTINGS, **ACCOUNT, "primary_colour": "#ffcc00"})
    assert response.status_code == 400
    assert "nötig sind mindestens 4,5 : 1" in response.text
    response = await post_multipart(client, "/einrichtung", {**SETTINGS, **ACCOUNT, "password": "kurz",
                                                             "password_repeat": "kurz"})
    assert response.status_code == 400
    assert "mindestens 10 Zeichen" in response.text
    assert (await client.get("/")).headers["location"] == "/einrichtung"  # nothing was saved


# --- the settings page ---

async def test_office_changes_the_settings_and_every_page_shows_them(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = await client.get("/verwaltung/einstellungen")
    assert page.status_code == 200
    assert 'value="Ludwigsburg"' in page.text
    response = await post_multipart(client, "/verwaltung/einstellungen", SETTINGS, ("logo.png", png(), "image/png"))
    assert response.status_code == 303
    home = await client.get("/?lang=en")
    assert "Family Dialogue Musterstadt" in home.text
    assert "Ludwigsburg" not in home.text
    assert '<img class="site-logo" src="/logo?v=' in home.text
    assert (await client.get("/logo")).headers["content-type"] == "image/png"


async def test_settings_page_refuses_unreadable_colours_and_unsafe_logos(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    response = await post_multipart(client, "/verwaltung/einstellungen", {**SETTINGS, "primary_colour": "#8ab4f8"})
    assert response.status_code == 400
    assert "Weiße Schrift auf dieser Farbe hat nur einen Kontrast von" in response.text
    bad_svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = await post_multipart(client, "/verwaltung/einstellungen", SETTINGS, ("x.svg", bad_svg, "image/svg+xml"))
    assert response.status_code == 400
    assert "Skripte" in response.text
    response = await post_multipart(client, "/verwaltung/einstellungen", SETTINGS, ("x.pdf", b"%PDF-1.4", "image/png"))
    assert response.status_code == 400
    assert "PNG- oder SVG-Datei" in response.text
    # Nothing of it was saved.
    assert "Familiendialog Ludwigsburg" in (await client.get("/")).text
    assert (await client.get("/logo")).status_code == 404


async def test_only_the_office_sees_the_settings(client, make):
    anonymous = await client.get("/verwaltung/einstellungen")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/anmelden")
    await make.centre_user()
    await sign_in(client, "zentrum@example.org")
    assert (await client.get("/verwaltung/einstellungen")).status_code == 403


async def test_an_installation_with_accounts_but_no_settings_runs_and_asks_the_office(fresh_installation, client, make):
    # As after `participation createuser` on a new database, or an installation from before site settings.
    await make.office_user()
    home = await client.get("/")
    assert home.status_code == 200 and "Ludwigsburg" not in home.text
    await sign_in(client, "buero@example.org")
    office_home = await client.get("/verwaltung")
    assert "Diese Installation kennt den Namen Ihrer Stadt noch nicht." in office_home.text
    assert (await client.get("/einrichtung")).headers["location"] == "/"  # nobody takes it over from here


async def test_a_change_made_by_another_process_shows_once_the_kept_copy_expires(db, monkeypatch):
    from participation.site import services
    from participation.site.tables import SiteSettingsRow

    assert (await services.site_settings()).city_name == "Ludwigsburg"
    # Another app process saves new settings: this one keeps its copy for a while, then reads them.
    await SiteSettingsRow.update({SiteSettingsRow.city_name: "Musterstadt"}, force=True)
    assert (await services.site_settings()).city_name == "Ludwigsburg"
    later = services._clock() + services.CACHE_SECONDS + 1
    monkeypatch.setattr(services, "_clock", lambda: later)
    assert (await services.site_settings()).city_name == "Musterstadt"


async def test_in_production_the_first_run_needs_the_servers_setup_code(fresh_installation, settings, engine):
    import dataclasses

    import httpx

    from participation.app import create_app
    from participation.site.services import setup_code

    production = dataclasses.replace(settings, production=True)
    code = setup_code(production.secret_key)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    app = create_app(production, engine=engine)
    async with app.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                                  base_url="https://testserver.local") as client:
        page = await client.get("/einrichtung")
        assert "Einrichtungscode" in page.text
        wrong = await post_multipart(client, "/einrichtung", {**SETTINGS, **ACCOUNT, "setup_code": "AAAA-BBBB-CCCC"})
        assert wrong.status_code == 400 and "Der Einrichtungscode stimmt nicht." in wrong.text
        assert (await client.get("/")).headers["location"] == "/einrichtung"  # nothing saved
        right = await post_multipart(client, "/einrichtung",
                                     {**SETTINGS, **ACCOUNT, "setup_code": code.lower().replace("-", " ")})
        assert right.status_code == 303 and right.headers["location"] == "/anmelden"
