"""Outbound HTTP for channels: the only module importing httpx.

Errors are sorted by what they mean for a post that may or may not have
been created: ``NotSent`` (the request never reached the network, so a
retry is safe) versus ``MaybeSent`` (a timeout after sending: only a
network with idempotency may be retried blindly).
"""

from __future__ import annotations

import json as jsonlib
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from flask import current_app, has_app_context

if TYPE_CHECKING:  # httpx (5 MB) is imported at the first request, not in every web worker
    import httpx

_SECRET_IN_URL = re.compile(r"(/bot)[^/\s]+|((?:access_token|token)=)[^&\s\"]+")


class _RedactSecrets(logging.Filter):
    """httpx logs every request URL at INFO; Telegram's token is in the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_IN_URL.sub(lambda m: (m.group(1) or m.group(2)) + "***", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).addFilter(_RedactSecrets())


class TransportError(Exception):
    pass


class NotSent(TransportError):
    """Connection refused, DNS failure, connect timeout."""


class MaybeSent(TransportError):
    """The request went out but no complete answer came back."""


class MalformedReply(Exception):
    """The network answered with something that is not the JSON it documents."""


@dataclass
class Reply:
    status: int
    headers: httpx.Headers
    content: bytes

    def json(self):
        try:
            return jsonlib.loads(self.content or b"null")
        except ValueError as exc:
            raise MalformedReply(f"balasan bukan JSON yang sah (HTTP {self.status})") from exc

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def retry_after(self) -> float | None:
        """Seconds to wait, from ``Retry-After`` (seconds or HTTP date) or a rate-limit reset
        header (``X-RateLimit-Reset`` ISO time on Mastodon, epoch seconds elsewhere)."""
        value = self.headers.get("retry-after")
        if value:
            try:
                return max(0.0, float(value))
            except ValueError:
                try:
                    return _seconds_until(parsedate_to_datetime(value))
                except (TypeError, ValueError):
                    pass
        for name in ("x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"):
            reset = self.headers.get(name)
            if not reset:
                continue
            try:
                number = float(reset)
            except ValueError:
                try:
                    return _seconds_until(datetime.fromisoformat(reset.replace("Z", "+00:00")))
                except ValueError:
                    continue
            # Epoch seconds (X, Bluesky) or, when small, seconds from now (IETF draft).
            return max(0.0, number - time.time()) if number > 1_000_000_000 else max(0.0, number)
        return None


def _seconds_until(when: datetime) -> float:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _timeout() -> httpx.Timeout:
    import httpx

    seconds = float(current_app.config.get("CROSSPOST_HTTP_TIMEOUT", 15)) if has_app_context() else 15.0
    return httpx.Timeout(seconds, connect=min(seconds, 5.0))


_client: httpx.Client | None = None
_client_lock = threading.Lock()


def _shared_client() -> httpx.Client:
    """One pooled client per process: building one loads the CA bundle (~20 ms)."""
    global _client
    if _client is None:
        import httpx

        with _client_lock:
            if _client is None:
                _client = httpx.Client(
                    follow_redirects=False, limits=httpx.Limits(max_connections=100, max_keepalive_connections=20)
                )
    return _client


def request(
    method: str, url: str, *, headers=None, json=None, data=None, files=None, params=None, content=None
) -> Reply:
    import httpx

    try:
        resp = _shared_client().request(
            method,
            url,
            headers=headers,
            json=json,
            data=data,
            files=files,
            params=params,
            content=content,
            timeout=_timeout(),
        )
        return Reply(resp.status_code, resp.headers, resp.content)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise NotSent(f"tidak dapat terhubung: {type(exc).__name__}") from exc
    except httpx.TimeoutException as exc:
        raise MaybeSent("batas waktu habis setelah permintaan terkirim") from exc
    except httpx.HTTPError as exc:
        raise MaybeSent(f"koneksi terputus: {type(exc).__name__}") from exc
