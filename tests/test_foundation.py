"""The foundation as its users meet it: start page, health, settings, sign-in, language, errors."""

from __future__ import annotations

import pytest

from participation.settings import Settings, SettingsError
from tests.factories import PASSWORD, post_form, sign_in, text_of


async def test_start_page_is_german_with_a_skip_link_and_language_switcher(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in response.text
    assert "Zum Inhalt springen" in response.text
    assert "Aktuelle Umfragen" in response.text
    for language in ("English", "Türkçe", "العربية", "Русский", "Українська"):
        assert language in response.text


async def test_visitor_switches_to_english_and_the_choice_is_remembered(client):
    response = await client.get("/?lang=en")
    assert '<html lang="en" dir="ltr">' in response.text
    assert "Current surveys" in response.text
    again = await client.get("/")
    assert '<html lang="en"' in again.text


async def test_every_page_names_the_site_icon_and_browsers_asking_for_favicon_ico_get_it(client):
    page = await client.get("/")
    assert '<link rel="icon" href="/static/favicon.svg?v=' in page.text
    redirect = await client.get("/favicon.ico", follow_redirects=False)
    assert redirect.status_code == 301 and redirect.headers["location"].startswith("/static/favicon.svg")
    icon = await client.get(redirect.headers["location"])
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")


async def test_arabic_pages_are_right_to_left(client):
    response = await client.get("/", headers={"Accept-Language": "ar,de;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in response.text


async def test_health_reports_the_database_and_the_shared_store(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "store": "ok"}


async def test_openapi_schema_documents_the_api(client):
    response = await client.get("/api/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Familiendialog API"
    assert "/api/centres" in schema["paths"]


async def test_unknown_page_is_a_friendly_404_in_german(client):
    response = await client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text


async def test_form_without_csrf_token_is_refused_with_a_message(client, make):
    await make.office_user()
    response = await client.post("/anmelden", data={"email": "buero@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "Das Formular ist abgelaufen" in response.text
    assert "fd_session" not in client.cookies


async def test_office_signs_in_sees_dashboard_and_signs_out(client, make):
    await make.office_user()
    response = await post_form(client, "/anmelden", {"email": "Buero@Example.org ", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/start"
    dashboard = await client.get("/verwaltung")
    assert dashboard.status_code == 200
    assert "Übersicht der Stadtverwaltung" in dashboard.text
    assert "<title>Übersicht – Familiendialog Ludwigsburg</title>" in dashboard.text
    await post_form(client, "/abmelden")
    assert (await client.get("/verwaltung")).status_code == 303


async def test_wrong_password_keeps_the_address_and_says_what_is_wrong(client, make):
    await make.office_user()
    response = await post_form(client, "/anmelden", {"email": "buero@example.org", "password": "falsch-falsch"})
    assert response.status_code == 400
    assert "E-Mail-Adresse oder Passwort stimmen nicht." in response.text
    assert 'value="buero@example.org"' in response.text
    assert "fd_session" not in client.cookies


async def test_empty_sign_in_form_shows_field_errors(client):
    response = await post_form(client, "/anmelden", {"email": "", "password": ""})
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Bitte geben Sie Ihre E-Mail-Adresse ein." in text
    assert 'aria-invalid="true"' in response.text


async def test_sign_in_redirects_back_to_the_requested_page_but_never_offsite(client, make):
    await make.office_user()
    first = await client.get("/verwaltung/stammdaten")
    assert first.headers["location"] == "/anmelden?next=/verwaltung/stammdaten"
    response = await post_form(
        client, "/anmelden", {"email": "buero@example.org", "password": PASSWORD, "next": "/verwaltung/stammdaten"}
    )
    assert response.headers["location"] == "/verwaltung/stammdaten"
    await post_form(client, "/abmelden")
    evil = await post_form(
        client, "/anmelden", {"email": "buero@example.org", "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert evil.headers["location"] == "/start"


async def test_deactivated_user_is_signed_out_on_the_next_request(client, make):
    from participation.accounts.tables import User

    user_id = await make.office_user()
    await sign_in(client, "buero@example.org")
    assert (await client.get("/verwaltung")).status_code == 200
    await User.update({User.active: False}).where(User.id == user_id)
    assert (await client.get("/verwaltung")).status_code == 303


async def test_centre_staff_land_on_their_centre(client, make):
    centre = await make.centre("Kinder- und Familienzentrum Eglosheim", district=await make.district("Eglosheim"))
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    start = await client.get("/start")
    assert start.headers["location"] == "/zentrum"
    page = await client.get("/zentrum")
    assert "Kinder- und Familienzentrum Eglosheim" in page.text
    assert "Eglosheim" in page.text


async def test_staff_pages_offer_german_and_english_only(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = await client.get("/verwaltung?lang=en")
    assert '<html lang="en"' in page.text
    assert "Türkçe" not in page.text


async def test_password_change_requires_the_current_password(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    wrong = await post_form(
        client, "/konto/passwort",
        {"current_password": "nicht-richtig", "password": "ein-neues-passwort",
         "password_repeat": "ein-neues-passwort"},
    )
    assert wrong.status_code == 400
    assert "Das bisherige Passwort stimmt nicht." in wrong.text
    ok = await post_form(
        client, "/konto/passwort",
        {"current_password": PASSWORD, "password": "ein-neues-passwort", "password_repeat": "ein-neues-passwort"},
    )
    assert ok.status_code == 303
    await post_form(client, "/abmelden")
    await sign_in(client, "buero@example.org", "ein-neues-passwort")


def test_settings_have_safe_defaults():
    settings = Settings.from_env({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.privacy_threshold == 5
    assert settings.languages[0] == "de"
    assert settings.password_hash_profile == "RFC_9106_LOW_MEMORY"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"PRIVACY_THRESHOLD": "drei"}, "PRIVACY_THRESHOLD must be a whole number"),
        ({"PRIVACY_THRESHOLD": "1"}, "between 2 and 100"),
        ({"LANGUAGES": "de,fr"}, "unsupported codes fr"),
        ({"SECRET_KEY": "short"}, "at least 32 characters"),
        ({"PRODUCTION": "1"}, "SECRET_KEY must be set"),
        ({"DEBUG": "vielleicht"}, "DEBUG must be"),
        ({"PASSWORD_HASH_PROFILE": "md5"}, "PASSWORD_HASH_PROFILE must be one of"),
        ({"PRODUCTION": "1", "SECRET_KEY": "x" * 40, "PASSWORD_HASH_PROFILE": "cheapest"}, "for tests only"),
    ],
)
def test_invalid_settings_are_refused_with_a_clear_message(environ, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)


def test_languages_setting_keeps_german_first():
    assert Settings.from_env({"LANGUAGES": "tr,ar"}).languages == ("de", "tr", "ar")


async def test_passwords_are_argon2id_at_production_cost_and_cheaper_hashes_are_upgraded_at_sign_in(make, settings):
    """The suite hashes cheaply (PASSWORD_HASH_PROFILE=CHEAPEST); the default profile stays the production one."""
    from participation.accounts import services
    from participation.accounts.tables import User

    user_id = await make.office_user()
    cheap = await User.select(User.password_hash).where(User.id == user_id).first()
    try:
        services.configure_password_hashing(Settings.from_env({}).password_hash_profile)
        assert services.hash_password(PASSWORD).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert await services.authenticate("buero@example.org", PASSWORD) == user_id
    finally:
        services.configure_password_hashing(settings.password_hash_profile)
    upgraded = await User.select(User.password_hash).where(User.id == user_id).first()
    assert cheap["password_hash"].startswith("$argon2id$")
    assert upgraded["password_hash"].startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_route_parameters_are_declared_explicitly(settings, engine):
    """Path and query parameters and dependencies say where they come from (FromPath, FromQuery, NamedDependency);
    Litestar deprecates inferring it, and building the app raises no deprecation warning at all."""
    import warnings

    from litestar.exceptions import LitestarDeprecationWarning

    from participation.app import create_app

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LitestarDeprecationWarning)
        create_app(settings, engine=engine)
    deprecated = [str(warning.message) for warning in caught
                  if issubclass(warning.category, LitestarDeprecationWarning)]
    assert not deprecated, "Declare these with FromPath, FromQuery or NamedDependency:\n" + "\n".join(deprecated)
