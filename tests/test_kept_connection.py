"""Kept connections (``kept_connection.read_row`` and ``write_row``) come
from outside the engine's pool, so a request holding its session's pooled
connection never takes a second one; they close with their thread."""

from __future__ import annotations

import gc
import threading

import pytest
from sqlalchemy import create_engine, text

from cms import kept_connection
from tests.conftest import TEST_DB_URL, on_postgres


@pytest.fixture
def small_engine(tmp_path):
    """An engine whose pool has one connection and gives up after a second."""
    url = TEST_DB_URL if on_postgres() else f"sqlite:///{tmp_path / 'readers.db'}"
    engine = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=1)
    yield engine
    kept_connection.close_readers(engine)
    engine.dispose()


def _in_new_thread(fn):
    """``fn()`` in a fresh thread (no kept connection yet), which then ends."""
    out = {}
    thread = threading.Thread(target=lambda: out.update(value=fn()))
    thread.start()
    thread.join()
    return out["value"]


def test_reading_while_holding_the_only_pooled_connection(small_engine):
    def read_while_holding():
        with small_engine.connect() as held:
            held.execute(text("SELECT 1"))
            assert small_engine.pool.checkedout() == 1
            row = kept_connection.read_row(small_engine, "SELECT :n + 1", {"n": 41})
            return row, small_engine.pool.checkedout()

    row, checked_out = _in_new_thread(read_while_holding)
    assert tuple(row) == (42,)
    assert checked_out == 1


def test_kept_connection_closes_when_its_thread_ends(small_engine):
    def read_and_keep():
        assert tuple(kept_connection.read_row(small_engine, "SELECT 7")) == (7,)
        return kept_connection._readers.by_engine[small_engine].conn.dbapi_connection

    conn = _in_new_thread(read_and_keep)
    gc.collect()
    if on_postgres():
        assert conn.closed
    else:
        import sqlite3

        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            conn.cursor()
    assert small_engine.pool.checkedout() == 0


def test_a_broken_kept_connection_is_replaced(small_engine):
    assert tuple(kept_connection.read_row(small_engine, "SELECT 1")) == (1,)
    kept = kept_connection._readers.by_engine[small_engine]
    kept.conn.dbapi_connection.close()  # the server or a failover dropped it
    assert tuple(kept_connection.read_row(small_engine, "SELECT 2")) == (2,)
    assert kept_connection._readers.by_engine[small_engine] is not kept


def test_a_write_commits_at_once_beside_a_held_connection(small_engine):
    with small_engine.begin() as conn:
        conn.execute(text("CREATE TABLE kept_note (id INTEGER PRIMARY KEY, body VARCHAR(20))"))
        conn.execute(text("INSERT INTO kept_note (id, body) VALUES (1, 'lama')"))
    try:

        def write_while_holding():
            with small_engine.connect() as held:
                held.execute(text("SELECT 1"))
                kept_connection.write_row(
                    small_engine, "UPDATE kept_note SET body = :body WHERE id = 1", {"body": "baru"}
                )
                return small_engine.pool.checkedout()

        assert _in_new_thread(write_while_holding) == 1
        with small_engine.connect() as conn:  # committed: another connection sees it
            assert conn.execute(text("SELECT body FROM kept_note")).scalar() == "baru"
    finally:
        with small_engine.begin() as conn:
            conn.execute(text("DROP TABLE kept_note"))
