"""Test set-up: one database per run (SQLite file by default, PostgreSQL with TEST_DATABASE_URL), migrated once,
emptied before each test. `make test` runs the suite once on each database.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="familiendialog-tests-"))
_SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")
if _SERVER_URL:
    # Each run gets its own database next to the given one, so parallel runs never wipe each other's data.
    _BASE, _, _NAME = _SERVER_URL.rpartition("/")
    TEST_DATABASE_URL = f"{_BASE}/{_NAME.split('?')[0]}_run{os.getpid()}"
else:
    TEST_DATABASE_URL = f"sqlite:///{_TMP / 'test.sqlite3'}"
# Must be set before anything of the app is imported: Piccolo's migration runner reads it.
os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ["SECRET_KEY"] = "test-secret-key-that-is-long-enough-0123456789"
os.environ.pop("PRODUCTION", None)
# Still Argon2id, at the cheapest cost: production cost made a third of the suite's CPU time.
os.environ["PASSWORD_HASH_PROFILE"] = "CHEAPEST"
# Litestar's test client serves the app from its own event loop in a thread; a pool opened there cannot serve the
# test's own queries, so in-process tests connect per query. The browser tests' live server does use a pool.
os.environ["DB_POOL_MAX"] = "0"
# In-process tests run jobs explicitly (participation.jobs.run_until_idle); the live server runs its own runner.
os.environ["RUN_JOBS_IN_APP"] = "0"

import pytest  # noqa: E402
from litestar.testing import AsyncTestClient  # noqa: E402

from participation.accounts.services import configure_password_hashing  # noqa: E402
from participation.app import create_app  # noqa: E402
from participation.db import bind_tables, make_engine, run_migrations  # noqa: E402
from participation.piccolo_app import APP_CONFIG  # noqa: E402
from participation.settings import Settings  # noqa: E402
from tests.factories import Factory  # noqa: E402


def _postgres_admin(statement: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(_SERVER_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def pytest_sessionstart(session: pytest.Session) -> None:
    if _SERVER_URL:
        name = TEST_DATABASE_URL.rsplit("/", 1)[-1]
        if "test" not in name:
            raise RuntimeError(f"Refusing to use database {name!r}: its name must contain 'test'.")
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}"')
        _postgres_admin(f'CREATE DATABASE "{name}"')
    asyncio.run(run_migrations())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _SERVER_URL:
        try:
            _postgres_admin(f'DROP DATABASE IF EXISTS "{TEST_DATABASE_URL.rsplit("/", 1)[-1]}" WITH (FORCE)')
        except Exception as error:
            print(f"Could not drop the test database: {error}")


@pytest.fixture(scope="session")
def settings() -> Settings:
    settings = Settings.from_env()
    # Factories create users before (or without) an app, which would configure this too.
    configure_password_hashing(settings.password_hash_profile)
    return settings


@pytest.fixture(scope="session")
def engine(settings: Settings):
    engine = make_engine(settings)
    bind_tables(engine)
    return engine


async def empty_database(engine) -> None:
    """Empty every table of the app and restart ids."""
    bind_tables(engine)
    tables = list(reversed(APP_CONFIG.table_classes))
    if TEST_DATABASE_URL.startswith("sqlite"):
        for table in tables:
            await table.raw(f'DELETE FROM "{table._meta.tablename}"')
    else:
        names = ", ".join(f'"{t._meta.tablename}"' for t in tables)
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
async def db(engine) -> None:
    """An empty database for one test."""
    await empty_database(engine)


@pytest.fixture
def make(db) -> Factory:
    """Builds districts, centres, users … in one line each."""
    return Factory()


@pytest.fixture
async def app(db, settings):
    return create_app(settings)


@pytest.fixture
async def client(app):
    """A browser-like client that does not follow redirects, so tests see where they lead."""
    async with AsyncTestClient(app=app, raise_server_exceptions=False) as client:
        client.follow_redirects = False
        yield client
