"""Layer 1: responses shared by every anonymous reader, served before Flask runs.

A response marked as the same for every visitor without a sign-in (home,
lists, item pages, public feeds: ``cms.content_version.share``, set by
``cms.cache.pages`` and the feed views) is kept in the worker's memory, and
later anonymous ``GET``/``HEAD`` requests for the same URL are answered from
there while the content counter (``cms.content_version``) is unchanged:
one raw SQL read, no request context, session, routing or template.  That is
what lets a cached page or feed cost about as little as
a bare Flask endpoint (issues #3, #4; bench/feeds and bench/newsroom measure it).

On a miss, item pages stored by ``cms.cache.post_pages`` are answered here too
(through a registered loader), with the headers the item view would add.

Requests carrying the session or remember cookie never use it, so staff,
visitors with flashes and those who chose a language always reach Flask;
responses that set a cookie are never kept.  Conditional requests get 304s
here, with the same rules as the feed views.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import Engine
from werkzeug.http import parse_date, unquote_etag

from cms import observability
from cms.cache import query_page_files
from cms.content_version import SHARED_ENVIRON_KEY as ENVIRON_KEY
from cms.content_version import Version, read_version
from cms.feeds.rendering import not_modified
from cms.security import HSTS, SECURITY_HEADERS, visitor_cookies

logger = logging.getLogger(__name__)

# Per response, never replayed: the server adds its own Date.
_STORED_HEADERS_SKIP = {"x-request-id", "set-cookie", "content-length", "date"}
_NOT_MODIFIED_SKIP = {"content-type", "content-length", "content-encoding"}


# (path pattern, loader): pages that exist as stored bytes (cms.cache.post_pages)
# and can be answered here even on a miss, before Flask runs.  A loader gets
# the app and the path match and returns ``(html, endpoint)`` or ``None``.
_LOADERS: list[tuple[re.Pattern, Callable]] = []


@dataclass(frozen=True)
class QueryPages:
    """Pages of one path whose query string varies without end (a search):
    kept under a normalised key, in their own bounded room."""

    normalise: Callable[[str], str | None]  # query string → key, or None: keep it as it is
    budget_key: str  # app config key of the room's byte budget
    budget: int  # its default
    files_key: str | None = None  # app config key of the pages kept as files per version (query_page_files)
    files: int = 0  # its default; 0 keeps them in memory only
    # app → a digest of the code, templates and settings that shape the page
    # (``post_pages.epoch``): files outlive the workers, so a deploy must not
    # meet the pages of the release before.
    release: Callable[[Flask], str] | None = None


# Path → its rules (``query_pages``).
_QUERY_PAGES: dict[str, QueryPages] = {}


def query_pages(
    path: str,
    normalise: Callable[[str], str | None],
    budget_key: str,
    budget: int,
    files_key: str | None = None,
    files: int = 0,
    release: Callable[[Flask], str] | None = None,
) -> None:
    """Keep the pages of ``path`` keyed by ``normalise(query string)`` (query
    strings giving the same key must give the same page) in a room of their
    own, so that endless distinct queries never evict the other pages; with
    ``files_key``, also as files every worker of the machine reads."""
    _QUERY_PAGES[path] = QueryPages(normalise, budget_key, budget, files_key, files, release)


def stored_page_loader(pattern: str):
    """Register a loader for anonymous ``GET``s of paths matching ``pattern``
    (without a query string).  Its HTML gets the headers the Flask view would
    add; a test compares both paths byte for byte."""

    def decorator(func):
        _LOADERS.append((re.compile(pattern), func))
        return func

    return decorator


@dataclass
class Entry:
    key: tuple
    counter: int
    expires: float | None
    endpoint: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    last_modified: datetime | None


class _Room:
    """Entries in least-recently-used order within a byte budget, and the
    request headers each URL varies on (forgotten with its last entry)."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.vary: dict[tuple, tuple[str, ...]] = {}
        self.size = 0

    def put(self, base: tuple, vary: tuple, entry: Entry, budget: int) -> None:
        old = self.entries.pop(entry.key, None)
        if old is not None:
            self.size -= len(old.body)
        self.vary[base] = vary
        self.entries[entry.key] = entry
        self.size += len(entry.body)
        while self.size > budget and self.entries:
            (dropped_base, _), dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)
            if dropped_base != base:
                self.vary.pop(dropped_base, None)  # its other variants are refilled on demand


