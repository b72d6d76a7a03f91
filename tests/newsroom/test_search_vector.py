"""PostgreSQL matches, counts and ranks stored vectors (post.search_vector,
post.title_vector) instead of building each match's tsvectors from its text;
SQLite keeps FTS5."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, inspect, text

from cms.extensions import db
from tests.conftest import on_postgres


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="post-title"><a href="[^"]+">([^<]+)</a>', html)


def _statements(client, q: str) -> tuple[list[str], list[str]]:
    seen: list[str] = []

    def keep(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        html = client.get("/cari", query_string={"q": q}).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return seen, _titles(html)


def test_the_vector_columns_exist_only_on_postgresql(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("post")}
    stored = {"search_vector", "title_vector"}
    assert columns & stored == (stored if on_postgres() else set())


@pytest.mark.skipif(not on_postgres(), reason="PostgreSQL's tsvector")
def test_search_matches_and_ranks_the_stored_vector(app, client, make_post):
    make_post("published", title="Banjir Surut", body="<p>Warga kembali ke rumah.</p>")
    make_post("published", title="Jalan Rusak", body="<p>Banjir merusak jalan di utara.</p>")
    make_post("published", title="Kabar Lain", body="<p>Tidak ada hubungannya.</p>")
    statements, titles = _statements(client, "banjir")
    assert titles == ["Banjir Surut", "Jalan Rusak"]  # the title weighs more than the text
    searched = [s for s in statements if "@@" in s]
    assert len(searched) >= 2 and all("post.search_vector @@" in s for s in searched)
    ranked = [s for s in searched if "ts_rank" in s]
    assert ranked and "ts_rank(post.search_vector, query) + ts_rank(post.title_vector," in ranked[0]
    assert not any("to_tsvector" in s for s in statements)  # no vector built per row


@pytest.mark.skipif(not on_postgres(), reason="PostgreSQL's generated column")
def test_the_vector_follows_stems_written_by_raw_sql(app, client, make_post):
    post = make_post("published", title="Taman Kota", body="<p>Isi.</p>")
    db.session.execute(
        text("UPDATE post SET title_stems = 'izin perizinan', text_stems = 'tanam' WHERE id = :id"), {"id": post.id}
    )
    db.session.commit()
    vector = db.session.scalar(text("SELECT search_vector::text FROM post WHERE id = :id"), {"id": post.id})
    assert vector == "'izin':1A 'perizinan':2A 'tanam':3"
    assert _titles(client.get("/cari", query_string={"q": "perizinan"}).get_data(as_text=True)) == ["Taman Kota"]
    indexes = {i["name"] for i in inspect(db.engine).get_indexes("post")}
    assert "ix_post_search_vector" in indexes and "ix_post_fulltext" not in indexes


@pytest.mark.skipif(not on_postgres(), reason="PostgreSQL's planner statistics")
def test_a_word_estimated_far_past_the_cap_is_listed_newest_first_without_a_count(app, client, make_post, monkeypatch):
    from datetime import datetime

    from cms.newsroom import search

    for day in range(1, 13):
        make_post("published", title=f"Banjir Hari {day}").published_at = datetime(2026, 11, day, 8, 0)
    make_post("published", title="Pasar Murah", body="<p>Harga bahan pokok turun.</p>")
    db.session.execute(text("ANALYZE post"))  # the statistics the estimate reads (autovacuum's job)
    db.session.commit()
    monkeypatch.setattr(search, "MAX_RESULTS", 5)
    monkeypatch.setattr(search, "COUNT_SKIP_ESTIMATE", 10)  # 12 "banjir" estimated, 1 "pasar"
    hits, total = search.search("banjir", per_page=5)
    assert total == 6  # "more than 5", without a count
    assert [h.title for h in hits] == [f"Banjir Hari {d}" for d in (12, 11, 10, 9, 8)]  # newest first
    statements, titles = _statements(client, "banjir")
    assert not any("count(*)" in s for s in statements)  # no bitmap of every match
    assert titles[:3] == ["Banjir Hari 12", "Banjir Hari 11", "Banjir Hari 10"]
    assert "Lebih dari 5 hasil" in client.get("/cari?q=banjir").get_data(as_text=True)
    assert search.search("banjir", page=4, per_page=5) == ([], 6)  # past the end: counted after all
    statements, titles = _statements(client, "pasar")
    assert any("count(*)" in s for s in statements) and titles == ["Pasar Murah"]  # a rare word is counted
    # Statistics older than a mass unpublication: the estimate still says
    # 12, two are found, and the total is what was found.
    db.session.execute(text("UPDATE post SET status = 'draft' WHERE published_at < '2026-11-11'"))
    db.session.commit()
    hits, total = search.search("banjir")
    assert total == 2 and [h.title for h in hits] == ["Banjir Hari 12", "Banjir Hari 11"]
    monkeypatch.setattr(search, "COUNT_SKIP_ESTIMATE", 1000)
    assert search.search("banjir")[1] == 2  # counted when the estimate is not far past the cap
