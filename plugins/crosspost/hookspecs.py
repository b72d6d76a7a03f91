"""Hooks the crosspost plugin offers to other plugins (added by its
``cms_add_hookspecs``).  While crosspost is installed but disabled the hook
is known and has no implementation: a first-result call answers ``None``,
which callers treat as "not available" (e.g. Monev's social-media
indicator).  Documented in ``docs/crosspost.md``; tested in
``tests/plugins/crosspost/test_unit_accounts.py``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cms.api import hookspec


@hookspec(firstresult=True)
def cms_crosspost_deliveries_by_unit(start: datetime, end: datetime) -> list[dict[str, Any]] | None:
    """Count crosspost deliveries per unit (OPD) and channel.

    Counted are first postings (not corrections or withdrawals) of releases
    and serta-merta items that went public in ``[start, end)``, by the
    account's owner: ``unit_id`` is the account's unit, ``None`` for the
    central accounts.  Stops at the first non-None result (the crosspost
    plugin answers).

    :param start: naive UTC, inclusive.
    :param end: naive UTC, exclusive.
    :returns: dicts ``{unit_id, channel, sent, failed, unknown, pending}``
        sorted by unit (central first) and channel; ``pending`` counts
        deliveries still waiting (pending, retry, sending); cancelled and
        skipped ones are left out.
    """
