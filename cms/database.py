"""Database helpers that do not belong to one model."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets the worker write while web requests read; FKs are enforced."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_postgres(engine) -> bool:
    return engine.dialect.name == "postgresql"


def begin_for_savepoints(session) -> None:
    """Make sure ``session``'s transaction has really begun before savepoints.

    Python's sqlite3 opens a transaction only before a write, so a SAVEPOINT
    issued first starts one of its own and its RELEASE commits: each
    "nested" row would be committed at once, ahead of the batch it belongs
    to.  An explicit BEGIN keeps the savepoints inside the batch; other
    databases need nothing."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    if not raw.in_transaction:
        raw.execute("BEGIN")
