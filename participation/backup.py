"""Backups that restore: `participation backup FILE` and `participation restore FILE`.

SQLite: SQLite's online backup API copies the live database in one step (a consistent snapshot; in WAL mode parents
keep submitting meanwhile) into a single self-contained file. PostgreSQL: `pg_dump --format=custom` (a consistent
snapshot too) and `pg_restore` in one transaction.

What a backup holds (the retention rule): every table of the platform except the rows of the `job` table. Jobs are a
work queue: a finished job's outcome lives elsewhere (themes in `analysis_*`, PDFs in `dialogue_rendered_pdf`), and
its stored parameters and result are transient copies (a centre summary job carries the centre's figures). Sign-in
sessions live in encrypted cookies and submission counters in memory, so neither is in the database at all.
Clustering runs that were queued or running when the backup was taken are queued again by `restore`; PDFs are
rendered again when someone asks for one.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from participation.db import sqlite_path
from participation.settings import Settings

#: Tables whose rows a backup never holds (see the module docstring).
TRANSIENT_TABLES = ("job",)
#: Piccolo's record of applied migrations: present in every migrated database, not data of the platform.
MIGRATION_TABLE = "migration"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"

#: progress(done, total, label): called as work advances; total may grow.
Progress = Callable[[int, int, str], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    kind: str  # "sqlite" | "postgresql"
    tables: int
    bytes: int


def _no_progress(done: int, total: int, label: str) -> None:
    pass


def backup_kind(path: Path) -> str:
    """"sqlite" or "postgresql" by the file's first bytes; BackupError for anything else."""
    if not path.exists():
        raise BackupError(f"{path}: no such file.")
    if path.is_dir():
        raise BackupError(f"{path} is a directory, not a backup file.")
    with path.open("rb") as file:
        head = file.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a backup of this platform (neither an SQLite database nor a pg_dump archive).")


def _partial(target: Path) -> Path:
    target = target.resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a directory; name the backup file to write.")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent}: no such directory.")
    return target.with_name(f".{target.name}.partial")


def _private_file(path: Path) -> None:
    """Create `path` empty, readable by its owner only: a backup holds every parent's answers."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


# ---------------------------------------------------------------------------------------------------------- backup


def backup(settings: Settings, target: Path, progress: Progress = _no_progress) -> Outcome:
    """Write a backup of the configured database to `target` (replaced only once the backup is complete)."""
    partial = _partial(target)
    try:
        if settings.is_sqlite:
            tables = _backup_sqlite(sqlite_path(settings.database_url), partial, progress)
            kind = "sqlite"
        else:
            tables = _backup_postgres(settings.database_url, partial, progress)
            kind = "postgresql"
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(target, kind, tables, target.stat().st_size)


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]


def _backup_sqlite(source: Path, partial: Path, progress: Progress) -> int:
    if not source.exists():
        raise BackupError(f"The database {source} does not exist.")
    steps = 4
    progress(0, steps, "copy")
    _private_file(partial)
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        # All pages in one step: SQLite restarts a step-wise copy whenever another connection writes, which under a
        # steady stream of submissions could go on for ever. One step reads one snapshot; in WAL mode writers go on.
        live.backup(copy, pages=-1)
        progress(1, steps, "prune")
        tables = _sqlite_tables(copy)
        if MIGRATION_TABLE not in tables:
            raise BackupError(f"{source} is not a migrated database of this platform; nothing to back up.")
        for table in TRANSIENT_TABLES:
            if table in tables:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 - names from TRANSIENT_TABLES
        copy.commit()
        progress(2, steps, "compact")
        # One self-contained file, and the deleted rows are gone from its free pages too.
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.execute("VACUUM")
        progress(3, steps, "check")
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed SQLite's integrity check; the database file may be damaged.")
        progress(4, steps, "done")
        return len(tables)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not back up {source}: {error}") from error
    finally:
        copy.close()
        live.close()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client tools (Debian: postgresql-client) of the server's "
            "major version or newer, and put them on PATH."
        )
    return path


def _run_tool(command: list[str], progress: Progress, total: int, label: str, pattern: str) -> str:
    """Run a pg tool with --verbose, advancing `progress` on each stderr line matching `pattern`; returns stderr."""
    done = 0
    lines: list[str] = []
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,  # noqa: S603 - no shell
                          text=True, errors="replace") as process:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if re.search(pattern, line):
                done += 1
                progress(min(done, total), max(total, done), label)
        code = process.wait()
    if code != 0:
        raise BackupError(_explain("".join(lines), command[0]))
    progress(total, total, label)
    return "".join(lines)


def _explain(stderr: str, tool: str) -> str:
    """The tool's own error, with the likely cause first where we know it."""
    errors = [line for line in stderr.splitlines() if "error" in line.lower() or "fatal" in line.lower()]
    detail = "\n".join(errors[-5:] or stderr.strip().splitlines()[-5:])
    name = Path(tool).name
    if "server version mismatch" in stderr or "aborting because of server version mismatch" in stderr:
        return (f"{name} is older than the PostgreSQL server; use client tools of the server's major version "
                f"or newer.\n{detail}")
    if "unsupported version" in stderr and "file header" in stderr:
        return f"{name} is older than the pg_dump that wrote this backup; use newer client tools.\n{detail}"
    if "input file does not appear to be a valid archive" in stderr or "not a valid archive" in stderr:
        return f"The file is not a pg_dump archive.\n{detail}"
    return f"{name} failed:\n{detail}"


