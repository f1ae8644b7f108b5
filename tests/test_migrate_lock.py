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
    outcomes = [(process.wait(timeout=120), process.communicate()[1]) for process in processes]

    assert [code for code, _ in outcomes] == [0, 0, 0], "\n".join(err[-2000:] for _, err in outcomes)
    assert {"migration", "survey_response", "job"} <= set(table_names(fresh_database))
