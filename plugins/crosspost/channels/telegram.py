"""Telegram Bot API: ``sendMessage``/``sendPhoto``/``sendMediaGroup`` in HTML parse mode.

Telegram has no idempotency: a timeout after sending means "outcome unknown".
Limits are 4096 characters for a message and 1024 for a photo caption,
counted on the visible text (after entity parsing) in UTF-16 code units.
"""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser

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
from plugins.crosspost.images import for_network as images_for

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "span",
    "tg-spoiler",
}


class _Truncator(HTMLParser):
    """Keep at most ``limit`` visible characters, cut at a word, close open tags."""

    out: list[str]
    open: list[str]

    def __init__(self, limit: int):
        super().__init__(convert_charrefs=True)
        self.limit, self.used, self.out, self.open, self.done = limit, 0, [], [], False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        rendered = "".join(f' {k}="{escape(v or "", quote=True)}"' for k, v in attrs)
        self.out.append(f"<{tag}{rendered}>")
        self.open.append(tag)

    def handle_endtag(self, tag):
        if self.done or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data):
        if self.done:
            return
        room = self.limit - self.used
        if counting.utf16_units(data) <= room:
            self.out.append(escape(data, quote=False))
            self.used += counting.utf16_units(data)
            return
        cut = counting.shorten_words(data, lambda s: counting.utf16_units(s) <= room)
        self.out.append(escape(cut, quote=False))
        self.used += counting.utf16_units(cut)
        self.done = True

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.open))


def truncate_html(html: str, limit: int) -> str:
    """Shorten Telegram HTML to ``limit`` visible characters without breaking a word or a tag."""
    parser = _Truncator(limit)
    parser.feed(html)
    parser.close()
    return parser.result()


def visible_text(html: str) -> str:
    class _Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


