"""The Cloud API webhook: signature check, inbound replies, delivery statuses.

Meta signs the raw body with the app secret (``X-Hub-Signature-256:
sha256=<hex HMAC-SHA256>``); anything else is refused before parsing.
Meta retries a webhook it thinks failed, so every handler is idempotent
(a consent by its message id, a status by its order).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import unicodedata
from datetime import UTC, datetime

from sqlalchemy import select

from cms.api import audit, crypto, db, naive_utc
from plugins.crosspost.whatsapp import service
from plugins.crosspost.whatsapp.models import WaConsent, WaMessage, WaSubscriber
from plugins.crosspost.whatsapp.phone import from_wa_id, phone_hash

log = logging.getLogger(__name__)
YES = {"YA", "IYA", "YES"}
STOP = {"BERHENTI", "STOP", "UNSUBSCRIBE"}
RANK = {"sent": 1, "delivered": 2, "read": 3}


def signature_ok(raw: bytes, header: str | None, secret: str) -> bool:
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :].strip().lower())


def verify_challenge(args, token: str) -> str | None:
    """GET subscription check: echo ``hub.challenge`` when the verify token matches."""
    given = args.get("hub.verify_token") or ""
    if args.get("hub.mode") != "subscribe" or not token or not hmac.compare_digest(given, token):
        return None
    return args.get("hub.challenge") or ""


def _when(value) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        return naive_utc()


def _word(text: str) -> str:
    """``"Ya."``, ``" ya "``, ``"YA!"`` → ``"YA"``."""
    text = unicodedata.normalize("NFKC", text or "").strip().upper()
    return "".join(ch for ch in text if ch.isalnum())


def _reply_of(message: dict) -> str:
    kind = message.get("type")
    if kind == "text":
        body = (message.get("text") or {}).get("body", "") if isinstance(message.get("text"), dict) else ""
        return body if isinstance(body, str) else ""
    if kind == "button":  # a template's quick-reply button
        button = message["button"] if isinstance(message.get("button"), dict) else {}
        return str(button.get("payload") or button.get("text") or "")
    if kind == "interactive":
        interactive = message["interactive"] if isinstance(message.get("interactive"), dict) else {}
        reply = interactive["button_reply"] if isinstance(interactive.get("button_reply"), dict) else {}
        return str(reply.get("id") or reply.get("title") or "")
    return ""


def _items(value) -> list[dict]:
    """The objects of a JSON list; anything else in the body is ignored, not a 500."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def handle(payload: dict) -> dict[str, int]:
    """Apply one webhook body; returns what it did (for logs and tests)."""
    done = {"messages": 0, "statuses": 0}
    for entry in _items(payload.get("entry") if isinstance(payload, dict) else None):
        for change in _items(entry.get("changes")):
            value = change["value"] if isinstance(change.get("value"), dict) else {}
            for message in _items(value.get("messages")):
                done["messages"] += inbound(message)
            for status in _items(value.get("statuses")):
                done["statuses"] += status_update(status)
    return done


def inbound(message: dict) -> int:
    e164, wamid = from_wa_id(str(message.get("from") or "")[:20]), str(message.get("id") or "")[:128]
    reply = _reply_of(message)
    word = _word(reply)
    if not e164 or not wamid or word not in YES | STOP:
        return 0
    sub = db.session.scalar(select(WaSubscriber).where(WaSubscriber.phone_hash == phone_hash(e164)))
    if sub is None or db.session.scalar(select(WaConsent.id).where(WaConsent.message_id == wamid)):
        return 0  # an unknown number, or Meta repeating a webhook already handled
    at = _when(message.get("timestamp"))
    if word in YES and sub.status == "pending" and sub.optin_sent_at:
        sub.status, sub.activated_at = "active", naive_utc()
        db.session.add(
            WaConsent(
                subscriber_id=sub.id,
                action="given",
                at=at,
                text=sub.optin_text,
                reply=reply[:200],
                phone_enc=crypto.encrypt(e164),
                message_id=wamid,
                purpose=service.purpose(),
            )
        )
        audit.record("crosspost.whatsapp.consent", "crosspost_wa_subscriber", sub.id)
        db.session.commit()
        service.queue_message(sub, "notice", service.NOTICE_ACTIVE.format(institution=service.institution()))
        return 1
    if word in STOP and sub.status in ("pending", "active"):
        sub.status, sub.unsubscribed_at = "unsubscribed", naive_utc()
        db.session.add(
            WaConsent(
                subscriber_id=sub.id,
                action="withdrawn",
                at=at,
                text=sub.optin_text,
                reply=reply[:200],
                phone_enc=crypto.encrypt(e164),
                message_id=wamid,
                purpose=service.purpose(),
            )
        )
        audit.record("crosspost.whatsapp.unsubscribe", "crosspost_wa_subscriber", sub.id)
        db.session.commit()
        service.queue_message(sub, "notice", service.NOTICE_STOPPED.format(institution=service.institution()))
        return 1
    return 0


def status_update(status: dict) -> int:
    msg = db.session.scalar(select(WaMessage).where(WaMessage.wamid == str(status.get("id") or "")))
    state = status.get("status")
    if msg is None or state not in (*RANK, "failed"):
        return 0
    at = _when(status.get("timestamp"))
    if state == "failed":
        first = (_items(status.get("errors")) or [{}])[0]
        msg.failed_at = msg.failed_at or at
        msg.error = f"({first.get('code', '')}) {first.get('title') or first.get('message') or ''}".strip()[:500]
        if msg.status not in ("read",):
            msg.status = "failed"
    else:
        if state == "sent":
            msg.sent_at = msg.sent_at or at
        if state in ("delivered", "read"):
            msg.delivered_at = msg.delivered_at or at
        if state == "read":
            msg.read_at = msg.read_at or at
        if RANK[state] > RANK.get(msg.status, 0) and msg.status != "failed":
            msg.status = state  # statuses may arrive out of order: never step back
    db.session.commit()
    return 1
