"""Bluesky (AT Protocol): session, ``createRecord`` with link facets and images or a link card.

Idempotency comes from a client-chosen record key (a TID derived from the
delivery), so a retry targets the same record; a duplicate answer (an error,
or a 500 on some PDSes) is resolved by reading the record back.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from plugins.crosspost import counting, http
from plugins.crosspost.channels.base import (
    Channel,
    ChannelError,
    Failed,
    RetryLater,
    Sent,
    Setting,
    channel_call,
    connection_test,
    join_url,
)

MAX_GRAPHEMES = 300
MAX_BYTES = 3000
_B32 = "234567abcdefghijklmnopqrstuvwxyz"
POST = "app.bsky.feed.post"


def tid_for(key: str, when: datetime | None) -> str:
    """A valid, time-ordered record key that is the same for the same delivery."""
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")
    when = when or datetime(2024, 1, 1)
    micros = int(when.replace(tzinfo=UTC).timestamp() * 1_000_000) + digest % 1_000_000
    value = ((micros & ((1 << 53) - 1)) << 10) | (digest >> 22 & 0x3FF)
    out = ""
    for _ in range(13):
        out = _B32[value & 31] + out
        value >>= 5
    return out


def link_facets(text: str) -> list[dict]:
    """``app.bsky.richtext.facet#link`` with UTF-8 byte offsets for every URL."""
    facets = []
    for match in counting.URL_RE.finditer(text):
        start = len(text[: match.start()].encode("utf-8"))
        end = start + len(match.group(0).encode("utf-8"))
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}],
            }
        )
    return facets


