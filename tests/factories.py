"""One-line builders for test data, and helpers to act as a signed-in user."""

from __future__ import annotations

import itertools
import re

from litestar.testing import AsyncTestClient

from participation.accounts.schemas import Role
from participation.accounts.services import create_user
from participation.directory.services import create_district, create_operator, save_centre

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


class Factory:
    async def district(self, name: str | None = None) -> int:
        return await create_district(name or f"Stadtteil {next(_counter)}")

    async def operator(self, name: str | None = None) -> int:
        return await create_operator(name or f"Träger {next(_counter)}")

    async def centre(self, name: str | None = None, *, district: int | None = None, operator: int | None = None) -> int:
        return await save_centre(
            None,
            name=name or f"Zentrum {next(_counter)}",
            district_id=district or await self.district(),
            operator_id=operator or await self.operator(),
        )

    async def office_user(self, email: str = "buero@example.org") -> int:
        return await create_user(email=email, display_name="Büro", password=PASSWORD, role=Role.OFFICE)

    async def centre_user(self, email: str = "zentrum@example.org", *, centre: int | None = None) -> int:
        return await create_user(
            email=email, display_name="Zentrum", password=PASSWORD, role=Role.CENTRE,
            centre_id=centre or await self.centre(),
        )


async def csrf_token(client: AsyncTestClient) -> str:
    if "fd_csrf" not in client.cookies:
        await client.get("/")
    return client.cookies["fd_csrf"]


async def post_form(client: AsyncTestClient, url: str, data: dict | list | None = None, **kwargs):
    """POST a form like a browser does, CSRF token included."""
    token = await csrf_token(client)
    if isinstance(data, list):
        fields = [*data, ("_csrf_token", token)]
    else:
        fields = {**(data or {}), "_csrf_token": token}
    return await client.post(url, data=fields, **kwargs)


async def sign_in(client: AsyncTestClient, email: str, password: str = PASSWORD) -> None:
    response = await post_form(client, "/anmelden", {"email": email, "password": password})
    assert response.status_code in (200, 303), response.text
    assert "fd_session" in client.cookies, "sign-in did not set a session"


def text_of(html: str) -> str:
    """The visible text of a page, whitespace folded, for assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
