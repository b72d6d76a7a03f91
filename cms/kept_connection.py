"""One DBAPI connection per engine, process and thread, kept for small
reads (and bookkeeping writes) beside the request's session.

Going through a pooled SQLAlchemy Connection costs ~0.25 ms, the bare
cursor a few microseconds: the content counter (``cms.content_version``)
and the stored pages (``cms.cache.post_pages``) are read this way on every
request.  A kept connection never comes from the engine's pool, so a
request holds at most one pooled connection (its session's) at a time.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import weakref
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.pool import QueuePool

# This thread's kept connections, by engine.
_readers = threading.local()
# Where kept connections come from: a sibling of the engine's pool (same
# driver arguments, and the connect listeners the pool had when the sibling
# was made), kept on the engine (it refers back to it, so a weak mapping
# would pin the engine).  Never the engine's own pool: a request holding its
# session's connection that opened its reader there took a second slot, and
# 20 requests at once on a threaded server waited each other out (pool of
# 5 + 10, 30 s timeout).
_READER_POOL = "_warta_reader_pool"
_reader_pools_lock = threading.Lock()
# Connections a forked child inherited: never used and never closed there
# (closing would end the parent's PostgreSQL session), so kept referenced.
_inherited: list = []


class _Kept:
    """A thread's kept connection.  One detached from its pool (``owned``) is
    closed when the thread, and so its locals, ends: a threaded server starts
    a thread per connection, and nothing else would close it."""

    __slots__ = ("conn", "owned", "pid")

    def __init__(self, conn, owned: bool) -> None:
        self.conn, self.owned, self.pid = conn, owned, os.getpid()

    def __del__(self) -> None:
        if not self.owned:  # still the pool's (in-memory SQLite): the pool decides
            return
        if self.pid != os.getpid():
            _inherited.append(self.conn)
            return
        with contextlib.suppress(Exception):  # already broken or closed
            self.conn.close()


def _reader_source(engine):
    """The pool a thread's kept connection is opened from (see ``_READER_POOL``)."""
    if not isinstance(engine.pool, QueuePool):  # in-memory SQLite: one shared connection
        return engine.pool
    with _reader_pools_lock:
        pool = getattr(engine, _READER_POOL, None)
        if pool is None:
            pool = engine.pool.recreate()
            setattr(engine, _READER_POOL, pool)
    return pool


def _open_reader(engine) -> _Kept:
    source = _reader_source(engine)
    raw = source.connect()
    if engine.dialect.name == "postgresql":
        raw.driver_connection.autocommit = True  # no idle open transaction
    owned = source is not engine.pool
    if owned:
        # Kept for the thread's life, so out of every pool's count (after
        # this the fairy no longer reaches its driver connection).
        raw.detach()
    return _Kept(raw, owned)


def _driver_params(engine, sql: str, params: dict | None) -> tuple[str, dict]:
    """``sql`` with ``:name`` parameters, rewritten for the driver."""
    params = params or {}
    dialect = engine.dialect.name
    if dialect == "postgresql":
        sql = _PG_PARAM.sub(r"%(\1)s", sql)
    elif dialect == "sqlite":  # the format SQLAlchemy stores, so text comparisons order right
        params = {k: v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v for k, v in params.items()}
    return sql, params


def read_row(engine, sql: str, params: dict | None = None) -> tuple | None:
    """First row of a small read through this thread's kept DBAPI connection.

    ``sql`` names parameters ``:name``; they are rewritten for the driver.
    Sees committed data only (autocommit reads), never the caller's session."""
    return _run(engine, sql, params, write=False)


def write_row(engine, sql: str, params: dict | None = None) -> None:
    """Run one small write (bookkeeping such as a session's "last seen") and
    commit it at once, apart from the caller's session and its transaction.
    Where the engine has one shared connection (in-memory SQLite) it goes
    through the engine instead: there is no pool to run out of."""
    if not isinstance(engine.pool, QueuePool):
        with engine.begin() as conn:
            conn.execute(text(sql), params or {})
        return
    _run(engine, sql, params, write=True)


def _run(engine, sql: str, params: dict | None, *, write: bool) -> tuple | None:
    sql, params = _driver_params(engine, sql, params)
    readers = getattr(_readers, "by_engine", None)
    if readers is None:
        readers = _readers.by_engine = weakref.WeakKeyDictionary()
    for retry in (False, True):
        kept = readers.get(engine)
        if kept is None or kept.pid != os.getpid():  # never reuse a connection across fork
            kept = readers[engine] = _open_reader(engine)
        try:
            cursor = kept.conn.cursor()
            try:
                cursor.execute(sql, params)
                if write:
                    kept.conn.commit()  # SQLite opened a transaction; PostgreSQL's is autocommit
                    return None
                return cursor.fetchone()
            finally:
                cursor.close()
        except Exception:
            readers.pop(engine, None)  # a broken kept connection: one more try on a new one
            if retry or write:  # a write is not tried twice: it may have happened
                raise
    return None  # not reached


def close_readers(engine) -> None:
    """Close this thread's kept connection to ``engine``, before disposing
    of it: the engine alone does not know the connection is kept (a process
    that builds many apps, like the test suite, would hold one per app)."""
    readers = getattr(_readers, "by_engine", None)
    kept = readers.pop(engine, None) if readers is not None else None
    if kept is not None and kept.pid == os.getpid():
        kept.conn.close()
        kept.owned = False  # closed already
    with _reader_pools_lock:
        pool = engine.__dict__.pop(_READER_POOL, None)
    if pool is not None:
        pool.dispose()


_PG_PARAM = re.compile(r"(?<![:\w]):(\w+)")
