"""Backup while parents submit, restore into a fresh database, compare (tests/backup_drill.py)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tests.backup_drill import drill, populate


def _fresh_target(database_url: str, workdir: Path) -> tuple[str, str | None]:
    """An empty database beside `database_url`: (its URL, the PostgreSQL name to drop afterwards or None)."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{workdir / 'restored.sqlite3'}", None
    import asyncpg

    base, _, name = database_url.rpartition("/")
    target = f"{name.split('?')[0]}_restored"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{target}"'))
    asyncio.run(admin(f'CREATE DATABASE "{target}"'))
    return f"{base}/{target}", target


def backup_while_submitting(database_url: str) -> str:
    populate(database_url)
    with tempfile.TemporaryDirectory(prefix="faults-backup-") as folder:
        workdir = Path(folder)
        target, drop = _fresh_target(database_url, workdir)
        try:
            result = drill(database_url, target, workdir)
        finally:
            if drop:
                import asyncpg

                async def drop_it() -> None:
                    connection = await asyncpg.connect(database_url)
                    try:
                        await connection.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')
                    finally:
                        await connection.close()

                asyncio.run(drop_it())
    problems = result.problems()
    if problems:
        raise AssertionError("; ".join(problems))
    lost = len(result.committed_before - result.restored_ids)
    return (f"{result.restored['survey_answer']} answers in {len(result.restored)} tables restored, checksum equal, "
            f"{lost} committed responses lost, {result.submitted_during} submitted during the backup; "
            f"backup {result.backup_seconds:.1f} s ({result.backup_bytes // 1024} KiB), "
            f"restore {result.restore_seconds:.1f} s")


SCENARIOS = [("backup while parents submit", backup_while_submitting)]
