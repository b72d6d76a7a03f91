"""Fixtures: an app with the crosspost plugin, fakes of every network, helpers."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from cms.extensions import db
from tests.plugins.crosspost import fakes

_slugs = itertools.count(1)
DATA_KEY = "x5IrD5TG1wB0cK1d3uuUbo8wHUPf7Xyo2mqjUcqgDuo="


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.fixture
def xapp(make_app):
    app = make_app(enabled=["crosspost"], CMS_DATA_KEY=DATA_KEY, CROSSPOST_HTTP_TIMEOUT=2, CROSSPOST_BACKOFF_BASE=30)
    with app.app_context():
        yield app


def _fake(cls):
    fake = cls().start()
    yield fake
    fake.stop()


@pytest.fixture
def mastodon():
    yield from _fake(fakes.FakeMastodon)


@pytest.fixture
def telegram():
    yield from _fake(fakes.FakeTelegram)


@pytest.fixture
def bluesky():
    yield from _fake(fakes.FakeBluesky)


@pytest.fixture
def facebook():
    yield from _fake(fakes.FakeFacebook)


@pytest.fixture
def xfake():
    yield from _fake(fakes.FakeX)


@pytest.fixture
def receiver():
    yield from _fake(fakes.FakeWebhookReceiver)


def settings_for(key: str, fake) -> dict:
    return {
        "mastodon": {"base_url": fake.url, "access_token": fake.token},
        "telegram": {"api_base": fake.url, "bot_token": fake.token, "chat_id": "@humaskota"},
        "bluesky": {
            "service": fake.url,
            "handle": getattr(fake, "handle", ""),
            "app_password": getattr(fake, "password", ""),
        },
        "facebook": {"graph_base": fake.url + "/v21.0", "page_id": getattr(fake, "page", ""), "page_token": fake.token},
        "x": {"api_base": fake.url, "access_token": fake.token, "username": "humaskota"},
        "webhook": {"url": fake.url + "/hooks/warta", "secret": getattr(fake, "secret", "")},
    }[key]


@pytest.fixture
def add_account(xapp):
    from plugins.crosspost import accounts

    def _add(key, fake, name=None, **options):
        return accounts.save(None, key, name or f"Humas {key}", settings_for(key, fake), **options)

    return _add


@pytest.fixture
def editor(xapp):
    from cms import accounts

    return accounts.create_user(f"editor{next(_slugs)}@warta.test", "editor", "kata-sandi-rahasia-123")


@pytest.fixture
def make_post():
    """Posts in whichever app context the test pushed (``xapp`` or its own)."""
    from tests.conftest import new_post

    def _make(
        title="Pemkot buka pendaftaran beasiswa 2026",
        status="approved",
        summary="Pendaftaran dibuka 1–30 Desember di kantor kelurahan.",
        **extra,
    ):
        return new_post(status, title=title, slug=f"pos-{next(_slugs)}", summary=summary, body="<p>Isi</p>", **extra)

    return _make


@pytest.fixture
def publish(editor):
    from cms.newsroom import publishing

    def _publish(post):
        assert publishing.publish_now(post, editor)
        db.session.refresh(post)
        return post

    return _publish


def deliveries(**where):
    from sqlalchemy import select

    from plugins.crosspost.models import CrosspostDelivery

    stmt = select(CrosspostDelivery).order_by(CrosspostDelivery.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(CrosspostDelivery, key) == value)
    return list(db.session.scalars(stmt))
