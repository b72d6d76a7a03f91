"""The channel interface: what a network plugin implements (outcomes in ``outcomes``).

A channel type is a class returned from the ``cms_crosspost_channels`` hook.
It declares its settings and length rule, turns a ``Story`` into a
``Message`` and sends it, answering with one of four outcomes:

``Sent(remote_id, url)``  the network has the post;
``RetryLater(delay)``     nothing harmful happened, try again after ``delay`` s;
``Failed(reason)``        a person must fix something (token, content); no retry;
``Unknown(reason)``       it may have been posted: a person checks, no blind re-send;
``Skipped(reason)``       the network cannot take this message (follow up by hand).

Channels are stateless; the account (settings and a small ``state`` dict the
channel may update, e.g. a session token) is passed to every call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from plugins.crosspost import counting
from plugins.crosspost.channels.outcomes import (  # noqa: F401 - outcomes are part of the channel interface
    Failed,
    Outcome,
    RetryLater,
    Sent,
    Skipped,
    Unknown,
)
from plugins.crosspost.http import MalformedReply, MaybeSent, NotSent, Reply, TransportError
from plugins.crosspost.story import Message, Story


@dataclass(frozen=True)
class Setting:
    name: str
    label: str
    secret: bool = False
    required: bool = True
    default: str = ""
    hint: str = ""
    choices: tuple[str, ...] = ()  # allowed values, if the setting is one of a few words


@dataclass
class Account:
    """What a channel sees of a connected account (secrets already decrypted)."""

    id: int
    name: str
    settings: dict[str, str]
    state: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return (self.settings.get(name) or default).strip()


class ChannelError(Exception):
    """A ``test_connection`` failure, with a reason fit for the admin."""


class MediaRejected(Exception):
    """The network refused an image (a 4xx on the upload): post the text with its link instead."""


def channel_call(method: Callable[..., Outcome]) -> Callable[..., Outcome]:
    """Wrap a channel's ``send``/``update``/``delete``: what went wrong on the
    wire or in the reply becomes an outcome instead of an exception.

    A ``ChannelError`` (e.g. a refused login) is a person's job; a transport
    error or a reply without the documented fields is mapped by
    ``transport_outcome`` (retry only where the network dedupes)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ChannelError as exc:
            return Failed(str(exc))
        except (TransportError, MalformedReply) as exc:
            return self.transport_outcome(exc)
        except (KeyError, TypeError) as exc:
            return self.transport_outcome(MalformedReply(f"balasan tanpa {exc}"))

    return wrapper


def connection_test(method: Callable[..., str]) -> Callable[..., str]:
    """Wrap a channel's ``test_connection``: a fault on the wire or a reply
    without the documented fields becomes a ``ChannelError`` the admin reads."""

    @functools.wraps(method)
    def wrapper(self, account):
        try:
            return method(self, account)
        except (TransportError, MalformedReply, KeyError) as exc:
            raise ChannelError(str(exc)) from exc

    return wrapper


