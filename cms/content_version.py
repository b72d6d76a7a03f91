"""The site's content version: one counter that every public change bumps.

Every transaction that changes public content bumps one counter row
(``feeds_state``) in the same transaction.  Services call
:func:`content_changed` where they change what the public sees; the session
listeners below catch the rest (admin edits, imports, the worker), since a
missed bump would serve a stale page.  Pages and feeds are cached under the
counter (``cms.cache``), so a bump is their only invalidation.

A request reads the counter with one raw SQL statement — no ORM session: an
ORM query per request halves a cached feed's throughput (bench/feeds).
"""

from __future__ import annotations

import os
import re
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from cms.extensions import db
from cms.timeutil import naive_utc

# Tables whose rows end up in public pages and feeds; a change to any bumps the counter.
FEED_TABLES = {"post", "category", "media", "unit", "post_correction", "tag"}
# Post columns that never change what a feed shows.
_QUIET_POST_COLUMNS = {"autosave_data", "autosave_at", "preview_token"}
_SELECT_SQL = "SELECT counter, changed_at FROM feeds_state WHERE id = 1"
_SELECT = text(_SELECT_SQL)
_UPDATE = text("UPDATE feeds_state SET counter = counter + 1, changed_at = :now WHERE id = 1")
_INSERT = text("INSERT INTO feeds_state (id, counter, changed_at) VALUES (1, 1, :now)")


@dataclass(frozen=True)
class Version:
    counter: int
    changed_at: datetime  # naive UTC


def content_changed(connection=None) -> None:
    """Count a change to public content; with ``connection``, inside its
    transaction (``db.session.connection()``), so it commits or rolls back with it."""
    bump(connection)


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


@event.listens_for(Session, "before_flush")
def _mark_feed_change(session, flush_context, instances) -> None:
    if any(_touches_feeds(o, False) for o in (*session.new, *session.deleted)) or any(
        _touches_feeds(o, True) for o in session.dirty
    ):
        session.info["feeds_changed"] = True


@event.listens_for(Session, "do_orm_execute")
def _bulk_change(state) -> None:
    """Core-style ``update(Post)``/``delete`` through the session (the
    workflow's conditional publish) bypasses flush events: bump here."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    if state.bind_mapper.local_table.name not in FEED_TABLES:
        return
    values = getattr(state.statement, "_values", None) or {}
    keys = {getattr(k, "key", str(k)) for k in values}
    if state.is_update and keys and keys <= _QUIET_POST_COLUMNS:
        return
    bump(state.session.connection())
    state.session.info["feeds_bumped"] = True


@event.listens_for(Session, "after_flush")
def _bump_in_same_transaction(session, flush_context) -> None:
    if not session.info.pop("feeds_changed", False):
        return
    bump(session.connection())
    session.info["feeds_bumped"] = True


@event.listens_for(Session, "after_commit")
def _forget_local_version(session) -> None:
    bumped_here = getattr(_bumped, "pending", False)  # bump(connection) inside this session's work
    _bumped.pending = False
    if session.info.pop("feeds_bumped", False) or bumped_here:
        _memo.clear()


@event.listens_for(Session, "after_rollback")
def _drop_flag(session) -> None:
    session.info.pop("feeds_bumped", None)
    session.info.pop("feeds_changed", None)


def bump(connection=None) -> None:
    """Count a change to public content (joins ``connection``'s transaction)."""
    now = naive_utc().replace(microsecond=0)
    if connection is None:
        with db.engine.begin() as conn:
            bump(conn)
        _memo.clear()
        _bumped.pending = False  # committed and forgotten already
        return
    if connection.execute(_UPDATE, {"now": now}).rowcount == 0:
        connection.execute(_INSERT, {"now": now})
    _bumped.pending = True  # forget this process's copy when the session commits


# Set by ``bump(connection)`` in this thread until a session commits (plugins
# bump inside their own transaction through ``db.session.connection()``).
_bumped = threading.local()


# Per-process memo of the counter; ``FEEDS_VERSION_TTL`` seconds (0 = read
# the row on every request).  Cleared when this process commits a change.
# Unset, it is 0 on SQLite (a file read costs microseconds) and a second on
# a database server, where the read is a round trip plus a backend's CPU on
# the same machines: it took a third of a cached page's throughput.  Other
# processes' changes then show within that second; nginx's micro-cache
# already allows as much.
SERVER_VERSION_TTL = 1.0
_memo: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# One DBAPI connection per engine, process and thread, kept for this read
# only: going through a pooled SQLAlchemy Connection costs ~0.25 ms, the
# bare cursor a few microseconds.
_readers = threading.local()


def read_row(engine, sql: str, params: dict | None = None) -> tuple | None:
    """First row of a small read through this thread's kept DBAPI connection.

    ``sql`` names parameters ``:name``; they are rewritten for the driver.
    Sees committed data only (autocommit reads), never the caller's session."""
    params = params or {}
    dialect = engine.dialect.name
    if dialect == "postgresql":
        sql = _PG_PARAM.sub(r"%(\1)s", sql)
    elif dialect == "sqlite":  # the format SQLAlchemy stores, so text comparisons order right
        params = {k: v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v for k, v in params.items()}
    readers = getattr(_readers, "by_engine", None)
    if readers is None:
        readers = _readers.by_engine = weakref.WeakKeyDictionary()
    found = readers.get(engine)
    if found is None or found[0] != os.getpid():  # never reuse a connection across fork
        raw = engine.raw_connection()
        if dialect == "postgresql":
            raw.driver_connection.autocommit = True  # no idle open transaction
        found = readers[engine] = (os.getpid(), raw)
    try:
        cursor = found[1].cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchone()
        finally:
            cursor.close()
    except Exception:  # noqa: BLE001 - a broken kept connection: reconnect next time
        readers.pop(engine, None)
        with engine.connect() as conn:
            return conn.exec_driver_sql(sql, params).first()


def close_readers(engine) -> None:
    """Close this thread's kept connection to ``engine``, before disposing
    of it: the engine alone does not know the connection is kept (a process
    that builds many apps, like the test suite, would hold one per app)."""
    readers = getattr(_readers, "by_engine", None)
    found = readers.pop(engine, None) if readers is not None else None
    if found is not None and found[0] == os.getpid():
        found[1].close()


_PG_PARAM = re.compile(r"(?<![:\w]):(\w+)")


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
