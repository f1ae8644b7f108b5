"""Security headers: every page of every role carries a strict Content-Security-Policy and its companions."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from tests.factories import sign_in
from tests.route_access import ROUTES, fill_path
from tests.test_authorization import ROLES, walk_ids  # noqa: F401 - the walk's fixture

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _header_problems(response: httpx.Response) -> list[str]:
    problems = [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in EXPECTED.items() if response.headers.get(name) != value
    ]
    csp = response.headers.get("content-security-policy", "")
    directives = {part.strip().split(" ", 1)[0]: part.strip() for part in csp.split(";") if part.strip()}
    if directives.get("frame-ancestors") != "frame-ancestors 'none'":
        problems.append(f"no frame-ancestors 'none' in CSP {csp!r}")
    for directive in ("script-src", "style-src"):
        value = directives.get(directive, directives.get("default-src", ""))
        if not value or "unsafe-inline" in value or "unsafe-eval" in value or "*" in value:
            problems.append(f"{directive} not strict in CSP {csp!r}")
    if "strict-transport-security" in response.headers:
        problems.append("HSTS sent without PRODUCTION=1")
    return problems


@pytest.mark.parametrize("role", ROLES)
async def test_every_page_of_every_role_carries_the_security_headers(client, walk_ids, role):  # noqa: F811
    if role != "anonymous":
        await sign_in(client, f"{'buero' if role == 'office' else 'zentrum'}@example.org")
    failures = []
    for (method, path), _access in sorted(ROUTES.items()):
        if method != "GET" or path == "/abmelden":
            continue
        url = fill_path(path, walk_ids)
        response = await client.get(url)
        failures += [f"{role} GET {url} -> {response.status_code}: {p}" for p in _header_problems(response)]
    assert not failures, "\n".join(failures)


async def test_error_answers_carry_the_security_headers_too(client):
    unknown = await client.get("/gibt-es-nicht")
    wrong_method = await client.delete("/anmelden")
    assert unknown.status_code == 404 and wrong_method.status_code == 405
    assert _header_problems(unknown) == [] and _header_problems(wrong_method) == []


async def test_hsts_is_sent_only_in_production(settings, engine, client):
    from participation.app import create_app

    assert "strict-transport-security" not in (await client.get("/health/live")).headers
    production_app = create_app(dataclasses.replace(settings, production=True), engine=engine)
    transport = httpx.ASGITransport(app=production_app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver.local") as production_client:
        response = await production_client.get("/health/live")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "includeSubDomains" in response.headers["strict-transport-security"]
