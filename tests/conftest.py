"""Shared fixtures: a hermetic app per test (flaskr style).

``DATABASE_URL`` (or ``TEST_DATABASE_URL``) pointing at PostgreSQL runs the
whole suite there; otherwise each test gets an in-memory SQLite database.
"""

from __future__ import annotations

import itertools

import pytest

from cms.extensions import db
from cms.testing import app as _app
from cms.testing import users as _users
from cms.testing.app import base_config, on_postgres
from cms.testing.users import PASSWORD, csrf_token_from

__all__ = ["PASSWORD", "TEST_DB_URL", "base_config", "csrf_token_from", "new_post", "on_postgres"]

TEST_DB_URL = _app.database_url()


def pytest_configure(config):
    """Warta's suite runs on its own pytest plugin (``cms.testing.plugin``),
    so the fixtures plugin authors get stay true.  Installed, the ``pytest11``
    entry point has loaded it already; from a bare checkout it is added here."""
    if not config.pluginmanager.has_plugin("warta"):
        from cms.testing import plugin

        config.pluginmanager.register(plugin, "warta")


# Warta's own short names for the plugin's fixtures.


@pytest.fixture
def make_app(warta_make_app):
    """``make_app(config..., plugins=[...], enabled=[...])`` → app with fresh tables."""
    return warta_make_app


@pytest.fixture
def app(make_app):
    """The app with every bundled plugin enabled."""
    app = make_app(enabled=["inbox", "dip", "crosspost"])
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    return _users.make_user


@pytest.fixture
def login(client):
    """``login(user)`` signs in through the real form; returns the response."""
    return lambda user, password=PASSWORD, follow=False: _users.login(client, user, password, follow)


_post_numbers = itertools.count(1)


def new_post(status="published", *, via=None, title=None, body="<p>Isi naskah.</p>", categories=(), **fields):
    """The suite's one post factory; the post is committed.

    With ``via=(writer, editor)`` the post walks the real workflow
    (``publishing``: create, submit, approve, then publish, schedule, embargo
    or unpublish) up to ``status``, and ``fields`` are ``PostData`` fields.
    Without it the row is written directly in that status: ``fields`` are
    ``Post`` columns and relations, ``categories`` names of categories
    (created when new), and the slug is unique unless given.
    """
    from cms.models import Category, Post

    n = next(_post_numbers)
    if via is not None:
        return _walk_workflow(status, *via, title=title or f"Rilis {n}", body_html=body, **fields)
    fields.setdefault("slug", f"naskah-{n}")
    fields.setdefault("kind", "siaran-pers")
    post = Post(title=title or f"Naskah {n}", status=status, body_html=body, **fields)
    for name in categories:
        slug = name.lower().replace(" ", "-")
        post.categories.append(
            db.session.query(Category).filter_by(slug=slug).first() or Category(name=name, slug=slug)
        )
    db.session.add(post)
    db.session.commit()
    return post


def _walk_workflow(status, writer, editor, **data):
    from datetime import timedelta

    from cms.newsroom import drafts, publishing
    from cms.newsroom.posts import PostData
    from cms.timeutil import naive_utc

    post = drafts.create_post(writer, PostData(**data))
    if status == "draft":
        return post
    publishing.submit(post, writer)
    if status == "review":
        return post
    publishing.approve(post, editor)
    if status == "approved":
        return post
    if status == "published":
        publishing.publish_now(post, editor)
    elif status in ("scheduled", "embargo"):
        publishing.schedule(post, editor, naive_utc() + timedelta(hours=2), embargo=status == "embargo")
    elif status == "unpublished":
        publishing.publish_now(post, editor)
        publishing.unpublish(post, editor)
    return db.session.get(type(post), post.id)
