"""Sending one WhatsApp message: claim it, pace it, call the API, record the answer.

Each message is claimed by a conditional UPDATE before it is sent, so a
resumed or doubled job never sends a message twice (the claim, backoff and
stale rules are the outbox's, in ``plugins.crosspost.attempts``).  Numbers
are decrypted at the moment of sending; job payloads carry ids only.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from cms.api import crypto, db, enqueue, job, naive_utc
from plugins.crosspost import attempts
from plugins.crosspost.whatsapp import api
from plugins.crosspost.whatsapp.models import OPEN, WaMessage, WaRelease, WaSubscriber

MESSAGE_JOB = "crosspost.whatsapp.message"
BACKOFF_CAP = 6 * 3600.0


def cfg(name: str):
    return api.cfg(name)


def institution() -> str:
    return current_app.config.get("CMS_INSTITUTION") or "Pemerintah Daerah"


def phone_of(sub: WaSubscriber) -> str:
    return crypto.decrypt(sub.phone_enc)


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


def _payload(msg: WaMessage, to: str) -> dict:
    if msg.kind == "optin":
        return api.template(to, cfg("OPTIN_TEMPLATE"), [msg.subscriber.name, institution()])
    if msg.kind == "release":
        release = db.session.get_one(WaRelease, msg.release_id)
        return api.template(to, cfg("RELEASE_TEMPLATE"), [release.title, release.url])
    return api.text(to, msg.body)


def claim(msg_id: int, now: datetime) -> bool:
    return attempts.claim(WaMessage, msg_id, now, OPEN)


def record(msg: WaMessage, outcome: api.Outcome, now: datetime) -> None:
    if outcome.status == "sent":
        msg.status, msg.wamid, msg.sent_at, msg.error = "sent", outcome.wamid, now, ""
    elif outcome.status == "retry":
        most, base = int(cfg("MAX_ATTEMPTS")), float(cfg("BACKOFF_BASE"))
        delay = attempts.retry_delay(msg.attempts, most, outcome.delay, base, BACKOFF_CAP)
        if delay is None:
            msg.status, msg.failed_at, msg.error = "failed", now, attempts.gave_up(msg.attempts, outcome.reason)
        else:
            msg.status, msg.next_attempt_at, msg.error = "retry", now + timedelta(seconds=delay), outcome.reason
    elif outcome.status == "unknown":
        msg.status, msg.error = "unknown", outcome.reason
    else:
        msg.status, msg.failed_at, msg.error = "failed", now, outcome.reason
    msg.updated_at = now


def deliver(msg_id: int) -> api.Outcome | None:
    """Claim, pace, send and record one message; None when it was not ours to send."""
    if not claim(msg_id, naive_utc()):
        return None
    msg = db.session.get_one(WaMessage, msg_id)  # claimed just now
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
        schedule(MESSAGE_JOB, msg_id, msg.next_attempt_at)


def schedule(name: str, ident: int, when: datetime | None) -> None:
    """Soon-due continuations are queued; anything later is left to the minute sweep."""
    delay = max(0.05, ((when or naive_utc()) - naive_utc()).total_seconds())
    if delay <= 60:
        enqueue(name, ident, delay=delay)


def recover_stale(now: datetime) -> int:
    """A worker killed mid-send: the API may have the message, so it is not resent."""
    result = db.session.execute(
        update(WaMessage)
        .where(attempts.stale(WaMessage, now))
        .values(status="unknown", error="Pengiriman terputus di tengah jalan; tidak dikirim ulang.")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
