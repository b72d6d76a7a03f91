"""The one clock: every "now" in Warta comes from here.

`utcnow()` is timezone-aware UTC. The database stores naive UTC in its
DateTime columns, so code that writes or compares such a column uses
`naive_utc()`. Both read `datetime.now(timezone.utc)` so that a frozen
clock in tests (time-machine) applies to them.
"""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now."""
    return datetime.now(UTC)


def naive_utc() -> datetime:
    """Naive UTC now, for the naive UTC DateTime columns."""
    return utcnow().replace(tzinfo=None)
