"""What a channel call answers: one of five outcomes (see ``channels.base``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Failed", "Outcome", "RetryLater", "Sent", "Skipped", "Unknown"]


@dataclass(frozen=True)
class Sent:
    remote_id: str
    url: str | None = None
    note: str = ""  # what the admin should know, e.g. the images were left out


@dataclass(frozen=True)
class RetryLater:
    delay: float | None = None  # None: use the backoff schedule
    reason: str = ""
    maybe_sent: bool = False  # the network may have the post (only idempotency makes a retry safe)


@dataclass(frozen=True)
class Failed:
    reason: str
    reconnect: bool = False  # the token is expired/revoked: hold the account's deliveries until reconnected


@dataclass(frozen=True)
class Unknown:
    reason: str


@dataclass(frozen=True)
class Skipped:
    """The network cannot take this message at all (e.g. Instagram without an image)."""

    reason: str


Outcome = Sent | RetryLater | Failed | Unknown | Skipped
