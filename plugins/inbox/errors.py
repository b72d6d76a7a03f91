"""The inbox's user-facing refusal, shared by services and the letters."""

from __future__ import annotations

from cms.api import FieldError


class InboxError(FieldError):
    """A user-facing reason an action was refused, naming the form field."""
