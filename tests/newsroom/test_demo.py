"""``flask cms demo`` loads a realistic newsroom, idempotently."""

from __future__ import annotations

from cms.extensions import db
from cms.models import Category, Media, Post
from cms.newsroom import publishing


def test_demo_content_is_complete_and_idempotent(app, runner, client, login, make_user):
    result = runner.invoke(args=["cms", "demo"])
    assert result.exit_code == 0, result.output
    runner.invoke(args=["cms", "demo"])
    posts = db.session.scalars(db.select(Post)).all()
    assert len(posts) == 12
    assert {p.kind for p in posts} == {"siaran-pers", "berita"}
    scheduled = [p for p in posts if p.status == "scheduled"]
    assert len(scheduled) == 2 and sum(1 for p in scheduled if p.embargo_until) == 1
    assert all(p.featured_image and p.featured_image.alt for p in posts)
    assert all(p.categories and p.dateline == "BEKASI —" and p.contact_name for p in posts)
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 12
    assert db.session.scalar(db.select(db.func.count(Category.id))) >= 5
    home = client.get("/").get_data(as_text=True)
    assert "Jembatan Kali Malang" in home
    embargoed = next(p for p in scheduled if p.embargo_until)
    assert embargoed.title not in home
    assert client.get(publishing.public_url(embargoed, external=False)).status_code == 404
    shared = publishing.public_url(embargoed, external=False) + f"?pratinjau={embargoed.preview_token}"
    assert client.get(shared).status_code == 404  # under embargo the shared link is staff-only
    login(make_user("editor"))
    assert "EMBARGO" in client.get(shared).get_data(as_text=True)


def test_demo_looks_like_a_real_city(app, runner, client):
    """Drawn pictures shipped in the repo, an identity with its lambang, no placeholder text."""
    from pathlib import Path

    from cms import identity
    from cms.newsroom import demo

    assert runner.invoke(args=["cms", "demo"]).exit_code == 0
    assets = sorted(Path(demo.ASSETS).glob("*.jpg"))
    assert len(assets) == 12 and all(p.stat().st_size < 150 * 1024 for p in assets)
    stored = {m.size for m in db.session.scalars(db.select(Media))}
    assert len(stored) == 12  # twelve different pictures, not one stripe pattern
    ident = identity.current_identity()
    assert ident.name == "Pemerintah Kota Bekasi" and ident.logo_mime == "image/svg+xml"
    home = client.get("/").get_data(as_text=True)
    assert 'class="brand-name">Pemerintah Kota Bekasi</span>' in home
    assert "Jl. Jenderal Ahmad Yani No. 1" in home
    for post in db.session.scalars(db.select(Post)):
        text = f"{post.title} {post.summary} {post.body_html}".lower()
        assert not any(word in text for word in ("lorem", "ipsum", "placeholder", "contoh teks"))
