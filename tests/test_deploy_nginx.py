"""The documented nginx site in front of gunicorn, on loopback."""

from __future__ import annotations

import re

import httpx
import pytest

from tests import livesrv


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stack")
    env = livesrv.site_env(tmp, CMS_PROXY_COUNT=1)
    livesrv.migrate(env)
    STACK_DB["url"] = env["DATABASE_URL"]
    with livesrv.gunicorn(env) as upstream, livesrv.nginx(upstream, tmp) as base:
        yield base


STACK_DB: dict[str, str] = {}


def test_public_pages_are_micro_cached(stack):
    first = httpx.get(stack + "/login")
    assert first.status_code == 200 and 'name="password"' in first.text
    statuses = {httpx.get(stack + "/").headers["X-Cache-Status"] for _ in range(5)}
    assert "HIT" in statuses or "UPDATING" in statuses


def test_signed_in_staff_bypass_the_cache(stack):
    response = httpx.get(stack + "/", cookies={"session": "anything"})
    assert response.headers["X-Cache-Status"] == "BYPASS"


def test_static_files_come_from_nginx_with_long_cache(stack):
    page = httpx.get(stack + "/login").text
    css = re.search(r'href="(/static/warta\.css\?v=[0-9a-f]+)"', page).group(1)
    response = httpx.get(stack + css)
    assert response.status_code == 200 and "--brand" in response.text
    assert "immutable" in response.headers["Cache-Control"]
    assert "X-Cache-Status" not in response.headers  # not proxied


def test_oversized_upload_is_refused_by_nginx(stack):
    response = httpx.post(stack + "/login", content=b"x" * (71 * 1024 * 1024),
                          headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 413


def test_metrics_are_loopback_only_and_health_passes_through(stack):
    assert httpx.get(stack + "/health").json()["checks"]["database"] == "ok"
    assert httpx.get(stack + "/metrics").status_code == 200  # we are on loopback


def test_feeds_are_micro_cached_despite_their_reader_max_age(stack):
    first = httpx.get(stack + "/feeds/rss.xml")
    assert first.status_code == 200 and "<rss" in first.text
    assert "max-age" in first.headers["Cache-Control"]  # readers may keep it longer
    statuses = {httpx.get(stack + "/feeds/rss.xml").headers["X-Cache-Status"] for _ in range(5)}
    assert statuses & {"HIT", "UPDATING", "EXPIRED", "MISS"}
    # the subscription form is never cached by the feed rule
    form = httpx.get(stack + "/feeds/langganan")
    assert form.headers.get("X-Cache-Status") != "HIT"


def test_a_publication_shows_through_nginx_within_two_seconds(stack):
    import time

    home_before = httpx.get(stack + "/").text
    assert "Rilis Uji Nginx Terbit" not in home_before
    # publish through the real service in this process, on the stack's database
    from cms import create_app
    from cms.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": STACK_DB["url"], "SECRET_KEY": "live-test-secret",
                      "CMS_PLUGINS": [], "HUEY_IMMEDIATE": True, "TESTING": True})
    with app.app_context():
        from cms import accounts, publishing
        from cms.editor.data import PostData

        writer = accounts.create_user("nginx-writer@warta.test", "writer", "kata-sandi-panjang")
        editor = accounts.create_user("nginx-editor@warta.test", "editor", "kata-sandi-panjang")
        post = publishing.create_post(writer, PostData(title="Rilis Uji Nginx Terbit", body_html="<p>Isi rilis.</p>"))
        publishing.submit(post, writer)
        publishing.approve(post, editor)
        assert publishing.publish_now(post, editor)
        db.engine.dispose()
    started = time.monotonic()
    while time.monotonic() - started < 2.0:
        if "Rilis Uji Nginx Terbit" in httpx.get(stack + "/").text:
            break
    else:
        raise AssertionError("publication not visible through nginx within 2 s")


def test_feed_variants_are_kept_apart_by_nginx(stack):
    """Browser (XSL) or reader, gzip or not: each its own cached copy, and
    every raw header value maps onto one of them."""
    reader, browser = "application/rss+xml, */*;q=0.8", "text/html,application/xhtml+xml,application/xml;q=0.9"
    seen = {}
    for accept in (reader, browser, "application/xml, text/html"):  # the last: a reader (xml before html)
        for encoding in ("gzip, deflate", "identity", "gzip;q=0"):
            for _ in range(3):  # the first may be a MISS or stale; later ones come from the cache
                response = httpx.get(stack + "/feeds/rss.xml", headers={"Accept": accept, "Accept-Encoding": encoding})
                assert response.status_code == 200 and "<rss" in response.text  # httpx decompresses
                gzipped = response.headers.get("Content-Encoding") == "gzip"
                assert gzipped == encoding.startswith("gzip,")
                html_view = response.headers["Content-Type"].startswith("application/xml")
                assert html_view == (accept == browser)
                assert "Accept-Encoding" in response.headers["Vary"]
                assert response.headers["ETag"].endswith('-gzip"') == gzipped
                seen.setdefault((html_view, gzipped), set()).add(response.headers["X-Cache-Status"])
    assert len(seen) == 4 and all("HIT" in statuses for statuses in seen.values())

