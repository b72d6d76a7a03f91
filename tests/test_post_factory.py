"""The suite's one post factory (tests/conftest.py::new_post), both ways."""

from __future__ import annotations

from cms.extensions import db
from cms.models import Category
from cms.newsroom import publishing
from tests.conftest import new_post


def test_a_direct_post_is_committed_with_a_unique_slug_and_shared_categories(app):
    first = new_post(title="Banjir surut", categories=["Lingkungan Hidup"])
    second = new_post("draft", categories=["Lingkungan Hidup"], kind="berita")
    assert first.id and first.slug != second.slug and (first.status, second.status) == ("published", "draft")
    assert first.categories[0].slug == "lingkungan-hidup" and second.categories == first.categories
    assert db.session.query(Category).count() == 1


def test_a_post_via_the_workflow_reaches_each_status(app, make_user):
    via = (make_user("writer", unit="Dinas Kominfo"), make_user("editor"))
    assert new_post("review", via=via).status == "review"
    assert publishing.is_public(new_post("published", via=via, title="Taman kota dibuka"))
    embargoed = new_post("embargo", via=via)
    assert embargoed.status == "scheduled" and embargoed.embargo_until is not None
    assert new_post("unpublished", via=via).status == "unpublished"
