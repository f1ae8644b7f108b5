"""Composite unique keys and lookup indexes, written by hand: SQLite cannot add table constraints after creation."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-25T12:54:26:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique keys and indexes of rounds, questions, options, answers"

STATEMENTS = (
    "CREATE UNIQUE INDEX IF NOT EXISTS dialogue_round_season_year ON dialogue_round (season, year)",
    "CREATE UNIQUE INDEX IF NOT EXISTS survey_question_survey_key ON survey_question (survey, key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS survey_option_question_value ON survey_option (question, value)",
    "CREATE INDEX IF NOT EXISTS survey_answer_question ON survey_answer (question)",
    "CREATE INDEX IF NOT EXISTS survey_answer_response ON survey_answer (response)",
    "CREATE INDEX IF NOT EXISTS survey_response_survey ON survey_response (survey)",
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
