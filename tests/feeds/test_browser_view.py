"""A feed URL opened in a browser is a plain HTML page (Chromium removes
XSLT); feed readers still get the XML, and each keeps its own validators."""

from __future__ import annotations

from datetime import datetime

import feedparser
import feedparser.http
import lxml.html
import pytest

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
READERS = {
    "feedparser": feedparser.http.ACCEPT_HEADER,
    "rss": "application/rss+xml, */*;q=0.8",
    "any": "*/*",
    "none": None,
    "xml-before-html": "application/xml, text/html",
}


def get(client, url, accept, **headers):
    if accept is not None:
        headers["Accept"] = accept
    return client.get(url, headers=headers)


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml", "feed.json"])
def test_browser_gets_an_indonesian_html_page(fclient, make_post, name):
    make_post("Peresmian <Jembatan> Baru", published_at=datetime(2026, 12, 6, 3, 0), summary="Jembatan dibuka.")
    response = get(fclient, f"/feeds/{name}", BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = lxml.html.fromstring(response.get_data(as_text=True))
    assert "feed" in page.xpath("string(//div[@class='feed-note'])")
    assert page.xpath("//input[@id='feed-url']/@value") == [f"https://warta.test/feeds/{name}"]
    items = page.xpath("//ol[@class='feed-items']/li")
    assert [li.xpath("string(h3)") for li in items] == ["Peresmian <Jembatan> Baru"]  # text, escaped
    assert items[0].xpath("string(.//time)") == "6 Desember 2026, 10.00 WIB"
    assert items[0].xpath("string(.//time/@datetime)") == "2026-12-06T03:00:00Z"
    assert items[0].xpath("string(p[not(@class)])") == "Jembatan dibuka."
    assert not page.xpath("//script[not(@src)]|//*[@style]")  # CSP: no inline script or style


@pytest.mark.parametrize("who", sorted(READERS))
def test_feed_readers_still_get_xml(fclient, make_post, who):
    make_post("Rilis untuk pembaca")
    response = get(fclient, "/feeds/rss.xml", READERS[who])
    assert response.mimetype == "application/rss+xml"
    parsed = feedparser.parse(response.data)
    assert parsed.bozo == 0 and parsed.entries[0].title == "Rilis untuk pembaca"


def test_each_view_has_its_own_etag_and_both_answer_304(fclient, make_post):
    make_post("Rilis bervalidator")
    xml = get(fclient, "/feeds/atom.xml", READERS["feedparser"])
    html = get(fclient, "/feeds/atom.xml", BROWSER)
    assert xml.headers["ETag"] != html.headers["ETag"]
    for response in (xml, html):
        assert response.headers["Vary"].startswith("Accept, Accept-Encoding")  # the page also varies on Cookie
    for accept, first in ((READERS["feedparser"], xml), (BROWSER, html)):
        again = get(fclient, "/feeds/atom.xml", accept, **{"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        since = get(fclient, "/feeds/atom.xml", accept, **{"If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 304
    # A browser's validator never makes a reader skip the XML, nor the reverse.
    crossed = get(fclient, "/feeds/atom.xml", READERS["feedparser"], **{"If-None-Match": html.headers["ETag"]})
    assert crossed.status_code == 200 and crossed.mimetype == "application/atom+xml"
    crossed = get(fclient, "/feeds/atom.xml", BROWSER, **{"If-None-Match": xml.headers["ETag"]})
    assert crossed.status_code == 200 and crossed.mimetype == "text/html"


def test_html_view_does_not_poison_the_cached_xml(fclient, make_post):
    """Browser first, then readers (served from the worker cache): still XML."""
    make_post("Rilis urutan")
    for _ in range(3):
        assert get(fclient, "/feeds/rss.xml", BROWSER).mimetype == "text/html"
    for accept in READERS.values():
        for _ in range(2):
            assert get(fclient, "/feeds/rss.xml", accept).mimetype == "application/rss+xml"
    assert get(fclient, "/feeds/rss.xml", BROWSER).mimetype == "text/html"


def test_page_files_are_written_as_xml_even_after_browsers(feeds_app, fclient, make_post, tmp_path):
    from cms.cache import page_files

    make_post("Rilis berkas")
    get(fclient, "/feeds/rss.xml", BROWSER)
    page_files.write_pages(feeds_app, tmp_path)
    assert (tmp_path / "feeds-rss.rss").read_bytes().startswith(b"<?xml")
