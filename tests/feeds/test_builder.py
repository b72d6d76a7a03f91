"""The ORM-free feed builder, checked with a real feed client (feedparser)."""

from __future__ import annotations

import html
import json
from datetime import datetime, timedelta

import feedparser
import pytest

from cms.feeds import build as feeds

BASE = "https://warta.test"
URLS = {"rss": f"{BASE}/feeds/rss.xml", "atom": f"{BASE}/feeds/atom.xml", "json": f"{BASE}/feeds/feed.json"}


def channel(**kw) -> feeds.FeedChannel:
    values = dict(
        title="Warta Kota",
        description="Siaran pers Pemerintah Kota",
        home_url=f"{BASE}/",
        urls=URLS,
        updated=datetime(2024, 1, 1),
        author="Pemerintah Kota",
        stylesheet="/static/feeds/feed.xsl",
    )
    values.update(kw)
    return feeds.FeedChannel(**values)


def item(i=1, **kw) -> feeds.FeedItem:
    values = dict(
        guid=f"tag:warta.test,2024-03-06:post/{i}",
        url=f"{BASE}/siaran-pers/rilis-{i}",
        title=f"Rilis {i}: Vaksinasi & <Posyandu>",
        published=datetime(2024, 3, 7, 3, 0) - timedelta(hours=i),
        updated=datetime(2024, 3, 7, 5, 0) - timedelta(hours=i),
        content_html='<p>Isi <a href="https://warta.test/x">lengkap</a>.</p>',
        summary="Ringkasan rilis.",
        author="Budi Santoso",
        categories=(feeds.FeedCategory("Kesehatan", "kesehatan", f"{BASE}/kategori/kesehatan/"),),
        enclosure=feeds.FeedFile(f"{BASE}/media/kit-{i}.pdf", "application/pdf", 48213, "Kit pers"),
        image=feeds.FeedFile(f"{BASE}/media/foto-{i}.jpg", "image/jpeg", 120334, "Foto kegiatan"),
    )
    values.update(kw)
    return feeds.FeedItem(**values)


@pytest.mark.parametrize("fmt,version", [("rss", "rss20"), ("atom", "atom10")])
def test_round_trip_through_feedparser(fmt, version):
    parsed = feedparser.parse(feeds.render(fmt, channel(), [item(1), item(2)]))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == version
    assert parsed.feed.title == "Warta Kota"
    assert parsed.feed.language == "id"
    assert [e.link for e in parsed.entries] == [f"{BASE}/siaran-pers/rilis-1", f"{BASE}/siaran-pers/rilis-2"]
    entry = parsed.entries[0]
    # RSS titles are HTML-escaped text (readers render them as HTML), Atom's are text.
    shown = html.unescape(entry.title) if entry.title_detail.type == "text/html" else entry.title
    assert shown == "Rilis 1: Vaksinasi & <Posyandu>"
    assert entry.id == "tag:warta.test,2024-03-06:post/1"
    # 10.00 WIB = 03.00 UTC, parsed as a real date (not a localised string).
    assert entry.published_parsed[:5] == (2024, 3, 7, 2, 0)
    assert entry.author == "Budi Santoso"
    assert entry.content[0].value == '<p>Isi <a href="https://warta.test/x">lengkap</a>.</p>'
    assert entry.summary == "Ringkasan rilis."
    # RSS has room for one enclosure (the press kit); Atom also carries the lead image.
    lead = {"href": f"{BASE}/media/foto-1.jpg", "type": "image/jpeg", "length": "120334", "title": "Foto kegiatan"}
    assert entry.enclosures == [
        {
            "href": f"{BASE}/media/kit-1.pdf",
            "type": "application/pdf",
            "length": "48213",
            **({"title": "Kit pers"} if fmt == "atom" else {}),
        },
        *([lead] if fmt == "atom" else []),
    ]
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [URLS[fmt]]


def test_rss_specifics():
    body = feeds.build_rss(channel(ttl=10), [item(1)]).decode()
    parsed = feedparser.parse(body)
    assert "<pubDate>Thu, 07 Mar 2024 09:00:00 +0700</pubDate>" in body
    assert "<lastBuildDate>Thu, 07 Mar 2024 11:00:00 +0700</lastBuildDate>" in body
    assert "<ttl>10</ttl>" in body
    assert '<guid isPermaLink="false">tag:warta.test,2024-03-06:post/1</guid>' in body
    assert '<category domain="https://warta.test/kategori/kesehatan/">Kesehatan</category>' in body
    assert "<dc:creator>Budi Santoso</dc:creator>" in body
    assert body.count("<enclosure ") == 1
    assert parsed.feed.link == f"{BASE}/"  # channel link is the site, not the self link
    assert parsed.entries[0].media_content[0]["url"] == f"{BASE}/media/foto-1.jpg"
    assert parsed.entries[0].media_content[0]["medium"] == "image"
    assert parsed.entries[0].media_thumbnail[0]["url"] == f"{BASE}/media/foto-1.jpg"