class Channel:
    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    settings: ClassVar[tuple[Setting, ...]] = ()
    max_length: ClassVar[int | None] = None
    count_rule: ClassVar[str] = "karakter"  # shown beside the counter
    idempotent: ClassVar[bool] = False  # the network dedupes a repeated key
    idempotency_window: ClassVar[float | None] = None  # seconds the network remembers a key
    supports_edit: ClassVar[bool] = False
    supports_delete: ClassVar[bool] = False

    # ---------------------------------------------------------- length rules
    def count(self, text: str) -> int:
        return counting.grapheme_count(text)

    def limit(self, message: Message | None = None) -> int | None:
        return self.max_length

    def length_errors(self, text: str, message: Message | None = None) -> list[str]:
        limit = self.limit(message)
        if not text.strip():
            return ["Pesan tidak boleh kosong."]
        used = self.count(text)
        if limit is not None and used > limit:
            return [f"Pesan {used} dari batas {limit} {self.count_rule} untuk {self.label}; kurangi {used - limit}."]
        return []

    # ----------------------------------------------------------- messages
    def link_line(self, story: Story, settings: dict | None = None) -> str:
        """How the default message ends: the bare link, where links are clickable."""
        return story.url

    def default_text(self, story: Story, settings: dict | None = None) -> str:
        """Title, summary and link; the summary is shortened at a word if needed.

        ``settings`` are the account's plain settings (``None`` where no
        account is known), for a channel whose default differs per account."""
        head = story.title
        tail = self.link_line(story, settings)

        def compose(summary: str) -> str:
            parts = [head] + ([summary] if summary else []) + [tail]
            return "\n\n".join(p for p in parts if p)

        limit = self.limit(Message(text="", story=story, image=story.image))
        if limit is None:
            return compose(story.summary)
        fits = lambda s: self.count(compose(s)) <= limit  # noqa: E731
        summary = counting.shorten_words(story.summary, fits) if story.summary else ""
        text = compose(summary)
        if self.count(text) > limit:  # a title alone is too long: cut it at a word
            head = counting.shorten_words(story.title, lambda t: self.count(f"{t}\n\n{tail}") <= limit)
            text = compose("")
        return text

    def build_message(
        self,
        story: Story,
        text: str | None = None,
        *,
        event: str = "published",
        created_at=None,
        settings: dict | None = None,
    ) -> Message:
        return Message(
            text=text if text and text.strip() else self.default_text(story, settings),
            story=story,
            link=story.url,
            image=story.image,
            event=event,
            created_at=created_at or story.published_at,
        )

    def notice(self, message: Message, settings: dict | None = None) -> str:
        """A warning for the per-post preview (e.g. "this will be skipped: no image")."""
        return ""

    # ------------------------------------------------------------- sending
    def send(self, message: Message, account: Account, idempotency_key: str) -> Outcome:
        raise NotImplementedError

    def update(self, remote_id: str, message: Message, account: Account, idempotency_key: str) -> Outcome:
        return Failed("Jaringan ini tidak mendukung penyuntingan; perbarui secara manual.")

    def delete(self, remote_id: str, account: Account, idempotency_key: str, message: Message | None = None) -> Outcome:
        return Failed("Jaringan ini tidak mendukung penghapusan; hapus secara manual.")

    def test_connection(self, account: Account) -> str:
        """Return a short description of the account (e.g. its handle) or raise ChannelError."""
        raise ChannelError("Uji koneksi tidak tersedia untuk jenis kanal ini.")

    # ------------------------------------------------------------ helpers
    def transport_outcome(self, exc: Exception) -> Outcome:
        """What a transport error means for this network."""
        if isinstance(exc, NotSent):
            return RetryLater(None, str(exc))
        if isinstance(exc, MaybeSent):
            if self.idempotent:
                return RetryLater(None, str(exc), maybe_sent=True)
            return Unknown(f"{exc}; periksa akun apakah pesan sudah terbit sebelum mengirim ulang.")
        if isinstance(exc, MalformedReply):
            if self.idempotent:
                return RetryLater(None, str(exc), maybe_sent=True)
            return Unknown(f"{exc}; periksa akun apakah pesan sudah terbit.")
        raise exc

    def media_failure(self, reply: Reply, reason: str) -> Outcome:
        """A failed media upload.  No post exists yet, so server errors and
        timeouts are safe retries on every network; a refused image (other
        4xx) raises ``MediaRejected`` and the text goes out alone."""
        status = reply.status
        refused = self._denied(reply, reason, upload=True)
        if refused is not None:
            return refused
        if status == 408 or status >= 500:
            return RetryLater(
                reply.retry_after(),
                f"Galat server {self.label} saat mengunggah gambar "
                f"(HTTP {status}): {reason}; belum ada pos yang terbit.",
            )
        raise MediaRejected(f"HTTP {status}: {reason}")

    def upload_images(
        self, message: Message, upload: Callable[[Any], Any], prepared: tuple[list, list[str]] | None = None
    ) -> tuple[list, str] | Outcome:
        """Re-encode the message's images for this network and upload each
        with ``upload(prepared)``, which returns the network's media id or an
        outcome that stops the send.  Returns ``(ids, note)``, or an outcome
        (a retry: nothing was posted yet).  A refused image leaves no ids and
        a note: the post goes out as text with its link.  ``prepared`` is
        ``images.for_network``'s answer when the channel already has it."""
        from plugins.crosspost import images

        items, notes = prepared if prepared is not None else images.for_network(message, self.key)
        notes = list(notes)
        ids: list = []
        try:
            for item in items:
                result = upload(item)
                if isinstance(result, (Sent, RetryLater, Failed, Unknown)):
                    return result
                ids.append(result)
        except MediaRejected as exc:
            notes.append(f"Gambar ditolak oleh {self.label} ({exc}); terkirim sebagai teks dengan tautan.")
            return [], " ".join(notes)
        except (TransportError, MalformedReply, KeyError, TypeError) as exc:
            return RetryLater(None, f"Unggah gambar ke {self.label} gagal ({exc}); belum ada pos yang terbit.")
        return ids, " ".join(notes)

    def http_outcome(self, reply: Reply, reason: str) -> Outcome:
        """Shared mapping of an error status to an outcome."""
        status = reply.status
        refused = self._denied(reply, reason)
        if refused is not None:
            return refused
        if status == 408 or status >= 500:
            if self.idempotent:
                return RetryLater(
                    reply.retry_after(), f"Galat server {self.label} (HTTP {status}): {reason}", maybe_sent=True
                )
            return Unknown(
                f"Galat server {self.label} (HTTP {status}) setelah pengiriman: {reason}; "
                "periksa akun apakah pesan sudah terbit."
            )
        return Failed(f"Ditolak oleh {self.label} (HTTP {status}): {reason}")

    def _denied(self, reply: Reply, reason: str, *, upload: bool = False) -> Outcome | None:
        """A refused token (401: reconnect the account) or the rate limit (429:
        wait as told), for a post or an image upload; None for other statuses."""
        status = reply.status
        during = " saat mengunggah gambar" if upload else ""
        if status in (401, 403):
            check = "token dan izin unggah media akun" if upload else "token akun"
            return Failed(
                f"Ditolak oleh {self.label}{during} (HTTP {status}): {reason}. Periksa {check}.",
                reconnect=status == 401,
            )
        if status == 429:
            limit = "unggah gambar " if upload else ""
            return RetryLater(reply.retry_after(), f"Batas laju {limit}{self.label}: {reason}")
        return None


def join_url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path.lstrip("/")
