"""Sessions that end when they should, and sign-ins and invitation codes that cannot be guessed at speed.

Security findings 1, 2 and 5 of issue 12: a copied session cookie stops working after sign-out, a password change,
deactivation and "sign out everywhere"; wrong passwords and wrong codes meet an exponential back-off (429 with
Retry-After) that does not lock the office out from elsewhere; Argon2 runs off the event loop.
"""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from participation.accounts import services
from participation.web import ratelimit
from tests.conftest import _each_request_in_a_task
from tests.factories import PASSWORD, post_form, sign_in, text_of

NEW_PASSWORD = "a-new-and-long-password"


@pytest.fixture
async def new_client(app):
    """Clients of their own (own cookies, own client address) on the app the `client` fixture serves."""
    opened: list[httpx.AsyncClient] = []

    def make(address: str = "testclient") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(
            app=_each_request_in_a_task(app), raise_app_exceptions=False, client=(address, 50001)
        )
        other = httpx.AsyncClient(transport=transport, base_url="http://testserver.local", follow_redirects=False)
        opened.append(other)
        return other

    yield make
    for other in opened:
        await other.aclose()


async def _signed_in(client: httpx.AsyncClient) -> bool:
    """True when this browser is signed in (its own password page opens)."""
    return (await client.get("/konto/passwort")).status_code == 200


def _copy_of(client: httpx.AsyncClient, new_client) -> httpx.AsyncClient:
    """Another browser holding a copy of `client`'s session cookie (as an attacker who took it would)."""
    thief = new_client("198.51.100.7")
    thief.cookies.set("fd_session", client.cookies["fd_session"])
    return thief


async def test_a_copied_cookie_stops_working_after_sign_out(client, make, new_client):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    thief = _copy_of(client, new_client)
    assert await _signed_in(thief)
    signed_out = await post_form(client, "/abmelden")
    assert signed_out.status_code == 303
    assert not await _signed_in(client)
    assert not await _signed_in(thief)


async def test_a_password_change_ends_the_other_sessions_but_not_this_one(client, make, new_client):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    thief = _copy_of(client, new_client)
    laptop = new_client("192.0.2.20")
    await sign_in(laptop, "buero@example.org")
    changed = await post_form(client, "/konto/passwort", {
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD,
    })
    assert changed.status_code == 303
    assert await _signed_in(client)
    assert not await _signed_in(thief)
    assert not await _signed_in(laptop)


async def test_a_password_the_office_sets_ends_that_users_sessions(client, make, new_client):
    centre = await make.centre()
    user = await make.centre_user(centre=centre)
    staff = new_client("192.0.2.30")
    await sign_in(staff, "zentrum@example.org")
    await make.office_user()
    await sign_in(client, "buero@example.org")
    saved = await post_form(client, f"/verwaltung/benutzer/{user}", {
        "display_name": "Zentrum", "email": "zentrum@example.org", "role": "centre", "centre": str(centre),
        "active": "y", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD,
    })
    assert saved.status_code == 303, text_of(saved.text)
    assert not await _signed_in(staff)
    assert await _signed_in(client)


async def test_deactivation_ends_the_session_for_good(client, make, new_client):
    centre = await make.centre()
    user = await make.centre_user(centre=centre)
    staff = new_client("192.0.2.30")
    await sign_in(staff, "zentrum@example.org")
    thief = _copy_of(staff, new_client)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    fields = {"display_name": "Zentrum", "email": "zentrum@example.org", "role": "centre", "centre": str(centre)}
    locked = await post_form(client, f"/verwaltung/benutzer/{user}", fields)  # "active" unticked
    assert locked.status_code == 303, text_of(locked.text)
    assert not await _signed_in(staff)
    # Unlocked again, the account needs a new sign-in: a copy of the old cookie stays dead.
    unlocked = await post_form(client, f"/verwaltung/benutzer/{user}", {**fields, "active": "y"})
    assert unlocked.status_code == 303
    assert not await _signed_in(thief)


async def test_sign_out_everywhere_ends_every_session_of_the_user(client, make, new_client):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    thief = _copy_of(client, new_client)
    laptop = new_client("192.0.2.20")
    await sign_in(laptop, "buero@example.org")
    page = await client.get("/konto/passwort")
    assert "Überall abmelden" in text_of(page.text)
    done = await post_form(client, "/konto/ueberall-abmelden")
    assert done.status_code == 303
    assert not await _signed_in(client)
    assert not await _signed_in(thief)
    assert not await _signed_in(laptop)
    home = await client.get(done.headers["location"])
    assert "auf allen Geräten abgemeldet" in text_of(home.text)


async def test_sign_out_everywhere_needs_the_csrf_token(client, make):
    await make.office_user()
    await sign_in(client, "buero@example.org")
    forged = await client.post("/konto/ueberall-abmelden")
    assert forged.status_code == 403
    assert await _signed_in(client)


