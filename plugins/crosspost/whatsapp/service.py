"""Subscribing, fanning releases out, pacing: everything but HTTP handling.

A release is one ``crosspost_wa_release`` row and one message row per chosen
subscriber (unique per release and subscriber: planned once, never twice).
The job ``crosspost.whatsapp.release`` takes the release's lease, sends due
messages one by one at the configured rate and inside the 24-hour tier,
and stops after ``CROSSPOST_WHATSAPP_BATCH_SECONDS`` to continue later.
Each message is claimed by a conditional UPDATE before it is sent, so a
resumed or doubled job never sends a message twice.  Job payloads carry ids
only; numbers are decrypted at the moment of sending.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from cms.api import Post, crypto, db, enqueue, is_public, job, naive_utc
from plugins.crosspost.whatsapp import api
from plugins.crosspost.whatsapp.models import ACCEPTED, OPEN, WaMessage, WaRelease, WaSubscriber
from plugins.crosspost.whatsapp.phone import normalise, phone_hash

log = logging.getLogger(__name__)
RELEASE_JOB = "crosspost.whatsapp.release"
MESSAGE_JOB = "crosspost.whatsapp.message"
PURPOSE = (
    "Menerima siaran pers {institution} lewat WhatsApp; nomor hanya dipakai untuk itu "
    "dan dihapus atas permintaan (UU 27/2022)."
)
NOTICE_ACTIVE = "Langganan siaran pers {institution} lewat WhatsApp aktif. Balas BERHENTI kapan saja untuk berhenti."
NOTICE_STOPPED = (
    "Anda berhenti berlangganan siaran pers {institution} lewat WhatsApp. Nomor Anda tidak akan dikirimi lagi."
)


def cfg(name: str):
    return api.cfg(name)


def institution() -> str:
    return current_app.config.get("CMS_INSTITUTION") or "Pemerintah Daerah"


def purpose() -> str:
    return PURPOSE.format(institution=institution())


def phone_of(sub: WaSubscriber) -> str:
    return crypto.decrypt(sub.phone_enc)


# ------------------------------------------------------------------ pacing


class Pacer:
    """At most ``rate`` requests in any one-second window, across this process's threads.

    A window is counted from the moment a request *finished*, so however the
    network bunches requests up, the API never receives more than ``rate``
    within one second (throughput is a little under the rate: the latency)."""

    def __init__(self):
        self.cond = threading.Condition()
        self.finished: deque[float] = deque()
        self.in_flight = 0

    @contextmanager
    def slot(self, rate: int):
        rate = max(1, int(rate))
        with self.cond:
            while True:
                now = time.monotonic()
                while self.finished and now - self.finished[0] >= 1.0:
                    self.finished.popleft()
                if self.in_flight + len(self.finished) < rate:
                    break
                self.cond.wait(1.0 - (now - self.finished[0]) if self.finished else None)
            self.in_flight += 1
        try:
            yield
        finally:
            with self.cond:
                self.in_flight -= 1
                self.finished.append(time.monotonic())
                self.cond.notify_all()


PACER = Pacer()


# ------------------------------------------------------------ subscribing


def subscribe(raw_phone: str, name: str, outlet: str, category_ids: list[int], unit_ids: list[int]) -> None:
    """Start a double opt-in: the template asks to reply YA.  An active number is
    left alone and an opt-in is not resent within the hour (same answer either way)."""
    e164 = normalise(raw_phone)
    now = naive_utc()
    sub = db.session.scalar(select(WaSubscriber).where(WaSubscriber.phone_hash == phone_hash(e164)))
    if sub is not None and sub.status == "active":
        return
    if sub is not None and sub.optin_sent_at and now - sub.optin_sent_at < timedelta(hours=1):
        return
    if sub is None:
        sub = WaSubscriber(phone_enc=crypto.encrypt(e164), phone_hash=phone_hash(e164))
        db.session.add(sub)
    sub.name, sub.outlet = name.strip()[:120], (outlet or "").strip()[:160]
    sub.category_ids, sub.unit_ids = sorted(set(category_ids)), sorted(set(unit_ids))
    sub.status, sub.optin_sent_at, sub.unsubscribed_at = "pending", now, None
    sub.optin_text = optin_text(sub.name)
    try:
        db.session.flush()
    except IntegrityError:  # the same number submitted twice at once
        db.session.rollback()
        return
    queue_message(sub, "optin")


def optin_text(name: str) -> str:
    """The approved template's body as the person reads it: recorded as what they consent to."""
    text = cfg("OPTIN_TEXT")
    return text.replace("{{1}}", name).replace("{{2}}", institution())


