"""Layer 2 for the home page, the site feeds, the lists and the newest items: files for nginx.

nginx answers a file from disk several times faster than from its proxy
cache, whose files keep the body after a header of varying length (an
unaligned ``sendfile`` offset).  ``flask cms page-files DIR`` runs
beside nginx on each web machine: it polls the change counter
(``cms.content_version``, one raw read), renders the pages below through the app
whenever it moves, and replaces each file atomically, with a ``.gz`` copy
for nginx's ``gzip_static``.  ``deploy/nginx/warta.conf`` serves these files
to anonymous readers and falls back to Warta when a file is missing.

Never stale: a page is written only when the app marks its response as the
same for every anonymous reader with no time limit (``content_version.share``
without ``expires``); a page whose content will change by time alone (an
embargo due) is removed instead, and written again once that time passes.
When the counter moves, every file is removed before the pages are rendered
again (nginx asks Warta meanwhile), and a page rendered while the counter
moved again is not written: with two nodes and frequent edits, rewriting in
place left nginx serving pages seconds old (bench/scale/two_nodes.py).
The files are removed when the writer stops, so a stopped writer sends
nginx back to Warta rather than leaving old pages up.

After the home page and the feeds come the first page of each list and the
newest ``CMS_PAGE_FILES_ITEMS`` item pages (rendered from their stored
copies, ``post_pages``): from nginx's one-second proxy cache an item page
reached 0.58 × a static file, random items missing it (bench/scale).  Their
pass stops as soon as the counter moves: the next one starts from nothing.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from flask import Flask
from werkzeug.datastructures import Headers
from werkzeug.http import parse_date
from werkzeug.test import EnvironBuilder

from cms.content_version import SHARED_ENVIRON_KEY, read_version
from cms.extensions import db
from cms.models.content import POST_KINDS

log = logging.getLogger(__name__)

# URL path → file name.  Feeds get their own extensions so that nginx can
# give each its content type (the URLs all end in .xml or .json).
PAGES = {
    "/": "index.html",
    "/feeds/rss.xml": "feeds-rss.rss",
    "/feeds/atom.xml": "feeds-atom.atom",
    "/feeds/feed.json": "feeds-feed.jsonfeed",
}
# The first page of each list, and each item page under ITEMS_DIR/<kind>/<slug>.html.
LISTS = {f"/{kind}/": f"lists/{kind}.html" for kind in POST_KINDS}
ITEMS_DIR = "items"
MORE_DIRS = ("lists", ITEMS_DIR)  # cleared as a whole
# What a slug may be to become a file name (python-slugify's alphabet);
# anything else stays with Warta.
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,199}\Z")
GZIP_SUFFIX = ".gz"
# The writer reads the counter itself every pass, never a copy (which also
# refreshes the copy the views it renders through use).
_FRESH = {"FEEDS_VERSION_TTL": 0}
# How soon to try again a page that could not be written.
RETRY_SECONDS = 10.0
# Headers the nginx site cannot send with a file: a page that carries one is
# left to Warta (WebSub's ``Link: rel="hub"`` when a hub is configured).
NOT_FROM_FILES = ("Link",)


@dataclass
class Written:
    """What one pass did."""

    counter: int
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    due: float | None = None  # epoch seconds when a removed page may be written again


def _replace(path: Path, data: bytes, mtime: float) -> None:
    """Write ``data`` to ``path`` atomically (a reader sees old or new bytes)."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # nginx's user reads it
        os.utime(tmp, (mtime, mtime))  # Last-Modified and ETag: the same on every web machine
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove(directory: Path, name: str) -> bool:
    found = False
    for path in (directory / name, directory / (name + GZIP_SUFFIX)):  # plain first: nginx checks it
        if path.exists():
            path.unlink(missing_ok=True)
            found = True
    return found


def clear(directory: Path) -> None:
    """Remove every page file, so nginx sends all requests to Warta."""
    for name in PAGES.values():
        _remove(directory, name)
    for sub in MORE_DIRS:
        # One rename takes a thousand files away from nginx at once.
        if (directory / sub).is_dir():
            gone = Path(tempfile.mkdtemp(dir=directory, prefix=".old-"))
            os.replace(directory / sub, gone / sub)
            shutil.rmtree(gone, ignore_errors=True)
    for old in directory.glob(".old-*"):  # left by a writer that was killed
        shutil.rmtree(old, ignore_errors=True)


