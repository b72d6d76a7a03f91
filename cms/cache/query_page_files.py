"""Query pages (search results) kept as files, shared by every worker of a machine.

Layer 1 (``cms.cache.shared_cache``) keeps a results page in the memory of
the worker that rendered it, so each worker renders each query once, and
again after gunicorn recycles it (``max_requests``): on PostgreSQL a
first render costs 15-30 ms at 50,000 items, and the requests queued
behind it wait that long.  Here the rendered response is also written to
``<dir>/<content version>/<digest of the URL>`` (written to a temporary
name, then renamed), and a worker that misses in memory reads it before
running the search.

The version in the path (the content counter and the time it moved, so a
database restored to an older counter never meets its old folders, and
the release, so a deploy never meets the pages of the code before) is the
invalidation: a change starts a new folder and the first write into it
removes the others (a reader that loses the race only misses).  An entry still carries its expiry (an embargo
lifting) and the request headers it varies on, checked on read.  Each
folder holds at most ``budget`` pages; past it pages stay in memory only.
A damaged or foreign file is a miss, never an error page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_MAGIC = b"warta-query-page 1\n"


@dataclass(frozen=True)
class StoredPage:
    """What a file holds: the response and what it is valid for."""

    counter: int
    expires: float | None
    endpoint: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    vary: dict[str, str]  # WSGI environ key → the value it was rendered for


def _name(base: tuple) -> str:
    return hashlib.sha256(json.dumps(base, default=str).encode()).hexdigest()[:40]


def folder_name(counter: int, changed_at: datetime, release: str = "") -> str:
    """The folder of one content version under one release (a digest of the
    code and settings that shape the page: a deploy starts afresh)."""
    return f"{counter}-{changed_at:%Y%m%dT%H%M%S%f}-{release[:16]}"


def read(directory: Path, version: str, counter: int, base: tuple, environ: dict) -> StoredPage | None:
    """The page kept for ``base`` under ``version``, if it still applies to this request."""
    try:
        raw = (directory / version / _name(base)).read_bytes()
    except OSError:
        return None
    if not raw.startswith(_MAGIC):
        return None
    head, sep, body = raw[len(_MAGIC) :].partition(b"\n")
    if not sep:
        return None
    try:
        meta = json.loads(head)
        page = StoredPage(
            counter=int(meta["counter"]),
            expires=None if meta["expires"] is None else float(meta["expires"]),
            endpoint=str(meta["endpoint"]),
            status=str(meta["status"]),
            headers=[(str(k), str(v)) for k, v in meta["headers"]],
            body=body,
            vary={str(k): str(v) for k, v in meta["vary"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return None  # not a page this module wrote
    if len(body) != meta.get("length") or page.counter != counter:
        return None  # cut short, or moved by hand
    if page.expires is not None and page.expires <= time.time():
        return None
    if any(environ.get(name, "") != value for name, value in page.vary.items()):
        return None
    return page


_cleared: dict[Path, str] = {}  # directory → the version this process last cleared for


def write(directory: Path, version: str, page: StoredPage, base: tuple, budget: int) -> bool:
    """Keep ``page`` for ``base`` under ``version``; ``False`` when its
    folder is full or cannot be written."""
    folder = directory / version
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if _cleared.get(directory) != version:
            _clear_others(directory, version)
            _cleared[directory] = version
        if sum(1 for _ in os.scandir(folder)) >= budget:
            return False
        meta = {
            "counter": page.counter,
            "expires": page.expires,
            "endpoint": page.endpoint,
            "status": page.status,
            "headers": page.headers,
            "vary": page.vary,
            "length": len(page.body),
        }
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_MAGIC + json.dumps(meta).encode() + b"\n" + page.body)
            os.replace(temporary, folder / _name(base))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


_DOOMED = ".old-"


def _clear_others(directory: Path, version: str) -> None:
    """Remove the folders of other versions (each renamed away first, so no
    reader ever sees half of one), and what an earlier removal left when
    its worker was killed midway."""
    for entry in os.scandir(directory):
        if entry.name.startswith(_DOOMED):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif entry.name != version and not entry.name.startswith("."):
            doomed = tempfile.mkdtemp(dir=directory, prefix=_DOOMED)
            with contextlib.suppress(OSError):  # another worker got there first
                os.rename(entry.path, os.path.join(doomed, "folder"))
            shutil.rmtree(doomed, ignore_errors=True)
