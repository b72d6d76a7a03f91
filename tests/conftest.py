"""Shared fixtures: a hermetic app per test (flaskr style).

``DATABASE_URL`` (or ``TEST_DATABASE_URL``) pointing at PostgreSQL runs the
whole suite there; otherwise each test gets an in-memory SQLite database.
"""

from __future__ import annotations

import itertools
import os
import re
import uuid

import pytest

from cms import create_app
from cms.content_version import close_readers
from cms.extensions import db, limiter


def _per_worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own PostgreSQL database, so
    parallel create_all/drop_all never collide."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not url.startswith("postgres") or not worker:
        return url
    import psycopg

    base, _, name = url.rpartition("/")
    name, sep, query = name.partition("?")
    worker_name = f"{name}_{worker}"
    conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (worker_name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{worker_name}"')
    return f"{base}/{worker_name}{sep}{query}"


TEST_DB_URL = _per_worker_database(os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL"))
if TEST_DB_URL:
    # subprocesses started by tests (worker, flask CLI) use the same database
    os.environ["TEST_DATABASE_URL"] = TEST_DB_URL
PASSWORD = "kata-sandi-rahasia-123"
_counter = itertools.count(1)


def on_postgres() -> bool:
    return bool(TEST_DB_URL and TEST_DB_URL.startswith("postgres"))


def base_config(tmp_path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": TEST_DB_URL or "sqlite://",
        "CMS_PLUGINS": [],
        "HUEY_IMMEDIATE": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "CMS_MEDIA_DIR": str(tmp_path / "media"),
        "CMS_PRIVATE_DIR": str(tmp_path / "private"),
        "SITE_URL": "http://warta.test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens: tests that send mail start aiosmtpd
        # each app its own keys when the suite runs with REDIS_URL
        "CMS_CACHE_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
    }
    config.update(overrides)
    return config


@pytest.fixture
def make_app(tmp_path):
    """``make_app(config..., plugins=[...], enabled=[...])`` → app with fresh tables."""
    built = []

    def _make(plugins=(), enabled=(), **overrides):
        overrides.setdefault("CMS_PLUGINS", list(enabled))
        # Flask-Limiter's one Limiter keeps the first app's key prefix for the
        # process; each test app gets its own, so counts in Redis stay apart.
        limiter._key_prefix = None
        app = create_app(base_config(tmp_path, **overrides), plugins=plugins)
        with app.app_context():
            if on_postgres():
                db.drop_all()
            db.create_all()
        built.append(app)
        return app

    yield _make
    for app in built:
        with app.app_context():
            db.session.remove()
            if on_postgres():
                db.drop_all()
            close_readers(db.engine)
            db.engine.dispose()


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
    from cms import accounts

    def _make(role="admin", unit=None, email=None, password=PASSWORD, name=""):
        if isinstance(unit, str):
            unit = accounts.get_or_create_unit(unit)
        email = email or f"{role}{next(_counter)}@warta.test"
        return accounts.create_user(email, role, password, unit=unit, name=name)

    return _make


@pytest.fixture
def login(client):
    """``login(user)`` signs in through the real form; returns the response."""

    def _login(user, password=PASSWORD, follow=False):
        client.post("/logout")
        return client.post("/login", data={"email": user.email, "password": password}, follow_redirects=follow)

    return _login


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


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in page"
    return match.group(1)
