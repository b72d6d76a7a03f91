"""Search pages in the shared cache (cms.cache.pages, cms.cache.shared_cache):
a repeated search never reaches Flask, trivially different query strings
share one page, a publication or an embargo lifting shows at once, and
endless distinct queries never evict the other pages; the view itself runs
a fixed, small number of statements."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import event

from cms.extensions import db
from cms.newsroom import search
from tests.conftest import on_postgres


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="post-title"><a href="[^"]+">([^<]+)</a>', html)


def test_a_repeated_search_and_its_trivial_variants_skip_flask(app, client, make_post, flask_runs):
    make_post("published", title="Banjir di Bekasi Surut")
    first = client.get("/cari?q=banjir+bekasi")
    assert _titles(first.get_data(as_text=True)) == ["Banjir di Bekasi Surut"]
    reached = len(flask_runs)
    for url in (
        "/cari?q=banjir+bekasi",
        "/cari?q=++banjir%20%20bekasi+",
        "/cari?q=banjir%09bekasi&page=1",
        "/cari?page=01&q=banjir+bekasi",
    ):
        again = client.get(url)
        assert again.status_code == 200 and again.get_data() == first.get_data(), url
    assert len(flask_runs) == reached  # all four from worker memory
    # What changes the page reaches Flask: the query as typed is repeated on
    # the page, another page number, and ``lang`` (it sets the language).
    assert "“Banjir Bekasi”" in client.get("/cari?q=Banjir+Bekasi").get_data(as_text=True)
    assert "results for" in client.get("/cari?q=banjir+bekasi&lang=en").get_data(as_text=True)
    assert client.get("/cari?q=banjir+bekasi&page=2").status_code == 200
    assert len(flask_runs) == reached + 3


def test_the_page_shows_the_normalised_query(app, client, make_post):
    html = client.get("/cari", query_string={"q": "  banjir \t  bekasi  "}).get_data(as_text=True)
    assert 'value="banjir bekasi"' in html and "“banjir bekasi”" in html
    assert search.search_key("q=%20banjir++bekasi&page=") == "q=banjir+bekasi&page=1"
    assert search.search_key("q=banjir&page=99999") is None  # no such page: a 404, never kept
    assert search.search_key("q=banjir&utm_source=x") is None


def test_a_publication_and_an_embargo_lifting_show_at_once(app, client, make_post, flask_runs):
    make_post("published", title="Taman Kota Baru")
    post = make_post("published", title="Taman Rahasia Dibuka")
    with time_machine.travel(datetime(2030, 1, 1, 3, 0), tick=False):
        post.embargo_until = datetime(2030, 1, 1, 4, 0)
        db.session.commit()
        assert _titles(client.get("/cari?q=taman").get_data(as_text=True)) == ["Taman Kota Baru"]
    with time_machine.travel(datetime(2030, 1, 1, 3, 59), tick=False):
        reached = len(flask_runs)
        assert _titles(client.get("/cari?q=taman").get_data(as_text=True)) == ["Taman Kota Baru"]
        assert len(flask_runs) == reached  # kept until the embargo lifts
    with time_machine.travel(datetime(2030, 1, 1, 4, 1), tick=False):
        found = _titles(client.get("/cari?q=taman").get_data(as_text=True))
        assert sorted(found) == ["Taman Kota Baru", "Taman Rahasia Dibuka"]
        make_post("published", title="Taman Ketiga Diresmikan")
        assert "Taman Ketiga Diresmikan" in _titles(client.get("/cari?q=taman").get_data(as_text=True))


def test_searches_are_bounded_apart_from_the_other_pages(app, client, make_post, flask_runs):
    make_post("published", title="Kata Pertama")
    client.get("/")
    size = len(client.get("/cari?q=kata0").get_data())
    app.config["CMS_SEARCH_CACHE_BYTES"] = int(size * 4.5)  # read at call time
    app.config["CMS_SHARED_CACHE_BYTES"] = size * 100
    for n in range(1, 10):
        client.get(f"/cari?q=kata{n}")
    room = app.extensions["cms_shared_cache"]._rooms["/cari"]
    assert [key[0][4] for key in room.entries] == [f"q=kata{n}&page=1" for n in (6, 7, 8, 9)]
    assert len(room.vary) == 4  # the URLs evicted are forgotten too
    reached = len(flask_runs)
    client.get("/")
    assert len(flask_runs) == reached  # the home page was never evicted by searches


@pytest.fixture
def statements(app, monkeypatch):
    """Statements a request runs: through SQLAlchemy, and the SQLite path's own cursor."""
    seen = []
    raw = search._sqlite
    monkeypatch.setattr(search, "_sqlite", lambda sql, params: seen.append(sql) or raw(sql, params))

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    yield seen
    event.remove(db.engine, "before_cursor_execute", before)


