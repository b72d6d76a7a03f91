"""The feed change counter and the rendered-feed cache.

Every transaction that changes public content bumps one counter row
(``feeds_state``) in the same transaction: a SQLAlchemy flush listener sees
posts, categories, media, units and author names change, whoever wrote them
(publishing service, admin, import, worker).  A feed request then reads that
row with one raw SQL statement — no ORM session — and serves the bytes
cached under the current counter, or answers 304.  An ORM query per request
halves a cached feed's throughput (measured with bench/feeds).

Rendered feeds are cached in-process by default and in Redis when
``REDIS_URL`` is set (one build shared by every worker).  A cache entry also
expires when a scheduled item's time comes, since time alone can change what
the public may see.
"""

from __future__ import annotations

import gzip
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from werkzeug.http import http_date, parse_date, parse_etags

from cms.content_version import (  # noqa: F401 - re-exported while callers move
    FEED_TABLES,
    SERVER_VERSION_TTL,
    Version,
    bump,
    close_readers,
    current_version,
    read_row,
    read_version,
)


@dataclass
class Rendered:
    body: bytes
    etag: str
    last_modified: datetime  # naive UTC, whole seconds
    expires: float | None  # epoch seconds when a scheduled change is due
    etag_header: str = ""  # header values built once, not per request
    last_modified_header: str = ""
    counter: int = -1  # the change counter it was built for (set by get_or_build)


# ------------------------------------------------------------- render cache


class MemoryStore:
    """In-process store; one per app, bounded so odd URLs cannot fill memory."""

    def __init__(self, max_entries: int = 512):
        self._data: dict[str, Rendered] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: str) -> Rendered | None:
        return self._data.get(key)

    def set(self, key: str, value: Rendered) -> None:
        with self._lock:
            if len(self._data) >= self.max_entries:
                self._data.clear()
            self._data[key] = value


class RedisStore:
    """Shared store when ``REDIS_URL`` is set: one build serves all workers."""

    def __init__(self, url: str, ttl: int = 86400, prefix: str = "warta"):
        import redis

        self.client = redis.Redis.from_url(url)
        self.ttl = ttl
        self.prefix = f"{prefix}:feeds:"  # several sites may share one Redis

    def get(self, key: str) -> Rendered | None:
        raw = self.client.get(self.prefix + key)
        return pickle.loads(raw) if raw else None  # noqa: S301 - our own bytes

    def set(self, key: str, value: Rendered) -> None:
        self.client.set(self.prefix + key, pickle.dumps(value), ex=self.ttl)


def store():
    app = current_app._get_current_object()
    found = app.extensions.get("feeds_store")
    if found is None:
        url = app.config.get("REDIS_URL")
        found = RedisStore(url, prefix=app.config.get("CMS_CACHE_PREFIX", "warta")) if url else MemoryStore()
        app.extensions["feeds_store"] = found
    return found


def not_modified(
    etag: str | None, last_modified: datetime | None, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """The 304 rule for cached bytes (feed views and cms.cache.shared_cache):
    ``If-None-Match`` wins; a bad or future ``If-Modified-Since`` is ignored.
    ``etag`` is unquoted; ``last_modified`` naive UTC."""
    if if_none_match is not None:
        return etag is not None and parse_etags(if_none_match).contains_weak(etag)
    since = parse_date(if_modified_since)
    if since is None or last_modified is None or since > datetime.now(UTC):
        return False
    return last_modified.replace(tzinfo=UTC) <= since


def make_rendered(body: bytes, last_modified: datetime, expires: float | None) -> Rendered:
    """Strong ETag from the bytes: the same data gives the same ETag anywhere."""
    digest = hashlib.sha256(body).hexdigest()[:32]
    last_modified = last_modified.replace(microsecond=0)
    return Rendered(body, digest, last_modified, expires, f'"{digest}"', http_date(last_modified.replace(tzinfo=UTC)))


# The gzip representation's ETag is the identity one plus this: a strong ETag
# names one representation (RFC 9110 §8.8.3), and caches keep both.
GZIP_ETAG_SUFFIX = "-gzip"
_GZIPPED: OrderedDict[str, bytes] = OrderedDict()
_GZIPPED_KEEP = 64
_gzip_lock = threading.Lock()


def gzipped(rendered: Rendered) -> bytes:
    """``rendered.body`` gzip-compressed, once per worker and rendering.

    Kept by ETag rather than on the object, so a rendering shared through
    Redis (unpickled afresh per request) is not compressed per request; not
    at build time, so building a feed stays as fast as it was.  ``mtime=0``
    gives every worker the same bytes."""
    with _gzip_lock:
        found = _GZIPPED.get(rendered.etag)
        if found is not None:
            _GZIPPED.move_to_end(rendered.etag)
            return found
    found = gzip.compress(rendered.body, compresslevel=6, mtime=0)
    with _gzip_lock:
        _GZIPPED[rendered.etag] = found
        while len(_GZIPPED) > _GZIPPED_KEEP:
            _GZIPPED.popitem(last=False)
    return found


def get_or_build(name: str, build: Callable[[Version], Rendered]) -> Rendered:
    """The cached rendering of feed ``name`` for the current counter."""
    version = current_version()
    key = f"{name}@{version.counter}"
    cache = store()
    found = cache.get(key)
    if found is not None and (found.expires is None or found.expires > time.time()):
        return found
    rendered = build(version)
    rendered.counter = version.counter
    cache.set(key, rendered)
    return rendered
