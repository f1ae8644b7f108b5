"""The legally required pages: generated from how the platform works, kept true here, completed by the office."""

from __future__ import annotations

import dataclasses
import re

import pytest

from participation.legal.services import cookies_used, stored_for_a_response
from participation.surveys.tables import Response
from tests.factories import post_form, sign_in, text_of

LEGAL_PAGES = ["/impressum", "/datenschutz", "/barrierefreiheit", "/leichte-sprache"]


async def test_every_page_links_the_legal_pages_in_its_footer_and_easy_read_in_its_header(client, make):
    for path in ["/", *LEGAL_PAGES]:
        page = await client.get(path)
        assert page.status_code == 200, path
        footer = page.text.split('<footer', 1)[1]
        for target in LEGAL_PAGES:
            assert f'href="{target}"' in footer, (path, target)
        header = page.text.split("<header", 1)[1].split("</header>", 1)[0]
        assert 'href="/leichte-sprache"' in header


async def test_privacy_notice_states_the_configured_threshold_and_retention(client, app, settings):
    page = text_of((await client.get("/datenschutz")).text)
    assert f"weniger als {settings.privacy_threshold} Antworten zeigen wir nie" in page
    assert f"{settings.free_text_retention_months} Monate nach der Veröffentlichung" in page
    assert "30 Tage nach ihrer Fertigstellung" in page
    assert "erst, wenn eine Umfrage beendet ist" in page
    assert "Unbestätigte Adressen löschen wir nach 7 Tagen" in page
    assert "Keine. Diese Plattform bietet keine E-Mail-Benachrichtigungen an" not in page


async def test_privacy_notice_follows_a_changed_threshold(client, app, settings):
    changed = dataclasses.replace(settings, privacy_threshold=9, free_text_retention_months=6)
    app.state.settings = changed
    try:
        page = text_of((await client.get("/datenschutz")).text)
    finally:
        app.state.settings = settings
    assert "weniger als 9 Antworten zeigen wir nie" in page
    assert "6 Monate nach der Veröffentlichung" in page


def test_what_the_notice_says_is_stored_for_a_response_is_exactly_what_the_table_holds():
    columns = {column._meta.name for column in Response._meta.columns} - {"id"}
    listed = {item.column for item in stored_for_a_response()} - {"answers"}
    assert listed == columns


def test_what_the_notice_says_is_stored_for_a_notification_address_is_exactly_what_the_table_holds():
    from participation.legal.services import stored_for_a_subscription
    from participation.notifications.tables import Subscription

    columns = {column._meta.name for column in Subscription._meta.columns} - {"id"}
    assert {item.column for item in stored_for_a_subscription()} == columns
    assert not any(column._meta.name in ("response", "submission_id") for column in Subscription._meta.columns)


async def test_the_cookie_list_equals_the_cookies_the_app_sets_on_a_walk(client, make):
    """Choose a language, answer a survey and vote in a live poll as a parent, sign in as staff: every cookie set is
    listed, and only those."""
    from participation.dialogues.services import polls

    district = await make.district()
    survey = await make.survey([{"key": "wunsch", "kind": "short_text", "text": "Ihr Wunsch?"}])
    await make.office_user()
    await client.get("/?lang=en")
    await client.get("/?lang=de")
    form = await client.get(f"/umfrage/{survey}/antworten")
    submission = re.search(r'name="submission_id" value="([^"]*)"', form.text).group(1)
    done = await post_form(client, f"/umfrage/{survey}/antworten", [
        ("page", "1"), ("submission_id", submission), ("district", str(district)), ("q_wunsch", "Spielplatz"),
        ("nav", "submit"),
    ])
    assert done.status_code == 303, done.text
    round_id = await make.round(year=2030)
    poll_id = await polls.create_poll(round_id, "yes_no")
    await polls.open_poll(round_id, poll_id)
    assert (await client.get(f"/s/{(await polls.get_poll(round_id, poll_id)).code}")).status_code == 200
    await sign_in(client, "buero@example.org")
    set_by_the_app = {cookie.name for cookie in client.cookies.jar}
    listed = {cookie.name for cookie in cookies_used()}
    assert set_by_the_app == listed
    page = (await client.get("/datenschutz")).text
    assert set(re.findall(r'<code class="cookie-name">([^<]+)</code>', page)) == listed


