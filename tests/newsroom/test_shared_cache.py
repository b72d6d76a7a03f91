"""Anonymous pages and feeds answered before Flask runs (cms.cache.shared_cache):
never stale, never shared with signed-in users, never carrying a cookie."""

from __future__ import annotations

import json
import logging

import feedparser

from cms.newsroom import publishing


def test_second_anonymous_hit_never_reaches_flask_and_is_fresh_after_a_change(
    app, client, make_post, users, flask_runs
):
    first = make_post("published", title="Rilis Pertama")
    url = publishing.public_url(first, external=False)
    assert "Rilis Pertama" in client.get(url).get_data(as_text=True)
    assert "Rilis Pertama" in client.get("/").get_data(as_text=True)
    reached = len(flask_runs)
    again = client.get("/")
    assert "Rilis Pertama" in again.get_data(as_text=True)
    assert client.get(url).status_code == 200
    assert len(flask_runs) == reached  # both served from worker memory

    make_post("published", title="Rilis Kedua")
    assert "Rilis Kedua" in client.get("/").get_data(as_text=True)
    publishing.unpublish(first, users["editor"])
    assert "Rilis Pertama" not in client.get("/").get_data(as_text=True)
    assert client.get(url).status_code == 404


def test_hits_keep_security_headers_and_get_their_own_request_id(app, client, make_post, flask_runs):
    make_post("published", title="Rilis Header")
    first = client.get("/")
    reached = len(flask_runs)
    hits = [client.get("/") for _ in range(2)]
    assert len(flask_runs) == reached
    for hit in hits:
        assert hit.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
        assert hit.headers["X-Frame-Options"] == "DENY"
        assert hit.headers["ETag"] == first.headers["ETag"]
        assert int(hit.headers["Content-Length"]) == len(hit.get_data())
        assert "Set-Cookie" not in hit.headers
        assert "Date" not in hit.headers  # the server adds a fresh one; a cached Date would be stale
    ids = {first.headers["X-Request-ID"], *(h.headers["X-Request-ID"] for h in hits)}
    assert len(ids) == 3
    given = client.get("/", headers={"X-Request-ID": "abcdef12-3456"})
    assert given.headers["X-Request-ID"] == "abcdef12-3456"


def test_conditional_requests_and_head_from_the_cache(app, client, make_post, flask_runs):
    make_post("published", title="Rilis Bersyarat")
    first = client.get("/feeds/rss.xml")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    reached = len(flask_runs)
    not_modified = client.get("/feeds/rss.xml", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == etag
    assert client.get("/feeds/rss.xml", headers={"If-Modified-Since": modified}).status_code == 304
    # A malformed or future date is ignored: the whole feed again.
    for bad in ("kemarin", "Sat, 01 Jan 2080 00:00:00 GMT"):
        again = client.get("/feeds/rss.xml", headers={"If-Modified-Since": bad})
        assert again.status_code == 200 and again.get_data() == first.get_data()
    head = client.head("/feeds/rss.xml")
    assert head.status_code == 200 and head.get_data() == b""
    assert len(flask_runs) == reached
    parsed = feedparser.parse(first.get_data())
    assert parsed.bozo == 0 and parsed.entries[0].title == "Rilis Bersyarat"


def test_feed_variants_by_accept_are_kept_apart(app, client, make_post):
    make_post("published", title="Rilis Varian")
    reader = client.get("/feeds/rss.xml", headers={"Accept": "application/rss+xml"})
    browser = client.get("/feeds/rss.xml", headers={"Accept": "text/html,application/xhtml+xml"})
    for _ in range(2):  # second round from the cache
        assert client.get("/feeds/rss.xml", headers={"Accept": "application/rss+xml"}).mimetype == reader.mimetype
        assert (
            client.get("/feeds/rss.xml", headers={"Accept": "text/html,application/xhtml+xml"}).mimetype
            == browser.mimetype
        )
    assert reader.mimetype == "application/rss+xml" and browser.mimetype == "text/html"


def test_signed_in_staff_never_get_the_anonymous_copy(app, client, login, make_post, users, flask_runs):
    make_post("published", title="Rilis Staf")
    client.get("/")
    anonymous = client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' not in anonymous
    login(users["editor"])
    reached = len(flask_runs)
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)
    assert len(flask_runs) == reached + 1


def test_responses_that_set_a_cookie_are_not_kept(app, make_post, flask_runs):
    make_post("published", title="Rilis Bahasa")
    for _ in range(2):
        visitor = app.test_client(use_cookies=False)
        response = visitor.get("/?lang=en")
        assert "Set-Cookie" in response.headers  # the language choice lives in the session
    assert len(flask_runs) == 2


def test_cache_can_be_switched_off(make_app):
    app = make_app(CMS_SHARED_CACHE=False)
    seen = []
    app.before_request(lambda: seen.append(1))
    client = app.test_client()
    client.get("/")
    client.get("/")
    assert len(seen) == 2


def test_hits_are_logged_and_counted(app, client, make_post, caplog):
    make_post("published", title="Rilis Log")
    client.get("/")
    logger = logging.getLogger("cms.request")
    logger.setLevel(logging.INFO)
    with caplog.at_level(logging.INFO, logger="cms.request"):
        client.get("/")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "cms.request"]
    assert lines and lines[-1]["endpoint"] == "public.home" and lines[-1]["status"] == 200
    assert lines[-1]["user_id"] is None and "ms" in lines[-1]
    metrics = app.extensions["cms_metrics"]
    assert metrics.requests[("public.home", "GET", 200)] >= 2


def test_byte_budget_evicts_the_oldest(make_app):
    app = make_app()
    client = app.test_client()
    size = len(client.get("/?p=0").get_data())
    app.config["CMS_SHARED_CACHE_BYTES"] = int(size * 4.5)  # read at call time
    for page in range(1, 12):
        client.get(f"/?p={page}")
    middleware = app.extensions["cms_shared_cache"]
    room = middleware._rooms[""]
    kept = [key[0][4] for key in room.entries]
    assert kept == [f"p={n}" for n in range(8, 12)]  # the newest four, oldest first
    assert room.size <= size * 4.5
    assert set(room.vary) == {key[0] for key in room.entries}  # evicted URLs forgotten too


def test_a_stored_item_page_is_served_before_flask_with_the_views_headers(app, make_post, users, flask_runs):
    post = make_post("published", title="Rilis Tersimpan")
    url = publishing.public_url(post, external=False)
    app.config["CMS_SHARED_CACHE"] = False  # through Flask: the item view serves the stored copy
    through_flask = app.test_client().get(url)
    app.config["CMS_SHARED_CACHE"] = True
    reached = len(flask_runs)
    early = app.test_client().get(url)  # a miss in memory, answered from the stored page
    assert len(flask_runs) == reached
    assert early.get_data() == through_flask.get_data() and b"Rilis Tersimpan" in early.get_data()
    skip = {"x-request-id", "date"}
    assert sorted((k, v) for k, v in early.headers.items() if k.lower() not in skip) == sorted(
        (k, v) for k, v in through_flask.headers.items() if k.lower() not in skip
    )
    # Previews and other languages carry a query string: Flask renders them.
    assert "Rilis Tersimpan" in app.test_client().get(url + "?lang=en").get_data(as_text=True)
    assert len(flask_runs) == reached + 1
    publishing.unpublish(db_post(post), users["editor"])
    assert app.test_client().get(url).status_code == 404


def db_post(post):
    from cms.extensions import db

    return db.session.get(type(post), post.id)