class Telegram(Channel):
    key = "telegram"
    label = "Telegram"
    settings = (
        Setting("api_base", _l("Alamat Bot API"), required=False, default="https://api.telegram.org"),
        Setting("bot_token", _l("Token bot"), secret=True, hint=_l("Dari @BotFather; bot harus admin kanal.")),
        Setting("chat_id", _l("ID kanal"), hint=_l("@namakanal atau ID numerik (-100…).")),
    )
    max_length = TEXT_LIMIT
    count_rule = "karakter (UTF-16)"
    supports_edit = True
    supports_delete = True

    def count(self, text: str) -> int:
        return counting.utf16_units(text)

    def limit(self, message=None) -> int:
        return CAPTION_LIMIT if message is not None and message.image is not None else TEXT_LIMIT

    def to_html(self, message) -> str:
        """The plain message text, escaped, with the title in bold when it leads."""
        text = message.text
        title = message.story.title
        if title and text.startswith(title):
            return f"<b>{escape(title, quote=False)}</b>{escape(text[len(title) :], quote=False)}"
        return escape(text, quote=False)

    def _method(self, account, method: str) -> str:
        base = account.get("api_base", "https://api.telegram.org") or "https://api.telegram.org"
        return join_url(base, f"/bot{account.get('bot_token')}/{method}")

    def _outcome(self, reply, ok):
        try:
            body = reply.json()
        except http.MalformedReply as exc:
            return self.transport_outcome(exc) if reply.ok else self.http_outcome(reply, "balasan rusak")
        if not isinstance(body, dict):
            return self.transport_outcome(http.MalformedReply("balasan bukan objek JSON"))
        if body.get("ok"):
            return ok(body.get("result") or {})
        code = int(body.get("error_code") or reply.status)
        desc = body.get("description", "")
        if code == 429:
            retry = (body.get("parameters") or {}).get("retry_after")
            return RetryLater(
                float(retry) if retry is not None else reply.retry_after(), f"Batas laju Telegram: {desc}"
            )
        if code == 401 or code == 404 and "Not Found" in desc:
            return Failed(
                f"Token bot Telegram ditolak (HTTP {code}): {desc}. Periksa token akun.", reconnect=code == 401
            )
        return (
            self.http_outcome(reply, desc)
            if reply.status >= 500 or reply.status == 429
            else Failed(f"Ditolak oleh Telegram ({code}): {desc}")
        )

    def _link(self, account, message_id) -> str | None:
        chat = account.get("chat_id")
        if chat.startswith("@"):
            return f"https://t.me/{chat[1:]}/{message_id}"
        if chat.startswith("-100"):
            return f"https://t.me/c/{chat[4:]}/{message_id}"
        return None

    def _send_images(self, account, html, images):
        """``sendPhoto`` for one image, ``sendMediaGroup`` (caption on the first) for several."""
        chat = account.get("chat_id")
        if len(images) == 1:
            image = images[0]
            return http.request(
                "POST",
                self._method(account, "sendPhoto"),
                data={"chat_id": chat, "caption": html, "parse_mode": "HTML"},
                files={"photo": (image.filename, image.data, image.mime)},
            )
        media = [{"type": "photo", "media": f"attach://photo{n}"} for n in range(len(images))]
        media[0].update(caption=html, parse_mode="HTML")
        return http.request(
            "POST",
            self._method(account, "sendMediaGroup"),
            data={"chat_id": chat, "media": json.dumps(media)},
            files={f"photo{n}": (i.filename, i.data, i.mime) for n, i in enumerate(images)},
        )

    def _refused_image(self, reply) -> str | None:
        """Telegram's reason when it refused the photos themselves (nothing was posted)."""
        if reply.status in (401, 403, 404, 429) or not 400 <= reply.status < 500:
            return None
        try:
            body = reply.json()
        except http.MalformedReply:
            return f"HTTP {reply.status}"
        return str(body.get("description") or f"HTTP {reply.status}") if isinstance(body, dict) else None

    @channel_call
    def send(self, message, account, idempotency_key):
        html = self.to_html(message)
        chat = account.get("chat_id")
        images, notes = images_for(message, self.key)
        note = " ".join(notes)

        def sent(result):
            # A media group answers with one message per photo: all are kept for deletion.
            ids = [str(m["message_id"]) for m in result] if isinstance(result, list) else [str(result["message_id"])]
            return Sent(",".join(ids), self._link(account, ids[0]), note)

        if images:
            reply = self._send_images(account, html, images)
            refused = self._refused_image(reply)
            if refused is None:
                return self._outcome(reply, sent)
            # A refused photo was not posted: the text with its link goes out instead.
            fallback = f"Gambar ditolak oleh Telegram ({refused}); terkirim sebagai teks dengan tautan."
            note = " ".join([*notes, fallback])
        reply = http.request(
            "POST",
            self._method(account, "sendMessage"),
            json={
                "chat_id": chat,
                "text": html,
                "parse_mode": "HTML",
                "link_preview_options": {"url": message.link} if message.link else {},
            },
        )
        return self._outcome(reply, sent)

    @channel_call
    def update(self, remote_id, message, account, idempotency_key):
        first = int(remote_id.split(",")[0])
        fields = ["caption", "text"] if message.image is not None else ["text", "caption"]
        for field in fields:  # a photo that fell back to text has no caption, and the reverse
            method = "editMessageCaption" if field == "caption" else "editMessageText"
            reply = http.request(
                "POST",
                self._method(account, method),
                json={
                    "chat_id": account.get("chat_id"),
                    "message_id": first,
                    field: self.to_html(message),
                    "parse_mode": "HTML",
                },
            )
            if not (reply.status == 400 and f"no {field} in the message" in reply.content.decode("utf-8", "replace")):
                break
        return self._outcome(reply, lambda r: Sent(remote_id, self._link(account, first)))

    @channel_call
    def delete(self, remote_id, account, idempotency_key, message=None):
        ids = [int(i) for i in remote_id.split(",")]
        if len(ids) == 1:
            reply = http.request(
                "POST",
                self._method(account, "deleteMessage"),
                json={"chat_id": account.get("chat_id"), "message_id": ids[0]},
            )
        else:
            reply = http.request(
                "POST",
                self._method(account, "deleteMessages"),
                json={"chat_id": account.get("chat_id"), "message_ids": ids},
            )
        return self._outcome(reply, lambda r: Sent(remote_id))

    @connection_test
    def test_connection(self, account):
        reply = http.request("POST", self._method(account, "getMe"))
        body = reply.json()
        if not reply.ok or not body.get("ok"):
            raise ChannelError(f"HTTP {reply.status}: {body.get('description', '')}")
        return "@" + str(body["result"].get("username", "?"))