async def test_a_forged_session_cookie_breaks_nothing_and_signs_nobody_out(client, make, new_client):
    office_id = await make.office_user()
    await sign_in(client, "buero@example.org")
    for forged in (f"user-generation:{office_id}", "x" * 5000, "../../etc"):
        forger = new_client("198.51.100.9")
        forger.cookies.set("fd_session", forged)
        assert (await forger.get("/")).status_code == 200
        assert not await _signed_in(forger)
    assert await _signed_in(client)


async def test_parents_get_no_session_cookie(client, make):
    survey = await make.survey()
    await client.get(f"/umfrage/{survey}/antworten")
    assert "fd_session" not in client.cookies


async def test_sixty_wrong_passwords_slow_that_client_down_but_the_office_signs_in_elsewhere(
    client, make, new_client,
):
    await make.office_user()
    statuses = []
    for _attempt in range(60):
        response = await post_form(client, "/anmelden", {"email": "buero@example.org", "password": "wrong-guess"})
        statuses.append(response.status_code)
    assert statuses[:5] == [400] * 5
    assert set(statuses[5:]) == {429}
    right = await post_form(client, "/anmelden", {"email": "buero@example.org", "password": PASSWORD})
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) >= 1
    assert "Zu viele fehlgeschlagene Anmeldungen" in text_of(right.text)
    assert "fd_session" not in client.cookies
    office = new_client("192.0.2.50")
    await sign_in(office, "buero@example.org")
    assert await _signed_in(office)


async def test_the_throttle_message_is_in_english_for_english_staff(client, make):
    await make.office_user()
    for _attempt in range(6):
        response = await post_form(client, "/anmelden?lang=en", {"email": "buero@example.org", "password": "nope"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in text_of(response.text)


async def test_health_answers_while_eight_wrong_sign_ins_are_being_verified(client, make, monkeypatch):
    """Argon2 runs in threads: while eight verifications are under way, /health still answers."""
    await make.office_user()
    release, entered = threading.Event(), threading.Semaphore(0)

    def slow_verify(password_hash: str, password: str) -> bool:  # a verification that lasts until released
        entered.release()
        release.wait(timeout=2)
        return False

    monkeypatch.setattr(services, "_verify", slow_verify)
    # Eight failures from one client would otherwise meet the back-off (after five) in a race with the releases.
    monkeypatch.setattr(ratelimit, "SIGN_IN_PAIR", ratelimit.BackoffRule("signin-pair", free=100))
    logins = [
        asyncio.create_task(post_form(client, "/anmelden", {"email": "buero@example.org", "password": f"wrong-{n}"}))
        for n in range(8)
    ]
    for _tick in range(1000):  # until a verification has begun
        if entered.acquire(blocking=False):
            break
        await asyncio.sleep(0.01)
    health = await client.get("/health")
    still_verifying = sum(not login.done() for login in logins)
    release.set()
    results = await asyncio.gather(*logins)
    assert health.status_code == 200
    assert still_verifying == 8
    assert {result.status_code for result in results} == {400}


@pytest.fixture
async def code_survey(make):
    from participation.surveys.services.codes import generate_codes

    district = await make.district("Eglosheim")
    centre = await make.centre("KiFaZ Eglosheim", district=district)
    survey = await make.survey(uses_codes=True)
    [code] = await generate_codes(survey, centre, 1)
    return {"survey": survey, "district": district, "code": code}


async def _try_code(client, setup, code: str) -> httpx.Response:
    return await post_form(client, f"/umfrage/{setup['survey']}/antworten", {
        "page": "0", "submission_id": "guess", "district": str(setup["district"]), "code": code, "nav": "next",
    })


async def test_guessing_invitation_codes_is_slowed_down_per_client(client, code_survey, new_client):
    statuses = [(await _try_code(client, code_survey, f"AAAA-{n:04d}")).status_code for n in range(30)]
    assert statuses[:10] == [400] * 10
    assert set(statuses[10:]) == {429}
    # Even the right code waits now from this client …
    blocked = await _try_code(client, code_survey, code_survey["code"])
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert "zu viele ungültige Einladungscodes" in text_of(blocked.text)
    # … while another family elsewhere goes on with theirs.
    family = new_client("192.0.2.77")
    ok = await _try_code(family, code_survey, code_survey["code"])
    assert ok.status_code == 200
    assert "Seite 2 von" in ok.text


async def test_an_unreachable_redis_answers_503_with_retry_after_not_500(db, engine, settings):
    import dataclasses

    from participation.app import create_app
    from tests.conftest import serving

    app = create_app(dataclasses.replace(settings, redis_url="redis://127.0.0.1:1/0"), engine=engine)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with serving(app), httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as browser:
        browser.cookies.set("fd_session", "0" * 64)
        response = await browser.get("/start")
    assert response.status_code == 503
    assert response.headers["retry-after"]


def test_several_server_processes_need_redis(monkeypatch):
    from click.testing import CliRunner

    from participation.cli import cli

    monkeypatch.delenv("REDIS_URL", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "REDIS_URL" in result.output
