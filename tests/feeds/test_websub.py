"""WebSub: hub discovery headers and publish pings to a real local hub."""

from __future__ import annotations

from cms.extensions import db
from cms.models import User
from cms.newsroom import publishing


def editor():
    from cms import accounts

    return db.session.query(User).filter_by(role="editor").first() or accounts.create_user(
        "editor@warta.test", "editor", "kata-sandi-rahasia-123", name="Editor"
    )


def test_link_headers_when_a_hub_is_configured(fclient, make_post, hub):
    make_post("Rilis", categories=["Kesehatan"])
    response = fclient.get("/feeds/kategori/kesehatan/atom.xml")
    assert response.headers["Link"] == (
        f'<{hub.url}>; rel="hub", <https://warta.test/feeds/kategori/kesehatan/atom.xml>; rel="self"'
    )
    assert f'<link href="{hub.url}" rel="hub"/>'.encode() in response.data
    not_modified = fclient.get(
        "/feeds/kategori/kesehatan/atom.xml", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert not_modified.status_code == 304 and 'rel="hub"' in not_modified.headers["Link"]


def test_no_link_header_without_hub(fclient, make_post):
    make_post("Rilis")
    assert "Link" not in fclient.get("/feeds/rss.xml").headers


def test_publish_update_and_unpublish_ping_the_hub(feeds_app, make_post, make_unit, hub):
    post = make_post("Rilis baru", status="approved", categories=["Kesehatan"], unit=make_unit())
    user = editor()
    assert publishing.publish_now(post, user)
    assert len(hub.pings) == 1
    ping = hub.pings[0]
    assert ("hub.mode", "publish") in ping
    topics = [value for key, value in ping if key == "hub.url"]
    for path in (
        "rss.xml",
        "atom.xml",
        "feed.json",
        "siaran-pers/rss.xml",
        "kategori/kesehatan/atom.xml",
        "unit/dinas-kesehatan/feed.json",
    ):
        assert f"https://warta.test/feeds/{path}" in topics
    assert "https://warta.test/feeds/berita/rss.xml" not in topics
    publishing.unpublish(db.session.get(type(post), post.id), user)
    assert len(hub.pings) == 2


def test_a_failing_hub_never_blocks_publishing(feeds_app, make_post):
    feeds_app.config["FEEDS_WEBSUB_HUB"] = "http://127.0.0.1:1/hub"  # nothing listens there
    post = make_post("Rilis", status="approved")
    assert publishing.publish_now(post, editor())
    assert db.session.get(type(post), post.id).status == "published"


def test_a_correction_pings_the_hub(feeds_app, make_post, hub):
    from cms.plugins import notify

    post = make_post("Rilis", kind="berita")
    notify("cms_post_updated", post=post)  # what drafts.save_post fires after a correction
    topics = [value for key, value in hub.pings[-1] if key == "hub.url"]
    assert "https://warta.test/feeds/berita/atom.xml" in topics
    assert "https://warta.test/feeds/siaran-pers/atom.xml" not in topics
