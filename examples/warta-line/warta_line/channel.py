"""LINE Official Account: broadcast each release to the account's friends
through the Messaging API (``POST /v2/bot/message/broadcast``).

Made with ``flask cms plugin new line --kind channel`` and adapted.  The
channel access token goes in ``Authorization: Bearer``; ``X-Line-Retry-Key``
(a UUID, derived from Warta's idempotency key) makes LINE drop a repeated
broadcast for 24 hours and answer 409, which means it was already sent.
"""

import uuid

from plugins.crosspost import http
from plugins.crosspost.channels import Channel, ChannelError, Failed, RetryLater, Sent, Setting, channel_call

API_BASE = "https://api.line.me"


class LineChannel(Channel):
    key = "line"
    label = "LINE Official Account"
    settings = (
        Setting("access_token", "Channel access token", secret=True, hint="LINE Developers → Messaging API."),
        Setting("api_base", "Alamat API", required=False, default=API_BASE, hint="Biarkan kosong untuk api.line.me."),
    )
    max_length = 5000  # a text message
    idempotent = True
    idempotency_window = 24 * 3600  # LINE remembers a retry key for 24 hours

    def _base(self, account):
        return account.get("api_base", API_BASE).rstrip("/") or API_BASE

    def _headers(self, account, idempotency_key):
        retry_key = uuid.uuid5(uuid.NAMESPACE_URL, f"warta:{idempotency_key}")
        return {"Authorization": f"Bearer {account.get('access_token')}", "X-Line-Retry-Key": str(retry_key)}

    def payload(self, message):
        messages = [{"type": "text", "text": message.text}]
        image = message.image
        if image is not None and image.url.startswith("https://"):  # LINE fetches HTTPS images only
            messages.append({"type": "image", "originalContentUrl": image.url, "previewImageUrl": image.url})
        return {"messages": messages}

    @channel_call
    def send(self, message, account, idempotency_key):
        reply = http.request(
            "POST",
            f"{self._base(account)}/v2/bot/message/broadcast",
            headers=self._headers(account, idempotency_key),
            json=self.payload(message),
        )
        request_id = reply.headers.get("x-line-request-id", "")
        if reply.ok or reply.status == 409:  # 409: this retry key was accepted before
            return Sent(request_id or idempotency_key)
        if reply.status == 429:
            return RetryLater(reply.retry_after() or 60, "batas kiriman LINE")
        if reply.status == 401:
            return Failed("Channel access token ditolak LINE (HTTP 401); terbitkan token baru.")
        return self.http_outcome(reply, reply.content[:200].decode("utf-8", "replace"))

    def test_connection(self, account):
        try:
            reply = http.request("GET", f"{self._base(account)}/v2/bot/info", headers=self._headers(account, "test"))
            body = reply.json()
        except (http.TransportError, http.MalformedReply) as exc:
            raise ChannelError(str(exc)) from exc
        if not reply.ok:
            raise ChannelError(f"HTTP {reply.status}: {body.get('message', '')}")
        return body.get("displayName", "LINE")
