"""A feed's rendering: its bytes with the validators and gzip copy every
representation is cut from, and the 304 rule.

A feed is rendered once per content version (``cms.content_version``) and
kept by the cache when it is installed (``cms.cache.install`` puts a store
in ``app.extensions[STORE]``); without one every request renders.  A
rendering also expires when a scheduled item's time comes, since time alone
can change what the public may see.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from werkzeug.http import http_date, parse_date, parse_etags

from cms.content_version import Version, current_version

# Where the cache puts its store of renderings (``get(key)``, ``set(key, rendered)``).
STORE = "feeds_store"


@dataclass
class Rendered:
    body: bytes
    etag: str
    last_modified: datetime  # naive UTC, whole seconds
    expires: float | None  # epoch seconds when a scheduled change is due
    etag_header: str = ""  # header values built once, not per request
    last_modified_header: str = ""
    counter: int = -1  # the change counter it was built for (set by get_or_build)


def not_modified(
    etag: str | None, last_modified: datetime | None, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """The 304 rule for kept bytes (feed views and the cache's shared responses):
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
        while len(_GZIPPED) > int(current_app.config.get("FEEDS_GZIP_KEEP", _GZIPPED_KEEP)):
            _GZIPPED.popitem(last=False)
    return found


def get_or_build(name: str, build: Callable[[Version], Rendered]) -> Rendered:
    """The rendering of feed ``name`` for the current content version."""
    version = current_version()
    key = f"{name}@{version.counter}"
    store = current_app.extensions.get(STORE)
    found = store.get(key) if store is not None else None
    if found is not None and (found.expires is None or found.expires > time.time()):
        return found
    rendered = build(version)
    rendered.counter = version.counter
    if store is not None:
        store.set(key, rendered)
    return rendered
