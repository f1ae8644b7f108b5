"""The database engine: SQLite by default, PostgreSQL when `DATABASE_URL` says so.

Piccolo binds each table to an engine. `bind_tables` points every table of the app at the engine the app factory
built, so a test can build an app on a database of its own.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from participation.settings import Settings


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
    return PostgresEngine(config={"dsn": settings.database_url})


def bind_tables(engine: Engine) -> None:
    """Point every table of the app at `engine`."""
    from participation.piccolo_app import APP_CONFIG

    for table in APP_CONFIG.table_classes:
        table._meta.db = engine


async def open_engine(engine: Engine, pool_max_size: int = 10) -> None:
    """Start what the engine needs for serving: a pool on PostgreSQL, WAL mode on SQLite."""
    if isinstance(engine, PostgresEngine):
        if pool_max_size > 0:
            await engine.start_connection_pool(min_size=1, max_size=pool_max_size)
    else:
        # WAL lets parents' submissions and office reads proceed side by side.
        await engine.run_ddl("PRAGMA journal_mode=WAL")


async def close_engine(engine: Engine) -> None:
    """Release the pool, if any."""
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        await engine.close_connection_pool()


async def database_is_reachable(engine: Engine) -> bool:
    """True when a trivial query succeeds; used by /health."""
    try:
        await engine.run_ddl("SELECT 1")
    except Exception:
        return False
    return True


async def run_migrations() -> None:
    """Apply all pending Piccolo migrations from `migrations/` to the database of `DATABASE_URL`."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not result.success:
        raise RuntimeError(result.message)


def transaction():
    """A write transaction on the app's engine (SQLite: IMMEDIATE, so concurrent writers queue instead of failing)."""
    from piccolo.engine.sqlite import TransactionType

    from participation.directory.tables import District

    engine = District._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
