"""Test set-up: one database per run (SQLite file by default, PostgreSQL with TEST_DATABASE_URL), migrated once,
emptied before each test. `make test` runs the suite once on each database.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

# In memory where the system offers it (Linux): SQLite then commits without waiting for the disk (0.02 instead of
# 0.4 ms a commit); it is still the real SQLite, and the data is gone after the run anyway. A run needs a few MB.
_IN_MEMORY = "/dev/shm"
_IN_MEMORY_USABLE = os.path.isdir(_IN_MEMORY) and shutil.disk_usage(_IN_MEMORY).free > 256 * 2**20
_TMP = Path(tempfile.mkdtemp(prefix="familiendialog-tests-", dir=_IN_MEMORY if _IN_MEMORY_USABLE else None))
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
# Each test worker opens one engine (on PostgreSQL: one pool) that its tests and every app under test share; the app
# runs on the tests' event loop (see `client`), so pooled connections serve both.
os.environ["DB_POOL_MAX"] = "4"
# In-process tests run jobs explicitly (participation.jobs.run_until_idle); the live server runs its own runner.
os.environ["RUN_JOBS_IN_APP"] = "0"

from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

from participation.settings import Settings  # noqa: E402

# The pytest-xdist controller loads this file too, but runs no test: the app (~3 s of imports) is imported where it
# is used, so the workers start that much sooner.
if TYPE_CHECKING:
    from litestar import Litestar

    from tests.factories import Factory


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
    if session.config.pluginmanager.hasplugin("dsession"):
        return  # the pytest-xdist controller runs no tests; each worker makes its own database
    if _SERVER_URL:
        name = TEST_DATABASE_URL.rsplit("/", 1)[-1]
        if "test" not in name:
            raise RuntimeError(f"Refusing to use database {name!r}: its name must contain 'test'.")
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}"')
        _postgres_admin(f'CREATE DATABASE "{name}"')
        # This database lives for one run: commits need not wait for the disk (as on SQLite above).
        _postgres_admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    from participation.db import run_migrations

    asyncio.run(run_migrations())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that never touch the database, so `make test` runs them in its SQLite pass only.

    Then order the slow files first: browser tests, tests with a database, tests without. `make test` has pytest-xdist
    hand out files in this order (--no-loadscope-reorder), so the two workers finish close together instead of one
    of them ending the run with a long browser module.
    """
    for item in items:
        if not {"db", "engine"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database_free)

    def slowness(item: pytest.Item) -> int:
        if item.get_closest_marker("browser"):
            return 0
        return 2 if item.get_closest_marker("database_free") else 1

    items.sort(key=slowness)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_TMP, ignore_errors=True)
    if _SERVER_URL:
        try:
            _postgres_admin(f'DROP DATABASE IF EXISTS "{TEST_DATABASE_URL.rsplit("/", 1)[-1]}" WITH (FORCE)')
        except Exception as error:
            print(f"Could not drop the test database: {error}")


@pytest.fixture(scope="session")
def settings() -> Settings:
    from participation.accounts.services import configure_password_hashing

    settings = Settings.from_env()
    # Factories create users before (or without) an app, which would configure this too.
    configure_password_hashing(settings.password_hash_profile)
    return settings


@pytest.fixture(scope="session")
async def engine(settings: Settings):
    """The worker's engine, opened once (on PostgreSQL with a pool) for the tests and every app under test."""
    from participation.db import bind_tables, close_engine, make_engine, open_engine

    engine = make_engine(settings)
    bind_tables(engine)
    await open_engine(engine, settings.db_pool_max)
    yield engine
    await close_engine(engine)


def _postgres_emptying_statement(names: list[str]) -> str:
    """One round trip that deletes every row and restarts the ids that were used.

    A TRUNCATE of all tables costs ~50 ms however few rows they hold; deleting the few rows a test made and
    restarting only the sequences that moved costs ~5 ms.
    """
    deletes = " ".join(f'DELETE FROM "{name}";' for name in names)
    tables = ", ".join(f"'\"{name}\"'::regclass" for name in names)
    return f"""DO $$
DECLARE sequence_name text;
BEGIN
  {deletes}
  FOR sequence_name IN
    SELECT s.oid::regclass::text FROM pg_class s
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('a', 'i')
    JOIN pg_sequences p ON p.schemaname = s.relnamespace::regnamespace::text AND p.sequencename = s.relname
    WHERE s.relkind = 'S' AND d.refobjid IN ({tables}) AND p.last_value IS NOT NULL
  LOOP
    EXECUTE 'ALTER SEQUENCE ' || sequence_name || ' RESTART';
  END LOOP;
END $$"""


