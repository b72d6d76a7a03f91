"""Slugs are unique wherever they are made: names that slugify alike get -2, -3…"""

from __future__ import annotations

from sqlalchemy import select

from cms import accounts
from cms.extensions import db
from cms.models import Category, Post, Unit
from cms.newsroom.posts import SLUG_MAX, unique_slug


def test_units_named_dash_and_en_dash_get_their_own_slugs(app):
    first = accounts.create_unit("-")
    second = accounts.create_unit("–")
    third = accounts.get_or_create_unit("—")
    db.session.commit()
    assert [first.slug, second.slug, third.slug] == ["unit", "unit-2", "unit-3"]
    assert accounts.get_or_create_unit("–").id == second.id  # matched by name, not made again
    assert db.session.scalar(select(Unit).where(Unit.slug == "unit-2")).name == "–"


def test_categories_whose_names_slugify_alike_are_both_kept(client, make_user, login):
    login(make_user("editor"))
    for name in ("Ekonomi", "Ekonomi!"):
        response = client.post("/admin/categories", data={"name": name, "description": ""})
        assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    again = client.post("/admin/categories", data={"name": "ekonomi", "description": ""})
    assert again.status_code == 400 and "Kategori “ekonomi” sudah ada." in again.get_data(as_text=True)
    slugs = dict(db.session.execute(select(Category.name, Category.slug)).all())
    assert slugs == {"Ekonomi": "ekonomi", "Ekonomi!": "ekonomi-2"}


def test_post_slug_suffix_stays_within_the_limit(app):
    title = "kata " * 60
    first = unique_slug(title, None)
    assert len(first) <= SLUG_MAX
    db.session.add(Post(title=title, slug=first, kind="berita", body_html="", body_text="", summary=""))
    db.session.commit()
    second = unique_slug(title, None)
    assert second != first and second.endswith("-2") and len(second) <= SLUG_MAX