def test_atom_keeps_enclosure_rel_and_updated():
    body = feeds.build_atom(channel(hub="https://hub.test/"), [item(1)]).decode()
    parsed = feedparser.parse(body)
    assert 'rel="enclosure"' in body and 'length="48213"' in body
    assert '<content type="html">' in body
    entry = parsed.entries[0]
    assert entry.updated_parsed[:5] == (2024, 3, 7, 4, 0)
    assert [t.term for t in entry.tags] == ["kesehatan"]
    assert entry.tags[0].scheme == f"{BASE}/kategori/kesehatan/"
    assert {link.rel for link in parsed.feed.links} == {"self", "hub", "alternate"}


def test_same_data_same_bytes_and_last_build_date_is_newest_change():
    first = feeds.build_rss(channel(), [item(1), item(2)])
    second = feeds.build_rss(channel(), [item(1), item(2)])
    assert first == second
    corrected = feeds.build_rss(channel(), [item(1, updated=datetime(2024, 3, 8, 1, 0)), item(2)])
    assert b"<lastBuildDate>Fri, 08 Mar 2024 08:00:00 +0700</lastBuildDate>" in corrected


def test_empty_feed_uses_channel_date():
    body = feeds.build_rss(channel(), []).decode()
    assert "<lastBuildDate>Mon, 01 Jan 2024 07:00:00 +0700</lastBuildDate>" in body
    assert feedparser.parse(body).bozo == 0


def test_control_characters_are_stripped_not_raised():
    dirty = item(
        1,
        title="Rilis\x00 dengan\x0b kontrol\x1f",
        summary="A\x08B",
        content_html="<p>x\x0cy\ufffe</p>",
        author="Budi\x07",
    )
    for fmt in ("rss", "atom"):
        parsed = feedparser.parse(feeds.render(fmt, channel(), [dirty]))
        assert parsed.bozo == 0
        assert parsed.entries[0].title == "Rilis dengan kontrol"
        assert parsed.entries[0].author == "Budi"
    data = json.loads(feeds.build_json(channel(), [dirty]))
    assert data["items"][0]["title"] == "Rilis dengan kontrol"
    assert data["items"][0]["content_html"] == "<p>xy</p>"


def test_control_characters_are_stripped_from_long_bodies_too():
    # Bodies over 512 characters take the str.translate path.
    long_body = "<p>" + "Isi siaran pers. " * 60 + "\x00\x0b\x1f\x7f\ufffe\ud800akhir</p>"
    dirty = item(1, content_html=long_body)
    parsed = feedparser.parse(feeds.render("rss", channel(), [dirty]))
    assert parsed.bozo == 0
    assert parsed.entries[0].content[0].value.endswith("Isi siaran pers. akhir</p>")


def test_printable_short_strings_skip_the_regex_safely():
    # clean() returns short printable strings as they are: that is only safe
    # because no character XML forbids counts as printable.
    assert not [c for c in map(chr, range(0x110000)) if feeds._ILLEGAL.match(c) and c.isprintable()]
    assert feeds.clean("Wali Kota Bekasi — Tri Adhianto") == "Wali Kota Bekasi — Tri Adhianto"
    assert feeds.clean("Baris\nbaru\x0b") == "Baris\nbaru"


def test_stylesheet_processing_instruction():
    for fmt in ("rss", "atom"):
        head = feeds.render(fmt, channel(), [item()])[:200].decode()
        assert head.startswith("<?xml version='1.0' encoding='UTF-8'?>")
        assert '<?xml-stylesheet type="text/xsl" href="/static/feeds/feed.xsl"?>' in head


def test_absolutize_relative_links():
    html = '<p><a href="/berita/x">x</a> <img src="/media/a.jpg"> <a href="//cdn.test/y">y</a> <a href="https://o.test/">o</a></p>'
    assert feeds.absolutize(html, "https://warta.test/") == (
        '<p><a href="https://warta.test/berita/x">x</a> <img src="https://warta.test/media/a.jpg"> '
        '<a href="//cdn.test/y">y</a> <a href="https://o.test/">o</a></p>'
    )


