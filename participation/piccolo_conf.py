"""Piccolo's configuration module (PICCOLO_CONF=participation.piccolo_conf).

Piccolo's own commands (`piccolo migrations new participation --auto`) and the migration runner find the engine here;
it is built from the same settings as the app.
"""

from piccolo.conf.apps import AppRegistry

from participation.db import make_engine
from participation.settings import Settings

DB = make_engine(Settings.from_env())

APP_REGISTRY = AppRegistry(apps=["participation.piccolo_app"])
