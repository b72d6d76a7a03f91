"""Item pages rendered on change (cms.cache.post_pages): the stored copy is served
only while exact, and is byte-for-byte the live rendering."""

from __future__ import annotations

import zlib

import pytest
from sqlalchemy import func, select, text

from cms.cache import post_pages
from cms.extensions import db
from cms.models import Category, PostPage
from cms.newsroom import drafts, publishing
from cms.newsroom.posts import PostData


@pytest.fixture
def app(make_app, recorder):
    # The in-memory layers off, so every request reaches the item view.
    app = make_app(plugins=[recorder], CMS_SHARED_CACHE=False, NEWSROOM_PAGE_CACHE=False)
    with app.app_context():
        yield app


def stored(post_id: int) -> str | None:
    row = db.session.get(PostPage, (post_id, "id"))
    db.session.expire_all()
    return zlib.decompress(row.body).decode() if row else None


def test_publishing_stores_the_page_and_it_is_what_a_live_render_gives(app, client, make_post, count_queries):
    post = make_post("published", title="Pemkot Buka Posko Banjir")
    url = publishing.public_url(post, external=False)
    page = stored(post.id)
    assert page is not None and "Pemkot Buka Posko Banjir" in page
    with count_queries() as n:
        served = client.get(url).get_data(as_text=True)
    assert served == page
    assert n[0] == 0  # one bare-cursor read, not the post and its four collections through the ORM
    db.session.execute(text("DELETE FROM post_page"))
    db.session.commit()
    with count_queries() as n:
        live = client.get(url).get_data(as_text=True)
    assert live == page and n[0] > 1


def test_edits_corrections_and_unpublishing_never_serve_the_old_copy(app, client, make_post, users):
    post = make_post("published", title="Jadwal Vaksinasi Lansia")
    url = publishing.public_url(post, external=False)
    drafts.save_post(
        post,
        users["editor"],
        PostData(title="Jadwal Vaksinasi Lansia Diperpanjang", body_html=post.body_html, summary=post.summary),
        post.version,
        correction="Tanggal penutupan diperbaiki.",
    )
    body = client.get(url).get_data(as_text=True)
    assert "Diperpanjang" in body and "Tanggal penutupan diperbaiki." in body
    assert "Diperpanjang" in stored(post.id)  # re-rendered by the update job
    publishing.unpublish(db.session.get(type(post), post.id), users["editor"])
    assert client.get(url).status_code == 404


def test_a_version_bump_without_a_new_render_falls_back_to_live(app, client, make_post):
    post = make_post("published", title="Lomba Kampung Bersih")
    url = publishing.public_url(post, external=False)
    db.session.execute(
        text("UPDATE post SET title = 'Lomba Kampung Hijau', version = version + 1 WHERE id = :id"), {"id": post.id}
    )
    db.session.commit()
    assert "Lomba Kampung Hijau" in client.get(url).get_data(as_text=True)


def test_renaming_a_category_drops_every_stored_page(app, client, make_post):
    category = Category(name="Kesehatan", slug="kesehatan")
    db.session.add(category)
    db.session.commit()
    post = make_post("published", title="Posyandu Keliling", category_ids=[category.id])
    other = make_post("published", title="Tanpa Kategori")
    assert stored(post.id) and stored(other.id)
    category.name = "Kesehatan Masyarakat"
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PostPage)) == 0
    assert "Kesehatan Masyarakat" in client.get(publishing.public_url(post, external=False)).get_data(as_text=True)
    assert post_pages.refresh() == 2
    assert "Kesehatan Masyarakat" in stored(post.id)


def test_a_new_deploy_epoch_or_another_language_renders_live(app, client, make_post):
    post = make_post("published", title="Festival Kuliner Kota")
    url = publishing.public_url(post, external=False)
    row = db.session.get(PostPage, (post.id, "id"))
    row.body = zlib.compress(b"<p>stale markup</p>")
    db.session.commit()
    assert client.get(url).get_data() == b"<p>stale markup</p>"  # proves the copy is what is served
    app.extensions["cms_post_pages_epoch"] = "another-deploy"
    assert "Festival Kuliner Kota" in client.get(url).get_data(as_text=True)
    app.extensions["cms_post_pages_epoch"] = row.epoch
    english = client.get(url + "?lang=en").get_data(as_text=True)
    assert "stale markup" not in english and "Festival Kuliner Kota" in english


def test_embargoed_items_are_not_stored_or_served(app, client, make_post):
    post = make_post("embargo", title="Rilis Embargo APBD")
    assert stored(post.id) is None
    assert post_pages.refresh() == 0
    assert client.get(publishing.public_url(post, external=False)).status_code == 404


def test_prerender_command_fills_pages_for_imported_items(app, make_post, users):
    for n in range(3):
        make_post("published", title=f"Rilis Impor {n}")
    db.session.execute(text("DELETE FROM post_page"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["cms", "prerender"])
    assert result.exit_code == 0, result.output
    assert "3 / 3 pages" in result.output and "3 item pages stored." in result.output
    assert db.session.scalar(select(func.count()).select_from(PostPage)) == 3
    again = app.test_cli_runner().invoke(args=["cms", "prerender"])
    assert "0 item pages stored." in again.output


def test_the_worker_refills_missing_pages_every_minute(app, make_post):
    from cms.jobs import periodic_tasks

    make_post("published", title="Rilis Pertama")
    make_post("published", title="Rilis Kedua")
    db.session.execute(text("DELETE FROM post_page"))
    db.session.commit()
    task = {t.name: t for t in periodic_tasks(app)}["newsroom.render_pages"]
    assert task.schedule == {"minute": "*"}
    assert task.func() == 2
    assert task.func() == 0
