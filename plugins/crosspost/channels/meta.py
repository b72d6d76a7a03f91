"""The publishing flow Instagram and Threads share (Meta's Graph APIs).

Both publish in two steps: create a media *container* (an image the network
fetches from our public URL, or text), wait until its status is FINISHED,
then publish it with ``creation_id``.  A container alone is never visible,
so any failure before the publish call is a safe retry.

Neither API has idempotency.  So every send first reads the account's recent
posts and looks for this message's caption (the delivery's marker): a post
an earlier attempt made (a 500 or a timeout after publishing, a worker
killed mid-send) is recorded Sent instead of being posted again, and nothing
is published unless that lookup succeeded.  That makes a retry safe, which
is why these channels declare ``idempotent = True``.

One module of about 320 lines on purpose: the container flow, the lookup
that makes it safe and the Graph API error codes it acts on (also read by
Facebook and WhatsApp) are one protocol, read together.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from flask import current_app, has_app_context

from plugins.crosspost import http, images
from plugins.crosspost.channels.base import (
    Channel,
    ChannelError,
    Failed,
    RetryLater,
    Sent,
    Skipped,
    connection_test,
    join_url,
)

TOKEN_CODES = {190, 102}  # OAuthException: expired, revoked or changed password
PERMISSION_CODES = {10, 200}  # the token lacks a permission (app review, scopes)
THROTTLE_CODES = {4, 17, 32, 613, 80002}
PUBLISH_LIMIT_CODE = 9  # Instagram: "reached the maximum number of posts" in 24 hours
SERVER_CODES = {1, 2}  # "unknown error" / "service temporarily unavailable"
# "Media ID is not available": the container is not FINISHED yet
NOT_READY_CODE = 9007
CLOCK_SKEW = timedelta(minutes=10)
RESOLVE_DELAY = 120.0  # a publish that timed out may still be landing: look again after this


class _Refused(ChannelError):
    """A refusal that cannot have published anything; ``outcome`` says what it means.
    As a ``ChannelError`` its reason reaches the admin in a connection test."""

    def __init__(self, outcome):
        super().__init__(getattr(outcome, "reason", ""))
        self.outcome = outcome


@dataclass(frozen=True)
class GraphError:
    """The ``error`` object of a Graph API answer (Facebook, Instagram, Threads, WhatsApp)."""

    code: int = 0
    message: str = ""  # for the developer
    user_message: str = ""  # ``error_user_msg``: meant for the person, when Meta gives one

    def text(self, status: int) -> str:
        return self.user_message or self.message or f"HTTP {status}"


def graph_error(body) -> GraphError | None:
    """The error a Graph API answer body carries, or None where it has none."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not error:
        return None
    try:
        code = int(error.get("code") or 0)
    except (TypeError, ValueError):
        code = 0
    return GraphError(code, str(error.get("message") or ""), str(error.get("error_user_msg") or ""))


def reply_error(reply: http.Reply) -> tuple[int, str]:
    """(code, text) of an error answer; (0, "HTTP n") where the body is not Meta's error JSON."""
    try:
        error = graph_error(reply.json())
    except http.MalformedReply:
        error = None
    return (error.code, error.text(reply.status)) if error else (0, f"HTTP {reply.status}")


def same_text(a: str, b: str) -> bool:
    """Captions compared as Meta may return them (line endings, trailing spaces)."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _timestamp(value) -> datetime | None:
    """Meta's ``2026-11-23T03:00:00+0000`` as naive UTC (how the outbox stores times)."""
    try:
        when = datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None
    return when.astimezone(UTC).replace(tzinfo=None)


def _config(name: str, default: float) -> float:
    return float(current_app.config.get(name, default)) if has_app_context() else default


