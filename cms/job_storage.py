"""The huey instances behind ``cms.jobs``: the only module that imports huey.

Imported by ``cms.jobs`` when a queue is first used, not when the app is
built (huey's storage module brings redis and psycopg, 16 MB resident).
"""

from __future__ import annotations

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.storage import SqliteStorage


def memory_huey() -> Huey:
    return MemoryHuey("warta", immediate=True)


def redis_huey(url: str) -> Huey:
    return RedisHuey("warta", url=url)


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
