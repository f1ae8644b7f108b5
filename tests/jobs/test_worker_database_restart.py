"""A `participation worker` whose PostgreSQL restarts mid-job survives it: the job is finished once, nothing is
clustered twice and nothing is lost (the kill -9 half is tests/jobs/test_worker_process.py).

The restart runs on a private throwaway cluster (tests/support/private_postgres.py), never on the shared server, so
the test needs no test database and runs once, in the SQLite pass.
"""

from __future__ import annotations

import asyncio
import json
import signal

import asyncpg
import pytest

from tests.jobs.test_worker_process import start_worker, wait_exit, wait_until
from tests.support import private_postgres
from tests.support.live_server import _child, server_env

pytestmark = pytest.mark.skipif(
    not private_postgres.available(), reason="needs root and PostgreSQL 15 binaries for a private cluster"
)

#: In a child process on the private cluster: migrate, build the fault tests' survey of 60 answers, cluster it once
#: in-process (the clean result), and queue a second run of the same question for the worker.
SEED = """
import asyncio, json
from participation import jobs
from participation.db import bind_tables, make_engine, open_engine, run_migrations
from participation.settings import Settings
async def main():
    await run_migrations()
    engine = make_engine(Settings.from_env())
    bind_tables(engine)
    await open_engine(engine, 2)
    from participation.surveys.services import themes
    from participation.surveys.services.definition import load_survey
    from tests.factories import Factory
    from tests.jobs.conftest import TEXTS, run_summary
    make = Factory()
    districts = [await make.district("Eglosheim"), await make.district("Oßweil")]
    survey_id = await make.survey()
    texts = [f"{text} ({n})" if n else text for n in range(3) for text in TEXTS]
    for index, text in enumerate(texts):
        await make.response(survey_id, districts[index % 2],
                            {"betreuung": "kita", "zufriedenheit": "3", "anregung": text})
    await make.close(survey_id)
    question = next(q for q in (await load_survey(survey_id)).questions if q.kind.is_text)
    clean_id, _job = await themes.start_run(survey_id, question_id=question.id)
    await jobs.run_until_idle()
    run_id, job_id = await themes.start_run(survey_id, question_id=question.id)
    print(json.dumps([await run_summary(clean_id), run_id, job_id, len(texts)]))
asyncio.run(main())
"""

SUMMARY = """
import asyncio, json, sys
from participation.db import bind_tables, make_engine
from participation.settings import Settings
async def main():
    bind_tables(make_engine(Settings.from_env()))
    from tests.jobs.conftest import run_summary
    print(json.dumps(await run_summary(int(sys.argv[1]))))
asyncio.run(main())
"""


async def _job(url: str, job_id: int) -> dict | None:
    try:
        connection = await asyncpg.connect(url, timeout=5)
    except (OSError, asyncpg.PostgresError):
        return None  # the cluster is restarting
    try:
        row = await connection.fetchrow("SELECT status, attempts FROM job WHERE id = $1", job_id)
        return dict(row)
    finally:
        await connection.close()


async def test_a_worker_survives_a_database_restart_mid_job_and_finishes_the_job_once(tmp_path):
    log = tmp_path / "worker.log"
    with private_postgres.PrivatePostgres() as pg:
        env = server_env(pg.url)
        clean, run_id, job_id, answer_count = json.loads(_child(SEED, env))
        assert clean["status"] == "done" and clean["assigned"] == answer_count

        # The job is held inside its clustering step for a few seconds, so that the restart lands mid-job.
        worker = start_worker(log, DATABASE_URL=pg.url, SECRET_KEY=env["SECRET_KEY"], JOB_MAX_ATTEMPTS="5",
                              PARTICIPATION_FAULT="sleep:clustered:3", DB_POOL_MAX="2")
        try:
            async def running():
                job = await _job(pg.url, job_id)
                return job if job and job["status"] == "running" else None

            await wait_until(running, "the worker to take the job")
            await asyncio.sleep(0.5)
            await asyncio.to_thread(pg.restart)

            async def finished():
                job = await _job(pg.url, job_id)
                return job if job and job["status"] in ("done", "failed") else None

            job = await wait_until(finished, "the job to finish after the restart", limit=120)
            assert worker.poll() is None, f"the worker died with the database:\n{log.read_text()[-3000:]}"
        finally:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
            exit_code = await wait_exit(worker, log)
        assert job["status"] == "done", log.read_text()[-3000:]
        assert exit_code == 0, log.read_text()[-3000:]
        # Finished once: the same themes as the undisturbed run, every answer assigned exactly once.
        assert json.loads(_child(SUMMARY.replace("sys.argv[1]", repr(str(run_id))), env)) == clean
