"""A generic webhook signed per Standard Webhooks (``webhook-id``/``-timestamp``/``-signature``).

The ``webhook-id`` is the delivery's idempotency key and is reused on every
retry, so receivers that dedupe on it (as the scheme requires) never see a
post twice; that makes retries after timeouts safe.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import replace

from flask_babel import lazy_gettext as _l

from plugins.crosspost import http
from plugins.crosspost.channels.base import Channel, ChannelError, Failed, Sent, Setting, channel_call

EVENT_TYPES = {
    "published": "story.published",
    "updated": "story.updated",
    "retracted": "story.retracted",
    "ping": "ping",
}


def secret_bytes(secret: str) -> bytes:
    secret = secret.strip()
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_") :])
    return secret.encode("utf-8")


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    to_sign = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), to_sign, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """Receiver side (used by the docs' example and the tests)."""
    msg_id, ts = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "0")
    if not ts.isdigit() or abs(time.time() - int(ts)) > tolerance:
        return False
    expected = sign(secret, msg_id, int(ts), body).split(",", 1)[1]
    given = [s.split(",", 1)[1] for s in headers.get("webhook-signature", "").split() if "," in s]
    return any(hmac.compare_digest(expected, g) for g in given)


class Webhook(Channel):
    key = "webhook"
    label = "Webhook (Standard Webhooks)"
    settings = (
        Setting("url", _l("URL penerima"), hint=_l("https://… milik sistem penerima.")),
        Setting("secret", _l("Rahasia penandatanganan"), secret=True, hint=_l("Format whsec_… (base64).")),
    )
    max_length = None
    idempotent = True  # receivers dedupe on webhook-id
    supports_edit = True
    supports_delete = True

    def payload(self, message) -> dict:
        story = message.story
        return {
            "type": EVENT_TYPES.get(message.event, "story.published"),
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "data": {
                "id": story.ref,
                "title": story.title,
                "summary": story.summary,
                "url": story.url,
                "kind": story.kind,
                "categories": list(story.categories),
                "language": story.language,
                "text": message.text,
                "version": story.version,
                # The lead image: an absolute URL (SITE_URL + /media/…) receivers fetch, and its alt text.
                "image": {"url": message.image.url, "alt": message.image.alt} if message.image else None,
            },
        }

    @channel_call
    def _post(self, message, account, key):
        body = json.dumps(self.payload(message), ensure_ascii=False, separators=(",", ":")).encode()
        ts = int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": key,
            "webhook-timestamp": str(ts),
            "webhook-signature": sign(account.get("secret"), key, ts, body),
        }
        reply = http.request("POST", account.get("url"), headers=headers, content=body)
        if reply.ok:
            return Sent(key)
        if reply.status == 410:
            return Failed("Penerima webhook menyatakan alamat tidak berlaku lagi (HTTP 410).")
        return self.http_outcome(reply, reply.content[:200].decode("utf-8", "replace"))

    def send(self, message, account, idempotency_key):
        return self._post(message, account, idempotency_key)

    def update(self, remote_id, message, account, idempotency_key):
        return self._post(message, account, idempotency_key)

    def delete(self, remote_id, account, idempotency_key, message=None):
        retraction = message or message_for_retraction(remote_id)
        return self._post(replace(retraction, event="retracted"), account, idempotency_key)

    def test_connection(self, account):
        if not account.get("url").startswith(("https://", "http://")):
            raise ChannelError("URL penerima harus diawali https://")
        ping = message_for_retraction("ping")
        outcome = self._post(replace(ping, event="ping"), account, f"ping-{int(time.time())}")
        if not isinstance(outcome, Sent):
            raise ChannelError(getattr(outcome, "reason", "") or "penerima tidak menjawab 2xx")
        return account.get("url")


def message_for_retraction(remote_id: str):
    from plugins.crosspost.story import Message, Story

    return Message(text="", story=Story(ref=remote_id, title="", url=""), event="retracted")