class Bluesky(Channel):
    key = "bluesky"
    label = "Bluesky"
    settings = (
        Setting("service", _l("Alamat PDS"), required=False, default="https://bsky.social"),
        Setting("handle", _l("Handle"), hint=_l("mis. humas.bekasikota.go.id")),
        Setting(
            "app_password",
            _l("App password"),
            secret=True,
            hint=_l("Buat di Pengaturan → App Passwords; jangan pakai kata sandi utama."),
        ),
    )
    max_length = MAX_GRAPHEMES
    count_rule = "grafem"
    idempotent = True
    supports_delete = True

    def length_errors(self, text, message=None):
        errors = super().length_errors(text, message)
        if counting.utf8_bytes(text) > MAX_BYTES:
            errors.append(f"Pesan {counting.utf8_bytes(text)} bita; batas Bluesky {MAX_BYTES} bita.")
        return errors

    # ------------------------------------------------------------ session
    def _xrpc(self, account, nsid: str) -> str:
        base = account.state.get("pds") or account.get("service", "https://bsky.social")
        return join_url(base or "https://bsky.social", f"/xrpc/{nsid}")

    def _login(self, account) -> None:
        reply = http.request(
            "POST",
            self._xrpc(account, "com.atproto.server.createSession"),
            json={"identifier": account.get("handle"), "password": account.get("app_password")},
        )
        if reply.status in (400, 401):
            raise ChannelError(f"Login Bluesky ditolak: {self._reason(reply)}")
        if not reply.ok:
            raise http.NotSent(f"createSession HTTP {reply.status}")
        self._keep(account, reply.json())

    def _keep(self, account, body) -> None:
        account.state.update(access=body["accessJwt"], refresh=body["refreshJwt"], did=body["did"])
        service = (body.get("didDoc") or {}).get("service") or []
        for entry in service:
            if entry.get("id") == "#atproto_pds" and entry.get("serviceEndpoint"):
                account.state["pds"] = entry["serviceEndpoint"]

    def _refresh(self, account) -> bool:
        if not account.state.get("refresh"):
            return False
        reply = http.request(
            "POST",
            self._xrpc(account, "com.atproto.server.refreshSession"),
            headers={"Authorization": f"Bearer {account.state['refresh']}"},
        )
        if not reply.ok:
            account.state.clear()
            return False
        self._keep(account, reply.json())
        return True

    def _call(self, account, nsid, **kwargs):
        """An authenticated call; an expired access token is refreshed once."""
        if not account.state.get("access"):
            self._login(account)
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {account.state['access']}", **kwargs.pop("headers", {})}
            reply = http.request(kwargs.pop("method", "POST"), self._xrpc(account, nsid), headers=headers, **kwargs)
            if reply.status in (400, 401) and self._expired(reply) and attempt == 0:
                if not self._refresh(account):
                    self._login(account)
                continue
            return reply
        return reply

    def _expired(self, reply) -> bool:
        try:
            return (reply.json() or {}).get("error") in ("ExpiredToken", "InvalidToken")
        except http.MalformedReply:
            return False

    def _reason(self, reply) -> str:
        try:
            body = reply.json() or {}
            return f"{body.get('error', '')}: {body.get('message', '')}".strip(": ")
        except http.MalformedReply:
            return f"HTTP {reply.status}"

    # ------------------------------------------------------------ posting
    def _card(self, message) -> dict | None:
        """The link card, for a post without images (an embed is one or the other)."""
        if not message.link:
            return None
        card = {"uri": message.link, "title": message.title, "description": message.summary}
        return {"$type": "app.bsky.embed.external", "external": card}

    def _upload(self, account, image):
        reply = self._call(
            account, "com.atproto.repo.uploadBlob", content=image.data, headers={"Content-Type": image.mime}
        )
        if not reply.ok:
            return self.media_failure(reply, self._reason(reply))
        return {
            "image": reply.json()["blob"],
            "alt": image.alt,
            "aspectRatio": {"width": image.width, "height": image.height},
        }

    def _record(self, message, images) -> dict:
        created = message.created_at or datetime.now(UTC).replace(tzinfo=None)
        record = {
            "$type": POST,
            "text": message.text,
            "langs": [message.story.language],
            "createdAt": created.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        }
        facets = link_facets(message.text)
        if facets:
            record["facets"] = facets
        embed = {"$type": "app.bsky.embed.images", "images": images} if images else self._card(message)
        if embed:
            record["embed"] = embed
        return record

    def _web_url(self, account, rkey) -> str:
        return f"https://bsky.app/profile/{account.get('handle')}/post/{rkey}"

    def _existing(self, account, rkey):
        reply = self._call(
            account,
            "com.atproto.repo.getRecord",
            method="GET",
            params={"repo": account.state["did"], "collection": POST, "rkey": rkey},
        )
        if reply.ok:
            return Sent(reply.json()["uri"], self._web_url(account, rkey))
        return None

    @channel_call
    def send(self, message, account, idempotency_key):
        rkey = tid_for(idempotency_key, message.created_at)
        if not account.state.get("access"):
            self._login(account)
        uploaded = self.upload_images(message, lambda image: self._upload(account, image))
        if not isinstance(uploaded, tuple):
            return uploaded
        images, note = uploaded
        body = {"repo": account.state["did"], "collection": POST, "rkey": rkey, "record": self._record(message, images)}
        reply = self._call(account, "com.atproto.repo.createRecord", json=body)
        if reply.ok:
            return Sent(reply.json()["uri"], self._web_url(account, rkey), note)
        if reply.status == 400 and self._expired(reply):
            return Failed("Sesi Bluesky ditolak; periksa handle dan app password.", reconnect=True)
        if reply.status in (401, 403):
            return Failed(
                f"Ditolak oleh Bluesky: {self._reason(reply)}. Periksa app password.", reconnect=reply.status == 401
            )
        if reply.status == 429:
            return RetryLater(reply.retry_after(), "Batas laju Bluesky")
        # A duplicate rkey (clean error or a 500) or a 5xx after saving: look it up.
        found = self._existing(account, rkey)
        if found is not None:
            return Sent(found.remote_id, found.url, note)
        if reply.status >= 500:
            return RetryLater(reply.retry_after(), f"Galat server Bluesky: {self._reason(reply)}")
        return Failed(f"Ditolak oleh Bluesky (HTTP {reply.status}): {self._reason(reply)}")

    @channel_call
    def delete(self, remote_id, account, idempotency_key, message=None):
        rkey = remote_id.rsplit("/", 1)[-1]
        if not account.state.get("did"):
            self._login(account)
        reply = self._call(
            account,
            "com.atproto.repo.deleteRecord",
            json={"repo": account.state["did"], "collection": POST, "rkey": rkey},
        )
        return Sent(remote_id) if reply.ok else self.http_outcome(reply, self._reason(reply))

    @connection_test
    def test_connection(self, account):
        account.state.clear()
        self._login(account)
        return "@" + account.get("handle")
