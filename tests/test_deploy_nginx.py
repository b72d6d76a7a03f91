"""The documented nginx site in front of gunicorn, on loopback."""

from __future__ import annotations

import re

import httpx
import pytest

from cms.testing import servers


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stack")
    env = servers.site_env(tmp, CMS_PROXY_COUNT=1)
    servers.migrate(env)
    STACK.update(db=env["DATABASE_URL"], env=env, pages=tmp / "pages")
    with (
        servers.serving(servers.Gunicorn(env)) as web,
        servers.serving(servers.Nginx(web.address, tmp, STACK["pages"])) as proxy,
    ):
        STACK["upstream"] = web.url
        STACK["writer"] = servers.PageFiles(env, STACK["pages"], interval=0.2)
        try:
            yield proxy.url
        finally:
            STACK["writer"].close()


STACK: dict = {}


def test_public_pages_are_micro_cached(stack):
    first = httpx.get(stack + "/login")
    assert first.status_code == 200 and 'name="password"' in first.text
    # a list with a query string (without one it is a page file)
    statuses = {httpx.get(stack + "/siaran-pers/?page=1").headers["X-Cache-Status"] for _ in range(5)}
    assert "HIT" in statuses or "UPDATING" in statuses


def test_signed_in_staff_bypass_the_cache(stack):
    for path in ("/", "/siaran-pers/", "/feeds/rss.xml"):  # page files included
        response = httpx.get(stack + path, cookies={"session": "anything"})
        assert response.headers["X-Cache-Status"] == "BYPASS"


def test_static_files_come_from_nginx_with_long_cache(stack):
    page = httpx.get(stack + "/login").text
    css = re.search(r'href="(/static/warta\.css\?v=[0-9a-f]+)"', page).group(1)
    response = httpx.get(stack + css)
    assert response.status_code == 200 and "--brand" in response.text
    assert "immutable" in response.headers["Cache-Control"]
    assert "X-Cache-Status" not in response.headers  # not proxied


def test_oversized_upload_is_refused_by_nginx(stack):
    response = httpx.post(
        stack + "/login", content=b"x" * (71 * 1024 * 1024), headers={"Content-Type": "application/octet-stream"}
    )
    assert response.status_code == 413


def test_metrics_are_loopback_only_and_health_passes_through(stack):
    assert httpx.get(stack + "/health").json()["checks"]["database"] == "ok"
    assert httpx.get(stack + "/metrics").status_code == 200  # we are on loopback


def test_feeds_are_micro_cached_despite_their_reader_max_age(stack):
    first = httpx.get(stack + "/feeds/berita/rss.xml")  # no page file: the micro-cache
    assert first.status_code == 200 and "<rss" in first.text
    assert "max-age" in first.headers["Cache-Control"]  # readers may keep it longer
    statuses = {httpx.get(stack + "/feeds/berita/rss.xml").headers["X-Cache-Status"] for _ in range(5)}
    assert statuses & {"HIT", "UPDATING", "EXPIRED", "MISS"}
    # the subscription form is never cached by the feed rule
    form = httpx.get(stack + "/feeds/langganan")
    assert form.headers.get("X-Cache-Status") != "HIT"


def test_a_publication_shows_through_nginx_within_two_seconds(stack):
    import time

    home_before = httpx.get(stack + "/").text
    assert "Rilis Uji Nginx Terbit" not in home_before
    for _ in range(2):  # in nginx's micro-cache before the publication
        assert "Rilis Uji Nginx Terbit" not in httpx.get(stack + "/sitemap-news.xml").text
    # publish through the real service in this process, on the stack's database
    _publish_on_stack("Rilis Uji Nginx Terbit", "nginx")
    started = time.monotonic()
    seen: set[str] = set()
    paths = ("/", "/feeds/rss.xml", "/sitemap-news.xml")
    while time.monotonic() - started < 2.0 and len(seen) < len(paths):
        for path in paths:
            response = httpx.get(stack + path)
            if "Rilis Uji Nginx Terbit" in response.text:
                seen.add(path)
                assert response.headers["X-Cache-Status"] in ("FILE", "MISS", "EXPIRED", "UPDATING", "HIT")
    assert seen == set(paths), f"publication not visible through nginx within 2 s: only on {seen}"


