"""Public pages: content, pagination, dates in WIB, SEO files, constant query counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine

from cms.extensions import db
from cms.models import Category
from cms.newsroom import drafts, publishing
from cms.timeutil import naive_utc


def _publish_many(make_post, n, **fields):
    return [make_post("published", title=f"Siaran Nomor {i} tentang Banjir", **fields) for i in range(n)]


def test_home_lists_latest_releases_and_news(app, client, make_post):
    make_post("published", title="Rilis Satu", kind="siaran-pers")
    make_post("published", title="Berita Dua", kind="berita")
    make_post("draft", title="Draf Tiga")
    make_post("review", title="Ditinjau Empat")
    html = client.get("/").get_data(as_text=True)
    assert "Rilis Satu" in html and "Berita Dua" in html
    assert "Draf Tiga" not in html and "Ditinjau Empat" not in html
    assert 'href="/siaran-pers/rilis-satu"' in html and 'href="/berita/berita-dua"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_item_url_must_match_kind(app, client, make_post):
    make_post("published", kind="berita", title="Pasar Murah")
    assert client.get("/berita/pasar-murah").status_code == 200
    assert client.get("/siaran-pers/pasar-murah").status_code == 404


@pytest.mark.parametrize("state", ["draft", "review", "approved", "scheduled", "unpublished"])
def test_non_public_items_answer_404(app, client, make_post, state):
    post = make_post(state, title="Naskah Belum Terbit")
    assert client.get(publishing.public_url(post, external=False)).status_code == 404
    assert "Naskah Belum Terbit" not in client.get("/cari?q=Naskah").get_data(as_text=True)


def test_dates_are_indonesian_and_wib(app, client, make_post):
    with time_machine.travel(datetime(2023, 3, 3, 3, 0), tick=False):  # 10:00 WIB, Friday
        post = make_post("published", title="Rapat Koordinasi")
    html = client.get(publishing.public_url(post, external=False)).get_data(as_text=True)
    assert "Jumat, 3 Maret 2023 10.00 WIB" in html


def test_list_pagination_and_query_count_is_constant(app, client, make_post, count_queries):
    app.config["CMS_PAGE_SIZE"] = 5
    app.config["NEWSROOM_PAGE_CACHE"] = False  # measure the rendering path itself
    cat = Category(name="Bencana", slug="bencana")
    db.session.add(cat)
    db.session.commit()
    _publish_many(make_post, 3, category_ids=[cat.id])
    counts = {}
    for url in (
        "/",
        "/siaran-pers/",
        "/kategori/bencana/",
        "/cari?q=banjir",
        "/siaran-pers/siaran-nomor-0-tentang-banjir",
        "/sitemap.xml",
    ):
        with count_queries() as n:
            assert client.get(url).status_code == 200
        counts[url] = n[0]
    _publish_many(make_post, 9, category_ids=[cat.id])  # 12 items: three pages of five
    for url in counts:
        with count_queries() as n:
            assert client.get(url).status_code == 200
        assert n[0] == counts[url], f"{url}: {counts[url]} queries with 3 items, {n[0]} with 12"
    page2 = client.get("/siaran-pers/?page=2").get_data(as_text=True)
    assert page2.count('class="post-card"') == 5 and 'rel="next"' in page2 and 'rel="prev"' in page2
    assert client.get("/siaran-pers/?page=9").status_code == 404


def test_search_highlights_and_is_safe(app, client, make_post):
    make_post("published", title="Pembangunan Drainase Kota", body="<p>Drainase baru di Jalan Ahmad Yani.</p>")
    html = client.get("/cari?q=drainase").get_data(as_text=True)
    assert "<mark>Drainase</mark>" in html or "<mark>drainase</mark>" in html
    # FTS syntax and markup in the query neither crash nor inject.
    for q in ['"', "drainase*", "NEAR(", "<script>alert(1)</script>", "-", "a OR"]:
        response = client.get("/cari", query_string={"q": q})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_search_follows_edits_and_unpublish(app, client, make_post, users):
    post = make_post("published", title="Festival Kuliner", body="<p>Bazar makanan.</p>")
    from cms.newsroom.posts import PostData

    drafts.save_post(
        post, users["editor"], PostData(title="Festival Kuliner", body_html="<p>Bazar batik.</p>"), post.version
    )
    assert "Festival Kuliner" in client.get("/cari?q=batik").get_data(as_text=True)
    assert "Festival Kuliner" not in client.get("/cari?q=makanan").get_data(as_text=True)
    publishing.unpublish(post, users["editor"])
    assert "Festival Kuliner" not in client.get("/cari?q=batik").get_data(as_text=True)


def test_sitemaps_and_robots(app, client, make_post):
    old = None
    with time_machine.travel(datetime(2023, 1, 1, 3, 0), tick=False):
        old = make_post("published", title="Berita Lama")
    new = make_post("published", title="Berita Baru")
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in sitemap.findall("s:url/s:loc", ns)]
    assert publishing.public_url(old) in locs and publishing.public_url(new) in locs
    news = client.get("/sitemap-news.xml")
    tree = ElementTree.fromstring(news.data)
    news_locs = [e.text for e in tree.findall("s:url/s:loc", ns)]
    assert news_locs == [publishing.public_url(new)]  # only the last two days
    # Crawlers keep them five minutes, nginx's micro-cache one second (it
    # takes an upstream max-age over its own: a publication stayed out 300 s).
    for response in (news, client.get("/sitemap.xml")):
        assert response.headers["Cache-Control"] == "public, max-age=300, s-maxage=1"
    # Time alone moves items out, with no change to any content.
    with time_machine.travel(naive_utc() + timedelta(days=3), tick=False):
        later = ElementTree.fromstring(client.get("/sitemap-news.xml").data)
        assert later.findall("s:url/s:loc", ns) == []
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    text = robots.get_data(as_text=True)
    assert "Sitemap: http://warta.test/sitemap.xml" in text and "Disallow: /admin/" in text


def test_unit_and_tag_pages(app, client, make_post, users):
    make_post("published", title="Layanan Adminduk Keliling", tags="adminduk, layanan")
    unit_page = client.get(f"/unit/{users['unit'].slug}/").get_data(as_text=True)
    assert "Layanan Adminduk Keliling" in unit_page
    assert "Layanan Adminduk Keliling" in client.get("/tag/adminduk/").get_data(as_text=True)


def test_print_stylesheet_is_linked(app, client, make_post):
    post = make_post("published")
    html = client.get(publishing.public_url(post, external=False)).get_data(as_text=True)
    assert "/static/newsroom.css" in html
    css = client.get("/static/newsroom.css").get_data(as_text=True)
    assert "@media print" in css


def test_very_common_terms_list_newest_first_with_a_capped_count(app, client, make_post, monkeypatch):
    from cms.newsroom import search

    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    for n in range(3):
        make_post("published", title=f"Banjir Surut Nomor {n}", body="<p>Banjir surut.</p>")
    html = client.get("/cari?q=banjir").get_data(as_text=True)
    assert "Lebih dari 2 hasil untuk" in html and "diurutkan dari yang terbaru" in html
    assert html.index("Banjir Surut Nomor 2") < html.index("Banjir Surut Nomor 1")


@pytest.mark.parametrize(
    "url",
    [
        "/siaran-pers/?page=99999999999999999999",
        "/sitemap-0.xml",
        "/sitemap-99.xml",
        "/media/../../etc/passwd",
        "/berita/" + "x" * 3000,
    ],
)
def test_odd_urls_are_404_not_500(app, client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("q", ["%00", "a" * 5000, '"""', "banjir&page=abc", "banjir&page=9999"])
def test_odd_searches_answer(app, client, q):
    assert client.get("/cari?q=" + q).status_code == 200