def test_a_search_runs_few_statements_even_when_hits_are_relatives(app, client, make_post, statements):
    """Hits found through a stem ("pemerintahan" → "Pemerintah") read their
    stems with the rows, not in a statement of their own."""
    app.config["CMS_SHARED_CACHE"] = False  # the view's own work
    for n in range(3):
        make_post("published", title=f"Rapat Pemerintah Kota {n}", body="<p>Pemerintah kota rapat.</p>")
    client.get("/cari?q=rapat")  # the hidden posts and the counter read once
    statements.clear()
    html = client.get("/cari?q=pemerintahan").get_data(as_text=True)
    assert len(_titles(html)) == 3 and "<mark>Pemerintah</mark>" in html
    # SQLite: the counter (the hidden posts are known for it), the count,
    # the count with the last word as a prefix (few whole-word matches),
    # the page, the rows.  PostgreSQL: no counter; the planner's estimate,
    # the counts from the index alone (a planner setting, then restored), and
    # when the next embargo lifts.
    assert len(statements) <= (8 if on_postgres() else 5), statements


def test_a_page_expires_at_an_embargo_that_lifted_while_it_was_rendered(app, make_post):
    """The page filtered at the search's start: an embargo lifting during
    the render is ahead of that page, so its expiry is that lift, not the
    one after (which would keep the page without the item until then)."""
    from flask import g

    post = make_post("published", title="Taman Rahasia Dibuka")
    post.embargo_until = datetime(2030, 1, 1, 4, 0)
    db.session.commit()
    with time_machine.travel(datetime(2030, 1, 1, 4, 0, 1), tick=False), app.test_request_context("/cari?q=taman"):
        g.search_now = datetime(2030, 1, 1, 3, 59, 59)  # the search began before the lift
        assert search.visible_until() == datetime(2030, 1, 1, 4, 0, tzinfo=UTC).timestamp()


def test_anonymous_results_let_nginx_answer_at_most_a_second_stale(app, client, make_post, make_user, login):
    """deploy/nginx/warta.conf refreshes a results page in the background only
    because the page allows it, for one second past its one-second life; the
    header must survive the worker's memory and the shared files, and a
    signed-in page (never shared) must not carry it."""
    make_post("published", title="Pasar Murah Ramadan")
    from cms.newsroom.public import SEARCH_CACHE_CONTROL

    assert SEARCH_CACHE_CONTROL == "public, max-age=0, s-maxage=1, stale-while-revalidate=1"
    rendered = client.get("/cari?q=pasar")
    assert _titles(rendered.get_data(as_text=True)) == ["Pasar Murah Ramadan"]
    assert rendered.headers["Cache-Control"] == SEARCH_CACHE_CONTROL
    assert client.get("/cari?q=pasar").headers["Cache-Control"] == SEARCH_CACHE_CONTROL  # from memory
    app.extensions["cms_shared_cache"].clear()  # a fresh worker: from the shared file
    assert client.get("/cari?q=pasar").headers["Cache-Control"] == SEARCH_CACHE_CONTROL
    assert client.get("/cari").headers["Cache-Control"] == SEARCH_CACHE_CONTROL  # the empty search page too

    chose_english = client.get("/cari?q=pasar&lang=en")  # sets the session cookie
    assert "Set-Cookie" in chose_english.headers and "results for" in chose_english.get_data(as_text=True)
    assert "public" not in chose_english.headers.get("Cache-Control", "")
    in_english = client.get("/cari?q=pasar")  # the cookie sent back: a page for this visitor only
    assert "results for" in in_english.get_data(as_text=True)
    assert "public" not in in_english.headers.get("Cache-Control", "")

    login(make_user(role="editor"))
    staff = client.get("/cari?q=pasar")
    assert _titles(staff.get_data(as_text=True)) == ["Pasar Murah Ramadan"]
    assert "stale-while-revalidate" not in staff.headers.get("Cache-Control", "")
    assert "public" not in staff.headers.get("Cache-Control", "")
