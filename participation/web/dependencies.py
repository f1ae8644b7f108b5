"""App-level dependencies: what a handler needs reaches it by name through Litestar's `Provide`."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from participation.settings import Settings


def provide_settings(state: State) -> Settings:
    """The settings the app was built with (tests build apps on their own settings)."""
    return state.settings


def provide_threshold(settings: NamedDependency[Settings]) -> int:
    """The privacy threshold: groups smaller than this are never shown."""
    return settings.privacy_threshold


APP_DEPENDENCIES: dict[str, Provide] = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "threshold": Provide(provide_threshold, sync_to_thread=False),
}
