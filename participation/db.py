"""The database engine: SQLite by default, PostgreSQL when `DATABASE_URL` says so.

Piccolo binds each table to an engine. `bind_tables` points every table of the app at the engine the app factory
built, so a test can build an app on a database of its own.

On PostgreSQL the engine is a `HealingPostgresEngine`: a pool that survives a database restart. Piccolo's own
transaction gives its connection back only when commit or rollback succeed; when PostgreSQL restarts inside an open
transaction they fail (asyncpg: "cannot switch to state 15; another operation is in progress"), the connection is
never released, and after as many restarts as the pool has connections every request waits forever. Here a
connection whose transaction could not be ended cleanly is terminated and handed back (the pool then opens a fresh
one), waiting for a free connection has a timeout, and every connection fault surfaces as `DatabaseUnavailable`,
which the app answers with 503 and Retry-After.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.querystring import QueryString

from participation.settings import Settings

log = logging.getLogger(__name__)

#: Errors that mean the connection or the server is gone (not that a statement was wrong). `TimeoutError` (an
#: `OSError`) is a connect or acquire that took too long.
CONNECTION_FAULTS: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.TooManyConnectionsError,
)


class DatabaseUnavailable(Exception):
    """The database cannot be reached right now, or no pooled connection became free in time; worth a retry."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HealingPostgresTransaction(PostgresTransaction):
    """Piccolo's transaction, except that its connection always goes back to the pool, discarded if it broke."""

    engine: HealingPostgresEngine

    async def get_connection(self):
        return await self.engine.acquire()

    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()
        self.transaction = self.connection.transaction()
        try:
            await self.begin()
        except BaseException as error:
            await self.engine.discard(self.connection)
            if isinstance(error, CONNECTION_FAULTS):
                raise DatabaseUnavailable(f"begin failed: {error}") from error
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is not None:
                if not self._rolled_back:
                    try:
                        await self.rollback()
                    except BaseException as error:  # the connection is gone; the server rolls back on its own
                        log.warning("Rollback failed, discarding the connection: %r", error)
                        await self.engine.discard(self.connection)
                        self.connection = None
            elif not self._committed and not self._rolled_back:
                try:
                    await self.commit()
                except BaseException as error:
                    await self.engine.discard(self.connection)
                    self.connection = None
                    if isinstance(error, CONNECTION_FAULTS):
                        raise DatabaseUnavailable(f"commit failed: {error}") from error
                    raise
            if self.connection is not None:
                await self.engine.give_back(self.connection)
        finally:
            self.engine.current_transaction.reset(self.context)
        return exception is None


class HealingPostgresEngine(PostgresEngine):
    """Piccolo's PostgreSQL engine with an acquire timeout and connections that are discarded when they break."""

    def __init__(self, config: dict[str, Any], *, acquire_timeout: float = 5.0, **kwargs: Any) -> None:
        self.acquire_timeout = acquire_timeout  # before Piccolo's constructor, which asks the server for its version
        #: Pooled connections handed out and not yet given back or discarded: 0 whenever no request runs.
        self.in_use = 0
        super().__init__(config=config, **kwargs)

    def transaction(self, allow_nested: bool = True) -> HealingPostgresTransaction:
        return HealingPostgresTransaction(engine=self, allow_nested=allow_nested)

    async def acquire(self):
        """A connection from the pool (or a new one without a pool); `DatabaseUnavailable` instead of waiting on."""
        try:
            if self.pool is None:
                return await asyncio.wait_for(self.get_new_connection(), self.acquire_timeout)
            connection = await self.pool.acquire(timeout=self.acquire_timeout)
            self.in_use += 1
            return connection
        except TimeoutError as error:
            raise DatabaseUnavailable(f"no database connection within {self.acquire_timeout:g} s") from error
        except CONNECTION_FAULTS as error:
            raise DatabaseUnavailable(f"cannot connect: {error}") from error

    async def give_back(self, connection) -> None:
        """Return a connection to the pool (or close it without a pool); discarded if it cannot be reset."""
        if self.pool is None:
            await connection.close(timeout=self.acquire_timeout)
            return
        try:
            await self.pool.release(connection, timeout=self.acquire_timeout)
        except Exception as error:  # the work is done; only the reset for the next user failed
            log.warning("Returning a connection failed, discarding it: %r", error)
            await self._terminate(connection)
        finally:
            self.in_use -= 1

    async def discard(self, connection) -> None:
        """Close a broken connection at once and free its place in the pool, which opens a new one when needed."""
        await self._terminate(connection)
        if self.pool is not None:
            self.in_use -= 1

    async def _terminate(self, connection) -> None:
        try:
            connection.terminate()
            if self.pool is not None:
                await self.pool.release(connection, timeout=self.acquire_timeout)
        except Exception as error:  # already closed and released is what we want anyway
            log.debug("Discarding a connection: %r", error)

    async def _run_in_pool(self, query: str, args=None):
        if self.pool is None:
            raise ValueError("A pool isn't currently running.")
        connection = await self.acquire()
        try:
            response = await connection.fetch(query, *(args or []))
        except BaseException:
            # asyncpg resets the connection on release and terminates it when that fails.
            await self.give_back(connection)
            raise
        await self.give_back(connection)
        return response

    async def _run_in_new_connection(self, query: str, args=None):
        try:
            connection = await asyncio.wait_for(self.get_new_connection(), self.acquire_timeout)
        except TimeoutError as error:
            raise DatabaseUnavailable(f"no database connection within {self.acquire_timeout:g} s") from error
        try:
            return await connection.fetch(query, *(args or []))
        finally:
            if connection.is_closed():
                connection.terminate()
            else:
                await connection.close(timeout=self.acquire_timeout)

    async def run_querystring(self, querystring: QueryString, in_pool: bool = True):
        try:
            return await super().run_querystring(querystring, in_pool=in_pool)
        except CONNECTION_FAULTS as error:
            raise DatabaseUnavailable(str(error)) from error

    async def run_ddl(self, ddl: str, in_pool: bool = True):
        try:
            return await super().run_ddl(ddl, in_pool=in_pool)
        except CONNECTION_FAULTS as error:
            raise DatabaseUnavailable(str(error)) from error

    def pool_state(self) -> dict[str, int] | None:
        """The pool for the readiness answer (None without one): connections open and idle, places handed out and
        not given back (`in_use`; 0 whenever no request runs, so a lasting number is a leak), and the maximum."""
        if self.pool is None:
            return None
        return {"size": self.pool.get_size(), "idle": self.pool.get_idle_size(), "in_use": self.in_use,
                "max": self.pool.get_max_size()}