def _publish_on_stack(title: str, who: str) -> tuple[str, int]:
    """Publish a release through the real services, as another node of the
    stack would; returns its public path and id."""
    from cms import accounts
    from cms.extensions import db
    from cms.newsroom import drafts, publishing
    from cms.newsroom.posts import PostData

    with _stack_app().app_context():
        writer = accounts.create_user(f"{who}-writer@warta.test", "writer", "kata-sandi-panjang")
        editor = accounts.create_user(f"{who}-editor@warta.test", "editor", "kata-sandi-panjang")
        post = drafts.create_post(writer, PostData(title=title, body_html="<p>Isi rilis.</p>"))
        publishing.submit(post, writer)
        publishing.approve(post, editor)
        assert publishing.publish_now(post, editor)
        found = publishing.public_path(post), post.id
        db.engine.dispose()
    return found


def _stack_app():
    """This process as another node of the stack: its services, its database."""
    from cms import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": STACK["db"],
            "SECRET_KEY": "live-test-secret",
            "CMS_PLUGINS": [],
            "HUEY_IMMEDIATE": True,
            "TESTING": True,
        }
    )


def test_an_expired_micro_cache_entry_is_never_served(stack):
    """With ``proxy_cache_use_stale updating`` the first request after expiry
    got the entry however old it was: a list asked for every few seconds
    showed a retitled release's old title (bench/scale/two_nodes.py counted
    it up to 7 s after the change)."""
    import time

    from cms import accounts
    from cms.extensions import db
    from cms.newsroom import drafts, posts, publishing
    from cms.newsroom.posts import PostData

    app = _stack_app()
    with app.app_context():
        writer = accounts.create_user("expiry-writer@warta.test", "writer", "kata-sandi-panjang")
        editor = accounts.create_user("expiry-editor@warta.test", "editor", "kata-sandi-panjang")
        post = drafts.create_post(writer, PostData(title="Rilis Uji Kedaluwarsa", body_html="<p>Isi rilis.</p>"))
        publishing.submit(post, writer)
        publishing.approve(post, editor)
        publishing.publish_now(post, editor)
        started = time.monotonic()
        while "Rilis Uji Kedaluwarsa" not in httpx.get(stack + "/siaran-pers/").text:  # in nginx's cache
            assert time.monotonic() - started < 5, "the publication never reached the list"
        post = db.session.get(type(post), post.id)
        data = posts.data_from_snapshot(posts.snapshot(post), post)
        data.title = "Rilis Uji Kedaluwarsa Diralat"
        drafts.save_post(post, editor, data, post.version)
        db.engine.dispose()
    time.sleep(2.5)  # the clock, not a server: the entry (1 s, counted in whole seconds) expires unasked
    after = httpx.get(stack + "/siaran-pers/")
    assert "Rilis Uji Kedaluwarsa Diralat" in after.text, f"served {after.headers['X-Cache-Status']}, old title"