def assert_json_feed_11(data: dict) -> None:
    """The JSON Feed 1.1 field rules (https://jsonfeed.org/version/1.1)."""
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["items"], list)
    for key in ("home_page_url", "feed_url"):
        assert data[key].startswith(("http://", "https://"))
    assert "author" not in data  # deprecated in 1.1: ``authors`` only
    for author in data.get("authors", []):
        assert set(author) <= {"name", "url", "avatar"} and author
    for hub in data.get("hubs", []):
        assert hub["type"] and hub["url"]
    ids = [entry["id"] for entry in data["items"]]
    assert len(ids) == len(set(ids))
    for entry in data["items"]:
        assert isinstance(entry["id"], str) and entry["id"]
        assert entry.get("content_html") or entry.get("content_text")
        assert "author" not in entry
        for key in ("date_published", "date_modified"):
            if key in entry:
                assert datetime.fromisoformat(entry[key]).tzinfo is not None  # RFC 3339
        for attachment in entry.get("attachments", []):
            assert attachment["url"].startswith("https://") and attachment["mime_type"]
            assert isinstance(attachment.get("size_in_bytes", 0), int)
        assert isinstance(entry.get("tags", []), list)


def test_json_feed_follows_version_11_rules():
    data = json.loads(feeds.build_json(channel(hub="https://hub.test/"), [item(1), item(2)]))
    assert_json_feed_11(data)
    entry = data["items"][0]
    assert entry["date_published"] == "2024-03-07T09:00:00+07:00"
    assert entry["date_modified"] == "2024-03-07T11:00:00+07:00"
    assert entry["authors"] == [{"name": "Budi Santoso"}]
    assert entry["tags"] == ["Kesehatan"]
    assert entry["image"] == f"{BASE}/media/foto-1.jpg"
    assert entry["attachments"] == [
        {"url": f"{BASE}/media/kit-1.pdf", "mime_type": "application/pdf", "title": "Kit pers", "size_in_bytes": 48213},
        {
            "url": f"{BASE}/media/foto-1.jpg",
            "mime_type": "image/jpeg",
            "title": "Foto kegiatan",
            "size_in_bytes": 120334,
        },
    ]
    assert data["hubs"] == [{"type": "WebSub", "url": "https://hub.test/"}]
    assert data["language"] == "id"


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError):
        feeds.render("rdf", channel(), [])


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_entries_kept_from_an_earlier_build_give_the_same_bytes(fmt):
    """Entries are kept between builds; a feed made from kept entries, new
    ones or a mix is byte for byte the feed built from scratch."""
    items = [
        item(
            i,
            title=f"Rilis {i}\x07",
            categories=(feeds.FeedCategory("Kesehatan", "kesehatan", f"{BASE}/kategori/kesehatan/"),),
        )
        for i in range(1, 8)
    ]
    feeds._entry_cache.clear()
    fresh = feeds.render(fmt, channel(), items)
    assert feeds.render(fmt, channel(), items) == fresh  # every entry kept
    feeds._entry_cache.clear()
    feeds.render(fmt, channel(), items[::2])  # some kept, some new, in another order
    assert feeds.render(fmt, channel(), items) == fresh
    assert feedparser.parse(fresh).bozo == 0
    root_start = fresh.index(b"<rss" if fmt == "rss" else b"<feed")
    root_tag = fresh[root_start : fresh.index(b">", root_start)]
    assert fresh.count(b"xmlns") == root_tag.count(b"xmlns")  # namespaces declared once, at the root


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_changed_item_is_built_again(fmt):
    first = feeds.render(fmt, channel(), [item(1, title="Judul Lama")])
    corrected = feeds.render(fmt, channel(), [item(1, title="Judul Baru")])
    assert b"Judul Lama" in first and b"Judul Baru" in corrected and b"Judul Lama" not in corrected


def test_the_entry_cache_is_bounded_and_keeps_the_recently_used():
    cache = feeds._EntryCache(max_entries=2)
    a, b, c = item(1), item(2), item(3)
    cache.put("rss", a, "A")
    cache.put("rss", b, "B")
    assert cache.get("rss", a) == "A"  # a is now the most recent
    cache.put("rss", c, "C")
    assert cache.get("rss", b) is None and cache.get("rss", a) == "A" and cache.get("rss", c) == "C"
    assert cache.get("atom", a) is None  # per format


def test_atom_enclosure_link_is_written_in_the_feed_namespace_without_a_prefix():
    body = feeds.render("atom", channel(), [item(1)])
    assert b'<link rel="enclosure" href="https://warta.test/media/kit-1.pdf"' in body
    assert b"ns0:" not in body and body.count(b"xmlns") == 1
