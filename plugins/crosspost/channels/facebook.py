"""Facebook Page: ``POST /{page-id}/feed`` with ``message`` and ``link``.

With one image, a photo post (``POST /{page-id}/photos``); with several,
unpublished photos first, then ``/feed`` with ``attached_media``.

The Graph API has no idempotency; a 5xx on create may still have posted
(field reports), so it becomes "outcome unknown" rather than a retry.
"""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l

from plugins.crosspost import http
from plugins.crosspost.channels import meta
from plugins.crosspost.channels.base import (
    Channel,
    ChannelError,
    Failed,
    MediaRejected,
    RetryLater,
    Sent,
    Setting,
    Unknown,
    channel_call,
    connection_test,
    join_url,
)
from plugins.crosspost.channels.meta import SERVER_CODES, GraphError, graph_error
from plugins.crosspost.images import for_network as images_for

THROTTLE_CODES = {4, 17, 32, 613}
TOKEN_CODES = meta.TOKEN_CODES | meta.PERMISSION_CODES  # either way the Page must be connected again
DUPLICATE_CODES = {506, 368}


class FacebookPage(Channel):
    key = "facebook"
    label = "Facebook Page"
    settings = (
        Setting("graph_base", _l("Alamat Graph API"), required=False, default="https://graph.facebook.com/v21.0"),
        Setting("page_id", _l("ID Halaman")),
        Setting(
            "page_token",
            _l("Token akses Halaman"),
            secret=True,
            hint=_l("Token Halaman dengan izin pages_manage_posts."),
        ),
    )
    max_length = 63206
    supports_edit = True
    supports_delete = True

    def _url(self, account, path: str) -> str:
        return join_url(account.get("graph_base", "https://graph.facebook.com/v21.0"), path)

    def _graph_outcome(self, reply, ok):
        try:
            body = reply.json()
        except http.MalformedReply as exc:
            if reply.ok:
                return self.transport_outcome(exc)
            return self.http_outcome(reply, "balasan rusak")
        if reply.ok and isinstance(body, dict) and "error" not in body:
            return ok(body)
        error = graph_error(body) or GraphError()
        code, text = error.code, error.text(reply.status)
        if code in TOKEN_CODES or reply.status == 401:
            return Failed(
                f"Token Halaman Facebook ditolak (kode {code}): {text.rstrip('.')}. Hubungkan ulang akun.",
                reconnect=True,
            )
        if code in THROTTLE_CODES or reply.status == 429:
            return RetryLater(reply.retry_after() or 600.0, f"Batas laju Facebook (kode {code}): {text}")
        if code in DUPLICATE_CODES:
            return Unknown(
                f"Facebook menolak sebagai duplikat (kode {code}): {text}; "
                "kemungkinan pesan sudah terbit, periksa Halaman."
            )
        if reply.status >= 500 or code in SERVER_CODES:
            return Unknown(
                f"Galat Facebook (kode {code}, HTTP {reply.status}): {text}; periksa Halaman apakah pesan sudah terbit."
            )
        return Failed(f"Ditolak oleh Facebook (kode {code}): {text}")

    def _refused(self, reply) -> str | None:
        """Facebook's reason when it refused a photo itself: an error that is
        not about the token, the rate, a duplicate or the server."""
        if reply.ok:
            return None
        try:
            body = reply.json()
        except http.MalformedReply:
            return None
        error = graph_error(body) or GraphError()
        code = error.code
        if (
            code in TOKEN_CODES | THROTTLE_CODES | DUPLICATE_CODES | SERVER_CODES
            or reply.status in (401, 429)
            or reply.status >= 500
        ):
            return None
        return f"kode {code}: {error.user_message or error.message or reply.status}"

    def _photo_data(self, account, image, published: bool) -> dict:
        data = {"access_token": account.get("page_token"), "published": "true" if published else "false"}
        if image.alt:
            data["alt_text_custom"] = image.alt
        return data

    def _upload(self, account, image):
        """An unpublished photo for ``attached_media``: not a post, so any fault is a safe retry."""
        reply = http.request(
            "POST",
            self._url(account, f"/{account.get('page_id')}/photos"),
            data=self._photo_data(account, image, published=False),
            files={"source": (image.filename, image.data, image.mime)},
        )
        refused = self._refused(reply)
        if refused is not None:
            raise MediaRejected(refused)
        outcome = self._graph_outcome(reply, lambda b: str(b["id"]))
        if isinstance(outcome, Unknown):
            return RetryLater(
                reply.retry_after(),
                f"Galat Facebook saat mengunggah gambar (HTTP {reply.status}); belum ada pos yang terbit.",
            )
        return outcome

    def _feed(self, account, message, note, media_ids=()):
        data = {"message": message.text, "access_token": account.get("page_token")}
        if media_ids:
            data.update({f"attached_media[{n}]": json.dumps({"media_fbid": i}) for n, i in enumerate(media_ids)})
        elif message.link:
            data["link"] = message.link
        reply = http.request("POST", self._url(account, f"/{account.get('page_id')}/feed"), data=data)
        return self._graph_outcome(reply, lambda b: Sent(str(b["id"]), f"https://www.facebook.com/{b['id']}", note))

    @channel_call
    def send(self, message, account, idempotency_key):
        images, notes = images_for(message, self.key)
        if len(images) == 1:  # a photo post: the photo and the text in one call
            image = images[0]
            data = {**self._photo_data(account, image, published=True), "message": message.text}
            reply = http.request(
                "POST",
                self._url(account, f"/{account.get('page_id')}/photos"),
                data=data,
                files={"source": (image.filename, image.data, image.mime)},
            )
            refused = self._refused(reply)
            if refused is None:
                note = " ".join(notes)
                return self._graph_outcome(
                    reply,
                    lambda b: Sent(
                        str(b.get("post_id") or b["id"]),
                        f"https://www.facebook.com/{b.get('post_id') or b['id']}",
                        note,
                    ),
                )
            notes.append(f"Gambar ditolak oleh Facebook ({refused}); terkirim sebagai teks dengan tautan.")
            return self._feed(account, message, " ".join(notes))
        if not images:
            return self._feed(account, message, " ".join(notes))
        uploaded = self.upload_images(message, lambda image: self._upload(account, image), (images, notes))
        if not isinstance(uploaded, tuple):
            return uploaded
        media_ids, note = uploaded
        return self._feed(account, message, note, media_ids)

    @channel_call
    def update(self, remote_id, message, account, idempotency_key):
        reply = http.request(
            "POST",
            self._url(account, f"/{remote_id}"),
            data={"message": message.text, "access_token": account.get("page_token")},
        )
        return self._graph_outcome(reply, lambda b: Sent(remote_id, f"https://www.facebook.com/{remote_id}"))

    @channel_call
    def delete(self, remote_id, account, idempotency_key, message=None):
        reply = http.request(
            "DELETE", self._url(account, f"/{remote_id}"), params={"access_token": account.get("page_token")}
        )
        return self._graph_outcome(reply, lambda b: Sent(remote_id))

    @connection_test
    def test_connection(self, account):
        reply = http.request(
            "GET",
            self._url(account, f"/{account.get('page_id')}"),
            params={"fields": "name", "access_token": account.get("page_token")},
        )
        body = reply.json()
        if not reply.ok:
            error = graph_error(body)
            raise ChannelError((error.message if error else "") or f"HTTP {reply.status}")
        return str(body.get("name", account.get("page_id")))