def sqlite_path(database_url: str) -> Path:
    """The file behind a `sqlite:///path` URL."""
    return Path(unquote(database_url.removeprefix("sqlite:///")))


def make_engine(settings: Settings) -> Engine:
    """Build (but do not connect) the engine that `settings.database_url` names."""
    if settings.is_sqlite:
        path = sqlite_path(settings.database_url)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A generous busy timeout lets concurrent writers wait instead of failing with "database is locked".
        return SQLiteEngine(path=str(path), timeout=30)
    return HealingPostgresEngine(config={"dsn": settings.database_url}, acquire_timeout=settings.db_acquire_timeout)


def bind_tables(engine: Engine) -> None:
    """Point every table of the app at `engine`."""
    from participation.piccolo_app import APP_CONFIG

    for table in APP_CONFIG.table_classes:
        table._meta.db = engine


async def _keep_session(connection) -> None:
    """Hand a connection back as it is (asyncpg still rolls back an open transaction first).

    asyncpg's default reset sends `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL` on every
    release: a round trip per request, a seventh of a parent's submission. The app changes no session state on pooled
    connections: no SET outside a transaction, no LISTEN, no advisory lock (the migration lock has a connection of its
    own), no cursor outside a transaction. `tests/test_pool_reset.py` checks that an open transaction still ends.
    """
    return None


async def open_engine(engine: Engine, pool_max_size: int = 10) -> None:
    """Start what the engine needs for serving: a pool on PostgreSQL, WAL mode on SQLite."""
    if isinstance(engine, PostgresEngine):
        if pool_max_size > 0:
            # No connection at start (min_size=0): a server that comes up before its database does serves 503s and
            # reports "not ready" until the database answers, instead of failing to start.
            await engine.start_connection_pool(min_size=0, max_size=pool_max_size, reset=_keep_session)
    else:
        # WAL lets parents' submissions and office reads proceed side by side.
        await engine.run_ddl("PRAGMA journal_mode=WAL")


async def close_engine(engine: Engine, timeout: float = 5.0) -> None:  # noqa: ASYNC109 - a budget, not a deadline
    """Close the pool, if any: wait up to `timeout` s for connections in use, then terminate what is left."""
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        pool, engine.pool = engine.pool, None
        try:
            await asyncio.wait_for(pool.close(), timeout)
        except (TimeoutError, *CONNECTION_FAULTS) as error:
            log.warning("The database pool did not close in %g s (%r); terminating its connections.", timeout, error)
            pool.terminate()


async def database_is_reachable(engine: Engine) -> bool:
    """True when a trivial query succeeds (within the acquire timeout on PostgreSQL); used by /health/ready."""
    try:
        await engine.run_ddl("SELECT 1")
    except Exception:
        return False
    return True


@dataclass(frozen=True, slots=True)
class MigrationsRun:
    """What `run_migrations` did: how many migrations it applied now and how many had been applied before."""

    applied: int
    before: int

    def summary(self) -> str:
        """One line for the command line (Piccolo's own lines said "9 already complete" and "9 not yet run" at once)."""
        if not self.applied:
            return f"Database schema is up to date ({self.before} migrations applied earlier; nothing to do)."
        return f"Applied {self.applied} migration(s); {self.before} had been applied earlier."


async def run_migrations() -> MigrationsRun:
    """Apply all pending Piccolo migrations from `migrations/` to the database of `DATABASE_URL`."""
    from piccolo.apps.migrations.commands.forwards import run_forwards
    from piccolo.apps.migrations.tables import Migration

    await Migration.create_table(if_not_exists=True)
    before = await Migration.count()
    # Piccolo counts every migration file as "already complete"; its chatter is kept only for an error message.
    with contextlib.redirect_stdout(io.StringIO()) as chatter:
        result = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not result.success:
        raise RuntimeError(f"{result.message}\n{chatter.getvalue()}")
    return MigrationsRun(applied=await Migration.count() - before, before=before)


def transaction():
    """A write transaction on the app's engine (SQLite: IMMEDIATE, so concurrent writers queue instead of failing)."""
    from piccolo.engine.sqlite import TransactionType

    from participation.directory.tables import District

    engine = District._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