def item_file(path: str) -> str | None:
    """The file name of the item page at ``path`` (``/berita/slug``), if it may have one."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] or parts[1] not in POST_KINDS or not _SLUG.match(parts[2]):
        return None
    return f"{ITEMS_DIR}/{parts[1]}/{parts[2]}.html"


def newest_items(app: Flask, limit: int) -> list[str]:
    """Paths of the ``limit`` newest public items, newest first."""
    from cms.models.content import Post
    from cms.newsroom.publishing import public_posts

    if limit <= 0:
        return []
    with app.app_context():
        stmt = public_posts().with_only_columns(Post.kind, Post.slug).limit(limit)
        return [f"/{kind}/{slug}" for kind, slug in db.session.execute(stmt)]


def _modified(headers: Headers, fallback: float) -> float:
    stamp = parse_date(headers.get("Last-Modified"))
    return stamp.timestamp() if stamp else fallback


def _get(app: Flask, path: str) -> tuple[int, Headers, bytes, dict]:
    """``GET path`` through the whole WSGI stack as an anonymous feed reader
    would send it; the environ comes back too, with the app's share mark
    (the test client hands the app a copy of it)."""
    environ = EnvironBuilder(
        path=path, base_url=app.config.get("SITE_URL") or None, headers=[("Accept", "*/*")]
    ).get_environ()
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, headers

    with app.app_context():  # its own: a CLI's outer context would keep one session open
        chunks = app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    return int(started["status"].split()[0]), Headers(started["headers"]), body, environ


def _counter(app: Flask) -> int:
    with app.app_context():
        return read_version(db.engine, _FRESH).counter


def write_pages(app: Flask, directory: Path) -> Written:
    """Render every page through the app, as an anonymous reader, and write
    the ones that may be shared; remove the others."""
    directory.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        version = read_version(db.engine, _FRESH)  # read before rendering: a change
        # committed meanwhile moves the counter again and is caught next pass
    result = Written(counter=version.counter)
    fallback = version.changed_at.replace(tzinfo=UTC).timestamp()  # stored naive UTC
    for path, name in PAGES.items():
        before = version.counter if path == next(iter(PAGES)) else _counter(app)
        _write(app, directory, path, name, before, fallback, result)
    more = list(LISTS.items())
    more += [(item, file) for item in newest_items(app, _item_limit(app)) if (file := item_file(item))]
    for path, name in more:
        if not _write(app, directory, path, name, version.counter, fallback, result):
            break  # the counter moved: the next pass clears these and starts again
    return result


def _item_limit(app: Flask) -> int:
    return int(app.config.get("CMS_PAGE_FILES_ITEMS", 0) or 0)


def _write(app: Flask, directory: Path, path: str, name: str, before: int, fallback: float, result: Written) -> bool:
    """Render ``path`` and write it as ``name`` if it may be shared; ``False``
    when the counter moved from ``before`` while it rendered (nothing written)."""
    try:
        status, headers, body, environ = _get(app, path)
        if _counter(app) != before:  # changed while rendering: the next pass writes it
            if _remove(directory, name):
                result.removed.append(path)
            return False
        shared = environ.get(SHARED_ENVIRON_KEY)
        if status != 200 or shared is None or shared[1] is not None or any(h in headers for h in NOT_FROM_FILES):
            # Not the same for everyone for good (a feed with an embargo
            # due shortens its max-age per request), or not servable as a
            # file: Warta answers it.
            retry = shared[1] if shared is not None and shared[1] else time.time() + RETRY_SECONDS
            result.due = min(filter(None, (result.due, retry)))
            if _remove(directory, name):
                result.removed.append(path)
            return True
        mtime = _modified(headers, fallback)
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        _replace(directory / (name + GZIP_SUFFIX), gzip.compress(body, 9, mtime=0), mtime)
        _replace(directory / name, body, mtime)
        result.written.append(path)
    except Exception:  # noqa: BLE001 - never leave a page that may be stale
        log.exception("page file %s could not be written; removed", path)
        _remove(directory, name)
        result.removed.append(path)
        result.due = time.time() + RETRY_SECONDS
    return True


def watch(
    app: Flask,
    directory: Path,
    interval: float = 0.5,
    stop: threading.Event | None = None,
    report: Callable[[Written], None] | None = None,
) -> None:
    """Write the pages, then again whenever the change counter moves or a
    removed page's time comes, until ``stop`` is set; clear them on the way out."""
    stop = stop or threading.Event()
    clear(directory)
    last: Written | None = None
    try:
        while not stop.is_set():
            try:
                counter = _counter(app)
            except Exception:  # noqa: BLE001 - database away: the pages may be stale
                log.exception("change counter unreadable; page files removed")
                clear(directory)
                last = None
            else:
                if last is None or counter != last.counter or (last.due and time.time() >= last.due):
                    if last is not None and counter != last.counter:
                        clear(directory)  # stale from now on: nginx asks Warta until they are rewritten
                    last = write_pages(app, directory)
                    if report:
                        report(last)
            stop.wait(interval)
    finally:
        clear(directory)
