"""Discord webhook channel, written against the documented crosspost channel API only."""

from __future__ import annotations

from plugins.crosspost import http
from plugins.crosspost.channels import Channel, ChannelError, Failed, RetryLater, Sent, Setting, channel_call


class DiscordWebhook(Channel):
    key = "discord"
    label = "Discord webhook"
    settings = (
        Setting(
            "webhook_url",
            "URL webhook",
            hint="https://discord.com/api/webhooks/<id>/<token> (Pengaturan Server → Integrasi).",
        ),
        Setting("guild_id", "ID server", required=False, hint="Opsional, untuk tautan ke pesan."),
    )
    max_length = 2000
    count_rule = "karakter"
    supports_edit = True
    supports_delete = True

    def count(self, text: str) -> int:
        return len(text)  # Discord counts code points

    def _body(self, message) -> dict:
        embed = {"title": message.title[:256], "url": message.link, "description": message.summary[:4096]}
        if message.image is not None and message.image.alt:
            embed["footer"] = {"text": message.image.alt[:2048]}
        # Never ping @everyone from a press release.
        return {"content": message.text, "embeds": [embed] if message.link else [], "allowed_mentions": {"parse": []}}

    def _outcome(self, reply, make_sent):
        if reply.ok:
            return make_sent(reply.json() if reply.status != 204 else {})
        if reply.status == 429:
            body = reply.json()
            return RetryLater(float(body.get("retry_after", 0)) or reply.retry_after(), body.get("message", ""))
        if reply.status in (401, 404):
            return Failed(f"Webhook Discord tidak berlaku (HTTP {reply.status}); buat webhook baru.")
        return self.http_outcome(reply, reply.content[:200].decode("utf-8", "replace"))

    def _link(self, account, body) -> str | None:
        guild = account.get("guild_id")
        if guild and body.get("channel_id") and body.get("id"):
            return f"https://discord.com/channels/{guild}/{body['channel_id']}/{body['id']}"
        return None

    @channel_call
    def send(self, message, account, idempotency_key):
        reply = http.request("POST", account.get("webhook_url"), params={"wait": "true"}, json=self._body(message))
        return self._outcome(reply, lambda b: Sent(str(b["id"]), self._link(account, b)))

    @channel_call
    def update(self, remote_id, message, account, idempotency_key):
        reply = http.request("PATCH", f"{account.get('webhook_url')}/messages/{remote_id}", json=self._body(message))
        return self._outcome(reply, lambda b: Sent(remote_id, self._link(account, b)))

    @channel_call
    def delete(self, remote_id, account, idempotency_key, message=None):
        reply = http.request("DELETE", f"{account.get('webhook_url')}/messages/{remote_id}")
        return self._outcome(reply, lambda b: Sent(remote_id))

    def test_connection(self, account):
        try:
            reply = http.request("GET", account.get("webhook_url"))
            body = reply.json()
        except (http.TransportError, http.MalformedReply) as exc:
            raise ChannelError(str(exc)) from exc
        if not reply.ok:
            raise ChannelError(f"HTTP {reply.status}: {body.get('message', '')}")
        return f"{body.get('name', 'webhook')} (kanal {body.get('channel_id', '?')})"
