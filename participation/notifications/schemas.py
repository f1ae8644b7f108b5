"""What notification pages and the office see: small frozen data objects, never an address."""

from __future__ import annotations

from dataclasses import dataclass

from participation.dialogues.schemas import translated_round_title


@dataclass(frozen=True, slots=True)
class RoundToFollow:
    id: int
    title: str

    @property
    def display_title(self) -> str:
        """The title in the current language ("Spring 2027")."""
        return translated_round_title(self.title)


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    """A subscription as a link's page needs it (the address is not shown)."""

    id: int
    round_id: int
    round_title: str
    status: str
    language: str


@dataclass(frozen=True, slots=True)
class RoundCounts:
    """What the office sees of a round's notifications: counts only, never an address."""

    round_id: int
    title: str
    pending: int = 0
    confirmed: int = 0
    queued: int = 0
    failed: int = 0
    sent: int = 0
