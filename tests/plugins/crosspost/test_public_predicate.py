"""The plugin asks the core whether a post is public, at the moment it names."""

from __future__ import annotations

from datetime import timedelta

from tests.plugins.crosspost.conftest import now


def test_is_public_answers_for_the_moment_given(xapp, make_post):
    from cms.api import is_public

    lift = now() + timedelta(hours=2)
    post = make_post(status="published", published_at=now(), embargo_until=lift)
    assert not is_public(post)
    assert not is_public(post, lift - timedelta(minutes=1))
    assert is_public(post, lift + timedelta(minutes=1))
    post.status = "unpublished"
    assert not is_public(post, lift + timedelta(minutes=1))


def test_the_outbox_keeps_no_copy_of_the_predicate(xapp):
    from plugins.crosspost import delivery, outbox

    assert not hasattr(outbox, "post_model")
    assert outbox.is_public is delivery.is_public
    from cms.api import is_public

    assert outbox.is_public is is_public
