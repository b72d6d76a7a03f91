"""WhatsApp press releases: subscribing with double opt-in, and the periodic sweep.

Sending one message is ``sending``; fanning a release out in paced batches
is ``releases``.  Their names callers use are offered here too, so the
plugin's hooks, views and webhook import this one module.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cms.api import crypto, db, enqueue, naive_utc
from plugins.crosspost.whatsapp.models import OPEN, WaMessage, WaSubscriber
from plugins.crosspost.whatsapp.phone import normalise, phone_hash
from plugins.crosspost.whatsapp.releases import RELEASE_JOB, counts, due_releases, on_published, plan, run_release
from plugins.crosspost.whatsapp.sending import MESSAGE_JOB, PACER, cfg, institution, phone_of, recover_stale

__all__ = [
    "MESSAGE_JOB",
    "NOTICE_ACTIVE",
    "NOTICE_STOPPED",
    "PACER",
    "RELEASE_JOB",
    "counts",
    "institution",
    "on_published",
    "optin_text",
    "phone_of",
    "plan",
    "purpose",
    "queue_message",
    "run_release",
    "subscribe",
    "sweep",
]

PURPOSE = (
    "Menerima siaran pers {institution} lewat WhatsApp; nomor hanya dipakai untuk itu "
    "dan dihapus atas permintaan (UU 27/2022)."
)
NOTICE_ACTIVE = "Langganan siaran pers {institution} lewat WhatsApp aktif. Balas BERHENTI kapan saja untuk berhenti."
NOTICE_STOPPED = (
    "Anda berhenti berlangganan siaran pers {institution} lewat WhatsApp. Nomor Anda tidak akan dikirimi lagi."
)


def purpose() -> str:
    return PURPOSE.format(institution=institution())


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


def sweep() -> dict[str, int]:
    """Periodic: recover stale sends, resume releases and messages whose time has come."""
    now = naive_utc()
    recovered = recover_stale(now)
    releases = due_releases(now)
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
