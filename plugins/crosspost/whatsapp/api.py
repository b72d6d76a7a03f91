"""The WhatsApp Business Cloud API messages endpoint, and what its answers mean.

``POST {graph}/{phone-number-id}/messages``.  The API has no idempotency
key, so only answers that prove the message was not taken are retried
(connection refused, 429, a 5xx error body); a timeout after sending is
"unknown" and never resent blindly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app

from plugins.crosspost import http
from plugins.crosspost.channels.meta import graph_error

# Meta's throttling codes (HTTP 400/429 bodies): app, account, pair rate limits.
RATE_CODES = {4, 80007, 130429, 131048, 131056}
_SPACES = re.compile(r"[\t\n\r]+| {4,}")


@dataclass
class Outcome:
    status: str  # sent | retry | failed | unknown
    wamid: str = ""
    reason: str = ""
    delay: float | None = None  # seconds the API asked to wait
    throttled: bool = False  # pause the whole account, not only this message


def cfg(name: str):
    return current_app.config[f"CROSSPOST_WHATSAPP_{name}"]


def configured() -> bool:
    return bool(cfg("PHONE_NUMBER_ID") and cfg("ACCESS_TOKEN"))


def param(text: str) -> dict:
    """Template parameters may not hold newlines, tabs or 4+ spaces (error 132000)."""
    return {"type": "text", "text": _SPACES.sub(" ", text or "").strip()[:1000] or "-"}


def template(to: str, name: str, params: list[str]) -> dict:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to.lstrip("+"),
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": cfg("TEMPLATE_LANGUAGE")},
            "components": [{"type": "body", "parameters": [param(p) for p in params]}],
        },
    }


def text(to: str, body: str) -> dict:
    """Free text: allowed within 24 h of the person's own message (replies to YA/BERHENTI)."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to.lstrip("+"),
        "type": "text",
        "text": {"body": body, "preview_url": False},
    }


def send(payload: dict) -> Outcome:
    if not configured():
        return Outcome("failed", reason="WhatsApp belum diatur (phone number id / access token).")
    url = f"{cfg('GRAPH_BASE').rstrip('/')}/{cfg('PHONE_NUMBER_ID')}/messages"
    try:
        reply = http.request("POST", url, json=payload, headers={"Authorization": f"Bearer {cfg('ACCESS_TOKEN')}"})
    except http.NotSent as exc:
        return Outcome("retry", reason=str(exc))
    except http.MaybeSent as exc:
        return Outcome("unknown", reason=f"{exc}; pesan mungkin sudah terkirim, tidak dikirim ulang")
    try:
        data = reply.json() or {}
    except http.MalformedReply as exc:
        return Outcome("unknown" if reply.ok else "retry", reason=str(exc))
    if reply.ok:
        messages = data.get("messages") if isinstance(data, dict) else None
        wamid = messages[0].get("id") if messages and isinstance(messages[0], dict) else None
        if not wamid:
            return Outcome("unknown", reason="Balasan tanpa id pesan.")
        return Outcome("sent", wamid=str(wamid))
    error = graph_error(data)
    reason = f"HTTP {reply.status}" + (f" ({error.code}) {error.message}" if error else "")
    if reply.status == 429 or (error is not None and error.code in RATE_CODES):
        return Outcome("retry", reason=reason, delay=reply.retry_after(), throttled=True)
    if reply.status >= 500:
        return Outcome("retry", reason=reason, delay=reply.retry_after())
    return Outcome("failed", reason=reason)
