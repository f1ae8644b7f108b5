"""The checked-in migrations and the declared tables describe the same schema."""

from __future__ import annotations

from piccolo.apps.migrations.commands.new import AutoMigrationManager

from participation.piccolo_app import APP_CONFIG


async def test_the_migrations_build_exactly_the_tables_the_code_declares():
    """What `piccolo migrations new --auto` (make migrations) would write next: nothing, or a migration is missing."""
    # auto_input answers piccolo's "did you rename …?" questions with no, so a rename shows as drop and add.
    changes = await AutoMigrationManager(auto_input="n").get_alter_statements(app_config=APP_CONFIG)
    statements = [statement for change in changes for statement in change.statements]
    assert statements == [], "Tables and migrations differ; run `make migrations` and read the result:\n" + "\n".join(
        statements
    )
