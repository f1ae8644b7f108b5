"""`participation backup` and `participation restore`, on the database of the run (SQLite or PostgreSQL).

The tests work on databases of their own next to the run's (a restore replaces a whole database), and ask for the
`engine` fixture so that `make test` runs them in its PostgreSQL pass too.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import conftest
from tests.backup_drill import answers_checksum, cli, drill, populate, row_counts

ON_SQLITE = conftest.TEST_DATABASE_URL.startswith("sqlite")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Iterator:
    """Makes empty databases (files or PostgreSQL databases) and removes them after the module."""
    made: list[str] = []
    folder = tmp_path_factory.mktemp("backup")

    def new_database(label: str) -> str:
        if ON_SQLITE:
            url = f"sqlite:///{folder / f'{label}-{uuid.uuid4().hex[:6]}.sqlite3'}"
        else:
            base = conftest.TEST_DATABASE_URL
            name = f"{base.rsplit('/', 1)[-1]}_{label}"
            conftest._postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conftest._postgres_admin(f'CREATE DATABASE "{name}"')
            made.append(name)
            url = f"{base.rsplit('/', 1)[0]}/{name}"
        return url

    yield new_database
    for name in made:
        conftest._postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def demo_source(scratch) -> str:
    """A database with the Ludwigsburg demo (two rounds, ~430 responses, finished jobs)."""
    url = scratch("source")
    populate(url)
    return url


def test_backup_taken_while_parents_submit_restores_everything_committed_before_it(
    engine, demo_source, scratch, tmp_path: Path
) -> None:
    target = scratch("restored")
    result = drill(demo_source, target, tmp_path)

    assert result.problems() == []
    # The demo left finished jobs in the queue; they are not in the backup (README: what a backup holds).
    assert result.before["job"] > 0 and result.restored["job"] == 0
    # Everything else is there, and the answers are the same answers.
    assert result.restored["survey_answer"] >= result.before["survey_answer"] > 7000
    assert result.committed_before <= result.restored_ids
    assert result.checksum_restored == result.checksum_source
    if ON_SQLITE:
        # Nothing of a job's payload is left in the file's free pages either.
        data = (tmp_path / "backup.sqlite3").read_bytes()
        assert b"render_minutes" not in data and b"cluster_answers" not in data


def test_restored_database_serves_the_same_results_as_its_source(engine, demo_source, scratch,
                                                                  tmp_path: Path) -> None:
    backup_file = tmp_path / "b"
    cli(demo_source, "backup", str(backup_file))
    target = scratch("copy")
    out = cli(target, "restore", str(backup_file))

    assert "restored" in out.stdout
    source_counts, target_counts = row_counts(demo_source), row_counts(target)
    assert {t: c for t, c in target_counts.items() if t != "job"} == {
        t: c for t, c in source_counts.items() if t != "job"}
    assert answers_checksum(target) == answers_checksum(demo_source)
    # The restored database works with the platform: signing in data and surveys are there.
    check = cli(target, "audit", "1")
    assert check.returncode == 0, check.stdout


def test_restore_refuses_a_database_holding_data_unless_forced(engine, demo_source, scratch, tmp_path: Path) -> None:
    backup_file = tmp_path / "b"
    cli(demo_source, "backup", str(backup_file))
    target = scratch("busy")
    cli(target, "migrate")
    cli(target, "createuser", "--email", "neu@example.org", "--name", "Neu", "--role", "office",
        "--password", "ein-langes-passwort-2026")

    refused = cli(target, "restore", str(backup_file), check=False)
    assert refused.returncode == 2
    assert "already holds data" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert row_counts(target)["app_user"] == 1  # untouched

    cli(target, "restore", "--force", str(backup_file))
    assert row_counts(target)["app_user"] == row_counts(demo_source)["app_user"]


def test_restore_of_a_missing_or_foreign_file_says_so(engine, scratch, tmp_path: Path) -> None:
    target = scratch("empty")
    missing = cli(target, "restore", str(tmp_path / "gibt-es-nicht.dump"), check=False)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr

    text = tmp_path / "notizen.txt"
    text.write_text("Das ist keine Sicherung.\n")
    foreign = cli(target, "restore", str(text), check=False)
    assert foreign.returncode == 2 and "not a backup" in foreign.stderr and "Traceback" not in foreign.stderr

    other_kind = tmp_path / "other"
    if ON_SQLITE:
        other_kind.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    else:
        sqlite3.connect(other_kind).execute("CREATE TABLE migration (id INTEGER)").connection.commit()
    crossed = cli(target, "restore", str(other_kind), check=False)
    assert crossed.returncode == 2 and "same kind" in crossed.stderr and "Traceback" not in crossed.stderr


def test_backup_of_a_database_that_does_not_exist_fails_clearly(engine, tmp_path: Path) -> None:
    if ON_SQLITE:
        url = f"sqlite:///{tmp_path / 'nie-angelegt.sqlite3'}"
    else:
        url = f"{conftest.TEST_DATABASE_URL.rsplit('/', 1)[0]}/gibt_es_nicht_test"
    result = cli(url, "backup", str(tmp_path / "x"), check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_clustering_that_was_running_at_backup_time_is_queued_again_after_restore(
    engine, demo_source, scratch, tmp_path: Path
) -> None:
    from tests.backup_drill import query

    first = tmp_path / "first"
    cli(demo_source, "backup", str(first))
    busy = scratch("busy_clustering")
    cli(busy, "restore", str(first))
    # The office had just started a clustering run when the backup was taken.
    run_id = query(busy, "SELECT min(id) FROM analysis_run")[0][0][0]
    query(busy, f"UPDATE analysis_run SET status = 'running' WHERE id = {run_id}")
    second = tmp_path / "second"
    cli(busy, "backup", str(second))
    target = scratch("after_clustering")

    out = cli(target, "restore", str(second))

    assert "1 clustering run(s) queued again" in out.stdout
    status, job = query(target, f"SELECT status, job FROM analysis_run WHERE id = {run_id}")[0][0]
    assert status == "queued"
    assert query(target, f"SELECT kind, status FROM job WHERE id = {job}")[0] == [("cluster_answers", "queued")]
