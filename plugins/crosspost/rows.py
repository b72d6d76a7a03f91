"""Outbox rows: keyed by (post, account, revision, action), stored once, then queued.

The unique idempotency key makes writing the same row twice impossible, so
the event handlers and the periodic sweep may race (see ``outbox``).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cms.api import db, naive_utc
from plugins.crosspost.models import OPEN_STATUSES, CrosspostAccount, CrosspostDelivery
from plugins.crosspost.scheduling import schedule
from plugins.crosspost.story import Story, story_to_dict

__all__ = ["idempotency_key", "make_transient_copy", "new_row", "store", "store_and_queue"]


def idempotency_key(source_ref: str, account_id: int, revision: int, action: str) -> str:
    """Derived from (post, account, revision, action): a retry reuses it, a new revision does not."""
    raw = f"{source_ref}|{account_id}|{revision}|{action}".encode()
    return "warta-" + hashlib.sha256(raw).hexdigest()[:40]


def new_row(
    story: Story,
    account: CrosspostAccount,
    *,
    action: str,
    revision: int,
    text: str = "",
    source: str = "post",
    post_id: int | None = None,
    status: str = "pending",
    not_before: datetime | None = None,
    note: str = "",
) -> CrosspostDelivery:
    """A new (unsaved) outbox row; ``store_and_queue`` stores the ones that are new."""
    return CrosspostDelivery(
        source=source,
        post_id=post_id,
        source_ref=story.ref,
        account_id=account.id,
        revision=revision,
        action=action,
        status=status,
        idempotency_key=idempotency_key(story.ref, account.id, revision, action),
        payload={"story": story_to_dict(story), "text": text},
        last_error=note,
        next_attempt_at=not_before or naive_utc(),
        published_at=story.published_at or naive_utc(),
    )


def store(rows: list[CrosspostDelivery]) -> list[CrosspostDelivery]:
    """Insert rows whose key is new, in one flush; on a race, one by one."""
    if not rows:
        return []
    keys = [r.idempotency_key for r in rows]
    existing = set(
        db.session.scalars(select(CrosspostDelivery.idempotency_key).where(CrosspostDelivery.idempotency_key.in_(keys)))
    )
    rows = [r for r in rows if r.idempotency_key not in existing]
    try:
        with db.session.begin_nested():
            db.session.add_all(rows)
        return rows
    except IntegrityError:  # the sweep or another process wrote some of them first
        stored = []
        for row in rows:
            copy = make_transient_copy(row)
            try:
                with db.session.begin_nested():
                    db.session.add(copy)
                stored.append(copy)
            except IntegrityError:
                continue
        return stored


def make_transient_copy(row: CrosspostDelivery) -> CrosspostDelivery:
    columns = (
        "source",
        "post_id",
        "source_ref",
        "account_id",
        "revision",
        "action",
        "status",
        "idempotency_key",
        "payload",
        "last_error",
        "next_attempt_at",
        "published_at",
    )
    return CrosspostDelivery(**{c: getattr(row, c) for c in columns})


def store_and_queue(rows: list[CrosspostDelivery]) -> list[int]:
    stored = store(rows)
    db.session.flush()
    plan = [(r.id, r.status, r.next_attempt_at) for r in stored]  # read before commit expires them
    db.session.commit()
    for delivery_id, status, when in plan:
        if status in OPEN_STATUSES:
            schedule(delivery_id, when)
    return [delivery_id for delivery_id, _, _ in plan]
