"""Server-side sessions that can be revoked: Litestar's `ServerSideSessionConfig` over the shared session store.

The cookie holds only a random session id; the data lives in the store (participation.web.stores), so a copied
cookie stops working once the session is deleted there. Each signed-in session also carries the user's *session
generation*, a random value kept per user in the same store: replacing it ends every session of that user at once
(password change, deactivation, "sign out everywhere") without a list of session ids that concurrent sign-ins in
several processes would have to update. Signing in and out give the browser a new session id (no fixation).
"""

from __future__ import annotations

import secrets
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Message, ScopeSession
from litestar.types.empty import Empty

from participation.web.stores import SESSION_STORE

COOKIE = "fd_session"
#: The CSRF token of every form (Litestar's CSRF middleware, configured in app.py).
CSRF_COOKIE = "fd_csrf"
#: Sessions end after this long without a request.
MAX_AGE_SECONDS = 8 * 3600
#: Where a handler puts the id a rotated session continues under (scope state).
_NEW_ID = "fd_new_session_id"
_ID_BYTES = 32


def _cookie_id(connection: ASGIConnection) -> str | None:
    """The session id of the cookie if it has the form ids are made in; anything else is no session at all, so a
    forged cookie can neither name another key of the store nor break the request."""
    value = connection.cookies.get(COOKIE) or ""
    if len(value) == 2 * _ID_BYTES and all(ch in "0123456789abcdef" for ch in value):
        return value
    return None


class _RotatingBackend(ServerSideSessionBackend):
    """Litestar's server-side backend, plus: a new id on sign-in/out, and no cookie for an empty session."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        return (
            connection.scope.get("state", {}).get(_NEW_ID) or _cookie_id(connection)
            or connection.get_session_id() or self.generate_session_id()
        )

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        if _cookie_id(connection) is None:
            return {}
        return await super().load_from_connection(connection)

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection,
    ) -> None:
        had_cookie = _cookie_id(connection) is not None or _NEW_ID in connection.scope.get("state", {})
        if not scope_session:
            if not had_cookie:
                return  # a visitor without a session (e.g. a parent) gets no session cookie and no store entry
            scope_session = Empty
        await super().store_in_message(scope_session, message, connection)


class SessionConfig(ServerSideSessionConfig):
    _backend_class = _RotatingBackend  # type: ignore[assignment]


def session_config(secure: bool) -> SessionConfig:
    return SessionConfig(
        key=COOKIE, max_age=MAX_AGE_SECONDS, secure=secure, httponly=True, samesite="lax", store=SESSION_STORE,
    )


def _store(connection: ASGIConnection):
    return connection.app.stores.get(SESSION_STORE)


def _generation_key(user_id: int) -> str:
    return f"user-generation:{user_id}"


async def _generation(store, user_id: int) -> str:
    """The user's current session generation, made on first use."""
    value = await store.get(_generation_key(user_id))
    if value is None:
        value = secrets.token_hex(16).encode()
        await store.set(_generation_key(user_id), value)
    return value.decode()


async def _new_session(connection: ASGIConnection, data: dict[str, Any]) -> None:
    """Drop the browser's current session from the store and continue under a new id with `data`."""
    store = _store(connection)
    old_id = _cookie_id(connection)
    if old_id:
        await store.delete(old_id)
    connection.scope.setdefault("state", {})[_NEW_ID] = secrets.token_hex(_ID_BYTES)
    connection.scope["session"] = data


async def start(connection: ASGIConnection, user_id: int) -> None:
    """Sign `user_id` in on this browser, under a fresh session id."""
    store = _store(connection)
    await _new_session(connection, {"user_id": user_id, "generation": await _generation(store, user_id)})


async def end(connection: ASGIConnection) -> None:
    """Sign this browser out: its session is deleted from the store; an empty one may carry a goodbye message."""
    await _new_session(connection, {})


async def revoke_all(connection: ASGIConnection, user_id: int, *, keep_current: bool = False) -> None:
    """End every session of `user_id`; with `keep_current`, this browser continues signed in under a new id."""
    store = _store(connection)
    await store.set(_generation_key(user_id), secrets.token_hex(16).encode())
    if keep_current:
        await start(connection, user_id)


async def signed_in_user_id(connection: ASGIConnection) -> int | None:
    """The user id of this request's session if the session is still valid (not revoked), else None."""
    session = connection.scope.get("session")
    if not isinstance(session, dict):
        return None
    user_id, generation = session.get("user_id"), session.get("generation")
    if not isinstance(user_id, int) or not isinstance(generation, str):
        return None
    current = await _store(connection).get(_generation_key(user_id))
    if current is None or not secrets.compare_digest(current.decode(), generation):
        return None
    return user_id
