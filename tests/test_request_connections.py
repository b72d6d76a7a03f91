"""A request holds at most one connection of the engine's pool at a time,
signed in too: the session's "last seen" write waits for the request's own
connection to go back (it used to take a second one beside it)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cms.content_version import read_version
from cms.extensions import db
from cms.models import UserSession
from cms.testing.users import PASSWORD, make_user
from tests.conftest import on_postgres
from tests.pool_checkouts import CheckoutsPerThread


def _last_seen(app):
    with app.app_context():
        return db.session.scalar(select(UserSession.last_seen_at))


@pytest.mark.parametrize("path", ["/admin/", "/admin/akun", "/"])
def test_a_signed_in_request_holds_one_pooled_connection(make_app, tmp_path, path):
    config = {"CMS_SESSION_TOUCH_SECONDS": 0}  # every request writes "last seen"
    if not on_postgres():
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'warta.db'}"  # a real pool, not one connection
    app = make_app(**config)
    with app.app_context():  # left before the requests: each has its own app context and session
        user = make_user("editor")
        email = user.email
        engine = db.engine
        read_version(engine, app.config)  # the counter's reader pool exists before we listen
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    before = _last_seen(app)
    counts = CheckoutsPerThread(engine.pool)
    for _ in range(3):
        assert client.get(path).status_code == 200
    assert counts.checkouts >= 3
    assert max(counts.most.values()) == 1, counts.most
    assert _last_seen(app) > before  # still written
