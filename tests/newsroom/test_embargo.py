"""Embargo: invisible everywhere until the lift, readable by token with a
banner, then public on the same URL, lifted by the worker."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from cms.extensions import db
from cms.models import Category, Post
from cms.newsroom import publishing
from cms.timeutil import naive_utc


def _public_surfaces(client, post):
    cat = post.categories[0].slug
    return {
        "home": client.get("/").get_data(as_text=True),
        "list": client.get(f"/{post.kind}/").get_data(as_text=True),
        "category": client.get(f"/kategori/{cat}/").get_data(as_text=True),
        "unit": client.get(f"/unit/{post.unit.slug}/").get_data(as_text=True),
        "search": client.get("/cari?q=Rahasia").get_data(as_text=True),
        "sitemap": client.get("/sitemap.xml").get_data(as_text=True),
        "news": client.get("/sitemap-news.xml").get_data(as_text=True),
    }


def test_embargoed_release_stays_hidden_then_lifts_on_same_url(app, client, make_post, recorder, login, users):
    cat = Category(name="Kesehatan", slug="kesehatan")
    db.session.add(cat)
    db.session.commit()
    post = make_post(
        "embargo",
        title="Vaksinasi Rahasia Dimulai Senin",
        category_ids=[cat.id],
        body="<p>Program vaksinasi Rahasia untuk lansia.</p>",
    )
    post = db.session.get(Post, post.id)
    assert post.status == "scheduled" and post.embargo_until == post.publish_at
    url = publishing.public_url(post, external=False)

    # Invisible to the public: 404 and absent from every list, search and sitemap.
    assert client.get(url).status_code == 404
    for name, html in _public_surfaces(client, post).items():
        assert "Vaksinasi Rahasia" not in html and post.slug not in html, name
    assert db.session.scalars(publishing.public_posts()).all() == []
    # A wrong token is a 404 too.
    assert client.get(url + "?pratinjau=salah").status_code == 404

    # The shared link is the newsroom's own under embargo (journalists get personal
    # links, tests/feeds/test_journalist_links.py): anonymous 404, staff see the banner.
    assert client.get(f"{url}?pratinjau={post.preview_token}").status_code == 404
    login(users["editor"])
    preview = client.get(f"{url}?pratinjau={post.preview_token}")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "EMBARGO" in html and "Tidak untuk disiarkan" in html
    assert "WIB" in html and "Vaksinasi Rahasia Dimulai Senin" in html
    assert preview.headers["Cache-Control"] == "private, no-store"
    assert "noindex" in preview.headers["X-Robots-Tag"]
    assert "application/ld+json" not in html  # no structured data for search engines yet

    client.post("/logout")

    # Page traffic does not lift it; the worker does, at the embargo time.
    with time_machine.travel(post.embargo_until + timedelta(seconds=5), tick=False):
        assert client.get(url).status_code == 404
        assert recorder.names(post.id) == []
        assert publishing.publish_due() == 1
        page = client.get(url)
        assert page.status_code == 200 and "EMBARGO" not in page.get_data(as_text=True)
        # The journalists' link now shows the public page (same URL, no banner).
        assert "EMBARGO" not in client.get(f"{url}?pratinjau={post.preview_token}").get_data(as_text=True)
        for name, html in _public_surfaces(client, post).items():
            assert "Vaksinasi Rahasia" in html or post.slug in html, name
    assert recorder.names(post.id) == ["published"]
    assert db.session.get(Post, post.id).published_at == post.embargo_until


def test_public_query_excludes_published_rows_still_under_embargo(app, make_post):
    """Belt and braces: even a row flipped early stays hidden until the time."""
    post = make_post("published")
    post.embargo_until = naive_utc() + timedelta(hours=1)
    db.session.commit()
    assert not publishing.is_public(post)
    assert db.session.scalars(publishing.public_posts()).all() == []


def test_eta_job_is_queued_and_publishes_when_due(app, make_post, recorder, monkeypatch):
    queued = []
    from cms import jobs

    real = jobs.enqueue
    monkeypatch.setattr(
        publishing, "enqueue", lambda name, *a, **kw: queued.append((name, a, kw)) or real(name, *a, **kw)
    )
    post = make_post("scheduled")
    assert queued[0][0] == "newsroom.publish_if_due" and queued[0][2]["eta"] == post.publish_at
    assert publishing.publish_if_due(post.id) is False  # not due yet
    with time_machine.travel(post.publish_at + timedelta(seconds=1), tick=False):
        assert publishing.publish_if_due(post.id) is True
    assert recorder.names(post.id) == ["published"]


def test_schedule_in_the_past_is_refused(app, client, login, make_post, users):
    post = make_post("approved")
    login(users["editor"])
    response = client.post(
        f"/admin/posts/{post.id}/schedule", data={"s-publish_at": "2020-01-01T10:00"}, follow_redirects=True
    )
    assert "Waktu terbit sudah lewat" in response.get_data(as_text=True)
    assert db.session.get(Post, post.id).status == "approved"


def test_cancel_schedule_returns_to_approved(app, make_post, users, recorder):
    post = make_post("scheduled")
    publishing.cancel_schedule(post, users["editor"])
    assert post.status == "approved" and post.publish_at is None
    with time_machine.travel(naive_utc() + timedelta(days=1), tick=False):
        assert publishing.publish_due() == 0
    assert recorder.events == []
