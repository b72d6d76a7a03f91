"""Delivery figures other plugins read through ``cms_crosspost_deliveries_by_unit``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from cms.api import db
from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery

# Which figure each outbox status adds to; cancelled/skipped are not deliveries.
BUCKETS = {
    "sent": "sent",
    "failed": "failed",
    "unknown": "unknown",
    "pending": "pending",
    "retry": "pending",
    "sending": "pending",
}


def counted(start: datetime, end: datetime) -> tuple:
    """The conditions of a counted delivery: a first posting whose source went
    public in [start, end).  What the figures count and what their link lists."""
    return (
        CrosspostDelivery.action == "create",
        CrosspostDelivery.published_at >= start,
        CrosspostDelivery.published_at < end,
        CrosspostDelivery.status.in_(tuple(BUCKETS)),
    )


def counted_deliveries(unit_id: int, start: datetime, end: datetime, statuses: tuple[str, ...]) -> list:
    """The rows behind one unit's figure (``statuses``: those the figure adds up)."""
    return list(
        db.session.scalars(
            select(CrosspostDelivery)
            .join(CrosspostAccount, CrosspostAccount.id == CrosspostDelivery.account_id)
            .where(*counted(start, end), CrosspostAccount.unit_id == unit_id, CrosspostDelivery.status.in_(statuses))
            .order_by(CrosspostDelivery.published_at.desc(), CrosspostDelivery.id.desc())
        )
    )


def deliveries_by_unit(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """First postings whose source went public in [start, end), per account unit and channel."""
    rows = db.session.execute(
        select(CrosspostAccount.unit_id, CrosspostAccount.channel, CrosspostDelivery.status, func.count())
        .join(CrosspostAccount, CrosspostAccount.id == CrosspostDelivery.account_id)
        .where(*counted(start, end))
        .group_by(CrosspostAccount.unit_id, CrosspostAccount.channel, CrosspostDelivery.status)
    ).all()
    table: dict[tuple[int | None, str], dict[str, Any]] = {}
    for unit_id, channel, status, n in rows:
        entry = table.setdefault(
            (unit_id, channel),
            {"unit_id": unit_id, "channel": channel, "sent": 0, "failed": 0, "unknown": 0, "pending": 0},
        )
        entry[BUCKETS[status]] += n
    return [table[k] for k in sorted(table, key=lambda k: (k[0] is not None, k[0] or 0, k[1]))]
