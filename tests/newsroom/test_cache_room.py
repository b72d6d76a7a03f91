"""The cache room: installed by the app factory, invalidated through the
content counter alone, with every content listener in cms.content_version."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cms.cache.feed_store import FeedStore
from cms.feeds.rendering import STORE
from cms.plugins import describe_plugins

EVENTS = ("before_flush", "after_flush", "after_commit", "after_rollback", "do_orm_execute")


def _session_listeners() -> list[str]:
    found = []
    for name in EVENTS:
        for fn in getattr(Session.dispatch, name)._clslevel.get(Session, []):
            found.append(f"{name} {fn.__module__}.{fn.__name__}")
    return found


def test_every_content_listener_lives_in_the_content_version_module(app):
    listeners = _session_listeners()
    assert not [entry for entry in listeners if " cms.cache." in entry or " cms.newsroom." in entry]
    assert sorted(entry for entry in listeners if " cms.content_version." in entry) == [
        "after_commit cms.content_version._forget_local_version",
        "after_flush cms.content_version._count_flushed_change",
        "after_rollback cms.content_version._drop_flags",
        "do_orm_execute cms.content_version._count_bulk_change",
    ]


def test_the_app_factory_installs_the_cache(app):
    pm = app.extensions["cms"]
    assert pm.get_plugin("cms.cache.hooks") is not None
    assert isinstance(app.extensions[STORE], FeedStore)
    assert app.wsgi_app is app.extensions["cms_shared_cache"]
    # Part of the core: never listed among the plugins an admin manages.
    assert "cms.cache.hooks" not in {row["name"] for row in describe_plugins(pm, [])}


def test_a_visitor_past_the_worker_memory_still_gets_validators_and_304(app, make_post):
    """A session cookie bypasses layer 1; the cache's request handlers still
    give the page its ETag and answer a revalidation with 304."""
    make_post("published", title="Rilis Untuk Pengunjung Bersesi")
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "id"
    first = client.get("/siaran-pers/")
    assert first.status_code == 200 and b"Rilis Untuk Pengunjung Bersesi" in first.data
    assert first.headers["Vary"] == "Cookie" and first.headers["ETag"]
    again = client.get("/siaran-pers/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_a_publication_bumps_the_content_version_once(app, make_post, users):
    """Publishing calls ``content_changed`` and its ORM write triggers the
    listeners too; one transaction counts one change, not two."""
    from cms.content_version import content_changed, current_version
    from cms.extensions import db
    from cms.newsroom import publishing

    post = make_post("approved", title="Sekali saja")
    before = current_version().counter
    publishing.publish_now(post, users["editor"])
    assert current_version().counter == before + 1
    publishing.unpublish(post, users["editor"], reason="Salah tanggal")
    after_unpublish = current_version().counter
    assert after_unpublish == before + 2
    # Two explicit bumps in one transaction count once; the next transaction counts again.
    content_changed(db.session.connection())
    content_changed(db.session.connection())
    db.session.commit()
    assert current_version().counter == after_unpublish + 1
    content_changed(db.session.connection())
    db.session.commit()
    assert current_version().counter == after_unpublish + 2