def test_social_card_image_url_comes_from_site_url_not_the_request_host(app, client):
    """Pages are shared between visitors (caches, page files): nothing in
    them may come from the Host header a visitor sent."""
    html = client.get("/", headers={"Host": "penyerang.example"}).get_data(as_text=True)
    assert 'og:image" content="http://warta.test/static/social-card.png' in html
    assert 'twitter:image" content="http://warta.test/static/social-card.png' in html
    assert "penyerang.example" not in html


def test_sitemap_files_hold_at_most_ten_thousand_items(app, client, make_post):
    """A sitemap file is built whole in a worker, whose peak stays resident:
    10,000 items a file (issue #24, memory per worker at 50,000 items)."""
    import tracemalloc

    from sqlalchemy import text

    from cms.extensions import db
    from cms.models import Post

    make_post("published", title="Berita Induk")
    columns = [c.name for c in Post.__table__.columns if c.name not in ("id", "slug", "release_year", "release_seq")]
    copied = ", ".join(columns)
    db.session.execute(
        text(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
            f"INSERT INTO post (slug, {copied}) SELECT 'salinan-' || n.i, {copied} FROM post, n"
        )
    )
    db.session.commit()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    files = [e.text for e in index.findall("s:sitemap/s:loc", ns)]
    assert files == ["http://warta.test/sitemap-1.xml", "http://warta.test/sitemap-2.xml"]
    tracemalloc.start()
    first = client.get("/sitemap-1.xml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    items = [
        e.text
        for e in ElementTree.fromstring(first.data).findall("s:url/s:loc", ns)
        if e.text.startswith("http://warta.test/siaran-pers/") and not e.text.endswith("/")
    ]
    assert len(items) == 10_000 and items[0].startswith("http://warta.test/")
    second = ElementTree.fromstring(client.get("/sitemap-2.xml").data).findall("s:url/s:loc", ns)
    assert len(second) == 1  # chunks are id ranges: ids 1–10,000, then 10,001
    assert peak < 16 * 2**20, peak  # 40,000 items through Jinja's loop peaked at 43 MiB
