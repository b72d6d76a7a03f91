"""The outbox: which deliveries a publication, correction or withdrawal creates.

Rows are written in their own transaction right after the newsroom's commit
(the events fire after commit) and again by the periodic sweep, which also
recovers rows a crashed worker left behind.  The unique idempotency key makes
writing the same row twice impossible, so handler and sweep may race.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select

from cms.api import Post, db, is_public, naive_utc
from plugins.crosspost import attempts, channels
from plugins.crosspost.accounts import active_accounts
from plugins.crosspost.audience import chosen_accounts, public_from
from plugins.crosspost.models import OPEN_STATUSES, CrosspostAccount, CrosspostChoice, CrosspostDelivery
from plugins.crosspost.rows import new_row, store_and_queue
from plugins.crosspost.scheduling import schedule
from plugins.crosspost.story import Story, story_from_post

log = logging.getLogger(__name__)


def on_published(post) -> list[int]:
    story = story_from_post(post)
    when = public_from(post)
    rows = [
        new_row(story, account, action="create", revision=story.version, text=text, post_id=post.id, not_before=when)
        for account, text in chosen_accounts(post)
    ]
    return store_and_queue(rows)


def _sent_creates(post_id: int) -> list[CrosspostDelivery]:
    return list(
        db.session.scalars(
            select(CrosspostDelivery).where(
                CrosspostDelivery.post_id == post_id,
                CrosspostDelivery.source == "post",
                CrosspostDelivery.action == "create",
                CrosspostDelivery.status == "sent",
            )
        )
    )


def on_updated(post) -> list[int]:
    """Propagate a correction to every network that has the post and allows edits."""
    story = story_from_post(post)
    choices = {
        c.account_id: c.text
        for c in db.session.scalars(select(CrosspostChoice).where(CrosspostChoice.post_id == post.id))
    }
    # An older correction still waiting would only repeat this one: this one replaces it.
    for older in db.session.scalars(
        select(CrosspostDelivery).where(
            CrosspostDelivery.post_id == post.id,
            CrosspostDelivery.action == "update",
            CrosspostDelivery.status.in_(OPEN_STATUSES),
            CrosspostDelivery.revision < story.version,
        )
    ):
        older.status, older.last_error = "cancelled", f"Digantikan koreksi revisi {story.version}."
    rows = []
    for sent in _sent_creates(post.id):
        channel = channels.get(sent.account.channel)
        editable = channel is not None and channel.supports_edit
        rows.append(
            new_row(
                story,
                sent.account,
                action="update",
                revision=story.version,
                text=choices.get(sent.account_id, ""),
                post_id=post.id,
                status="pending" if editable else "skipped",
                note=""
                if editable
                else "Jaringan ini tidak mendukung penyuntingan: perbarui atau hapus pos di jaringan secara manual.",
            )
        )
    return store_and_queue(rows)


def on_unpublished(post) -> list[int]:
    """Cancel what has not gone out; delete what has, where the network allows."""
    now = naive_utc()
    for row in db.session.scalars(
        select(CrosspostDelivery).where(
            CrosspostDelivery.post_id == post.id,
            CrosspostDelivery.source == "post",
            CrosspostDelivery.status.in_(OPEN_STATUSES),
        )
    ):
        row.status, row.last_error, row.updated_at = "cancelled", "Pos ditarik sebelum terkirim.", now
    story = story_from_post(post)
    rows = []
    for sent in _sent_creates(post.id):
        channel = channels.get(sent.account.channel)
        deletable = channel is not None and channel.supports_delete
        rows.append(
            new_row(
                story,
                sent.account,
                action="delete",
                revision=story.version,
                post_id=post.id,
                status="pending" if deletable else "skipped",
                note=""
                if deletable
                else "Jaringan ini tidak mendukung penghapusan: hapus pos di jaringan secara manual.",
            )
        )
    return store_and_queue(rows)


def recent_releases(account: CrosspostAccount, days: int, limit: int = 50) -> list:
    """Public releases of the last ``days`` this account has no delivery of (newest first)."""
    now = naive_utc()
    delivered = select(CrosspostDelivery.post_id).where(
        CrosspostDelivery.account_id == account.id,
        CrosspostDelivery.source == "post",
        CrosspostDelivery.action == "create",
        CrosspostDelivery.post_id.is_not(None),
    )
    stmt = select(Post).where(
        Post.status == "published", Post.published_at >= now - timedelta(days=days), Post.id.not_in(delivered)
    )
    if account.unit_id is not None:  # a unit's account carries only that unit's releases
        stmt = stmt.where(Post.unit_id == account.unit_id)
    posts = db.session.scalars(stmt.order_by(Post.published_at.desc(), Post.id.desc()).limit(limit))
    return [p for p in posts if is_public(p, now)]


def send_named(account: CrosspostAccount, posts: list, actor=None) -> list[int]:
    """Queue the releases an admin picked by name for this account."""
    from cms.api import audit

    rows = []
    for post in posts:
        story = story_from_post(post)
        rows.append(new_row(story, account, action="create", revision=story.version, post_id=post.id))
    audit.record(
        "crosspost.account.backfill", "crosspost_account", account.id, {"posts": [p.id for p in posts]}, user=actor
    )
    return store_and_queue(rows)


def on_serta_merta(title: str, summary: str, url: str) -> list[int]:
    from cms.api import plain_text  # the hook passes plain text

    ref = "serta-merta:" + hashlib.sha256(url.encode()).hexdigest()[:16]
    story = Story(
        ref=ref,
        title=plain_text(title),
        summary=plain_text(summary),
        url=url,
        kind="serta-merta",
        published_at=naive_utc(),
    )
    accounts = [a for a in active_accounts() if a.share_serta_merta]
    rows = [new_row(story, a, action="create", revision=1, source="serta-merta") for a in accounts]
    return store_and_queue(rows)


def recover_stale(now: datetime | None = None) -> int:
    """Rows left in "sending" by a worker that died: safe networks retry, others need a person."""
    now = now or naive_utc()
    # populate_existing: a row already in this session was claimed (version
    # bumped) elsewhere since; act on it as it is now, not as first read
    stale = list(
        db.session.scalars(
            select(CrosspostDelivery)
            .where(attempts.stale(CrosspostDelivery, now))
            .execution_options(populate_existing=True)
        )
    )
    for row in stale:
        channel = channels.get(row.account.channel)
        window = getattr(channel, "idempotency_window", None)
        in_window = not window or (row.claimed_at is not None and (now - row.claimed_at).total_seconds() < window)
        if channel is not None and channel.idempotent and in_window:
            row.status, row.next_attempt_at = "retry", now
            row.last_error = "Pengiriman terputus; dicoba lagi dengan kunci idempotensi yang sama."
        else:
            row.status = "unknown"
            row.last_error = (
                "Pengiriman terputus di tengah jalan; periksa akun apakah pesan sudah "
                "terbit, lalu tandai terkirim atau kirim ulang."
            )
    db.session.commit()
    return len(stale)


def sweep() -> dict[str, int]:
    """Periodic: recover stale rows, write rows for missed publications, enqueue what is due."""
    now = naive_utc()
    recovered = recover_stale(now)
    created = 0
    horizon = now - timedelta(hours=float(current_app.config["CROSSPOST_SWEEP_HOURS"]))
    missing = select(Post).where(
        Post.status == "published",
        Post.published_at >= horizon,
        ~exists().where(CrosspostDelivery.post_id == Post.id, CrosspostDelivery.source == "post"),
    )
    for post in db.session.scalars(missing):
        if is_public(post, now):
            created += len(on_published(post))
    due = list(
        db.session.scalars(
            select(CrosspostDelivery.id).where(
                CrosspostDelivery.status.in_(OPEN_STATUSES), CrosspostDelivery.next_attempt_at <= now
            )
        )
    )
    for delivery_id in due:
        schedule(delivery_id, None)
    return {"recovered": recovered, "created": created, "enqueued": len(due)}
