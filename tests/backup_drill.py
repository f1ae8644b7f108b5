"""A backup drill, shared by tests/test_backup.py and benchmarks/fault_scenarios/backup.py.

Load the demo into a source database, let parents submit from a child process while `participation backup` runs,
restore into a fresh database with `participation restore`, and compare: every table's row count, every response
committed before the backup started, and a checksum of the answers.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Rows that change while parents submit; every other table must match the source exactly.
SUBMISSION_TABLES = ("survey_response", "survey_answer")

#: A parent's browser: submits valid answers to the open survey, one response per loop, until STOP exists. Prints
#: the number of responses committed after each one.
SUBMITTER = r"""
import asyncio, sys
from pathlib import Path
from participation.db import bind_tables, make_engine, open_engine, close_engine
from participation.settings import Settings

async def main(stop):
    engine = make_engine(Settings.from_env())
    bind_tables(engine)
    await open_engine(engine, 2)
    from participation.directory.tables import District
    from participation.surveys.schemas import QuestionKind
    from participation.surveys.services import answering, definition
    survey = (await definition.open_surveys())[0]
    districts = [row["id"] for row in await District.select(District.id)]
    raw = {}
    for question in survey.questions:
        values = question.option_values()
        if values:
            raw[answering.field_name(question)] = [values[0]]
        elif question.kind is QuestionKind.NUMBER:
            raw[answering.field_name(question)] = [str(int(question.min_value or 1))]
        else:
            raw[answering.field_name(question)] = ["Mehr Plätze in der Kita, bitte."]
    answers, errors = answering.evaluate(survey, raw)
    if errors:
        sys.exit(f"submitter: the answers are not valid: {errors}")
    done = 0
    while not stop.exists():
        outcome = await answering.save_response(
            survey, district_id=districts[done % len(districts)], centre_id=None, language="de",
            answers=answers, submission_id=answering.new_submission_id())
        assert outcome is answering.SaveOutcome.SAVED, outcome
        done += 1
        print(done, flush=True)
    await close_engine(engine)

asyncio.run(main(Path(sys.argv[1])))
"""


def cli(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `participation ARGS` against `database_url`, as an operator would."""
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run([sys.executable, "-m", "participation.cli", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"participation {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def populate(database_url: str) -> None:
    cli(database_url, "migrate")
    cli(database_url, "demo")


# ------------------------------------------------------------------------------------------ reading a database


async def _postgres_rows(database_url: str, queries: list[str]) -> list[list[tuple]]:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    try:
        return [[tuple(row) for row in await connection.fetch(query)] for query in queries]
    finally:
        await connection.close()


def query(database_url: str, *queries: str) -> list[list[tuple]]:
    """Rows of each query, read with a connection of its own (sync; fine inside or outside an event loop)."""
    if database_url.startswith("sqlite"):
        from participation.db import sqlite_path

        connection = sqlite3.connect(sqlite_path(database_url))
        try:
            rows = [connection.execute(q).fetchall() for q in queries]
            connection.commit()
            return rows
        finally:
            connection.close()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_postgres_rows(database_url, list(queries)))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _postgres_rows(database_url, list(queries))).result()


def table_names(database_url: str) -> list[str]:
    if database_url.startswith("sqlite"):
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    else:
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
               "AND table_type = 'BASE TABLE' ORDER BY table_name")
    return [row[0] for row in query(database_url, sql)[0]]


def row_counts(database_url: str) -> dict[str, int]:
    names = table_names(database_url)
    counts = query(database_url, *[f'SELECT count(*) FROM "{name}"' for name in names])
    return {name: rows[0][0] for name, rows in zip(names, counts, strict=True)}


def submission_ids(database_url: str) -> set[str]:
    return {row[0] for row in query(database_url, "SELECT submission_id FROM survey_response")[0]}


