"""The huey instances behind ``cms.jobs``: the only module that imports huey.

Imported by ``cms.jobs`` when a queue is first used, not when the app is
built.  huey's storage module imports redis (which imports cryptography)
and psycopg whenever they are installed: 22 MiB resident in every web
worker that answers ``/health`` (it reads the consumer's heartbeat) on an
installation whose queue is SQLite.  Warta never uses huey's PostgreSQL
storage, and needs redis only for a Redis queue, so both are hidden from
that import (``redis_huey`` hands huey redis when a queue needs it).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def _hidden(*names: str) -> Iterator[None]:
    """``import NAME`` raises ImportError inside the block, for each of
    ``names`` not imported yet; afterwards they import normally again."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # the import system's "not importable"
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


with _hidden("redis", "psycopg"):
    from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
    from huey.storage import SqliteStorage


def memory_huey() -> Huey:
    return MemoryHuey("warta", immediate=True)


def redis_huey(url: str) -> Huey:
    _give_huey_redis()
    return RedisHuey("warta", url=url)


def _give_huey_redis() -> None:
    """The names huey's storage module binds from redis when it imports
    it (and its Redis storage's client class), bound now if it was
    imported without (above): only a process that built a SQLite queue
    first and a Redis one later (tests) gets here."""
    from huey import storage

    if storage.Redis is None:
        import redis
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        storage.ConnectionPool, storage.Redis = redis.ConnectionPool, redis.Redis
        storage.ConnectionError, storage.TimeoutError = RedisConnectionError, RedisTimeoutError
        storage.RedisStorage.redis_client = redis.Redis


def sqlite_huey(path: str, synchronous: str) -> Huey:
    return SqliteHuey("warta", filename=path, storage_class=WalStorage, synchronous=synchronous)


class WalStorage(SqliteStorage):
    """huey's SQLite storage in WAL mode with ``synchronous=NORMAL`` by default.

    With FULL every enqueue waits for an fsync of the log (~6-25 ms on the
    reference disk, paid inside the web request).  With NORMAL in WAL mode a
    commit is in the log file before ``enqueue`` returns, so the job survives
    the web process or the worker being killed or restarted; only a power
    loss or kernel crash can take back the last commits since the log was
    last synced (at each checkpoint), never corrupt the file -- the same
    guarantee as Redis with ``appendfsync everysec``, the queue of the larger
    deployments.  Set ``HUEY_SQLITE_SYNCHRONOUS = "FULL"`` to pay the fsync.
    """

    def __init__(self, *args, synchronous: str = "NORMAL", **kwargs):
        self._synchronous = synchronous
        super().__init__(*args, journal_mode="wal", **kwargs)

    def _create_connection(self):
        conn = super()._create_connection()
        conn.execute(f"pragma synchronous={self._synchronous}")
        return conn
