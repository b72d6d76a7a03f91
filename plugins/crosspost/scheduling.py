"""Queueing a delivery's job, now or when it is due.

Its own module because the outbox, the delivery worker and the accounts
(requeue after a reconnect) all queue deliveries; each imports this one
instead of each other."""

from __future__ import annotations

from datetime import datetime

from cms.api import enqueue, naive_utc

JOB = "crosspost.deliver"


def schedule(delivery_id: int, when: datetime | None) -> None:
    now = naive_utc()
    if when is not None and when > now:
        enqueue(JOB, delivery_id, delay=(when - now).total_seconds())
    else:
        enqueue(JOB, delivery_id)