def test_a_search_page_is_refreshed_behind_the_reader_for_one_second_only(stack):
    """Results pages say ``stale-while-revalidate=1`` (cms/newsroom/public.py)
    and the site has ``proxy_cache_background_update``: in the second after
    an entry expires, the reader gets it at once and nginx asks Warta behind
    them, so the next reader has the new page; after that second the entry
    is never served (nginx keeps time in whole seconds: an entry stored
    during second S is fresh to S + 1, may be served stale during S + 2)."""
    import time

    from cms import accounts
    from cms.extensions import db
    from cms.newsroom import drafts, publishing
    from cms.newsroom.posts import PostData

    def wait_until(moment: float) -> None:
        time.sleep(max(0.0, moment - time.time()))  # the clock, not a server

    with _stack_app().app_context(), httpx.Client(base_url=stack) as http:
        writer = accounts.create_user("swr-writer@warta.test", "writer", "kata-sandi-panjang")
        editor = accounts.create_user("swr-editor@warta.test", "editor", "kata-sandi-panjang")

        def publish(title: str) -> None:
            post = drafts.create_post(writer, PostData(title=title, body_html="<p>Musim kemarau.</p>"))
            publishing.submit(post, writer)
            publishing.approve(post, editor)
            assert publishing.publish_now(post, editor)

        http.get("/cari?q=hujan")  # a first search warms the worker: the timed one is quick
        publish("Kemarau Panjang Dimulai")
        # The entry must be stored in the second its request started; each
        # try is a new nginx entry (Warta reads all three as one query).
        for url in ("/cari?q=kemarau", "/cari?q=kemarau&page=1", "/cari?q=kemarau&page=01"):
            wait_until(int(time.time()) + 1.02)
            second = int(time.time())
            first = http.get(url)
            if int(time.time()) == second:
                break
        else:
            pytest.fail("no search was answered within the second it was asked")
        assert first.headers["X-Cache-Status"] == "MISS" and "Kemarau Panjang Dimulai" in first.text
        assert "s-maxage=1, stale-while-revalidate=1" in first.headers["Cache-Control"]
        publish("Kemarau Mulai Mereda")

        wait_until(second + 2.02)
        stale = http.get(url)
        assert stale.headers["X-Cache-Status"] in ("STALE", "UPDATING")
        assert "Kemarau Mulai Mereda" not in stale.text  # answered at once, from the entry
        while "Kemarau Mulai Mereda" not in (fresh := http.get(url)).text:
            assert time.time() < second + 2.98, "the background refresh never replaced the entry"
            time.sleep(0.02)  # a poll interval: leaves the CPU to the refresh
        assert fresh.headers["X-Cache-Status"] == "HIT"  # refreshed behind the reader
        refreshed_by = int(time.time())  # stored no later than this second

        publish("Hujan Akhiri Kemarau")
        db.engine.dispose()
        wait_until(refreshed_by + 3.1)  # fresh one second more, a second of grace, then never
        late = http.get(url)
    assert late.headers["X-Cache-Status"] in ("EXPIRED", "MISS")
    assert "Hujan Akhiri Kemarau" in late.text


def test_feed_variants_are_kept_apart_by_nginx(stack):
    """Browser (HTML page) or reader, gzip or not: each its own cached copy, and
    every raw header value maps onto one of them (a feed with no page file)."""
    reader, browser = "application/rss+xml, */*;q=0.8", "text/html,application/xhtml+xml,application/xml;q=0.9"
    seen = {}
    for accept in (reader, browser, "application/xml, text/html"):  # the last: a reader (xml before html)
        for encoding in ("gzip, deflate", "identity", "gzip;q=0"):
            for _ in range(3):  # the first may be a MISS or stale; later ones come from the cache
                response = httpx.get(
                    stack + "/feeds/siaran-pers/rss.xml", headers={"Accept": accept, "Accept-Encoding": encoding}
                )
                assert response.status_code == 200  # httpx decompresses
                gzipped = response.headers.get("Content-Encoding") == "gzip"
                html_view = response.headers["Content-Type"].startswith("text/html")
                assert html_view == (accept == browser)
                assert ('class="feed-note"' if html_view else "<rss") in response.text  # with or without items
                assert "Accept-Encoding" in response.headers["Vary"]
                if not html_view:  # Warta gzips the XML itself; nginx gzips the page for browsers
                    assert gzipped == encoding.startswith("gzip,")
                    assert response.headers["ETag"].endswith('-gzip"') == gzipped
                seen.setdefault((html_view, gzipped), set()).add(response.headers["X-Cache-Status"])
    assert len(seen) == 4 and all("HIT" in statuses for statuses in seen.values())


PAGE_PATHS = ("/", "/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json")
SAME_HEADERS = (
    "Content-Type",
    "Vary",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
)


def test_home_and_site_feeds_are_served_from_page_files_as_warta_renders_them(stack):
    for path in PAGE_PATHS:
        direct = httpx.get(STACK["upstream"] + path, headers={"Accept": "*/*", "Accept-Encoding": "identity"})
        served = httpx.get(stack + path, headers={"Accept": "*/*", "Accept-Encoding": "identity"})
        assert served.headers["X-Cache-Status"] == "FILE", path
        assert served.content == direct.content, path
        for name in SAME_HEADERS:
            assert served.headers.get(name) == direct.headers.get(name), (path, name)
        if path != "/":
            assert served.headers["Cache-Control"] == direct.headers["Cache-Control"]
            assert served.headers["Last-Modified"] == direct.headers["Last-Modified"]
        else:
            assert served.headers["Cache-Control"] == "no-cache"  # revalidated, never guessed fresh


