"""Claiming one send and retrying it: the rules deliveries and WhatsApp messages share.

Both tables have ``status``, ``attempts``, ``claimed_at``, ``next_attempt_at``
and ``updated_at``.  A claim is a conditional UPDATE (an open status →
"sending"), so two workers handed the same id cannot both send it.  A retry
waits as long as the network asked, else an exponential backoff with
jitter, until the attempts are used up.  A row still "sending" after
``CROSSPOST_STALE_AFTER`` seconds lost its worker.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, update

from cms.api import db


def claim(model, row_id: int, now: datetime, open_statuses, **also) -> bool:
    """Take the row for this worker if it is open and due; ``also`` are more columns to set."""
    result = db.session.execute(
        update(model)
        .where(
            model.id == row_id,
            model.status.in_(open_statuses),
            or_(model.next_attempt_at.is_(None), model.next_attempt_at <= now),
        )
        .values(status="sending", claimed_at=now, attempts=model.attempts + 1, updated_at=now, **also)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result


def backoff(attempts: int, base: float, cap: float) -> float:
    """Seconds before attempt ``attempts + 1``: doubling from ``base`` up to ``cap``, ±10 %."""
    return min(cap, base * (2 ** max(0, attempts - 1))) * random.uniform(0.9, 1.1)


def retry_delay(attempts: int, most: int, asked: float | None, base: float, cap: float) -> float | None:
    """Seconds until the next attempt, or None when ``most`` attempts are used up."""
    if attempts >= most:
        return None
    return asked if asked is not None else backoff(attempts, base, cap)


def gave_up(attempts: int, reason: str) -> str:
    return f"Menyerah setelah {attempts} percobaan. {reason}".strip()


def stale(model, now: datetime):
    """The rows a worker claimed and never finished."""
    limit = now - timedelta(seconds=float(current_app.config["CROSSPOST_STALE_AFTER"]))
    return and_(model.status == "sending", model.claimed_at < limit)
