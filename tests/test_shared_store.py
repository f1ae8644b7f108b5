"""Two app processes behind one Redis: sessions and throttles hold across them (issue 12, several processes).

Two `participation serve` processes on the test run's database and the same REDIS_URL (Redis at 127.0.0.1:6379, or
TEST_REDIS_URL), each test under a random key prefix that is removed afterwards, so parallel runs do not collide.
A session made on one is valid on the other, signing out on one ends it on both, and the submission limit and the
sign-in back-off count across both. Skipped only when Redis cannot be reached (`.ci/run` starts it).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.factories import PASSWORD
from tests.support.live_server import LiveServer, form_token

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}); start it with `redis-server --daemonize yes`")
    prefix = f"fdtest-{secrets.token_hex(6)}"
    yield prefix
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def two_servers(db, redis_prefix) -> Iterator[tuple[LiveServer, LiveServer]]:
    env = {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": redis_prefix, "SUBMIT_RATE_PER_HOUR": "3", "RUN_JOBS_IN_APP": "0"}
    with LiveServer(TEST_DATABASE_URL, **env) as first, LiveServer(TEST_DATABASE_URL, **env) as second:
        yield first, second


async def _post(client: httpx.AsyncClient, url: str, data: dict) -> httpx.Response:
    return await client.post(url, data={**data, "_csrf_token": client.cookies["fd_csrf"]})


async def _signed_in(client: httpx.AsyncClient, base: str) -> bool:
    return (await client.get(f"{base}/konto/passwort")).status_code == 200


async def test_a_session_made_on_one_process_is_valid_on_the_other_and_ends_on_both(make, two_servers):
    await make.office_user()
    first, second = two_servers
    # Both processes listen on 127.0.0.1, so one browser (one cookie jar) talks to both, as behind a balancer.
    async with httpx.AsyncClient(timeout=10) as browser, httpx.AsyncClient(timeout=10) as thief:
        await browser.get(f"{first.base}/anmelden")
        signed_in = await _post(browser, f"{first.base}/anmelden",
                                {"email": "buero@example.org", "password": PASSWORD})
        assert signed_in.status_code == 303
        assert await _signed_in(browser, second.base)
        thief.cookies.set("fd_session", browser.cookies["fd_session"])
        assert await _signed_in(thief, first.base)
        assert (await _post(browser, f"{second.base}/abmelden", {})).status_code == 303
        assert not await _signed_in(thief, first.base)
        assert not await _signed_in(thief, second.base)


async def test_the_submission_limit_counts_across_both_processes(make, two_servers):
    district = await make.district("Eglosheim")
    survey = await make.survey([{"key": "wahl", "kind": "single", "text": "Was passt?",
                                 "options": [("a", "A"), ("b", "B")]}])
    first, second = two_servers
    statuses = []
    async with httpx.AsyncClient(timeout=10) as parent:
        for number, server in enumerate([first, second, first, second, first]):
            token = form_token((await parent.get(f"{server.base}/umfrage/{survey}/antworten")).text)
            response = await parent.post(f"{server.base}/umfrage/{survey}/antworten", data={
                "_csrf_token": token, "page": "1", "district": str(district), "q_wahl": "a",
                "submission_id": f"across-{number}", "nav": "submit",
            })
            statuses.append(response.status_code)
    assert statuses == [303, 303, 303, 429, 429]  # SUBMIT_RATE_PER_HOUR=3 for both together


async def test_the_sign_in_back_off_counts_across_both_processes(make, two_servers):
    await make.office_user()
    first, second = two_servers
    async with httpx.AsyncClient(timeout=10) as guesser:
        await guesser.get(f"{first.base}/anmelden")
        statuses = [
            (await _post(guesser, f"{server.base}/anmelden", {"email": "buero@example.org", "password": "wrong"}))
            .status_code
            for server in [first, second, first, second, first, second]
        ]
    assert statuses == [400, 400, 400, 400, 400, 429]
