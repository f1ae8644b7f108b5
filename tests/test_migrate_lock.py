"""`participation migrate` started by several containers at once: one migrates, the others wait and find nothing
left to do (PostgreSQL advisory lock; SQLite serialises writers itself)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from tests import conftest
from tests.backup_drill import ROOT, table_names


@pytest.fixture
def fresh_database(engine, tmp_path):
    if conftest.TEST_DATABASE_URL.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    base, _, name = conftest.TEST_DATABASE_URL.rpartition("/")
    fresh = f"{name}_fresh_{uuid.uuid4().hex[:6]}"
    conftest._postgres_admin(f'CREATE DATABASE "{fresh}"')
    yield f"{base}/{fresh}"
    conftest._postgres_admin(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_three_migrates_started_together_all_succeed(fresh_database) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_database}
    processes = [subprocess.Popen([sys.executable, "-m", "participation.cli", "migrate"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outcomes = [(process.wait(timeout=120), *process.communicate()) for process in processes]

    assert [code for code, _, _ in outcomes] == [0, 0, 0], "\n".join(err[-2000:] for _, _, err in outcomes)
    assert {"migration", "survey_response", "job"} <= set(table_names(fresh_database))
    # One process applies everything, the others say there is nothing to do; no line contradicts another.
    said = sorted(out.strip() for _, out, _ in outcomes)
    assert said[0].startswith("Applied ") and said[0].endswith("; 0 had been applied earlier."), said
    assert all(text.startswith("Database schema is up to date (") for text in said[1:]), said
