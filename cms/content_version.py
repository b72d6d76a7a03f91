"""The site's content version: one counter that every public change bumps.

This is the single entry point for invalidating what the public sees:
:func:`content_changed` bumps one counter row (``feeds_state``), inside the
caller's transaction when given its connection, so the bump commits or rolls
back with the change.  Pages and feeds are kept under the counter
(``cms.cache``), so a bump is their invalidation; the cache reacts to it and
no service calls the cache.

Services call :func:`content_changed` explicitly where their change is not
an ORM flush of the tables below: raw SQL, bulk inserts, a plugin's data
shown on public pages (the DIP), a change due by time.  ORM writes to public
tables are counted by the listeners in this module, the only session
listeners about content.  They stay because public rows are written from
many places (editor, publishing, admin, media library, imports, the worker,
plugins) and one missed bump serves a stale page to every visitor until the
next change:

- ``after_flush`` (:func:`_count_flushed_change`): when a flush touched a
  public table (``FEED_TABLES``, an author's name), bump in the same
  transaction, then run the in-transaction reactions registered with
  :func:`on_flush` (the cache drops the stored item pages the change made
  stale, in the same transaction, so no reader sees an old page after commit);
- ``do_orm_execute`` (:func:`_count_bulk_change`): ``update(Post)`` and
  ``delete`` through the session (the workflow's conditional publish) skip
  the flush events: bump there;
- ``after_commit`` (:func:`_forget_local_version`): this process forgets its
  memo of the counter once its own change committed, so it sees it at once;
- ``after_rollback`` (:func:`_drop_flags`): a rolled-back bump is forgotten.

:func:`share` marks a response as the same for every anonymous reader while
the counter is unchanged; the cache keeps only responses so marked.

A request reads the counter with one raw SQL statement — no ORM session: an
ORM query per request halves a cached feed's throughput (bench/feeds).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, request
from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from cms.extensions import db
from cms.kept_connection import read_row
from cms.timeutil import naive_utc

# Tables whose rows end up in public pages and feeds; a change to any bumps the counter.
FEED_TABLES = {"post", "category", "media", "unit", "post_correction", "tag", "post_image", "site_identity"}
# Post columns that never change what a feed shows.
_QUIET_POST_COLUMNS = {"autosave_data", "autosave_at", "preview_token"}
_SELECT_SQL = "SELECT counter, changed_at FROM feeds_state WHERE id = 1"
_SELECT = text(_SELECT_SQL)
_UPDATE = text("UPDATE feeds_state SET counter = counter + 1, changed_at = :now WHERE id = 1")
_INSERT = text("INSERT INTO feeds_state (id, counter, changed_at) VALUES (1, 1, :now)")
# The WSGI environ key of :func:`share`'s mark (read by the cache).
SHARED_ENVIRON_KEY = "warta.share"


@dataclass(frozen=True)
class Version:
    counter: int
    changed_at: datetime  # naive UTC


def share(counter: int, expires: float | None = None) -> None:
    """Mark the current response as the same for every anonymous reader and
    valid while the counter is ``counter`` (and until ``expires``, epoch seconds)."""
    request.environ[SHARED_ENVIRON_KEY] = (counter, expires, request.endpoint or "")


# -------------------------------------------------- listeners (see docstring)

# Run inside the transaction after a flush that changed public content.
_reactions: list[Callable[[Session], None]] = []


def on_flush(reaction: Callable[[Session], None]) -> Callable[[Session], None]:
    """Register ``reaction(session)``, run in ``after_flush`` when the flush
    changed public content (the session's new/dirty/deleted still show it)."""
    if reaction not in _reactions:
        _reactions.append(reaction)
    return reaction


def _touches_feeds(obj, dirty: bool) -> bool:
    table = getattr(obj, "__tablename__", None)
    if table == "user_account":  # only the author's display name shows in feeds
        return inspect(obj).attrs.name.history.has_changes()
    if table not in FEED_TABLES:
        return False
    if dirty and table == "post":
        changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
        return bool(changed - _QUIET_POST_COLUMNS)
    return True


@event.listens_for(Session, "after_flush")
def _count_flushed_change(session, flush_context) -> None:
    """History and new/dirty/deleted still show the flushed state here."""
    if not (
        any(_touches_feeds(o, False) for o in (*session.new, *session.deleted))
        or any(_touches_feeds(o, True) for o in session.dirty)
    ):
        return
    content_changed(session.connection())
    for reaction in _reactions:
        reaction(session)


@event.listens_for(Session, "do_orm_execute")
def _count_bulk_change(state) -> None:
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    if state.bind_mapper.local_table.name not in FEED_TABLES:
        return
    values = getattr(state.statement, "_values", None) or {}
    keys = {getattr(k, "key", str(k)) for k in values}
    if state.is_update and keys and keys <= _QUIET_POST_COLUMNS:
        return
    content_changed(state.session.connection())


@event.listens_for(Session, "after_commit")
def _forget_local_version(session) -> None:
    bumped_here = getattr(_bumped, "pending", False)  # content_changed(connection) inside this session's work
    _bumped.pending = False
    if session.info.pop("feeds_bumped", False) or bumped_here:
        _memo.clear()


@event.listens_for(Session, "after_rollback")
def _drop_flags(session) -> None:
    session.info.pop("feeds_bumped", None)


def content_changed(connection=None) -> None:
    """Count a change to public content; with ``connection``, inside its
    transaction (``db.session.connection()``), so it commits or rolls back with it."""
    now = naive_utc().replace(microsecond=0)
    if connection is None:
        with db.engine.begin() as conn:
            content_changed(conn)
        _memo.clear()
        _bumped.pending = False  # committed and forgotten already
        return
    session = _session_of(connection)
    if session is not None:
        if session.info.get("feeds_bumped"):  # readers see the transaction's end, so once is enough
            return
        session.info["feeds_bumped"] = True
    if connection.execute(_UPDATE, {"now": now}).rowcount == 0:
        connection.execute(_INSERT, {"now": now})
    _bumped.pending = True  # forget this process's copy when the session commits


def _session_of(connection) -> Session | None:
    """The app's session when ``connection`` is its transaction's, else None.

    A publication bumps both explicitly and through the ORM listeners; the
    session's flag lets the second call in one transaction skip its UPDATE."""
    try:
        session = db.session()
    except RuntimeError:  # no app context: a bare connection
        return None
    if not session.in_transaction() or session.in_nested_transaction():  # a savepoint may roll back alone
        return None
    return session if session.connection() is connection else None


# Set by ``content_changed(connection)`` in this thread until a session commits (plugins
# bump inside their own transaction through ``db.session.connection()``).
_bumped = threading.local()


# Per-process memo of the counter; ``FEEDS_VERSION_TTL`` seconds (0 = read
# the row on every request).  Cleared when this process commits a change.
# Unset, it is 0 on SQLite (a file read costs microseconds) and a quarter
# second on a database server, where a read per request (a round trip plus a
# backend's CPU on the same machines) took a third of a cached page's
# throughput; four reads a second per worker cost nothing.  It is the bound
# on how late another worker or node sees a change: a whole second, with a
# render and nginx's micro-cache on top, missed the one-second promise of
# docs/deploy.md (bench/scale/two_nodes.py measured 1.5-1.9 s on node B).
SERVER_VERSION_TTL = 0.25
_memo: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _read_counter(engine) -> tuple | None:
    return read_row(engine, _SELECT_SQL)


def current_version() -> Version:
    return read_version(db.engine, current_app.config)


def read_version(engine, config) -> Version:
    """The counter of ``engine``'s database (also used outside a request)."""
    ttl = config.get("FEEDS_VERSION_TTL")
    ttl = (0.0 if engine.dialect.name == "sqlite" else SERVER_VERSION_TTL) if ttl is None else float(ttl or 0)
    now = time.time()
    hit = _memo.get(engine)
    if ttl and hit and now - hit[0] < ttl:
        return hit[1]
    row = _read_counter(engine)
    version = Version(0, datetime(2000, 1, 1)) if row is None else Version(int(row[0]), _as_datetime(row[1]))
    _memo[engine] = (now, version)
    return version


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.fromisoformat(str(value))
