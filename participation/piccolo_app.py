"""The one Piccolo app: every table of every domain, migrations in the top-level `migrations/` folder."""

from piccolo.conf.apps import AppConfig

from participation.accounts.tables import User
from participation.directory.tables import Centre, District, Operator
from participation.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="participation",
    migrations_folder_path=str(PROJECT_ROOT / "migrations"),
    table_classes=[Operator, District, Centre, User],
    migration_dependencies=[],
    commands=[],
)
