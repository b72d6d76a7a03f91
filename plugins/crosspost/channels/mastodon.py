"""Mastodon: ``POST /api/v1/statuses`` with ``Idempotency-Key``; media with alt text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from plugins.crosspost import counting, http
from plugins.crosspost.channels.base import (
    Channel,
    ChannelError,
    Sent,
    Setting,
    channel_call,
    connection_test,
    join_url,
)


class Mastodon(Channel):
    key = "mastodon"
    label = "Mastodon"
    settings = (
        Setting("base_url", _l("Alamat instance"), hint=_l("mis. https://mastodon.social")),
        Setting(
            "access_token",
            _l("Token akses"),
            secret=True,
            hint=_l("Token aplikasi dengan cakupan write:statuses dan write:media."),
        ),
        Setting(
            "visibility",
            _l("Visibilitas"),
            required=False,
            default="public",
            hint=_l("public, unlisted, private atau direct."),
        ),
    )
    max_length = 500
    count_rule = "grafem (URL dihitung 23)"
    idempotent = True
    idempotency_window = 3600  # Mastodon remembers an Idempotency-Key for one hour
    supports_edit = True
    supports_delete = True

    def count(self, text: str) -> int:
        return counting.mastodon_length(text)

    def _headers(self, account, key: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {account.get('access_token')}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def _url(self, account, path: str) -> str:
        return join_url(account.get("base_url"), path)

    def _reason(self, reply) -> str:
        try:
            body = reply.json()
        except http.MalformedReply:
            return reply.content[:200].decode("utf-8", "replace")
        return str(body.get("error", body)) if isinstance(body, dict) else str(body)

    def _upload(self, account, image):
        """``POST /api/v2/media`` with the alt text; a 202 is polled until processed."""
        reply = http.request(
            "POST",
            self._url(account, "/api/v2/media"),
            headers=self._headers(account),
            files={"file": (image.filename, image.data, image.mime)},
            data={"description": image.alt},
        )
        if reply.status not in (200, 202):
            return self.media_failure(reply, self._reason(reply))
        media_id = str(reply.json()["id"])
        for _ in range(10):  # 202: the server is still processing; images rarely need this
            if reply.status == 200:
                break
            reply = http.request("GET", self._url(account, f"/api/v1/media/{media_id}"), headers=self._headers(account))
            if reply.status not in (200, 206):
                return self.media_failure(reply, self._reason(reply))
        return media_id

    def _status_body(self, message, account, media_ids):
        body = {
            "status": message.text,
            "visibility": account.get("visibility", "public") or "public",
            "language": message.story.language,
        }
        if media_ids:
            body["media_ids"] = media_ids
        return body

    @channel_call
    def send(self, message, account, idempotency_key):
        uploaded = self.upload_images(message, lambda image: self._upload(account, image))
        if not isinstance(uploaded, tuple):
            return uploaded
        media_ids, note = uploaded
        reply = http.request(
            "POST",
            self._url(account, "/api/v1/statuses"),
            headers=self._headers(account, idempotency_key),
            json=self._status_body(message, account, media_ids),
        )
        if not reply.ok:
            return self.http_outcome(reply, self._reason(reply))
        status = reply.json()
        return Sent(str(status["id"]), status.get("url") or status.get("uri"), note)

    @channel_call
    def update(self, remote_id, message, account, idempotency_key):
        reply = http.request(
            "PUT",
            self._url(account, f"/api/v1/statuses/{remote_id}"),
            headers=self._headers(account, idempotency_key),
            json={"status": message.text, "language": message.story.language},
        )
        if not reply.ok:
            return self.http_outcome(reply, self._reason(reply))
        status = reply.json()
        return Sent(str(status.get("id", remote_id)), status.get("url"))

    @channel_call
    def delete(self, remote_id, account, idempotency_key, message=None):
        reply = http.request(
            "DELETE", self._url(account, f"/api/v1/statuses/{remote_id}"), headers=self._headers(account)
        )
        if reply.status == 404:
            return Sent(remote_id)  # already gone
        if not reply.ok:
            return self.http_outcome(reply, self._reason(reply))
        return Sent(remote_id)

    @connection_test
    def test_connection(self, account):
        reply = http.request(
            "GET", self._url(account, "/api/v1/accounts/verify_credentials"), headers=self._headers(account)
        )
        if not reply.ok:
            raise ChannelError(f"HTTP {reply.status}: {self._reason(reply)}")
        return "@" + str(reply.json().get("acct", "?"))
