"""Pooled PostgreSQL connections go back without asyncpg's reset query (a round trip per request saved, see
`db._keep_session`); what the reset was for must still hold: no transaction carries over to the next request."""

from __future__ import annotations

import pytest
from piccolo.engine.postgres import PostgresEngine

from participation.db import close_engine, make_engine, open_engine
from participation.directory.tables import District


@pytest.fixture
async def one_connection_engine(engine, settings):
    if not isinstance(engine, PostgresEngine):
        pytest.skip("connection pools exist on PostgreSQL only")
    own = make_engine(settings)
    await open_engine(own, 1)
    yield own
    await close_engine(own)


async def test_a_connection_given_back_inside_a_transaction_is_rolled_back_before_its_next_use(
    db, one_connection_engine,
):
    pool = one_connection_engine.pool
    async with pool.acquire() as connection:
        await connection.execute("BEGIN")
        await connection.execute("INSERT INTO district (name) VALUES ('Abgebrochen')")
        process = await connection.fetchval("SELECT pg_backend_pid()")
    async with pool.acquire() as connection:
        assert await connection.fetchval("SELECT pg_backend_pid()") == process  # the same connection, reused
        assert not connection.is_in_transaction()
        assert await connection.fetchval("SELECT count(*) FROM district WHERE name = 'Abgebrochen'") == 0
    assert await District.count().where(District.name == "Abgebrochen") == 0


async def test_a_failed_transaction_leaves_the_connection_usable(db, one_connection_engine):
    pool = one_connection_engine.pool
    with pytest.raises(Exception, match="division by zero"):
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute("SELECT 1 / 0")
    async with pool.acquire() as connection:
        assert await connection.fetchval("SELECT 41 + 1") == 42
