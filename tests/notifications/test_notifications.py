"""Being told what came of it (issue 14, part 3): a parent leaves an address, confirms it from a mail in their
language, and gets one mail when the round's outcomes are published; the address then goes. Mails go out over a
local SMTP server (aiosmtpd) that the tests read."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from participation.notifications.services import sending, subscriptions
from participation.notifications.tables import Mail, SentCount, Subscription
from tests.factories import post_form, sign_in, text_of
from tests.notifications.conftest import html_part, link_token, text_part


@pytest.fixture
def use_mail(app, mail_settings):
    """The app under test with SMTP configured (and back afterwards)."""
    before = app.state.settings
    app.state.settings = mail_settings
    yield mail_settings
    app.state.settings = before


async def _open_round(make) -> tuple[int, int, int]:
    """A district, a round with an open survey: (district, round, survey)."""
    district = await make.district("Eglosheim")
    survey = await make.survey([{"key": "wunsch", "kind": "short_text", "text": "Ihr Wunsch?"}])
    from participation.surveys.services import definition

    return district, (await definition.load_survey(survey)).round_id, survey


async def _subscribe(client, survey: int, address: str, lang: str = "de"):
    thanks = await client.get(f"/umfrage/{survey}/danke?lang={lang}")
    assert thanks.status_code == 200
    round_id = re.search(r'name="round" value="(\d+)"', thanks.text).group(1)
    return await post_form(client, "/benachrichtigung", {"round": round_id, "email": address})


async def _publish(round_id: int) -> None:
    from participation.dialogues.services import agenda, publishing

    if not await agenda.list_agenda(round_id):
        await agenda.add_free_item(round_id, "Rückblick")
    await publishing.publish_minutes(round_id, public=True, threshold=5)


async def _confirm(client, message) -> None:
    token = link_token(message)
    page = await client.get(f"/benachrichtigung/bestaetigen/{token}")
    assert page.status_code == 200 and 'type="submit"' in page.text
    done = await post_form(client, f"/benachrichtigung/bestaetigen/{token}")
    assert done.status_code == 200, done.text


async def test_the_confirm_mail_comes_in_the_parents_language_with_text_html_and_one_click_unsubscribe(
        client, make, smtp, use_mail):
    _district, _round, survey = await _open_round(make)
    answer = await _subscribe(client, survey, "Ayse.Yilmaz@Example.org", lang="tr")
    assert answer.status_code == 200
    assert "Lütfen e-posta adresinizi onaylayın" in text_of(answer.text)
    await sending.send_due_mails(use_mail)
    [message] = smtp.inbox.messages
    assert message["To"] == "Ayse.Yilmaz@example.org"
    assert message["Content-Language"] == "tr"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Subject"] == "Lütfen e-posta adresinizi onaylayın"
    assert "e-posta adresinizi bu bağlantıyla onaylayın" in text_part(message)
    assert "Aboneliği iptal et ve adresimi sil" in html_part(message)
    assert 'lang="tr"' in html_part(message)
    token = link_token(message)
    assert message["List-Unsubscribe"] == f"<{use_mail.base_url}/benachrichtigung/abmelden/{token}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].endswith("@stadt.example>")
    # The link holds no part of the address, and the database holds no working link.
    assert "ayse" not in token.lower()
    assert not await Subscription.exists().where(Subscription.token_hash == token)


async def test_opening_the_link_confirms_nothing_the_button_does(client, make, smtp, use_mail):
    _district, _round, survey = await _open_round(make)
    await _subscribe(client, survey, "eltern@example.org")
    await sending.send_due_mails(use_mail)
    token = link_token(smtp.inbox.messages[0])
    await client.get(f"/benachrichtigung/bestaetigen/{token}")
    await client.get(f"/benachrichtigung/abmelden/{token}")  # a link scanner opens every link
    assert [r["status"] for r in await Subscription.select(Subscription.status)] == ["pending"]
    await post_form(client, f"/benachrichtigung/bestaetigen/{token}")
    assert [r["status"] for r in await Subscription.select(Subscription.status)] == ["confirmed"]


async def test_publishing_sends_one_mail_per_confirmed_address_and_publishing_again_sends_none(
        client, make, smtp, use_mail):
    _district, round_id, survey = await _open_round(make)
    for address in ("a@example.org", "b@example.org", "unbestaetigt@example.org"):
        await _subscribe(client, survey, address)
    await sending.send_due_mails(use_mail)
    for address in ("a@example.org", "b@example.org"):
        await _confirm(client, smtp.inbox.to(address)[0])
    smtp.inbox.messages.clear()

    await _publish(round_id)
    await sending.send_due_mails(use_mail)
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["a@example.org", "b@example.org"]
    outcome = smtp.inbox.messages[0]
    assert f"/was-wurde-aus-ihren-anregungen/{round_id}" in text_part(outcome)
    assert "/protokolle" in text_part(outcome)
    assert outcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    await _publish(round_id)
    await sending.send_due_mails(use_mail)
    assert len(smtp.inbox.messages) == 2
    # The told addresses are gone; the count of sent mails stays; the unconfirmed address got nothing.
    assert [r["email"] for r in await Subscription.select(Subscription.email)] == ["unbestaetigt@example.org"]
    assert (await SentCount.select(SentCount.outcomes_sent).first())["outcomes_sent"] == 2
    await make.office_user()
    await sign_in(client, "buero@example.org")
    office = text_of((await client.get("/verwaltung/benachrichtigungen")).text)
    assert "2 Benachrichtigungen versandt" in office
    assert "@example.org" not in office


async def test_a_send_that_fails_is_retried_later_and_sent_once_the_server_is_back(client, make, smtp, use_mail):
    _district, _round, survey = await _open_round(make)
    smtp.stop()
    await _subscribe(client, survey, "geduld@example.org")
    result = await sending.send_due_mails(use_mail)
    assert result["failed"] == 1 and result["sent"] == 0
    [mail] = await Mail.select()
    assert mail["status"] == "queued" and mail["attempts"] == 1 and mail["last_error"]
    assert mail["next_attempt_at"] > datetime.now(UTC)
    smtp.start()
    assert (await sending.send_due_mails(use_mail))["sent"] == 0  # not due yet: the back-off holds
    later = datetime.now(UTC) + timedelta(minutes=2)
    assert (await sending.send_due_mails(use_mail, now=later))["sent"] == 1
    assert [m["To"] for m in smtp.inbox.messages] == ["geduld@example.org"]
    assert (await sending.send_due_mails(use_mail, now=later + timedelta(hours=1)))["sent"] == 0
    assert len(smtp.inbox.messages) == 1


async def test_a_mail_that_never_goes_out_is_shown_to_the_office_as_failed_and_can_be_retried(
        client, make, smtp, use_mail):
    _district, round_id, survey = await _open_round(make)
    smtp.stop()
    await _subscribe(client, survey, "nie@example.org")
    moment = datetime.now(UTC)
    for _attempt in range(sending.MAX_ATTEMPTS):
        await sending.send_due_mails(use_mail, now=moment)
        moment += timedelta(hours=3)
    assert [r["status"] for r in await Mail.select(Mail.status)] == ["failed"]
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = await client.get("/verwaltung/benachrichtigungen")
    assert "Erneut versuchen" in page.text
    retried = await post_form(client, f"/verwaltung/benachrichtigungen/{round_id}/erneut")
    assert retried.status_code == 303
    smtp.start()
    await sending.send_due_mails(use_mail)
    assert [m["To"] for m in smtp.inbox.messages] == ["nie@example.org"]


async def test_without_smtp_url_mails_wait_and_the_office_page_says_so(client, make, app, settings):
    _district, _round, survey = await _open_round(make)
    await _subscribe(client, survey, "wartet@example.org")
    assert (await sending.send_due_mails(settings))["configured"] is False
    assert [r["status"] for r in await Mail.select(Mail.status)] == ["queued"]
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = text_of((await client.get("/verwaltung/benachrichtigungen")).text)
    assert "nicht eingerichtet" in page


async def test_one_click_unsubscribe_deletes_the_address_at_once_without_a_form_token(client, make, smtp, use_mail):
    _district, _round, survey = await _open_round(make)
    await _subscribe(client, survey, "weg@example.org")
    await sending.send_due_mails(use_mail)
    message = smtp.inbox.messages[0]
    target = message["List-Unsubscribe"].strip("<>").removeprefix(use_mail.base_url)
    client.cookies.clear()  # the mail provider's POST has no cookie and no form of ours
    answer = await client.post(target, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert not await Subscription.exists() and not await Mail.exists()
    assert (await client.get(target)).status_code == 404
    assert (await client.post(target, data={"List-Unsubscribe": "One-Click"})).status_code == 404


async def test_the_answer_is_the_same_for_a_new_and_a_known_address(client, make, smtp, use_mail):
    _district, _round, survey = await _open_round(make)

    def page(response) -> str:
        return re.sub(r'value="[^"]*"', "", response.text)

    first = await _subscribe(client, survey, "bekannt@example.org")
    again = await _subscribe(client, survey, "BEKANNT@example.org")
    other = await _subscribe(client, survey, "neu@example.org")
    assert first.status_code == again.status_code == other.status_code == 200
    assert page(first) == page(again) == page(other)
    await sending.send_due_mails(use_mail)
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["bekannt@example.org", "neu@example.org"]


@pytest.mark.parametrize(("lang", "message"), [
    ("de", "Bitte geben Sie eine gültige E-Mail-Adresse ein"),
    ("en", "Please enter a valid e-mail address"),
])
async def test_a_bad_address_comes_back_with_a_message_in_the_parents_language(client, make, lang, message):
    _district, _round, survey = await _open_round(make)
    answer = await _subscribe(client, survey, "keine-adresse", lang=lang)
    assert answer.status_code == 400
    assert message in text_of(answer.text)
    assert 'value="keine-adresse"' in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert not await Subscription.exists()


async def test_a_form_from_elsewhere_is_refused_and_nothing_is_stored(client, make):
    _district, round_id, _survey = await _open_round(make)
    answer = await client.post("/benachrichtigung", data={"round": str(round_id), "email": "x@example.org"},
                               headers={"sec-fetch-site": "cross-site"})
    assert answer.status_code == 400
    assert not await Subscription.exists()


async def test_subscriptions_are_throttled_per_client_and_pending_ones_capped_per_address(
        client, make, app, smtp, use_mail):
    from participation.web import ratelimit

    _district, _round, survey = await _open_round(make)
    rounds = [await make.round("autumn", year) for year in (2028, 2029, 2030, 2031)]
    for round_id in rounds:
        await post_form(client, "/benachrichtigung", {"round": str(round_id), "email": "opfer@example.org"})
    assert await Subscription.count().where(Subscription.status == "pending") == subscriptions.PENDING_PER_ADDRESS
    for number in range(ratelimit.SUBSCRIPTIONS_PER_HOUR):
        await _subscribe(client, survey, f"viele{number}@example.org")
    refused = await _subscribe(client, survey, "eine-zu-viel@example.org")
    assert refused.status_code == 429
    assert not await Subscription.exists().where(Subscription.email == "eine-zu-viel@example.org")


async def test_unconfirmed_addresses_are_deleted_by_retention_and_listed_before(client, make):
    from participation.retention.services import apply_retention, retention_schedule

    _district, round_id, _survey = await _open_round(make)
    await subscriptions.subscribe(round_id, "alt@example.org", "de", secret_key="k" * 40,
                                  today=(datetime.now(UTC) - timedelta(days=8)).date())
    await subscriptions.subscribe(round_id, "frisch@example.org", "de", secret_key="k" * 40)
    now = datetime.now(UTC)
    planned = [p for p in await retention_schedule(now, pending_days=7) if p.kind == "notifications"]
    assert [(p.count, p.is_due(now)) for p in planned] == [(2, True)]
    deleted = await apply_retention(now, pending_days=7)
    assert deleted["notifications"] == 1
    assert [r["email"] for r in await Subscription.select(Subscription.email)] == ["frisch@example.org"]


async def test_an_address_appears_in_no_export_archive_or_api(client, make, smtp, use_mail):
    """Walk every export, download and API answer the office can get, and look for the address."""
    from tests.route_access import ROUTES, fill_path
    from tests.test_authorization import survey_part_ids

    district, round_id, survey = await _open_round(make)
    for text in ("Mehr Plätze", "Längere Öffnungszeiten", "Spielplatz", "Kita", "Ferien"):
        await make.response(survey, district, {"wunsch": text})
    centre = await make.centre("Zentrum", district=district)
    address = "geheim.elternteil@example.org"
    await _subscribe(client, survey, address)
    await sending.send_due_mails(use_mail)
    await _confirm(client, smtp.inbox.messages[0])
    await make.office_user()
    await sign_in(client, "buero@example.org")
    from tests.dialogues.route_access_session import sample_ids as session_ids

    parts = await survey_part_ids(survey)
    ids = {"centre_id": centre, "district_id": district, "path": "openapi.json", "language": "de",
           "file_path": "site.css", **parts}
    ids.update(await session_ids(round_id, centre, parts["topic_id"]))
    ids["user_id"] = 1
    ids["job_id"] = 1
    ids["token"] = "x"
    looked = []
    for (method, path), _access in sorted(ROUTES.items()):
        if method != "GET":
            continue
        try:
            url = fill_path(path, ids)
        except KeyError:
            continue
        response = await client.get(url)
        if response.status_code != 200:
            continue
        bodies = [response.content]
        if response.content[:2] == b"PK":  # the archive ZIP and XLSX: every file inside
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                bodies += [archive.read(name) for name in archive.namelist()]
        for body in bodies:
            assert b"geheim.elternteil" not in body.lower(), url
        looked.append(path)
    assert {"/verwaltung/runden/{round_id:int}/archiv.zip", "/verwaltung/umfragen/{survey_id:int}/export.csv",
            "/verwaltung/umfragen/{survey_id:int}/export.xlsx", "/api/surveys/{survey_id:int}/tables",
            "/verwaltung/benachrichtigungen"} <= set(looked)
    assert await Subscription.exists().where(Subscription.email == address)  # it was there all along


async def test_subscribing_is_offered_on_the_outcome_pages_for_the_next_round(client, make):
    _district, round_id, _survey = await _open_round(make)
    await _publish(round_id)
    nothing_to_follow = await client.get("/was-wurde-aus-ihren-anregungen")
    assert 'name="email"' not in nothing_to_follow.text
    next_round = await make.round("autumn", 2027)
    listing = await client.get("/was-wurde-aus-ihren-anregungen")
    assert f'name="round" value="{next_round}"' in listing.text
    assert 'autocomplete="email"' in listing.text and 'href="/datenschutz"' in listing.text
    page = await client.get(f"/was-wurde-aus-ihren-anregungen/{round_id}")
    assert f'name="round" value="{next_round}"' in page.text
    closed = await post_form(client, "/benachrichtigung", {"round": str(round_id), "email": "spaet@example.org"})
    assert closed.status_code == 400


async def test_confirming_after_the_outcomes_are_out_sends_the_outcome_mail_at_once(client, make, smtp, use_mail):
    _district, round_id, survey = await _open_round(make)
    await _subscribe(client, survey, "spaet@example.org")
    await sending.send_due_mails(use_mail)
    await _publish(round_id)
    await _confirm(client, smtp.inbox.messages[0])
    await sending.send_due_mails(use_mail)
    assert [m["Subject"].startswith("Die Ergebnisse") for m in smtp.inbox.messages] == [False, True]


async def test_the_send_job_runs_through_the_job_queue(client, make, smtp, use_mail, monkeypatch):
    from participation import jobs

    monkeypatch.setenv("SMTP_URL", smtp.url)
    _district, _round, survey = await _open_round(make)
    await _subscribe(client, survey, "job@example.org")
    job_id = await sending.ensure_send_job(use_mail)
    assert job_id is not None and await sending.ensure_send_job(use_mail) == job_id
    await jobs.run_until_idle()
    assert (await jobs.get_job(job_id)).result["sent"] == 1
    assert [m["To"] for m in smtp.inbox.messages] == ["job@example.org"]
    assert await sending.ensure_send_job(use_mail) is None  # nothing due


def test_smtp_urls_are_understood():
    plain = sending.smtp_target("smtp://mail.example:2525")
    assert (plain.hostname, plain.port, plain.use_tls, plain.start_tls) == ("mail.example", 2525, False, False)
    tls = sending.smtp_target("smtp+starttls://user%40stadt:p%3Ass@mail.example")
    assert (tls.port, tls.start_tls, tls.username, tls.password) == (587, True, "user@stadt", "p:ss")
    assert sending.smtp_target("smtps://mail.example").port == 465


def test_a_wrong_smtp_url_stops_the_start_with_a_message():
    from participation.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match="SMTP_URL"):
        Settings.from_env({"SMTP_URL": "http://mail.example"})
    assert dataclasses.replace(Settings.from_env({"SMTP_URL": "smtps://mail.example:465"})).smtp_url


async def test_every_job_runner_queues_a_send_job_when_mails_have_fallen_due(client, make, use_mail, monkeypatch):
    from participation import jobs

    _district, _round, survey = await _open_round(make)
    await _subscribe(client, survey, "spaeter@example.org")
    await jobs.Job.delete().where(jobs.Job.kind == sending.SEND_JOB)  # as if the request's job had run and failed
    await jobs.run_watches(None)
    assert not await jobs.Job.exists().where(jobs.Job.kind == sending.SEND_JOB)  # no SMTP_URL: nothing to do
    monkeypatch.setenv("SMTP_URL", use_mail.smtp_url)
    await jobs.run_watches(None)
    assert await jobs.Job.count().where(jobs.Job.kind == sending.SEND_JOB) == 1
    await jobs.run_watches(None)
    assert await jobs.Job.count().where(jobs.Job.kind == sending.SEND_JOB) == 1  # one queued job is enough