async def test_office_enters_controller_and_accessibility_details_and_they_appear_escaped(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    saved = await post_form(client, "/verwaltung/rechtliches", {
        "provider": "Stadt Musterstadt\nRathausplatz 1", "controller": "Stadt Musterstadt <script>alert(1)</script>",
        "data_protection_officer": "Datenschutz Musterstadt", "legal_basis": "Art. 6 Abs. 1 lit. e DSGVO",
        "conformance": "full", "checked_on": "2026-11-20", "accessibility_contact": "barrierefrei@musterstadt.de",
        "enforcement": "Schlichtungsstelle nach § 16 BGG", "dgs_video_url": "",
    })
    assert saved.status_code == 303, saved.text
    privacy = (await client.get("/datenschutz")).text
    assert "<script>alert(1)</script>" not in privacy and "&lt;script&gt;" in privacy
    assert "Datenschutz Musterstadt" in privacy and "Art. 6 Abs. 1 lit. e DSGVO" in privacy
    statement = text_of((await client.get("/barrierefreiheit")).text)
    assert "vollständig mit BITV 2.0 vereinbar" in statement
    assert "zuletzt am 20. November 2026 geprüft" in statement
    assert "barrierefrei@musterstadt.de" in statement and "§ 16 BGG" in statement
    assert "Rathausplatz 1" in (await client.get("/impressum")).text


async def test_sign_language_link_appears_only_when_set(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    assert "Gebärdensprache" not in (await client.get("/leichte-sprache")).text
    await post_form(client, "/verwaltung/rechtliches", {"conformance": "partial",
                                                        "dgs_video_url": "https://video.example/dgs"})
    page = (await client.get("/leichte-sprache")).text
    assert 'href="https://video.example/dgs"' in page and "Deutscher Gebärdensprache" in page


async def test_a_bad_entry_comes_back_with_a_message_and_nothing_is_lost(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    refused = await post_form(client, "/verwaltung/rechtliches", {
        "controller": "Stadt Musterstadt", "conformance": "partial", "checked_on": "kein Datum",
        "dgs_video_url": "javascript:alert(1)",
    })
    assert refused.status_code == 400
    assert "vollständige Adresse mit https://" in refused.text
    assert "Stadt Musterstadt" in refused.text
    assert "Stadt Musterstadt" not in (await client.get("/datenschutz")).text


async def test_parents_and_centre_staff_cannot_edit_the_legal_texts(client, make):
    assert (await client.get("/verwaltung/rechtliches")).status_code in (302, 303, 401)
    await make.centre_user()
    await sign_in(client, "zentrum@example.org")
    assert (await client.get("/verwaltung/rechtliches")).status_code == 403


@pytest.mark.parametrize("language", ["de", "en", "tr", "ar", "ru", "uk"])
async def test_parents_read_a_short_privacy_notice_in_their_language_before_the_first_question(
        client, make, language):
    from participation.surveys.services import definition

    survey = await make.survey()
    if language != "de":
        texts = definition.translatable_texts(await definition.load_survey(survey))
        await definition.save_translation(survey, language, {name: f"[{language}] {text}" for name, text in texts})
    page = await client.get(f"/umfrage/{survey}?lang={language}")
    assert f'lang="{language}"' in page.text.split(">", 2)[1]
    notice = page.text.split('class="notice privacy-notice"', 1)[1].split("</section>", 1)[0]
    assert 'href="/datenschutz"' in notice
    if language != "de":
        assert "Wir speichern Ihre Antworten" not in notice, f"notice not translated into {language}"


def test_the_demo_fills_only_fields_the_office_page_has():
    from participation.demo.legal import DEMO_LEGAL_TEXTS
    from participation.legal.schemas import LEGAL_FIELDS

    assert set(DEMO_LEGAL_TEXTS) <= set(LEGAL_FIELDS)
