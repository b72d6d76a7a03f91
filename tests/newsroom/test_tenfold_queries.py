"""Pages whose SQL must not grow with the table (bench/scale/tenfold.py at
500,000 items): the sitemap pages read a range of the primary key (no count,
no OFFSET), the next embargo to lift comes from an index, the staff post
list loads neither bodies nor one row per post."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import event, inspect, text

from cms.extensions import db
from cms.feeds import items as feed_items
from cms.newsroom import public
from cms.newsroom.publishing import public_url
from cms.timeutil import naive_utc

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def statements(app):
    """``with statements() as seen: …``; ``seen`` lists the SQL sent (a
    statement with an OFFSET other than 0 gets `` -- skips rows`` added)."""

    @contextmanager
    def _record():
        seen: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            skips = (
                "OFFSET" in statement and list(parameters.values() if isinstance(parameters, dict) else parameters)[-1]
            )
            seen.append(statement + (" -- skips rows" if skips else ""))

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield seen
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return _record


def _plan(sql: str, **params) -> str:
    return " | ".join(row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql), params).all())


def _locs(body: bytes, tag: str) -> list[str]:
    return [e.text for e in ElementTree.fromstring(body).findall(f"s:{tag}/s:loc", NS)]


def test_sitemap_chunks_are_ranges_of_ids(app, client, make_post, statements, monkeypatch):
    app.config["NEWSROOM_PAGE_CACHE"] = False
    monkeypatch.setattr(public, "SITEMAP_CHUNK", 2)
    posts = [make_post("published", title=f"Siaran Peta Situs {n}") for n in range(5)]
    draft = make_post("draft", title="Draf Peta Situs")
    with statements() as seen:
        index = client.get("/sitemap.xml")
    assert index.status_code == 200
    last = max(p.id for p in posts)
    chunk_urls = _locs(index.data, "sitemap")
    assert chunk_urls == [f"http://warta.test/sitemap-{n}.xml" for n in range(1, -(-last // 2) + 1)]
    assert not any("count(" in s.lower() or "skips rows" in s for s in seen), seen
    found = []
    for n in range(1, len(chunk_urls) + 1):
        with statements() as seen:
            chunk = client.get(f"/sitemap-{n}.xml")
        assert chunk.status_code == 200
        assert not any("skips rows" in s or "count(" in s.lower() for s in seen), seen
        locs = [u for u in _locs(chunk.data, "url") if "/siaran-pers/siaran" in u]
        ids = {p.id for p in posts if public_url(p) in locs}
        assert all((n - 1) * 2 < i <= n * 2 for i in ids)
        found += locs
    assert sorted(found) == sorted(public_url(p) for p in posts)  # each public post once, the draft never
    assert public_url(draft) not in found
    assert client.get(f"/sitemap-{len(chunk_urls) + 1}.xml").status_code == 404


def test_sitemap_reads_ids_in_index_order(app, client, make_post):
    """Not ``ix_post_public`` plus a sort of every published post (what
    SQLite picks without statistics)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    app.config["NEWSROOM_PAGE_CACHE"] = False
    make_post("published", title="Siaran Rencana Kueri")
    sent = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "FROM post" in statement:
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert client.get("/sitemap.xml").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert len(sent) == 2  # the last public id, then chunk 1
    for statement, params in sent:
        plan = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        steps = " | ".join(row[-1] for row in plan)
        assert "ix_post_visibility" in steps and "TEMP B-TREE" not in steps, steps


def test_the_next_embargo_comes_from_an_index(app, make_post):
    indexes = {tuple(ix["column_names"]) for ix in inspect(db.engine).get_indexes("post")}
    assert ("status", "embargo_until") in indexes
    if db.engine.dialect.name == "sqlite":
        steps = _plan(
            "SELECT min(embargo_until) FROM post WHERE status = 'published' AND embargo_until > :now",
            now=naive_utc(),
        )
        assert "ix_post_embargo (status=? AND embargo_until>?)" in steps, steps
    lift = naive_utc().replace(microsecond=0) + timedelta(days=2)
    make_post("published", title="Rilis Tanpa Embargo")
    held = make_post("published", title="Rilis Berembargo")
    db.session.execute(text("UPDATE post SET embargo_until = :lift WHERE id = :id"), {"lift": lift, "id": held.id})
    assert feed_items.next_scheduled_change() == lift.replace(tzinfo=UTC).timestamp()


def test_staff_post_list_loads_no_bodies_and_no_row_per_post(app, client, make_post, users, login, statements):
    make_post("published", title="Naskah Daftar Satu", body="<p>ISI-PANJANG-RAHASIA</p>")
    login(users["editor"])
    with statements() as few:
        first = client.get("/admin/posts")
    assert "Naskah Daftar Satu" in first.get_data(as_text=True)
    for n in range(6):
        make_post("published", title=f"Naskah Daftar Tambahan {n}")
    with statements() as many:
        html = client.get("/admin/posts").get_data(as_text=True)
    assert "Naskah Daftar Tambahan 5" in html and "Dinas Komunikasi" in html  # the unit column still shows
    assert len(many) == len(few), many
    listing = next(s for s in many if "ORDER BY post.updated_at DESC" in s)
    assert "body_html" not in listing and "body_text" not in listing and "autosave_data" not in listing


def test_a_search_reads_the_hidden_posts_from_an_index(app, make_post):
    """After each change a search reads again which posts to leave out;
    ``NOT (public rule)`` read every post (31 ms at 500,000 items)."""
    from cms.newsroom import search

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    for sql in (search._HIDDEN_SQL, search._NEXT_LIFT_SQL):
        steps = _plan(sql, public="published", now=naive_utc())
        assert "SCAN" not in steps and steps.count("SEARCH post USING COVERING INDEX") == sql.count("SELECT"), steps


def test_the_hidden_posts_are_exactly_those_the_public_may_not_see(app, make_post):
    from cms.content_version import content_changed
    from cms.newsroom import search
    from cms.newsroom.publishing import public_filter

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite search's own list")
    hidden = {make_post(status, title=f"Siaran Tersembunyi {status}").id for status in search_statuses()}
    held = make_post("published", title="Siaran Berembargo")
    lifted = make_post("published", title="Siaran Embargo Usai")
    shown = make_post("published", title="Siaran Terbuka")
    now = naive_utc().replace(microsecond=0)
    db.session.execute(
        text("UPDATE post SET embargo_until = :at WHERE id = :id"), {"at": now + timedelta(days=1), "id": held.id}
    )
    db.session.execute(
        text("UPDATE post SET embargo_until = :at WHERE id = :id"), {"at": now - timedelta(days=1), "id": lifted.id}
    )
    content_changed()
    db.session.commit()
    found = search._hidden_ids(public_filter()[1])
    assert found.ids == frozenset(hidden | {held.id})
    assert shown.id not in found.ids and lifted.id not in found.ids
    assert found.until == (now + timedelta(days=1)).replace(tzinfo=UTC).timestamp()


def search_statuses() -> list[str]:
    """Every status but the public one, on both sides of it in sort order."""
    from cms.models.content import POST_STATUSES

    statuses = [s for s in POST_STATUSES if s != "published"]
    assert any(s < "published" for s in statuses) and any(s > "published" for s in statuses)
    return statuses