def queue_message(sub: WaSubscriber, kind: str, body: str = "") -> int:
    msg = WaMessage(subscriber_id=sub.id, kind=kind, body=body, status="queued", next_attempt_at=naive_utc())
    db.session.add(msg)
    db.session.commit()
    enqueue(MESSAGE_JOB, msg.id)
    return msg.id


def wants(sub: WaSubscriber, post) -> bool:
    cats, units = set(sub.category_ids or []), set(sub.unit_ids or [])
    if not cats and not units:
        return True
    return bool(cats & {c.id for c in post.categories}) or (post.unit_id is not None and post.unit_id in units)


# ---------------------------------------------------------------- sending


def _payload(msg: WaMessage, to: str) -> dict:
    if msg.kind == "optin":
        return api.template(to, cfg("OPTIN_TEMPLATE"), [msg.subscriber.name, institution()])
    if msg.kind == "release":
        release = db.session.get(WaRelease, msg.release_id)
        return api.template(to, cfg("RELEASE_TEMPLATE"), [release.title, release.url])
    return api.text(to, msg.body)


def claim(msg_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(WaMessage)
        .where(
            WaMessage.id == msg_id,
            WaMessage.status.in_(OPEN),
            or_(WaMessage.next_attempt_at.is_(None), WaMessage.next_attempt_at <= now),
        )
        .values(status="sending", claimed_at=now, attempts=WaMessage.attempts + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def backoff(attempts: int) -> float:
    base = float(cfg("BACKOFF_BASE"))
    return min(6 * 3600.0, base * (2 ** max(0, attempts - 1))) * random.uniform(0.9, 1.1)


def record(msg: WaMessage, outcome: api.Outcome, now: datetime) -> None:
    if outcome.status == "sent":
        msg.status, msg.wamid, msg.sent_at, msg.error = "sent", outcome.wamid, now, ""
    elif outcome.status == "retry" and msg.attempts < int(cfg("MAX_ATTEMPTS")):
        delay = outcome.delay if outcome.delay is not None else backoff(msg.attempts)
        msg.status, msg.next_attempt_at, msg.error = "retry", now + timedelta(seconds=delay), outcome.reason
    elif outcome.status == "unknown":
        msg.status, msg.error = "unknown", outcome.reason
    else:
        msg.status, msg.failed_at = "failed", now
        msg.error = (
            outcome.reason
            if outcome.status == "failed"
            else f"Menyerah setelah {msg.attempts} percobaan. {outcome.reason}"
        )
    msg.updated_at = now


def deliver(msg_id: int) -> api.Outcome | None:
    """Claim, pace, send and record one message; None when it was not ours to send."""
    if not claim(msg_id, naive_utc()):
        return None
    msg = db.session.get(WaMessage, msg_id)
    db.session.refresh(msg)
    sub = msg.subscriber
    if msg.kind == "release" and sub.status != "active":
        msg.status, msg.error = "cancelled", "Pelanggan sudah berhenti."
        db.session.commit()
        return None
    payload = _payload(msg, phone_of(sub))
    with PACER.slot(int(cfg("RATE"))):
        outcome = api.send(payload)
    record(msg, outcome, naive_utc())
    db.session.commit()
    return outcome


@job(MESSAGE_JOB)
def message_job(msg_id: int) -> None:
    """Opt-in templates and notices (one message each)."""
    deliver(msg_id)
    msg = db.session.get(WaMessage, msg_id)
    if msg is not None and msg.status == "retry":
        _schedule(MESSAGE_JOB, msg_id, msg.next_attempt_at)


def _schedule(name: str, ident: int, when: datetime | None) -> None:
    """Soon-due continuations are queued; anything later is left to the minute sweep."""
    delay = max(0.05, ((when or naive_utc()) - naive_utc()).total_seconds())
    if delay <= 60:
        enqueue(name, ident, delay=delay)


# --------------------------------------------------------------- releases


def on_published(post) -> int | None:
    """A release became public: one fan-out row, whatever else happens to the post."""
    kinds = {k.strip() for k in str(cfg("KINDS")).split(",") if k.strip()}
    if post.kind not in kinds or not api.configured():
        return None
    from plugins.crosspost.outbox import public_from
    from plugins.crosspost.story import story_from_post

    story = story_from_post(post)
    release = WaRelease(post_id=post.id, title=story.title[:500], url=story.url[:500], not_before=public_from(post))
    db.session.add(release)
    try:
        db.session.commit()
    except IntegrityError:  # published again, or the sweep was first: never a second fan-out
        db.session.rollback()
        return None
    if release.not_before > naive_utc():
        _schedule(RELEASE_JOB, release.id, release.not_before)  # embargo: the sweep covers longer waits
    else:
        enqueue(RELEASE_JOB, release.id)
    return release.id


def plan(release: WaRelease, post) -> int:
    """Choose the recipients once: active subscribers whose categories or units match."""
    subs = db.session.scalars(select(WaSubscriber).where(WaSubscriber.status == "active")).all()
    have = set(db.session.scalars(select(WaMessage.subscriber_id).where(WaMessage.release_id == release.id)))
    now = naive_utc()
    rows = [
        WaMessage(release_id=release.id, subscriber_id=s.id, kind="release", status="queued", next_attempt_at=now)
        for s in subs
        if s.id not in have and wants(s, post)
    ]
    db.session.add_all(rows)
    release.planned_at = now
    db.session.commit()
    return len(rows)


def _take_lease(release_id: int, now: datetime) -> bool:
    until = now + timedelta(seconds=float(cfg("BATCH_SECONDS")) + 120)
    result = db.session.execute(
        update(WaRelease)
        .where(
            WaRelease.id == release_id,
            WaRelease.finished_at.is_(None),
            or_(WaRelease.lease_until.is_(None), WaRelease.lease_until < now),
        )
        .values(lease_until=until)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def recent_recipients(now: datetime) -> set[int]:
    """Subscribers messaged in the last 24 h (the tier counts unique recipients)."""
    since = now - timedelta(hours=24)
    return set(db.session.scalars(select(WaMessage.subscriber_id).where(WaMessage.sent_at >= since).distinct()))


@job(RELEASE_JOB)
def release_job(release_id: int) -> None:
    run_release(release_id)


def run_release(release_id: int, seconds: float | None = None) -> str:
    """Work on one release for at most ``seconds``; returns why it stopped."""
    now = naive_utc()
    release = db.session.get(WaRelease, release_id)
    if release is None or release.finished_at is not None:
        return "finished"
    if release.not_before and release.not_before > now:
        _schedule(RELEASE_JOB, release_id, release.not_before)
        return "waiting"
    post = db.session.get(Post, release.post_id)
    if post is None or not is_public(post):
        db.session.execute(
            update(WaMessage)
            .where(WaMessage.release_id == release_id, WaMessage.status.in_(OPEN))
            .values(status="cancelled", error="Rilis ditarik sebelum terkirim.")
        )
        release.finished_at = now
        db.session.commit()
        return "cancelled"
    if not _take_lease(release_id, now):
        return "busy"
    try:
        if release.planned_at is None:
            plan(release, post)
        return _work(release, time.monotonic() + float(seconds or cfg("BATCH_SECONDS")))
    finally:
        db.session.rollback()
        db.session.execute(update(WaRelease).where(WaRelease.id == release_id).values(lease_until=None))
        db.session.commit()


def _next_due(release_id: int, now: datetime) -> int | None:
    return db.session.scalar(
        select(WaMessage.id)
        .where(
            WaMessage.release_id == release_id,
            WaMessage.status.in_(OPEN),
            or_(WaMessage.next_attempt_at.is_(None), WaMessage.next_attempt_at <= now),
        )
        .order_by(WaMessage.id)
        .limit(1)
    )


def _work(release: WaRelease, deadline: float) -> str:
    tier = int(cfg("TIER") or 0)
    recent = recent_recipients(naive_utc())
    while True:
        now = naive_utc()
        msg_id = _next_due(release.id, now)
        if msg_id is None:
            later = db.session.scalar(
                select(func.min(WaMessage.next_attempt_at)).where(
                    WaMessage.release_id == release.id, WaMessage.status.in_(OPEN)
                )
            )
            if later is not None:
                _schedule(RELEASE_JOB, release.id, later)
                return "waiting"
            release.finished_at = now
            db.session.commit()
            return "finished"
        if time.monotonic() >= deadline:
            _schedule(RELEASE_JOB, release.id, now)
            return "paused"
        subscriber_id = db.session.scalar(select(WaMessage.subscriber_id).where(WaMessage.id == msg_id))
        if tier and subscriber_id not in recent and len(recent) >= tier:
            log.info("whatsapp release %s waits for the 24-hour tier (%s recipients)", release.id, tier)
            return "tier"  # the sweep resumes it when the oldest send leaves the window
        outcome = deliver(msg_id)
        if outcome is not None and outcome.status == "sent":
            recent.add(subscriber_id)
        if outcome is not None and outcome.throttled:
            msg = db.session.get(WaMessage, msg_id)
            _schedule(RELEASE_JOB, release.id, msg.next_attempt_at)
            return "throttled"


def recover_stale(now: datetime) -> int:
    """A worker killed mid-send: the API may have the message, so it is not resent."""
    limit = now - timedelta(seconds=float(current_app.config["CROSSPOST_STALE_AFTER"]))
    result = db.session.execute(
        update(WaMessage)
        .where(WaMessage.status == "sending", WaMessage.claimed_at < limit)
        .values(status="unknown", error="Pengiriman terputus di tengah jalan; tidak dikirim ulang.")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def sweep() -> dict[str, int]:
    """Periodic: recover stale sends, resume releases and messages whose time has come."""
    now = naive_utc()
    recovered = recover_stale(now)
    releases = list(
        db.session.scalars(
            select(WaRelease.id).where(
                WaRelease.finished_at.is_(None),
                or_(WaRelease.lease_until.is_(None), WaRelease.lease_until < now),
                or_(WaRelease.not_before.is_(None), WaRelease.not_before <= now),
            )
        )
    )
    for release_id in releases:
        enqueue(RELEASE_JOB, release_id)
    messages = list(
        db.session.scalars(
            select(WaMessage.id).where(
                WaMessage.release_id.is_(None), WaMessage.status.in_(OPEN), WaMessage.next_attempt_at <= now
            )
        )
    )
    for msg_id in messages:
        enqueue(MESSAGE_JOB, msg_id)
    return {"recovered": recovered, "releases": len(releases), "messages": len(messages)}


def counts(release_id: int) -> dict[str, int]:
    """Sent/delivered/read/failed as the admin page shows them (delivered includes read)."""
    rows = dict(
        db.session.execute(
            select(WaMessage.status, func.count()).where(WaMessage.release_id == release_id).group_by(WaMessage.status)
        ).all()
    )
    return {
        "total": sum(rows.values()),
        "sent": sum(rows.get(s, 0) for s in ACCEPTED),
        "delivered": rows.get("delivered", 0) + rows.get("read", 0),
        "read": rows.get("read", 0),
        "failed": rows.get("failed", 0),
        "open": sum(rows.get(s, 0) for s in (*OPEN, "sending")),
        "unknown": rows.get("unknown", 0) + rows.get("cancelled", 0),
    }