def _postgres_table_count(url: str) -> int:
    import asyncio

    import asyncpg

    async def count() -> int:
        connection = await asyncpg.connect(url)
        try:
            return await connection.fetchval(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        finally:
            await connection.close()

    try:
        return asyncio.run(count())
    except (OSError, asyncpg.PostgresError) as error:
        raise BackupError(f"Cannot reach the database: {error}") from error


def _backup_postgres(url: str, partial: Path, progress: Progress) -> int:
    pg_dump = _tool("pg_dump")
    tables = _postgres_table_count(url)
    if tables == 0:
        raise BackupError("The database holds no tables; nothing to back up (run `participation migrate` first?).")
    _private_file(partial)
    command = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--verbose", f"--file={partial}"]
    command += [f"--exclude-table-data={table}" for table in TRANSIENT_TABLES]
    command += [f"--dbname={url}"]
    _run_tool(command, progress, tables, "dump", r"dumping contents of table")
    return tables


# --------------------------------------------------------------------------------------------------------- restore


def restore(settings: Settings, source: Path, *, force: bool = False, progress: Progress = _no_progress) -> Outcome:
    """Replace the configured database's contents with the backup `source`.

    Refuses a database that holds data unless `force`: nothing saved is lost by accident.
    """
    kind = backup_kind(source)
    target_kind = "sqlite" if settings.is_sqlite else "postgresql"
    if kind != target_kind:
        raise BackupError(
            f"{source} is a {'PostgreSQL' if kind == 'postgresql' else 'SQLite'} backup, but DATABASE_URL names "
            f"{'a PostgreSQL' if target_kind == 'postgresql' else 'an SQLite'} database; restore it into a database "
            "of the same kind."
        )
    if kind == "sqlite":
        tables = _restore_sqlite(source, sqlite_path(settings.database_url), force, progress)
    else:
        tables = _restore_postgres(source, settings.database_url, force, progress)
    return Outcome(source, kind, tables, source.stat().st_size)


def _refuse_data(holding: list[str], force: bool) -> None:
    if holding and not force:
        shown = ", ".join(holding[:5]) + (" …" if len(holding) > 5 else "")
        raise BackupError(
            f"The target database already holds data ({shown}). Restoring would replace it; "
            "run again with --force if that is what you want."
        )


def _restore_sqlite(source: Path, target: Path, force: bool, progress: Progress) -> int:
    steps = 3
    progress(0, steps, "check")
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            tables = _sqlite_tables(backup_db)
            healthy = backup_db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} cannot be read as an SQLite database: {error}") from error
        if MIGRATION_TABLE not in tables:
            raise BackupError(f"{source} is an SQLite database, but not a backup of this platform.")
        if not healthy:
            raise BackupError(f"{source} is damaged (SQLite's integrity check failed).")
        target.parent.mkdir(parents=True, exist_ok=True)
        live = sqlite3.connect(target, timeout=30)
        try:
            holding = [t for t in _sqlite_tables(live) if t != MIGRATION_TABLE
                       and live.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()]  # noqa: S608 - names from the file
            _refuse_data(holding, force)
            progress(1, steps, "copy")
            # The backup API replaces the whole target in one transaction; other connections wait (busy timeout).
            backup_db.backup(live, pages=-1)
            progress(2, steps, "check")
            if live.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError("The restored database failed SQLite's integrity check.")
            live.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as error:
            raise BackupError(f"SQLite could not restore into {target}: {error}") from error
        finally:
            live.close()
    finally:
        backup_db.close()
    progress(3, steps, "done")
    return len(tables)


def _postgres_tables_with_rows(url: str) -> list[str]:
    import asyncio

    import asyncpg

    async def holding() -> list[str]:
        connection = await asyncpg.connect(url)
        try:
            names = [row["table_name"] for row in await connection.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name")]
            return [name for name in names if name != MIGRATION_TABLE
                    and await connection.fetchval(f'SELECT EXISTS (SELECT 1 FROM "{name}")')]  # noqa: S608
        finally:
            await connection.close()

    try:
        return asyncio.run(holding())
    except (OSError, asyncpg.PostgresError) as error:
        raise BackupError(f"Cannot reach the database: {error}") from error


def _restore_postgres(source: Path, url: str, force: bool, progress: Progress) -> int:
    pg_restore = _tool("pg_restore")
    listing = subprocess.run(  # noqa: S603 - our own tool path and file argument, no shell
        [pg_restore, "--list", str(source)], capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        raise BackupError(_explain(listing.stderr, pg_restore))
    items = [line for line in listing.stdout.splitlines() if line and not line.startswith(";")]
    if not any(re.search(rf"\bTABLE public {MIGRATION_TABLE}\b", line) for line in items):
        raise BackupError(f"{source} is a pg_dump archive, but not a backup of this platform.")
    tables = sum(1 for line in items if re.search(r"\bTABLE public ", line))
    _refuse_data(_postgres_tables_with_rows(url), force)
    command = [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
               "--exit-on-error", "--verbose", f"--dbname={url}", str(source)]
    _run_tool(command, progress, len(items), "restore", r"(creating|processing data for table|executing) ")
    return tables


# ------------------------------------------------------------------------------------------------ after a restore


async def requeue_interrupted_work(threshold: int) -> int:
    """Queue again the clustering runs that were queued or running when the backup was taken (their jobs are not
    in backups); returns how many."""
    from participation import jobs
    from participation.surveys.services.themes import CLUSTER_JOB
    from participation.surveys.tables import AnalysisRun

    runs = await AnalysisRun.select(AnalysisRun.id).where(AnalysisRun.status.is_in(["queued", "running"]))
    for run in runs:
        job_id = await jobs.enqueue(CLUSTER_JOB, {"run_id": run["id"], "threshold": threshold,
                                                 "audience": jobs.OFFICE})
        await AnalysisRun.update({AnalysisRun.status: "queued", AnalysisRun.job: job_id}).where(
            AnalysisRun.id == run["id"])
    return len(runs)