class SharedResponses:
    """WSGI middleware around ``app.wsgi_app`` (inside ``ProxyFix``)."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app
        self._rooms: dict[str, _Room] = {}  # "" for every page, else the path of its ``query_pages``
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._bypass_cookies = tuple(name + "=" for name in visitor_cookies(app.config))

    # -------------------------------------------------------------- WSGI

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
            or not self.app.config.get("CMS_SHARED_CACHE", True)
            or self._signed_in(environ)
        ):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        base = self._base_key(environ)
        entry = self._lookup(base, environ) or self._load(base, environ) or self._load_file(base, environ)
        if entry is not None:
            return self._serve(entry, environ, start_response, started)
        return self._fill(base, environ, start_response)

    def _signed_in(self, environ) -> bool:
        cookies = environ.get("HTTP_COOKIE")
        return bool(cookies) and any(name in cookies for name in self._bypass_cookies)

    @staticmethod
    def _base_key(environ) -> tuple:
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        rules = _QUERY_PAGES.get(path)
        if rules is not None:
            query = rules.normalise(query) or query
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
            environ.get("SCRIPT_NAME", ""),
            path,
            query,
        )

    def _room(self, base: tuple) -> _Room:
        name = base[3] if base[3] in _QUERY_PAGES else ""
        room = self._rooms.get(name)
        if room is None:
            room = self._rooms.setdefault(name, _Room())
        return room

    def _budget(self, base: tuple) -> int:
        rules = _QUERY_PAGES.get(base[3])
        if rules is None:
            return int(self.app.config.get("CMS_SHARED_CACHE_BYTES", 24 * 1024 * 1024))
        return int(self.app.config.get(rules.budget_key, rules.budget))

    def _lookup(self, base: tuple, environ) -> Entry | None:
        room = self._room(base)
        names = room.vary.get(base)
        if names is None:
            return None
        entry = room.entries.get((base, tuple(environ.get(n, "") for n in names)))
        if entry is None or (entry.expires is not None and entry.expires <= time.time()):
            return None
        if entry.counter != self._counter():
            return None
        return entry

    def _load(self, base: tuple, environ) -> Entry | None:
        """A stored page for this path, with the Flask view's headers."""
        if environ.get("QUERY_STRING") or environ.get("REQUEST_METHOD") != "GET":
            return None
        path = environ.get("PATH_INFO", "")
        for pattern, loader in _LOADERS:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            counter = self._counter()  # before the read: a change in between only expires it
            found = loader(self.app, self._engine, match)
            if found is None:
                return None
            html, endpoint = found
            etag = hashlib.sha256(html).hexdigest()[:32]
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("ETag", f'"{etag}"'),
                ("Vary", "Cookie"),
                *SECURITY_HEADERS,
            ]
            if environ.get("wsgi.url_scheme") == "https":
                headers.append(HSTS)
            entry = Entry((base, ()), counter, None, endpoint, "200 OK", headers, html, etag, None)
            self._keep(base, (), entry)
            return entry
        return None

    def _counter(self) -> int:
        return self._version().counter

    def _version(self) -> Version:
        if self._engine is None:
            with self.app.app_context():
                from cms.extensions import db

                self._engine = db.engine
        return read_version(self._engine, self.app.config)

    def _files(self, base: tuple) -> tuple[Path, int, QueryPages] | None:
        """Where the pages of ``base``'s path are kept as files, how many
        per version, and their rules; ``None`` for memory only."""
        rules = _QUERY_PAGES.get(base[3])
        if rules is None or rules.files_key is None:
            return None
        budget = int(self.app.config.get(rules.files_key, rules.files) or 0)
        if budget <= 0:
            return None
        root = self.app.config.get("CMS_QUERY_PAGES_DIR") or os.path.join(self.app.instance_path, "query-pages")
        return Path(root) / (base[3].strip("/").replace("/", "-") or "-"), budget, rules

    def _folder(self, rules: QueryPages, version: Version) -> str:
        release = rules.release(self.app) if rules.release else ""
        return query_page_files.folder_name(version.counter, version.changed_at, release)

    def _load_file(self, base: tuple, environ) -> Entry | None:
        """A query page another worker rendered under this version and release."""
        files = self._files(base)
        if files is None or environ.get("REQUEST_METHOD") != "GET":
            return None
        try:
            version = self._version()
            page = query_page_files.read(files[0], self._folder(files[2], version), version.counter, base, environ)
        except Exception:  # noqa: BLE001 - the files are a shortcut: any trouble is a miss
            logger.exception("could not read a kept query page")
            return None
        if page is None:
            return None
        vary = tuple(sorted(page.vary))
        mark = (page.counter, page.expires, page.endpoint)
        entry = self._entry(base, vary, environ, mark, page.status, page.headers, page.body)
        self._keep(base, vary, entry)
        return entry

    # ------------------------------------------------------------ serve

    def _serve(self, entry: Entry, environ, start_response, started: float):
        room = self._room(entry.key[0])
        with self._lock:
            if entry.key in room.entries:
                room.entries.move_to_end(entry.key)
        request_id = observability.request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        environ[ENVIRON_KEY] = (entry.counter, entry.expires, entry.endpoint)  # still shared (cms.cache.page_files)
        if not_modified(
            entry.etag, entry.last_modified, environ.get("HTTP_IF_NONE_MATCH"), environ.get("HTTP_IF_MODIFIED_SINCE")
        ):
            status, body = 304, b""
            headers = [h for h in entry.headers if h[0].lower() not in _NOT_MODIFIED_SKIP]
            start_response("304 Not Modified", headers + [("X-Request-ID", request_id)])
        else:
            status, body = 200, entry.body
            headers = entry.headers + [("Content-Length", str(len(body))), ("X-Request-ID", request_id)]
            start_response(entry.status, headers)
        observability.record(
            self.app,
            request_id,
            None,
            environ.get("REQUEST_METHOD", "GET"),
            environ.get("PATH_INFO", ""),
            entry.endpoint,
            status,
            time.perf_counter() - started,
        )
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    # ------------------------------------------------------------- fill

    def _fill(self, base: tuple, environ, start_response):
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        mark = environ.get(ENVIRON_KEY)
        if mark is None or not captured.get("status", "").startswith("200"):
            return result
        headers = captured["headers"]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return result
        vary = _vary_names(headers)
        if vary is None:
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if environ.get("REQUEST_METHOD") == "GET":
            self._store(base, vary, environ, mark, captured["status"], headers, body)
        return [body]

    def _store(self, base, vary, environ, mark, status, headers, body) -> None:
        entry = self._entry(base, vary, environ, mark, status, headers, body)
        self._keep(base, vary, entry)
        files = self._files(base)
        if files is None:
            return
        try:
            self._write_file(files, base, vary, entry)
        except Exception:  # noqa: BLE001 - the page is served all the same; only the shortcut is lost
            logger.exception("could not keep a query page as a file")

    def _write_file(self, files: tuple[Path, int, QueryPages], base: tuple, vary: tuple, entry: Entry) -> None:
        version = self._version()
        if version.counter != entry.counter:
            return  # rendered before a change: the new version's folder must not get it
        page = query_page_files.StoredPage(
            entry.counter,
            entry.expires,
            entry.endpoint,
            entry.status,
            entry.headers,
            entry.body,
            dict(zip(vary, entry.key[1], strict=True)),
        )
        query_page_files.write(files[0], self._folder(files[2], version), page, base, files[1])

    @staticmethod
    def _entry(base, vary, environ, mark, status, headers, body) -> Entry:
        counter, expires, endpoint = mark
        kept = [(k, v) for k, v in headers if k.lower() not in _STORED_HEADERS_SKIP]
        found = {k.lower(): v for k, v in kept}
        modified = parse_date(found.get("last-modified"))
        etag = unquote_etag(found["etag"])[0] if found.get("etag") else None
        key = (base, tuple(environ.get(n, "") for n in vary))
        return Entry(
            key,
            counter,
            expires,
            endpoint,
            status,
            kept,
            body,
            etag,
            modified.replace(tzinfo=None) if modified else None,
        )

    def _keep(self, base: tuple, vary: tuple, entry: Entry) -> None:
        budget = self._budget(base)
        if len(entry.body) > budget // 4:
            return
        room = self._room(base)
        with self._lock:
            room.put(base, vary, entry, budget)

    def clear(self) -> None:
        with self._lock:
            self._rooms.clear()


def _vary_names(headers) -> tuple[str, ...] | None:
    """Request headers the response depends on, as WSGI environ keys
    (``Cookie`` is covered by the sign-in bypass); ``None`` for ``Vary: *``."""
    names: list[str] = []
    for name, value in headers:
        if name.lower() != "vary":
            continue
        for part in value.split(","):
            part = part.strip().lower()
            if part == "*":
                return None
            if part and part != "cookie":
                names.append("HTTP_" + part.upper().replace("-", "_"))
    return tuple(sorted(set(names)))


def install(app: Flask) -> None:
    middleware = SharedResponses(app.wsgi_app, app)
    app.extensions["cms_shared_cache"] = middleware
    app.wsgi_app = middleware  # type: ignore[method-assign]  # Flask's documented way to wrap it
