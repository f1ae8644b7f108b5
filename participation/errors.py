"""The one family of domain errors: a service refuses a request and says why, in the user's words."""

from __future__ import annotations


class DomainError(ValueError):
    """A request a service cannot do as asked; `str(error)` is the message for the user and `field`, where given,
    names the form field at fault. Every domain's error subclasses this, so controllers show them all alike."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
