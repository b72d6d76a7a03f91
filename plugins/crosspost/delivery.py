"""Sending one delivery: claim it, build the message, call the channel, record the outcome.

The claim is a conditional UPDATE (status pending/retry → sending), so two
workers handed the same id cannot both send it.  Retries use exponential
backoff with jitter, or the delay the network asked for (``attempts``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from cms.api import Post, db, is_public, job, naive_utc
from plugins.crosspost import accounts, attempts, channels
from plugins.crosspost.channels.base import Failed, RetryLater, Sent, Skipped, Unknown
from plugins.crosspost.models import OPEN_STATUSES, CrosspostChoice, CrosspostDelivery
from plugins.crosspost.scheduling import JOB, schedule
from plugins.crosspost.story import Message, story_from_dict, story_from_post

log = logging.getLogger(__name__)


def claim(delivery_id: int, now: datetime) -> bool:
    # the version bump makes a form read before the claim stale
    return attempts.claim(CrosspostDelivery, delivery_id, now, OPEN_STATUSES, version=CrosspostDelivery.version + 1)


def _retry_delay(row: CrosspostDelivery, outcome: RetryLater) -> float | None:
    cfg = current_app.config
    return attempts.retry_delay(
        row.attempts,
        int(cfg["CROSSPOST_MAX_ATTEMPTS"]),
        outcome.delay,
        float(cfg["CROSSPOST_BACKOFF_BASE"]),
        float(cfg["CROSSPOST_BACKOFF_MAX"]),
    )


def _message(row: CrosspostDelivery, channel) -> Message | str:
    """The message to send now, or a reason to cancel the delivery."""
    payload = row.payload or {}
    story, text = story_from_dict(payload.get("story") or {}), payload.get("text") or ""
    if row.source == "post" and row.post_id is not None:
        post = db.session.get(Post, row.post_id)
        if post is None:
            return "Pos sudah dihapus sebelum terkirim."
        if row.action != "delete":
            if not is_public(post):
                return "Pos tidak (lagi) terbit saat akan dikirim."
            story = story_from_post(post)  # corrections made before sending are included
            choice = db.session.scalar(
                select(CrosspostChoice).where(
                    CrosspostChoice.post_id == post.id, CrosspostChoice.account_id == row.account_id
                )
            )
            text = choice.text if choice is not None and choice.text else text
    event = {"create": "published", "update": "updated", "delete": "retracted"}[row.action]
    created = row.published_at or row.created_at
    return channel.build_message(story, text or None, event=event, created_at=created, settings=row.account.settings)


def _original_remote_id(row: CrosspostDelivery) -> str | None:
    """The post on the network from the latest publication (a republished post has several)."""
    return db.session.scalar(
        select(CrosspostDelivery.remote_id)
        .where(
            CrosspostDelivery.source_ref == row.source_ref,
            CrosspostDelivery.account_id == row.account_id,
            CrosspostDelivery.action == "create",
            CrosspostDelivery.status == "sent",
            CrosspostDelivery.id < row.id,
        )
        .order_by(CrosspostDelivery.id.desc())
        .limit(1)
    )


def _call(row: CrosspostDelivery, channel, message: Message, account):
    key = row.idempotency_key
    if row.action == "create":
        errors = channel.length_errors(message.text, message)
        if errors:
            return Failed(" ".join(errors))
        return channel.send(message, account, key)
    remote_id = _original_remote_id(row)
    if remote_id is None:
        return Failed("Pos asli tidak tercatat terkirim; tidak ada yang diperbarui atau dihapus.")
    if row.action == "update":
        return channel.update(remote_id, message, account, key)
    return channel.delete(remote_id, account, key, message=message)


def _past_key_window(row: CrosspostDelivery, channel, outcome, now: datetime, delay: float) -> bool:
    """Would this retry reach the network after it forgot the key of a send that may have landed?"""
    window = getattr(channel, "idempotency_window", None)
    if outcome.maybe_sent and not row.payload.get("maybe_sent_at"):
        row.payload = {**row.payload, "maybe_sent_at": now.isoformat()}
    first = row.payload.get("maybe_sent_at")
    if not window or not first:
        return False
    return (now + timedelta(seconds=delay) - datetime.fromisoformat(first)).total_seconds() > window


def record(row: CrosspostDelivery, outcome, now: datetime, channel=None) -> None:
    if isinstance(outcome, Sent):
        # The note says what did not go out as planned (e.g. images refused: text and link only).
        row.status, row.sent_at, row.last_error = "sent", now, outcome.note
        row.remote_id = outcome.remote_id or row.remote_id
        row.remote_url = outcome.url or row.remote_url
    elif isinstance(outcome, RetryLater):
        delay = _retry_delay(row, outcome)
        if delay is None:
            row.status, row.last_error = "failed", attempts.gave_up(row.attempts, outcome.reason)
        elif _past_key_window(row, channel, outcome, now, delay):
            row.status = "unknown"
            row.last_error = (
                f"{outcome.reason}. Jaringan hanya mengingat kunci idempotensi "
                f"{int(channel.idempotency_window // 60)} menit; periksa akun apakah pesan "
                "sudah terbit sebelum mengirim ulang."
            )
        else:
            row.status, row.next_attempt_at = "retry", now + timedelta(seconds=delay)
            row.last_error = outcome.reason
    elif isinstance(outcome, Unknown):
        row.status, row.last_error = "unknown", outcome.reason
    elif isinstance(outcome, Skipped):
        row.status, row.last_error = "skipped", outcome.reason
    elif isinstance(outcome, Failed) and outcome.reconnect:
        # Nothing was posted and nothing will be until a person saves a new token:
        # mark the account and keep this delivery waiting instead of failing it.
        row.account.reconnect_since = row.account.reconnect_since or now
        row.account.reconnect_reason = outcome.reason[:500]
        row.status, row.next_attempt_at = "pending", None
        row.last_error = f"{outcome.reason} {WAITING}"
    else:
        row.status, row.last_error = "failed", getattr(outcome, "reason", str(outcome))
    row.updated_at = now


WAITING = "Pengiriman menunggu sampai akun dihubungkan ulang, lalu terkirim otomatis."


def waiting_for_reconnect(delivery_id: int) -> bool:
    """Is the delivery's account marked as needing new credentials?"""
    from plugins.crosspost.models import CrosspostAccount

    return (
        db.session.scalar(
            select(CrosspostAccount.reconnect_since)
            .join(CrosspostDelivery, CrosspostDelivery.account_id == CrosspostAccount.id)
            .where(CrosspostDelivery.id == delivery_id)
        )
        is not None
    )