def answers_checksum(database_url: str, response_ids: set[int] | None = None) -> str:
    """sha256 over every answer (of the given responses), in id order, with its response's submission id."""
    rows = query(database_url, (
        "SELECT a.id, r.id, r.submission_id, a.question, a.choice, a.number, a.text, a.hidden "
        "FROM survey_answer a JOIN survey_response r ON r.id = a.response ORDER BY a.id"
    ))[0]
    digest = hashlib.sha256()
    for row in rows:
        if response_ids is None or row[1] in response_ids:
            number = None if row[5] is None else round(float(row[5]), 6)
            digest.update(repr((row[0], row[2], row[3], row[4], number, row[6], bool(row[7]))).encode())
    return digest.hexdigest()


def response_ids(database_url: str) -> set[int]:
    return {row[0] for row in query(database_url, "SELECT id FROM survey_response")[0]}


# ----------------------------------------------------------------------------------------------------- the drill


@dataclass
class DrillResult:
    before: dict[str, int]  # the source's row counts when the backup started
    after: dict[str, int]  # … when the submitter had stopped
    restored: dict[str, int]
    committed_before: set[str]  # submission ids committed before the backup started
    restored_ids: set[str]
    submitted_during: int  # responses the submitter committed while the backup ran
    checksum_source: str  # of the source's answers to the responses the restored database holds
    checksum_restored: str
    backup_seconds: float
    restore_seconds: float
    backup_bytes: int

    def problems(self) -> list[str]:
        """What a restore would have lost or changed; empty when the backup is sound."""
        found = []
        for table, count in self.before.items():
            if table == "job":
                if self.restored.get(table, 0) != 0:
                    found.append(f"job: {self.restored[table]} row(s) in the backup (the queue is never backed up)")
            elif table in SUBMISSION_TABLES:
                if not self.before[table] <= self.restored.get(table, -1) <= self.after[table]:
                    found.append(f"{table}: {self.restored.get(table)} rows, expected "
                                 f"{self.before[table]}–{self.after[table]}")
            elif self.restored.get(table) != count or self.after[table] != count:
                found.append(f"{table}: {self.restored.get(table)} rows restored, {count} in the source")
        missing = self.committed_before - self.restored_ids
        if missing:
            found.append(f"{len(missing)} response(s) committed before the backup started are missing")
        if self.checksum_source != self.checksum_restored:
            found.append("the answers' checksum differs")
        return found


def drill(source_url: str, target_url: str, workdir: Path) -> DrillResult:
    """Back up `source_url` (populated) while a parent submits, restore into the empty `target_url`, compare."""
    stop = workdir / "stop-submitting"
    stop.unlink(missing_ok=True)
    backup_file = workdir / ("backup.sqlite3" if source_url.startswith("sqlite") else "backup.dump")
    env = {**os.environ, "DATABASE_URL": source_url}
    submitter = subprocess.Popen([sys.executable, "-c", SUBMITTER, str(stop)], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert submitter.stdout is not None
    try:
        first = submitter.stdout.readline()  # the first response is in: parents are submitting
        if not first:
            raise AssertionError(f"the submitter did not start:\n{submitter.stderr.read()[-3000:]}")
        before = row_counts(source_url)
        committed_before = submission_ids(source_url)
        started = time.perf_counter()
        cli(source_url, "backup", str(backup_file))
        backup_seconds = time.perf_counter() - started
        during_mark = len(submission_ids(source_url)) - len(committed_before)
        # One more after the backup: the submitter went on throughout and was never blocked for good.
        submitter.stdout.readline()
    finally:
        stop.touch()
        _, errors = submitter.communicate(timeout=120)
    if submitter.returncode != 0:
        raise AssertionError(f"the submitter failed:\n{errors[-3000:]}")
    after = row_counts(source_url)
    started = time.perf_counter()
    cli(target_url, "restore", str(backup_file))
    restore_seconds = time.perf_counter() - started
    restored_responses = response_ids(target_url)
    return DrillResult(
        before=before, after=after, restored=row_counts(target_url), committed_before=committed_before,
        restored_ids=submission_ids(target_url), submitted_during=during_mark,
        checksum_source=answers_checksum(source_url, restored_responses),
        checksum_restored=answers_checksum(target_url), backup_seconds=backup_seconds,
        restore_seconds=restore_seconds, backup_bytes=backup_file.stat().st_size,
    )
