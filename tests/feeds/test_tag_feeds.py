"""Tag feeds, like the category and unit feeds."""

from __future__ import annotations

import json

import feedparser
import pytest

from cms.extensions import db
from cms.models.content import Tag


@pytest.fixture
def tags(feeds_app):
    found = {slug: Tag(name=name, slug=slug) for name, slug in (("Banjir", "banjir"), ("Jalan Tol", "jalan-tol"))}
    db.session.add_all(found.values())
    db.session.commit()
    return found


def test_tag_feed_holds_the_tagged_public_items(fclient, make_post, tags):
    make_post("Siaga banjir", tags=[tags["banjir"]])
    make_post("Tol baru", tags=[tags["jalan-tol"]])
    make_post("Draf banjir", status="draft", tags=[tags["banjir"]])
    make_post("Berita banjir", kind="berita", tags=[tags["banjir"], tags["jalan-tol"]])
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse(fclient.get(f"/feeds/tag/banjir/{name}").data)
        assert parsed.bozo == 0
        assert [e.title for e in parsed.entries] == ["Siaga banjir", "Berita banjir"]
        assert parsed.feed.title.endswith("#Banjir")
        assert parsed.entries[0].link.startswith("https://warta.test/siaran-pers/")
    data = json.loads(fclient.get("/feeds/tag/jalan-tol/feed.json").data)
    assert data["feed_url"] == "https://warta.test/feeds/tag/jalan-tol/feed.json"
    assert data["home_page_url"] == "https://warta.test/tag/jalan-tol/"
    assert [i["title"] for i in data["items"]] == ["Tol baru", "Berita banjir"]
    assert fclient.get("/feeds/tag/tidak-ada/rss.xml").status_code == 404


def test_tag_feed_is_cached_and_answers_304(fclient, make_post, tags):
    make_post("Siaga banjir", tags=[tags["banjir"]])
    first = fclient.get("/feeds/tag/banjir/rss.xml")
    assert first.mimetype == "application/rss+xml"
    again = fclient.get("/feeds/tag/banjir/rss.xml", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "max-age" in first.headers["Cache-Control"]


def test_tag_feeds_are_listed_and_linked_from_the_tag_page(fclient, make_post, tags):
    make_post("Siaga banjir", tags=[tags["banjir"]])
    page = fclient.get("/feeds/").get_data(as_text=True)
    assert "https://warta.test/feeds/tag/banjir/rss.xml" in page and "#Banjir" in page
    assert "/feeds/tag/jalan-tol/" not in page  # no public item: not listed
    tag_page = fclient.get("/tag/banjir/").get_data(as_text=True)
    for fmt in ("rss.xml", "atom.xml", "feed.json"):
        assert f'href="/feeds/tag/banjir/{fmt}"' in tag_page


def test_websub_topics_include_the_tag_feeds(feeds_app, make_post, tags):
    from cms.feeds.websub import topics_for

    post = make_post("Siaga banjir", tags=[tags["banjir"]])
    assert "https://warta.test/feeds/tag/banjir/atom.xml" in topics_for(post)