@job(JOB)
def deliver_job(delivery_id: int) -> None:
    """The queued job; returns nothing so the queue stores no result per delivery."""
    deliver(delivery_id)


def deliver(delivery_id: int) -> str:
    """Send one delivery; returns the final status (or "not-claimed", "held")."""
    now = naive_utc()
    if waiting_for_reconnect(delivery_id):
        return "held"  # requeued by accounts.reconnected() when new credentials work
    if not claim(delivery_id, now):
        return "not-claimed"
    row = db.session.get_one(CrosspostDelivery, delivery_id)  # claimed just now
    db.session.refresh(row)
    channel = channels.get(row.account.channel)
    if channel is None or not row.account.active:
        record(row, Failed("Akun nonaktif atau jenis kanal tidak terpasang."), now)
        db.session.commit()
        return row.status
    message = _message(row, channel)
    if isinstance(message, str):
        row.status, row.last_error, row.updated_at = "cancelled", message, now
        db.session.commit()
        return row.status
    account = accounts.view(row.account)
    try:
        outcome = _call(row, channel, message, account)
    except Exception as exc:  # noqa: BLE001 - a broken channel plugin must not lose the row
        log.exception("crosspost channel %s crashed", row.account.channel)
        reason = f"Galat tak terduga di kanal: {type(exc).__name__}"
        outcome = RetryLater(None, reason, maybe_sent=True) if channel.idempotent else Unknown(reason)
    accounts.keep_state(row.account, account)
    record(row, outcome, naive_utc(), channel)
    db.session.commit()
    if row.status == "retry":
        schedule(row.id, row.next_attempt_at)
    return row.status
