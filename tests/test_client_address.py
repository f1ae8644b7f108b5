"""Behind the reverse proxy: the submission limit counts each parent, and nobody else can pick their address.

`participation serve` takes the client address from X-Forwarded-For only when the peer is a trusted proxy
(`FORWARDED_ALLOW_IPS`, default 127.0.0.1): through Caddy two parents are two clients; sent straight to an app that
does not trust the sender, a forged header changes nothing.
"""

from __future__ import annotations

import httpx

from tests.support.live_server import LiveServer, form_token, seed


def _submit(base: str, survey: int, district: int, forwarded_for: str, number: int) -> int:
    with httpx.Client(base_url=base, timeout=10, headers={"X-Forwarded-For": forwarded_for}) as client:
        token = form_token(client.get(f"/umfrage/{survey}/antworten").text)
        response = client.post(f"/umfrage/{survey}/antworten", data={
            "_csrf_token": token, "page": "1", "district": str(district), "q_wahl": "a",
            "submission_id": f"address-{number}", "nav": "submit",
        })
        return response.status_code


def test_behind_a_trusted_proxy_each_parent_has_their_own_allowance(tmp_path):
    url = f"sqlite:///{tmp_path / 'proxy.sqlite3'}"
    district, survey = seed(url)
    with LiveServer(url, SUBMIT_RATE_PER_HOUR="1") as server:  # the proxy at 127.0.0.1 is trusted by default
        first = _submit(server.base, survey, district, "203.0.113.1", 1)
        again = _submit(server.base, survey, district, "203.0.113.1", 2)
        other_parent = _submit(server.base, survey, district, "203.0.113.2", 3)
    assert (first, again, other_parent) == (303, 429, 303)


def test_a_forged_forwarded_for_from_an_untrusted_peer_does_not_buy_more_submissions(tmp_path):
    url = f"sqlite:///{tmp_path / 'forged.sqlite3'}"
    district, survey = seed(url)
    with LiveServer(url, SUBMIT_RATE_PER_HOUR="1", FORWARDED_ALLOW_IPS="192.0.2.99") as server:
        first = _submit(server.base, survey, district, "203.0.113.1", 1)
        forged = _submit(server.base, survey, district, "203.0.113.2", 2)
    assert (first, forged) == (303, 429)