def test_page_files_answer_gzip_and_both_validators(stack):
    plain = httpx.get(stack + "/feeds/rss.xml", headers={"Accept-Encoding": "identity"})
    packed = httpx.get(stack + "/feeds/rss.xml", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and packed.headers["X-Cache-Status"] == "FILE"
    assert packed.content == plain.content  # httpx has decompressed it
    assert int(packed.headers["Content-Length"]) < len(plain.content)  # the .gz file, not the plain one
    assert packed.headers["ETag"] != plain.headers["ETag"]
    for validators in ({"If-None-Match": plain.headers["ETag"]}, {"If-Modified-Since": plain.headers["Last-Modified"]}):
        again = httpx.get(stack + "/feeds/rss.xml", headers={"Accept-Encoding": "identity", **validators})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["Vary"] == plain.headers["Vary"]


def test_other_requests_for_those_urls_still_reach_warta(stack):
    assert httpx.get(stack + "/?lang=en").headers["X-Cache-Status"] != "FILE"
    assert 'lang="en"' in httpx.get(stack + "/?lang=en").text
    browser = httpx.get(stack + "/feeds/rss.xml", headers={"Accept": "text/html,application/xhtml+xml"})
    assert browser.headers["X-Cache-Status"] != "FILE"
    assert browser.headers["Content-Type"].startswith("text/html")  # the plain HTML page, not the file
    assert httpx.get(stack + "/feeds/embargo/unknown/rss.xml").status_code == 404
    assert httpx.get(stack + "/feeds/kategori/tidak-ada/rss.xml").status_code == 404


def test_a_stopped_writer_leaves_no_page_files_and_warta_answers(stack):
    before = httpx.get(stack + "/feeds/rss.xml")
    assert before.headers["X-Cache-Status"] == "FILE"
    assert servers.stop(STACK["writer"].process) == 0
    try:
        assert not any(STACK["pages"].iterdir())
        after = httpx.get(stack + "/feeds/rss.xml")
        assert after.status_code == 200 and after.headers["X-Cache-Status"] != "FILE"
        assert after.content == before.content
    finally:
        STACK["writer"] = servers.PageFiles(STACK["env"], STACK["pages"], interval=0.2)
    assert httpx.get(stack + "/").headers["X-Cache-Status"] == "FILE"


def test_lists_and_new_items_come_from_page_files_and_go_when_unpublished(stack):
    import time

    from cms import accounts
    from cms.extensions import db
    from cms.newsroom import publishing

    path, post_id = _publish_on_stack("Rilis Berkas Halaman", "berkas")
    paths = (path, "/siaran-pers/")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the writer renders the lists and items after the home page and feeds
        served = {p: httpx.get(stack + p, headers={"Accept-Encoding": "identity"}) for p in paths}
        if all(r.headers["X-Cache-Status"] == "FILE" and "Rilis Berkas Halaman" in r.text for r in served.values()):
            break
    else:
        raise AssertionError(f"not from files: { {p: r.headers['X-Cache-Status'] for p, r in served.items()} }")
    for p in paths:
        direct = httpx.get(STACK["upstream"] + p, headers={"Accept-Encoding": "identity"})
        assert served[p].content == direct.content, p
        assert served[p].headers["Content-Type"] == "text/html; charset=utf-8"
        assert served[p].headers["Content-Security-Policy"] == direct.headers["Content-Security-Policy"]
    assert httpx.get(stack + path + "?lang=en").headers["X-Cache-Status"] != "FILE"
    assert httpx.get(stack + path, cookies={"session": "x"}).headers["X-Cache-Status"] != "FILE"
    with _stack_app().app_context():
        from cms.models import Post

        publishing.unpublish(db.session.get(Post, post_id), accounts.find_user("berkas-editor@warta.test"), "uji")
        db.session.commit()
        db.engine.dispose()
    started = time.monotonic()
    while time.monotonic() - started < 2.0:
        if (
            httpx.get(stack + path).status_code == 404
            and "Rilis Berkas Halaman" not in httpx.get(stack + "/siaran-pers/").text
        ):
            break
    else:
        raise AssertionError("the unpublished item was still served through nginx 2 s later")
