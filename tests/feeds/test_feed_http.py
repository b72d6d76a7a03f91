"""Public feed URLs end to end: content, scopes, HTTP validators and caching."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import feedparser
import pytest
import time_machine

from cms import content_version
from cms.extensions import db
from cms.feeds import rendering
from cms.models import Post
from tests.conftest import on_postgres
from tests.feeds.conftest import NOW
from tests.feeds.test_builder import assert_json_feed_11

FILES = [("rss.xml", "rss20"), ("atom.xml", "atom10")]


def parse(response):
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.data, response_headers={"content-type": response.content_type})
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("name,version", FILES)
def test_all_items_feed_round_trip(fclient, make_post, name, version):
    make_post("Vaksinasi massal di 30 puskesmas", categories=["Kesehatan"], pdf=48213, image=120334)
    make_post("Berita jalan baru", kind="berita")
    parsed = parse(fclient.get(f"/feeds/{name}"))
    assert parsed.version == version
    assert [e.title for e in parsed.entries] == ["Vaksinasi massal di 30 puskesmas", "Berita jalan baru"]
    entry = parsed.entries[0]
    assert entry.link.startswith("https://warta.test/siaran-pers/siaran-")
    assert entry.published_parsed is not None
    if version == "atom10":
        assert entry.updated_parsed is not None
    assert entry.author == "Budi Santoso"
    assert entry.content[0].value == "<p>Isi naskah.</p>"
    assert entry.enclosures[0]["href"].startswith("https://warta.test/media/2024/03/kit-")
    assert entry.enclosures[0]["type"] == "application/pdf"
    assert entry.enclosures[0]["length"] == "48213"
    assert entry.tags[0].scheme == "https://warta.test/kategori/kesehatan/"
    assert parsed.entries[1].enclosures == []


def test_image_is_the_enclosure_when_there_is_no_press_kit(fclient, make_post):
    make_post("Foto kegiatan", image=120334)
    entry = parse(fclient.get("/feeds/rss.xml")).entries[0]
    assert entry.enclosures == [{"href": entry.enclosures[0]["href"], "type": "image/jpeg", "length": "120334"}]
    assert entry.media_content[0]["medium"] == "image"


def test_json_feed(fclient, make_post):
    make_post("Rilis JSON", categories=["Kesehatan"], pdf=1000)
    response = fclient.get("/feeds/feed.json")
    assert response.content_type == "application/feed+json; charset=utf-8"
    data = json.loads(response.data)
    assert_json_feed_11(data)
    assert data["feed_url"] == "https://warta.test/feeds/feed.json"
    assert data["items"][0]["title"] == "Rilis JSON"
    assert data["items"][0]["url"].startswith("https://warta.test/siaran-pers/")


def test_feeds_per_kind_category_and_unit(fclient, make_post, make_unit):
    unit = make_unit()
    make_post("Rilis kesehatan", categories=["Kesehatan"], unit=unit)
    make_post("Rilis pendidikan", categories=["Pendidikan"])
    make_post("Berita olahraga", kind="berita", categories=["Kesehatan"])
    titles = lambda url: [e.title for e in parse(fclient.get(url)).entries]  # noqa: E731
    assert titles("/feeds/siaran-pers/rss.xml") == ["Rilis kesehatan", "Rilis pendidikan"]
    assert titles("/feeds/berita/atom.xml") == ["Berita olahraga"]
    assert titles("/feeds/kategori/kesehatan/rss.xml") == ["Rilis kesehatan", "Berita olahraga"]
    assert titles("/feeds/unit/dinas-kesehatan/atom.xml") == ["Rilis kesehatan"]
    data = json.loads(fclient.get("/feeds/kategori/pendidikan/feed.json").data)
    assert [i["title"] for i in data["items"]] == ["Rilis pendidikan"]
    feed = parse(fclient.get("/feeds/kategori/kesehatan/rss.xml")).feed
    assert "Kesehatan" in feed.title
    assert feed.link == "https://warta.test/kategori/kesehatan/"


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/kategori/tidak-ada/rss.xml",
        "/feeds/unit/tidak-ada/atom.xml",
        "/feeds/opini/rss.xml",
        "/feeds/rss.json",
        "/feeds/kategori/kesehatan/rss.html",
    ],
)
def test_unknown_feeds_are_404(fclient, make_post, url):
    make_post(categories=["Kesehatan"])
    assert fclient.get(url).status_code == 404


def test_unpublished_scheduled_and_embargoed_items_stay_out(fclient, make_post):
    make_post("Terbit")
    make_post("Draf", status="draft")
    make_post("Terjadwal", status="scheduled", publish_at=NOW + timedelta(days=1))
    make_post("Embargo", status="published", embargo_until=NOW + timedelta(days=3650))
    for name, _version in FILES:
        assert [e.title for e in parse(fclient.get(f"/feeds/{name}")).entries] == ["Terbit"]


def test_validators_and_304(fclient, make_post):
    make_post("Rilis")
    first = fclient.get("/feeds/rss.xml")
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert first.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    by_etag = fclient.get("/feeds/rss.xml", headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.data == b""
    assert by_etag.headers["ETag"] == etag
    by_date = fclient.get("/feeds/rss.xml", headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304
    stale = fclient.get("/feeds/rss.xml", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.data == first.data


@pytest.mark.parametrize("value", ["yesterday", "Thu, 01 Jan 2099 00:00:00 GMT", "' OR 1=1 --", "\x00" * 3])
def test_bad_if_modified_since_is_ignored(fclient, make_post, value):
    make_post("Rilis")
    response = fclient.get("/feeds/atom.xml", headers={"If-Modified-Since": value})
    assert response.status_code == 200
    assert b"Rilis" in response.data


def test_feed_changes_when_content_changes(fclient, make_post):
    post = make_post("Judul lama")
    before = fclient.get("/feeds/rss.xml")
    assert fclient.get("/feeds/rss.xml").headers["ETag"] == before.headers["ETag"]  # cached, same bytes
    post.title = "Judul diperbaiki"
    post.updated_at = NOW + timedelta(hours=1)
    db.session.commit()
    after = fclient.get("/feeds/rss.xml", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    entry = parse(after).entries[0]
    assert entry.title == "Judul diperbaiki"
    assert entry.id == parse(before).entries[0].id  # the guid never changes
    post.status = "unpublished"
    db.session.commit()
    assert parse(fclient.get("/feeds/rss.xml")).entries == []


def test_core_update_through_the_session_also_invalidates(fclient, make_post):
    from sqlalchemy import update

    post = make_post("Rilis")
    assert len(parse(fclient.get("/feeds/rss.xml")).entries) == 1
    db.session.execute(update(Post).where(Post.id == post.id).values(status="unpublished"))
    db.session.commit()
    assert parse(fclient.get("/feeds/rss.xml")).entries == []


def test_embargo_lifting_with_time_alone_shows_the_item(fclient, make_post):
    with time_machine.travel(NOW, tick=False):
        make_post("Di bawah embargo", embargo_until=NOW + timedelta(hours=2), published_at=NOW)
        assert parse(fclient.get("/feeds/rss.xml")).entries == []
        before = fclient.get("/feeds/rss.xml").headers["Last-Modified"]
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        response = fclient.get("/feeds/rss.xml", headers={"If-Modified-Since": before})
        assert [e.title for e in parse(response).entries] == ["Di bawah embargo"]


def test_etag_identical_across_two_app_instances(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = make_app(SQLALCHEMY_DATABASE_URI=url, SITE_URL="https://warta.test")
    second = make_app(SQLALCHEMY_DATABASE_URI=url, SITE_URL="https://warta.test")
    with first.app_context():
        db.session.add(
            Post(
                kind="siaran-pers",
                title="Bersama",
                slug="bersama",
                status="published",
                published_at=NOW,
                updated_at=NOW,
                created_at=NOW,
            )
        )
        db.session.commit()
    a, b = first.test_client().get("/feeds/rss.xml"), second.test_client().get("/feeds/rss.xml")
    assert a.status_code == b.status_code == 200
    assert a.data == b.data
    assert a.headers["ETag"] == b.headers["ETag"]
    assert a.headers["Last-Modified"] == b.headers["Last-Modified"]
    # The gzip bytes too: each worker compresses for itself (mtime=0).
    packed = []
    for app in (first, second):
        rendering._GZIPPED.clear()
        packed.append(app.test_client().get("/feeds/rss.xml", headers={"Accept-Encoding": "gzip"}))
    assert packed[0].data == packed[1].data and packed[0].headers["ETag"] == packed[1].headers["ETag"]
    # A change written through one instance is seen by the other at once.
    with first.app_context():
        db.session.get(Post, 1).title = "Bersama (ralat)"
        db.session.commit()
    again = second.test_client().get("/feeds/rss.xml", headers={"If-None-Match": a.headers["ETag"]})
    assert again.status_code == 200 and b"Bersama (ralat)" in again.data
    assert first.test_client().get("/feeds/rss.xml").headers["ETag"] == again.headers["ETag"]


def test_browser_gets_a_page_and_the_stylesheet_stays_for_xml(fclient, make_post):
    make_post("Rilis")
    response = fclient.get("/feeds/rss.xml", headers={"Accept": "text/html,application/xhtml+xml,*/*"})
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"  # Chromium drops XSLT
    assert "Accept" in response.headers["Vary"]
    reader = fclient.get("/feeds/rss.xml")
    assert b'<?xml-stylesheet type="text/xsl" href="/static/feeds/feed.xsl' in reader.data
    xsl = fclient.get("/static/feeds/feed.xsl")
    assert xsl.status_code == 200 and b"xsl:stylesheet" in xsl.data


def test_xsl_renders_the_feed_as_html(fclient, make_post):
    from lxml import etree

    make_post("Rilis untuk peramban")
    xsl = etree.XSLT(etree.XML(fclient.get("/static/feeds/feed.xsl").data))
    for name, _version in FILES:
        html = str(xsl(etree.XML(fclient.get(f"/feeds/{name}").data)))
        assert "Rilis untuk peramban" in html and "<script" not in html and "style=" not in html


def test_feeds_page_lists_every_feed(fclient, make_post, make_unit):
    make_post("Rilis", categories=["Kesehatan"], unit=make_unit())
    page = fclient.get("/feeds/").get_data(as_text=True)
    for url in (
        "https://warta.test/feeds/rss.xml",
        "https://warta.test/feeds/atom.xml",
        "https://warta.test/feeds/feed.json",
        "https://warta.test/feeds/siaran-pers/rss.xml",
        "https://warta.test/feeds/berita/atom.xml",
    ):
        assert f'value="{url}"' in page
        assert f'href="{url}"' in page  # and a link to follow, each format
    for url in (  # folded lists of links, no copy box each
        "https://warta.test/feeds/kategori/kesehatan/rss.xml",
        "https://warta.test/feeds/unit/dinas-kesehatan/feed.json",
    ):
        assert f'href="{url}"' in page
    assert 'rel="alternate" type="application/rss+xml"' in page
    assert "feeds/copy.js" in page and "<script>" not in page
    assert 'href="/feeds/langganan"' in page
    assert "feedly.com/i/subscription/feed/https%3A//warta.test/feeds/rss.xml" in page


def test_feeds_page_folds_the_many_scoped_feeds_and_styles_its_copy_buttons(fclient, make_post, make_unit):
    """At 360 px the page was 14,700 px tall: a card with three address boxes
    per category, unit and tag, and bare 20 px "Salin" buttons."""
    make_post("Rilis", categories=["Kesehatan"], unit=make_unit())
    page = fclient.get("/feeds/").get_data(as_text=True)
    assert page.count('class="btn secondary copy"') == 9  # three site feeds × three formats
    assert page.count('type="url" readonly') == 9
    folded = page[page.index('<details class="feed-group">') :]
    assert "<summary>Feed per kategori (1)</summary>" in folded
    assert "<summary>Feed per unit (OPD) (1)</summary>" in folded
    assert 'href="https://warta.test/feeds/kategori/kesehatan/atom.xml"' in folded
    english = fclient.get("/feeds/?lang=en").get_data(as_text=True)
    assert "Feeds by category (1)" in english


def test_home_has_autodiscovery(fclient, make_post):
    make_post("Rilis")
    assert 'type="application/rss+xml"' in fclient.get("/").get_data(as_text=True)


def test_cached_feed_needs_no_orm_query(feeds_app, fclient, make_post):
    """The hot path reads the counter row with a bare DBAPI cursor: nothing goes
    through SQLAlchemy, and the database sees exactly one tiny SELECT."""
    from sqlalchemy import event

    make_post("Rilis")
    fclient.get("/feeds/rss.xml")
    through_sqlalchemy, seen_by_sqlite = [], []
    listener = lambda *args: through_sqlalchemy.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    sqlite = None if on_postgres() else db.engine.raw_connection().driver_connection  # the one shared
    if sqlite is not None:  # in-memory connection sees every statement
        sqlite.set_trace_callback(seen_by_sqlite.append)
    try:
        assert fclient.get("/feeds/rss.xml").status_code == 200
    finally:
        if sqlite is not None:
            sqlite.set_trace_callback(None)
        event.remove(db.engine, "before_cursor_execute", listener)
    assert through_sqlalchemy == []
    if sqlite is not None:
        assert seen_by_sqlite == ["SELECT counter, changed_at FROM feeds_state WHERE id = 1"]


def _bump_in_another_process(writer) -> None:
    """A change committed through another app's engine: this process's copy
    of the counter is not reset, as for a write by another worker."""
    with writer.app_context(), db.engine.begin() as conn:
        content_version.content_changed(conn)


def test_version_ttl_lets_a_worker_skip_even_that(make_app, tmp_path):
    import time_machine as tm

    url = f"sqlite:///{tmp_path / 'ttl.db'}"
    reader = make_app(SQLALCHEMY_DATABASE_URI=url, FEEDS_VERSION_TTL=5)
    writer = make_app(SQLALCHEMY_DATABASE_URI=url)
    with writer.app_context():
        content_version.content_changed()
    with tm.travel(NOW, tick=False), reader.app_context():
        seen = content_version.current_version().counter
        _bump_in_another_process(writer)
        assert content_version.current_version().counter == seen
    with tm.travel(NOW + timedelta(seconds=6), tick=False), reader.app_context():
        assert content_version.current_version().counter == seen + 1


def test_by_default_a_copy_of_the_counter_is_kept_a_second_on_a_database_server_only(make_app, tmp_path):
    """SQLite: every request reads the counter (a file read).  PostgreSQL: a
    worker trusts its copy for a second, unless it made the change itself."""
    import time_machine as tm

    from tests.conftest import on_postgres

    config = {} if on_postgres() else {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'default-ttl.db'}"}
    reader = make_app(**config)
    writer = make_app(**config)
    assert reader.config["FEEDS_VERSION_TTL"] is None
    with writer.app_context():
        content_version.content_changed()
    with tm.travel(NOW, tick=False), reader.app_context():
        seen = content_version.current_version().counter
        _bump_in_another_process(writer)
        assert content_version.current_version().counter == (seen if on_postgres() else seen + 1)
        content_version.content_changed()  # this process's own change: seen at once everywhere
        assert content_version.current_version().counter == seen + 2
    with tm.travel(NOW + timedelta(seconds=content_version.SERVER_VERSION_TTL + 0.5), tick=False), reader.app_context():
        assert content_version.current_version().counter == seen + 2


def test_a_bump_in_a_sessions_transaction_is_seen_at_once_by_this_process(make_app, tmp_path):
    """Plugins bump inside their own transaction (``bump(db.session.connection())``):
    on commit this process forgets its copy, whatever ``FEEDS_VERSION_TTL``."""
    from tests.conftest import on_postgres

    config = {} if on_postgres() else {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'own-bump.db'}"}
    app = make_app(FEEDS_VERSION_TTL=60, **config)
    with app.app_context():
        seen = content_version.current_version().counter
        content_version.content_changed(db.session.connection())
        db.session.commit()
        assert content_version.current_version().counter == seen + 1


def test_content_is_sanitized_even_for_rows_written_around_the_editor(fclient, make_post):
    make_post(
        "Rilis",
        body='<p onclick="x()">Isi<script>alert(1)</script> <a href="javascript:x()">a</a>'
        ' <img src="/media/foto.jpg" alt="Foto"></p>',
    )
    for name, _version in FILES:
        entry = parse(fclient.get(f"/feeds/{name}")).entries[0]
        html = entry.content[0].value
        assert "script" not in html and "onclick" not in html and "javascript:" not in html
        assert 'src="https://warta.test/media/foto.jpg"' in html  # made absolute
    data = json.loads(fclient.get("/feeds/feed.json").data)
    assert "<script" not in data["items"][0]["content_html"]


@pytest.mark.parametrize("name,version", FILES)
def test_readers_asking_for_gzip_get_the_same_feed_compressed(fclient, make_post, name, version):
    make_post("Rilis terkompresi", categories=["Kesehatan"], pdf=48213)
    plain = fclient.get(f"/feeds/{name}")
    packed = fclient.get(f"/feeds/{name}", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["Vary"] == plain.headers["Vary"]
    assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in packed.headers["Vary"].split(",")}
    # One strong ETag per representation, both following the content.
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    assert packed.headers["Content-Type"] == plain.headers["Content-Type"]
    parsed = feedparser.parse(gzip.decompress(packed.data))
    assert parsed.bozo == 0 and parsed.version == version and parsed.entries[0].title == "Rilis terkompresi"
    # Served again (from the shared cache now): the same bytes and headers.
    again = fclient.get(f"/feeds/{name}", headers={"Accept-Encoding": "gzip, deflate"})
    assert again.data == packed.data and again.headers["ETag"] == packed.headers["ETag"]
    assert again.headers["Content-Encoding"] == "gzip"


def test_gzip_304s_and_refusals(fclient, make_post):
    make_post("Rilis")
    packed = fclient.get("/feeds/feed.json", headers={"Accept-Encoding": "gzip"})
    assert json.loads(gzip.decompress(packed.data))["items"][0]["title"] == "Rilis"
    for _ in range(2):  # Flask, then the shared cache
        again = fclient.get(
            "/feeds/feed.json", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
        )
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == packed.headers["ETag"] and "Content-Encoding" not in again.headers
    for refused in ("identity", "gzip;q=0", "br"):
        plain = fclient.get("/feeds/feed.json", headers={"Accept-Encoding": refused})
        assert "Content-Encoding" not in plain.headers
        assert json.loads(plain.data)["items"][0]["title"] == "Rilis"
