"""The authorisation walk over the offerings routes, until tests/route_access.py includes them."""

from __future__ import annotations

from tests.factories import csrf_token, sign_in
from tests.offerings.route_access_offerings import ROUTES, sample_ids
from tests.route_access import fill_path


def _allowed(access: str, role: str) -> bool:
    return access == "public" or (access == "signed_in" and role != "anonymous") or access == role


async def test_every_offerings_route_answers_each_role_as_promised(client, loop):
    ids = {"round_id": loop.round_id, "centre_id": loop.centre_a, **await sample_ids(loop.round_id, loop.centre_a)}
    failures = []
    for role in ("anonymous", "centre", "office"):
        client.cookies.clear()
        if role != "anonymous":
            await sign_in(client, "buero@example.org" if role == "office" else "zentrum@example.org")
        token = await csrf_token(client)
        for (method, path), access in sorted(ROUTES.items()):
            url = fill_path(path, ids)
            response = await (client.get(url) if method == "GET" else client.post(url, data={"_csrf_token": token}))
            location = response.headers.get("location", "")
            if _allowed(access, role):
                ok = response.status_code < 500 and response.status_code not in (401, 403) and not location.startswith(
                    "/anmelden")
                if method == "GET":
                    ok = ok and response.status_code == 200
            elif role == "anonymous":
                ok = response.status_code == 303 and location.startswith("/anmelden")
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{role} {method} {url} ({access}) -> {response.status_code} {location}")
    assert not failures, "\n".join(failures)