async def empty_database(engine) -> None:
    """Empty every table of the app and restart ids."""
    from participation.db import bind_tables
    from participation.piccolo_app import APP_CONFIG

    bind_tables(engine)
    tables = list(reversed(APP_CONFIG.table_classes))
    if TEST_DATABASE_URL.startswith("sqlite"):
        # One connection and one commit for all tables instead of one of each per table.
        async with engine.transaction():
            for table in tables:
                await table.raw(f'DELETE FROM "{table._meta.tablename}"')
    else:
        await engine.run_ddl(_postgres_emptying_statement([table._meta.tablename for table in tables]))


@pytest.fixture
async def db(engine) -> None:
    """An empty database for one test, of an installed city (the demo's site settings, so pages do not lead to the
    first-run page; `fresh_installation` removes them)."""
    from participation.demo import SITE
    from participation.site.services import forget_site_settings, save_site_settings

    await empty_database(engine)
    forget_site_settings()
    await save_site_settings(SITE)


@pytest.fixture
def make(db) -> Factory:
    """Builds districts, centres, users … in one line each."""
    from tests.factories import Factory

    return Factory()


#: What create_app keeps in app.state; each test gets these as a fresh app would have them.
_APP_STATE = {"settings", "engine", "submission_limiter", "sign_in_throttle", "code_throttle", "job_runner",
              "subscription_limiter", "poll_vote_limiter", "poll_hub"}


@pytest.fixture(scope="session")
def worker_app(settings: Settings, engine) -> Litestar:
    """The app, built once per worker: building it (Litestar registers ~240 handlers, Jinja compiles templates
    afresh) cost ~0.15 s of CPU per test."""
    from participation.app import create_app

    return create_app(settings, engine=engine)


@pytest.fixture
async def app(db, worker_app: Litestar, settings: Settings) -> Litestar:
    """The worker's app on an empty database, with the per-app state of a newly built one."""
    unexpected = set(worker_app.state.dict()) - _APP_STATE
    assert not unexpected, f"create_app keeps {unexpected} in app.state: give each test a fresh one here"
    from participation.web.ratelimit import make_throttles
    from participation.web.stores import THROTTLE_STORE, make_stores

    # Fresh sessions and throttles (memory stores), as a newly built app starts with.
    stores = make_stores(dataclasses.replace(settings, redis_url=""))
    for name, shared in stores.items():
        worker_app.stores.register(name, shared.store, allow_override=True)
    worker_app.state.update(make_throttles(stores[THROTTLE_STORE], settings.secret_key, settings.submit_rate_per_hour,
                                           settings.poll_vote_rate_per_hour))
    from participation.dialogues.services.live import PollHub

    worker_app.state.poll_hub = PollHub()
    return worker_app


@pytest.fixture
async def fresh_installation(app: Litestar) -> Litestar:
    """The app on a database as a new installation has it: no site settings, no account, no data."""
    from participation.site.services import forget_site_settings
    from participation.site.tables import SiteSettingsRow

    await SiteSettingsRow.delete(force=True)
    forget_site_settings()
    return app


@asynccontextmanager
async def serving(app: Litestar) -> AsyncIterator[None]:
    """Run the app's lifespan (startup to shutdown) in a task of its own on the current event loop.

    A task of its own, because pytest-asyncio sets a fixture up and tears it down in different tasks, and the
    lifespan's task group must be left in the task that entered it.
    """
    started, stop = asyncio.Event(), asyncio.Event()

    async def run() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(run())
    startup = asyncio.create_task(started.wait())
    await asyncio.wait({task, startup}, return_when=asyncio.FIRST_COMPLETED)
    if not started.is_set():
        startup.cancel()
        await task  # raises the startup error
    try:
        yield
    finally:
        stop.set()
        await task


def _each_request_in_a_task(app: Litestar):
    """Serve each request in a task of its own, as a server does, so the app's context variables stay its own."""

    async def asgi(scope, receive, send) -> None:
        await asyncio.create_task(app(scope, receive, send))

    return asgi


@pytest.fixture
async def client(app):
    """A browser-like client that does not follow redirects, so tests see where they lead.

    The app runs in the test's event loop (unlike Litestar's AsyncTestClient, which serves it from a thread of its
    own), so it shares the worker's engine and pool with the test.
    """
    import httpx

    transport = httpx.ASGITransport(
        app=_each_request_in_a_task(app), raise_app_exceptions=False, client=("testclient", 50000)
    )
    async with serving(app), httpx.AsyncClient(
        transport=transport, base_url="http://testserver.local", headers={"user-agent": "testclient"},
        follow_redirects=False,
    ) as client:
        yield client
