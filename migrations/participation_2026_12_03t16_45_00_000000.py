"""Themes chosen before names had to be confirmed (issue 10) count as confirmed, written by hand.

A theme now goes onto an agenda or into published minutes only once staff named it or took over its suggestion
(`analysis_theme.confirmed`, added by the previous migration as false for every theme). Themes that staff had
already marked for the agenda, or that are on an agenda, were chosen by a person: they stay usable.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-03T16:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "themes already chosen for an agenda count as confirmed"


class RawStatement(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="participation", description=DESCRIPTION)

    async def confirm_chosen_themes():
        await RawStatement.raw(
            "UPDATE analysis_theme SET confirmed = true WHERE agenda_candidate"
            " OR id IN (SELECT theme FROM dialogue_agenda_item WHERE theme IS NOT NULL)"
        )

    manager.add_raw(confirm_chosen_themes)
    return manager
