"""A hermetic Warta app per test: fresh tables on SQLite, or on PostgreSQL
when ``DATABASE_URL`` (or ``TEST_DATABASE_URL``) names one.

Under pytest-xdist each worker gets its own PostgreSQL database, so parallel
``create_all``/``drop_all`` never collide.  Standard library and Warta only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _per_worker_database(url: str | None) -> str | None:
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


def database_url() -> str | None:
    """The database tests run on (None: in-memory SQLite).  Read once per
    process and exported, so subprocesses (worker, ``flask`` CLI) share it."""
    global TEST_DB_URL
    if TEST_DB_URL is _UNSET:
        TEST_DB_URL = _per_worker_database(os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL"))
        if TEST_DB_URL:
            os.environ["TEST_DATABASE_URL"] = TEST_DB_URL
    return TEST_DB_URL


_UNSET: Any = object()
TEST_DB_URL: Any = _UNSET


def on_postgres() -> bool:
    url = database_url()
    return bool(url and url.startswith("postgres"))


def base_config(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """Config for a test app: no CSRF, no rate limits, jobs run at once,
    files under ``tmp_path``, mail to a port nothing listens on (the
    ``warta_mail`` fixture points it at a real SMTP server)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url() or "sqlite://",
        "CMS_PLUGINS": [],
        "HUEY_IMMEDIATE": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "CMS_MEDIA_DIR": str(tmp_path / "media"),
        "CMS_PRIVATE_DIR": str(tmp_path / "private"),
        "CMS_QUERY_PAGES_DIR": str(tmp_path / "query-pages"),  # never the checkout's instance/
        "SITE_URL": "http://warta.test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens: tests that send mail start aiosmtpd
        # each app its own keys when the suite runs with REDIS_URL
        "CMS_CACHE_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
    }
    config.update(overrides)
    return config


@contextmanager
def app_factory(tmp_path: Path) -> Iterator[Any]:
    """Yields ``make(plugins=(), enabled=(), **config)`` → an app with fresh
    tables; every app it built is torn down (tables dropped on PostgreSQL,
    connections closed) when the block ends."""
    from cms import create_app
    from cms.extensions import db, limiter
    from cms.kept_connection import close_readers

    built = []

    def make(plugins: Iterable[Any] = (), enabled: Iterable[str] = (), **overrides: Any):
        overrides.setdefault("CMS_PLUGINS", list(enabled))
        # Flask-Limiter's one Limiter keeps the first app's key prefix for the
        # process; each test app gets its own, so counts in Redis stay apart.
        limiter._key_prefix = None  # type: ignore[assignment]  # Flask-Limiter reads None as unset
        app = create_app(base_config(tmp_path, **overrides), plugins=plugins)
        with app.app_context():
            if on_postgres():
                db.drop_all()
            db.create_all()
        built.append(app)
        return app

    try:
        yield make
    finally:
        for app in built:
            with app.app_context():
                db.session.remove()
                if on_postgres():
                    db.drop_all()
                close_readers(db.engine)
                db.engine.dispose()
