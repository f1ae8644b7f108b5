"""Familiendialog: the platform behind a city's twice-yearly family dialogues."""

import os

# Piccolo looks up its engine and apps through this module; set it before any table is imported.
os.environ.setdefault("PICCOLO_CONF", "participation.piccolo_conf")

__version__ = "0.1.0"
