"""Indexes for reading a survey of 100,000 responses (issue 12), written by hand like the earlier index migration.

- survey_response (survey, id): the count and highest id of a survey's responses, which tell whether the kept counts
  of a closed survey still hold (protected.py, `_stamp`), read from the index alone.
- survey_answer (question, id) WHERE hidden: the hidden answers of a survey (the other half of that check) without
  touching the millions of visible ones.
- survey_answer (question, id) WHERE text IS NOT NULL: the free-text listing finds a survey's texts in order.

The answers' counts themselves read every answer of the survey once; no index makes that cheaper (EXPLAIN ANALYZE at
100k responses, 2.28 M answers: a sequential scan and one hash join are the fastest plan).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-03T14:25:14:066175"
VERSION = "1.38.0"
DESCRIPTION = "indexes for reading at scale: responses per survey, hidden answers, free texts"

STATEMENTS = (
    "CREATE INDEX IF NOT EXISTS survey_response_survey_id ON survey_response (survey, id)",
    "CREATE INDEX IF NOT EXISTS survey_answer_hidden ON survey_answer (question, id) WHERE hidden",
    "CREATE INDEX IF NOT EXISTS survey_answer_text ON survey_answer (question, id) WHERE text IS NOT NULL",
)


class RawStatement(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="participation", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await RawStatement.raw(statement)

    manager.add_raw(create_indexes)
    return manager