class MetaChannel(Channel):
    """Subclasses set the edges and field names of their API."""

    default_base: ClassVar[str] = ""
    text_param: ClassVar[str] = "caption"  # the container parameter and the media field holding the text
    container_edge: ClassVar[str] = "media"
    publish_edge: ClassVar[str] = "media_publish"
    list_edge: ClassVar[str] = "media"
    status_fields: ClassVar[str] = "status_code,status"
    status_field: ClassVar[str] = "status_code"
    max_items: ClassVar[int] = 10  # images in one carousel
    image_mimes: ClassVar[tuple[str, ...]] = ("image/jpeg",)
    lookup_limit: ClassVar[int] = 25
    idempotent = True

    # ---------------------------------------------------------------- calls
    def _url(self, account, path: str) -> str:
        return join_url(account.get("graph_base", self.default_base) or self.default_base, path)

    def _user(self, account) -> str:
        return account.get("user_id")

    def _get(self, account, path: str, **params) -> http.Reply:
        params["access_token"] = account.get("access_token")
        return http.request("GET", self._url(account, path), params=params)

    def _post(self, account, path: str, **data) -> http.Reply:
        data["access_token"] = account.get("access_token")
        return http.request("POST", self._url(account, path), data=data)

    def _json(self, reply: http.Reply) -> dict:
        """The body of a successful answer, or ``_Refused`` with what the error means."""
        if not reply.ok:
            raise _Refused(self._refused(reply))
        body = reply.json()
        if not isinstance(body, dict):
            raise http.MalformedReply("balasan bukan objek JSON")
        return body

    def _refused(self, reply: http.Reply) -> Failed | RetryLater:
        """An error answer to a call that cannot have published anything."""
        code, text = reply_error(reply)
        if code in TOKEN_CODES or reply.status == 401:
            return Failed(
                f"Token {self.label} kedaluwarsa atau dicabut (kode {code}): {text.rstrip('.')}. "
                "Hubungkan ulang akun: buat token baru dan simpan di halaman akun.",
                reconnect=True,
            )
        if code in PERMISSION_CODES or reply.status == 403:
            return Failed(
                f"Token {self.label} tidak punya izin yang diperlukan (kode {code}): {text}. "
                "Hubungkan ulang akun dengan izin yang tercantum di dokumentasi."
            )
        if reply.status == 429 or code in THROTTLE_CODES:
            return RetryLater(reply.retry_after() or 600.0, f"Batas laju {self.label} (kode {code}): {text}")
        if code == PUBLISH_LIMIT_CODE:
            return RetryLater(reply.retry_after() or 3600.0, f"Batas jumlah pos harian {self.label} tercapai: {text}")
        if code == NOT_READY_CODE:
            return RetryLater(None, f"Media {self.label} belum siap diterbitkan: {text}")
        if reply.status >= 500 or code in SERVER_CODES:
            return RetryLater(
                reply.retry_after(), f"Galat server {self.label} (kode {code}, HTTP {reply.status}): {text}"
            )
        return Failed(f"Ditolak oleh {self.label} (kode {code}): {text}")

    # ------------------------------------------------------------ content
    def media_urls(self, message, account) -> list[tuple[str, str]] | Skipped:
        """(url, alt) of the images the network fetches itself: the lead image, then the gallery."""
        refs = [r for r in images.refs_of(message) if r.url and r.mime in self.image_mimes]
        return [(r.url, r.alt) for r in refs][: self.max_items]

    def _item_params(self, url: str, alt: str) -> dict:
        params = {"image_url": url}
        if alt:
            params["alt_text"] = alt
        return params

    def _container(self, account, message, media: list[tuple[str, str]]) -> str:
        """The container to publish (a carousel's item containers first)."""
        edge = f"/{self._user(account)}/{self.container_edge}"
        text = {self.text_param: message.text}
        if len(media) > 1:
            children = []
            for url, alt in media:
                body = self._json(
                    self._post(
                        account, edge, is_carousel_item="true", **self._extra_item(), **self._item_params(url, alt)
                    )
                )
                children.append(str(body["id"]))
            body = self._json(self._post(account, edge, media_type="CAROUSEL", children=",".join(children), **text))
        elif media:
            body = self._json(self._post(account, edge, **self._extra_single(), **text, **self._item_params(*media[0])))
        else:
            body = self._json(self._post(account, edge, **self._extra_text(), **text))
        return str(body["id"])

    def _extra_item(self) -> dict:
        return {}

    def _extra_single(self) -> dict:
        return {}

    def _extra_text(self) -> dict:
        return {}

    def _wait(self, account, container: str) -> None:
        """Poll the container until FINISHED; ``_Refused`` when it will not be."""
        polls = max(1, int(_config("CROSSPOST_CONTAINER_POLLS", 20)))
        pause = _config("CROSSPOST_CONTAINER_POLL_SECONDS", 3)
        for attempt in range(polls):
            body = self._json(self._get(account, f"/{container}", fields=self.status_fields))
            status = str(body.get(self.status_field) or "")
            if status == "FINISHED":
                return
            if status == "ERROR":
                detail = body.get("error_message") or body.get("status") or "tanpa keterangan"
                raise _Refused(
                    Failed(
                        f"{self.label} menolak media: {detail}. Periksa gambar (format, ukuran, rasio) "
                        "dan bahwa alamatnya dapat diakses publik."
                    )
                )
            if status == "EXPIRED":
                raise _Refused(RetryLater(None, f"Kontainer {self.label} kedaluwarsa sebelum diterbitkan."))
            if attempt < polls - 1:
                time.sleep(pause)
        raise _Refused(
            RetryLater(None, f"{self.label} belum selesai memproses media (status {status or '?'}); dicoba lagi.")
        )

    # ------------------------------------------------------------- lookup
    def find_posted(self, account, message) -> Sent | None:
        """This message among the account's recent posts (raises on any failure).

        The marker is the caption itself, posted no earlier than the release
        (less a margin for clock skew): an older post with the same words,
        e.g. a custom "Info di bio" used before, is not this delivery."""
        body = self._json(
            self._get(
                account,
                f"/{self._user(account)}/{self.list_edge}",
                fields=f"id,{self.text_param},timestamp,permalink",
                limit=str(self.lookup_limit),
            )
        )
        since = message.created_at - CLOCK_SKEW if message.created_at else None
        for item in body.get("data") or ():
            if not isinstance(item, dict) or not same_text(item.get(self.text_param) or "", message.text):
                continue
            when = _timestamp(item.get("timestamp"))
            if since is None or when is None or when >= since:
                return Sent(str(item["id"]), item.get("permalink"))
        return None

    def _resolve(self, account, message, reason: str):
        """After a publish that may have happened: Sent if it is there, else a retry that looks first."""
        try:
            found = self.find_posted(account, message)
        except (_Refused, http.TransportError, http.MalformedReply, KeyError, TypeError):
            return RetryLater(
                RESOLVE_DELAY,
                f"{reason}; akun belum dapat diperiksa. Percobaan berikut "
                "memeriksa akun lebih dulu, jadi tidak ada pos ganda.",
                maybe_sent=True,
            )
        if found is not None:
            return found
        return RetryLater(
            RESOLVE_DELAY,
            f"{reason}; pos tidak ditemukan di akun. Percobaan berikut memeriksa akun lagi sebelum menerbitkan.",
            maybe_sent=True,
        )

    def _permalink(self, account, media_id: str) -> str | None:
        try:
            reply = self._get(account, f"/{media_id}", fields="permalink")
            return (reply.json() or {}).get("permalink") if reply.ok else None
        except (http.TransportError, http.MalformedReply, AttributeError):
            return None

    # ------------------------------------------------------------ sending
    def send(self, message, account, idempotency_key):
        media = self.media_urls(message, account)
        if isinstance(media, Skipped):
            return media
        try:
            found = self.find_posted(account, message)
            if found is not None:  # an earlier attempt published it
                return found
            container = self._container(account, message, media)
            self._wait(account, container)
        except _Refused as exc:
            return exc.outcome
        except (http.TransportError, http.MalformedReply, KeyError, TypeError, ValueError) as exc:
            # nothing is visible before the publish call: retrying is safe
            return RetryLater(None, f"{self.label}: {exc}")
        try:
            reply = self._post(account, f"/{self._user(account)}/{self.publish_edge}", creation_id=container)
        except http.NotSent as exc:
            return RetryLater(None, str(exc))
        except http.TransportError as exc:
            return self._resolve(account, message, f"Hasil penerbitan {self.label} tidak pasti ({exc})")
        if reply.ok:
            try:
                media_id = str(reply.json()["id"])
            except (http.MalformedReply, KeyError, TypeError):
                return self._resolve(account, message, f"Balasan penerbitan {self.label} rusak")
            return Sent(media_id, self._permalink(account, media_id))
        code, text = reply_error(reply)
        if reply.status >= 500 or code in SERVER_CODES:
            return self._resolve(
                account, message, f"Galat server {self.label} saat menerbitkan (HTTP {reply.status}): {text}"
            )
        return self._refused(reply)

    @connection_test
    def test_connection(self, account):
        body = self._json(self._get(account, f"/{self._user(account)}", fields="username"))
        return "@" + str(body.get("username") or self._user(account))
