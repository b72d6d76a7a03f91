"""A fake WhatsApp Business Cloud API on 127.0.0.1, and Meta's side of the webhook.

``FakeWhatsApp`` answers ``POST /v21.0/{phone-number-id}/messages`` as the
Cloud API does (``{"messaging_product", "contacts", "messages": [{"id"}]}``),
checks the bearer token and the payload shape, records each accepted message
with the moment it arrived, and injects faults (``429``, ``500``, ``timeout``)
through ``faults`` like the other fakes.  ``MetaWebhook`` builds and signs
the webhook bodies Meta posts to Warta (inbound messages and statuses).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time

from tests.plugins.crosspost.fakes import Fake, as_json


class FakeWhatsApp(Fake):
    token = "wa-permanent-token"
    phone_number_id = "105500012345"

    def __init__(self):
        super().__init__()
        self.sent: list[dict] = []  # accepted messages, in arrival order
        self.wamids = itertools.count(1)

    def is_create(self, request):
        return request.path.endswith("/messages")

    def rate_limited(self):
        return as_json(
            {
                "error": {
                    "message": "(#130429) Rate limit hit",
                    "type": "OAuthException",
                    "code": 130429,
                    "fbtrace_id": "Axyz",
                }
            },
            429,
            {"Retry-After": "0"},
        )

    def fault_response(self):
        return as_json(
            {
                "error": {
                    "message": "An unknown error occurred",
                    "type": "OAuthException",
                    "code": 1,
                    "is_transient": True,
                }
            },
            500,
        )

    def unauthorized(self):
        return as_json(
            {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}, 401
        )

    def route(self, request):
        if request.path != f"/v21.0/{self.phone_number_id}/messages" or request.method != "POST":
            return as_json({"error": {"message": "Unknown path", "code": 100}}, 404)
        if not self.bearer_ok(request):
            return self.unauthorized()
        data = request.get_json(silent=True) or {}
        to = str(data.get("to", ""))
        if data.get("messaging_product") != "whatsapp" or not to.isdigit():
            return as_json({"error": {"message": "(#100) Invalid parameter", "code": 100}}, 400)
        kind = data.get("type")
        entry = {"to": to, "type": kind, "at": time.monotonic()}
        if kind == "template":
            template = data["template"]
            body = [c for c in template.get("components", []) if c.get("type") == "body"]
            entry.update(
                template=template["name"],
                language=template["language"]["code"],
                params=[p["text"] for p in (body[0]["parameters"] if body else [])],
            )
        elif kind == "text":
            entry["text"] = data["text"]["body"]
        else:
            return as_json({"error": {"message": "(#100) Unsupported type", "code": 100}}, 400)
        with self.lock:
            entry["wamid"] = f"wamid.HBgM{next(self.wamids):08d}"
            self.sent.append(entry)
        return as_json(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": entry["wamid"]}],
            }
        )

    def to(self, wa_id: str, kind: str | None = None) -> list[dict]:
        return [
            m
            for m in self.sent
            if m["to"] == wa_id and (kind is None or m.get("template") == kind or m["type"] == kind)
        ]


class MetaWebhook:
    """Meta's half: the webhook bodies it posts, signed with the app secret."""

    def __init__(self, client, secret: str, path: str = "/feeds/whatsapp/webhook"):
        self.client, self.secret, self.path = client, secret, path
        self.ids = itertools.count(1)

    def sign(self, raw: bytes, secret: str | None = None) -> str:
        return "sha256=" + hmac.new((secret or self.secret).encode(), raw, hashlib.sha256).hexdigest()

    @staticmethod
    def envelope(value: dict) -> dict:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "6281100000000", "phone_number_id": FakeWhatsApp.phone_number_id},
            **value,
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA-1", "changes": [{"field": "messages", "value": value}]}],
        }

    def post(self, body: dict, signature: str | None = "sign"):
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            headers["X-Hub-Signature-256"] = self.sign(raw)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return self.client.post(self.path, data=raw, headers=headers)

    def reply(self, wa_id: str, text: str, *, button: bool = False):
        message = {"from": wa_id, "id": f"wamid.IN{next(self.ids):06d}", "timestamp": str(int(time.time()))}
        if button:
            message.update(type="button", button={"payload": text, "text": text})
        else:
            message.update(type="text", text={"body": text})
        return self.post(
            self.envelope({"contacts": [{"profile": {"name": "Jurnalis"}, "wa_id": wa_id}], "messages": [message]})
        )

    def status(self, wamid: str, status: str, wa_id: str, error: dict | None = None):
        item = {"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": wa_id}
        if error:
            item["errors"] = [error]
        return self.post(self.envelope({"statuses": [item]}))
