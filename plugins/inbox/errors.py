"""The inbox's user-facing refusal, shared by services and the letters."""

from __future__ import annotations


class InboxError(ValueError):
    """A user-facing reason an action was refused, naming the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
