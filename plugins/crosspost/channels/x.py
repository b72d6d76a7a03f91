"""X (Twitter) API v2: ``POST /2/tweets``; 280 weighted characters, URLs count 23.

No idempotency on X: a timeout or 5xx after sending is "outcome unknown".
Authenticates with an OAuth 2.0 user-context access token (scopes tweet.write,
and media.write for images).  Images go to ``POST /2/media/upload`` first,
their alt text to ``POST /2/media/metadata``; both create no post, so their
faults are safe retries.
"""

from __future__ import annotations

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


class X(Channel):
    key = "x"
    label = "X (Twitter)"
    settings = (
        Setting("api_base", _l("Alamat API"), required=False, default="https://api.x.com"),
        Setting(
            "access_token",
            _l("Token akses pengguna (OAuth 2.0)"),
            secret=True,
            hint=_l("Token dengan cakupan tweet.write, media.write dan users.read."),
        ),
        Setting("username", _l("Nama pengguna"), required=False, hint=_l("Tanpa @, untuk tautan ke pos.")),
    )
    max_length = 280
    count_rule = "karakter berbobot (URL = 23)"
    supports_delete = True

    def count(self, text: str) -> int:
        return counting.x_weighted_length(text)

    def _headers(self, account) -> dict:
        return {"Authorization": f"Bearer {account.get('access_token')}"}

    def _url(self, account, path):
        return join_url(account.get("api_base", "https://api.x.com") or "https://api.x.com", path)

    def _reason(self, reply) -> str:
        try:
            body = reply.json() or {}
        except http.MalformedReply:
            return f"HTTP {reply.status}"
        return str(body.get("detail") or body.get("title") or body)

    def _rate_limited(self, reply):
        return RetryLater(reply.retry_after(), "Batas laju X")

    def _upload(self, account, image):
        reply = http.request(
            "POST",
            self._url(account, "/2/media/upload"),
            headers=self._headers(account),
            files={"media": (image.filename, image.data, image.mime)},
            data={"media_category": "tweet_image", "media_type": image.mime},
        )
        if not reply.ok:
            return self.media_failure(reply, self._reason(reply))
        media_id = str(reply.json()["data"]["id"])
        if image.alt:
            reply = http.request(
                "POST",
                self._url(account, "/2/media/metadata"),
                headers=self._headers(account),
                json={"id": media_id, "metadata": {"alt_text": {"text": image.alt}}},
            )
            if not reply.ok:
                return self.media_failure(reply, self._reason(reply))
        return media_id

    @channel_call
    def send(self, message, account, idempotency_key):
        uploaded = self.upload_images(message, lambda image: self._upload(account, image))
        if not isinstance(uploaded, tuple):
            return uploaded
        media_ids, note = uploaded
        body = {"text": message.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        reply = http.request("POST", self._url(account, "/2/tweets"), headers=self._headers(account), json=body)
        if reply.status == 429:
            return self._rate_limited(reply)
        if reply.status == 403 and "duplicate" in self._reason(reply).lower():
            return Failed(f"X menolak pesan yang sama persis: {self._reason(reply)}")
        if not reply.ok:
            return self.http_outcome(reply, self._reason(reply))
        tweet_id = str(reply.json()["data"]["id"])
        user = account.get("username")
        url = f"https://x.com/{user}/status/{tweet_id}" if user else f"https://x.com/i/web/status/{tweet_id}"
        return Sent(tweet_id, url, note)

    @channel_call
    def delete(self, remote_id, account, idempotency_key, message=None):
        reply = http.request("DELETE", self._url(account, f"/2/tweets/{remote_id}"), headers=self._headers(account))
        if reply.status == 429:
            return self._rate_limited(reply)
        return Sent(remote_id) if reply.ok else self.http_outcome(reply, self._reason(reply))

    @connection_test
    def test_connection(self, account):
        reply = http.request("GET", self._url(account, "/2/users/me"), headers=self._headers(account))
        if not reply.ok:
            raise ChannelError(f"HTTP {reply.status}: {self._reason(reply)}")
        return "@" + str(reply.json()["data"]["username"])
