"""With REDIS_URL the rendered feeds live in Redis: one build serves every
worker (a real redis-server on 127.0.0.1)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from cms.extensions import db
from cms.models import Post
from tests import livesrv
from tests.feeds.conftest import NOW


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with livesrv.redis_server(tmp_path_factory.mktemp("redis-feeds")) as url:
        yield url


def test_second_worker_serves_the_first_workers_build(make_app, redis_url, tmp_path):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    site = dict(
        SQLALCHEMY_DATABASE_URI=url, REDIS_URL=redis_url, SITE_URL="https://warta.test", CMS_CACHE_PREFIX="warta"
    )  # two workers of one site
    one, two = make_app(**site), make_app(**site)
    with one.app_context():
        db.session.add(
            Post(
                kind="siaran-pers",
                title="Lewat Redis",
                slug="lewat-redis",
                status="published",
                published_at=NOW,
                updated_at=NOW,
                created_at=NOW,
            )
        )
        db.session.commit()
    first = one.test_client().get("/feeds/atom.xml")
    assert first.status_code == 200 and b"Lewat Redis" in first.data
    assert any(k.startswith(b"warta:feeds:all::atom@") for k in redis.Redis.from_url(redis_url).keys())  # noqa: SIM118 -- Redis KEYS
    with two.app_context():
        queries = []
        listener = lambda *args: queries.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            second = two.test_client().get("/feeds/atom.xml")
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert queries == []  # no rebuild: the bytes came from Redis
    with one.app_context():
        db.session.get(Post, 1).title = "Lewat Redis (ralat)"
        db.session.commit()
    assert b"(ralat)" in two.test_client().get("/feeds/atom.xml").data
