"""The staff post list sorts every post by its last change: that sort must
come from an index, not a sort of the whole table per page view (1.1 s at
50,000 items on SQLite before it had one; bench/scale/tenfold.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from cms.extensions import db


def test_the_post_list_sort_has_an_index(app):
    indexes = {tuple(ix["column_names"]) for ix in inspect(db.engine).get_indexes("post")}
    assert ("updated_at", "id") in indexes


def test_sqlite_reads_the_post_list_in_index_order(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    plan = db.session.execute(
        text("EXPLAIN QUERY PLAN SELECT * FROM post ORDER BY post.updated_at DESC, post.id DESC LIMIT 30 OFFSET 0")
    ).all()
    steps = " | ".join(row[-1] for row in plan)
    assert "ix_post_updated" in steps and "TEMP B-TREE" not in steps, steps
