"""Tracking codes and other mailed secrets stay out of cookies, the database
and the job queue: shown once on the receipt page, sent once by e-mail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from cms.extensions import db
from tests.plugins.inbox.conftest import form_data, get_request


def _session_cookie(client, app) -> dict:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def _post_request(client):
    resp = client.post("/ppid/permohonan", data=form_data(), content_type="multipart/form-data")
    assert resp.status_code == 303, resp.text[:2000]
    return resp.headers["Location"]


def _code_in(page: str) -> str | None:
    found = re.search(r'id="kode">([^<]+)<', page)
    return found.group(1) if found else None


def test_receipt_shows_code_once_and_mail_carries_it(inbox_app, client, mailbox):
    location = _post_request(client)
    first = client.get(location)
    code = _code_in(first.text)
    assert code and len(code) >= 10
    assert "no-store" in first.headers["Cache-Control"]
    number = re.search(r'id="nomor">([^<]+)<', first.text).group(1)

    again = client.get(location)
    assert again.status_code == 200
    assert number in again.text  # still the receipt, without the code
    assert _code_in(again.text) is None and code not in again.text
    assert 'id="kode-sekali"' in again.text

    mails = mailbox.to("budi@contoh.id")
    assert len(mails) == 1 and code in mailbox.text(mails[0])
    # The code still works for tracking: only its keyed hash is kept.
    tracked = client.post("/ppid/permohonan/lacak", data={"number": number, "code": code})
    assert tracked.status_code == 200 and number in tracked.text and "tidak cocok" not in tracked.text


def test_code_never_in_session_cookie(inbox_app, client, mailbox):
    location = _post_request(client)
    before = _session_cookie(client, inbox_app)
    page = client.get(location)
    code = _code_in(page.text)
    after = _session_cookie(client, inbox_app)
    for state in (before, after):
        assert state, "the receipt needs a session entry"
        assert code not in repr(state)
    # A replayed copy of the cookie from before the receipt no longer shows it.
    replay = inbox_app.test_client()
    serializer = inbox_app.session_interface.get_signing_serializer(inbox_app)
    replay.set_cookie(inbox_app.config.get("SESSION_COOKIE_NAME", "session"), serializer.dumps(before))
    assert code not in replay.get(location).text


def test_database_keeps_no_plain_code(inbox_app, client, mailbox):
    location = _post_request(client)
    code = _code_in(client.get(location).text)
    rows = db.session.execute(text("SELECT * FROM inbox_request")).mappings().all()
    assert len(rows) == 1
    values = [str(v) for v in rows[0].values() if v is not None]
    assert not any(code in v for v in values)
    assert rows[0]["receipt_code_enc"] is None  # wiped once shown


def test_unopened_receipt_code_expires(inbox_app, client, mailbox):
    from datetime import timedelta

    from plugins.inbox import services, tasks

    location = _post_request(client)
    req = db.session.scalars(db.select(services.InfoRequest)).one()
    assert req.receipt_code_enc  # held, encrypted, for the receipt page
    req.received_at -= timedelta(minutes=services.RECEIPT_CODE_MINUTES + 1)
    db.session.commit()
    tasks.purge()
    assert get_request(req.number).receipt_code_enc is None
    assert _code_in(client.get(location).text) is None


@pytest.fixture
def queued_app(make_app, mailbox, tmp_path):
    """Jobs go to a real SQLite queue file, as with ``flask cms worker``."""
    path = tmp_path / "huey.db"
    # the SQLite queue even when the suite runs with REDIS_URL: its file is what is read
    app = make_app(
        enabled=["inbox"],
        MAIL_PORT=mailbox.port,
        INBOX_MIN_SUBMIT_SECONDS=0,
        HUEY_IMMEDIATE=False,
        HUEY_SQLITE_PATH=str(path),
        REDIS_URL=None,
    )
    app.queue_path = path
    with app.app_context():
        yield app


def _queue_bytes(app) -> bytes:
    from cms.jobs import queue

    huey = queue(app).huey
    payloads = b"".join(bytes(row[0]) for row in huey.storage.sql("SELECT data FROM task", results=True))
    assert payloads, "expected queued jobs"
    return payloads + app.queue_path.read_bytes()


def _run_queued(app) -> int:
    from cms.jobs import queue

    huey, done = queue(app).huey, 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    return done


def test_queue_file_holds_no_tracking_code(queued_app, mailbox):
    client = queued_app.test_client()
    location = _post_request(client)
    code = _code_in(client.get(location).text)
    stored = _queue_bytes(queued_app)
    assert code.encode() not in stored
    assert b"budi@contoh.id" not in stored  # nor the applicant's address
    assert _run_queued(queued_app) >= 1
    mails = mailbox.to("budi@contoh.id")
    assert len(mails) == 1 and code in mailbox.text(mails[0])


def test_queue_file_holds_no_subscription_or_feed_token(queued_app, mailbox):
    from cms.feeds import subscriptions

    subscriptions.subscribe("pembaca@contoh.id", [])
    journalist = subscriptions.create_journalist(
        subscriptions.JournalistData(name="Rina", outlet="Harian", email="rina@contoh.id", note=""), None
    )
    feed_url = subscriptions.private_feed_url(journalist)
    stored = _queue_bytes(queued_app)
    assert feed_url.rsplit("/", 2)[-2].encode() not in stored
    assert b"/feeds/langganan/konfirmasi/" not in stored
    assert b"pembaca@contoh.id" not in stored
    _run_queued(queued_app)
    confirm = mailbox.text(mailbox.to("pembaca@contoh.id")[0])
    token = re.search(r"/feeds/langganan/konfirmasi/([\w-]+)", confirm).group(1)
    assert subscriptions.confirm(token) is not None
    assert feed_url in mailbox.text(mailbox.to("rina@contoh.id")[0])


def test_desk_receipt_shows_code_once_and_keeps_none(inbox_app, client, login, make_user, mailbox):
    login(make_user("ppid"))
    resp = client.post(
        "/admin/inbox/baru",
        data={
            "channel": "phone",
            "received_at": "2025-10-06T15:30",
            "applicant_type": "perseorangan",
            "name": "Siti",
            "nik": "3275014101900002",
            "address": "Jl. Mawar",
            "phone": "0812999888",
            "details": "Jadwal posyandu",
            "purpose": "Informasi warga",
            "access_method": "melihat",
            "delivery": "ambil",
        },
    )
    code = _code_in(resp.text)
    assert resp.status_code == 200 and code
    assert "no-store" in resp.headers["Cache-Control"]
    assert code not in repr(_session_cookie(client, inbox_app))
    row = db.session.execute(text("SELECT receipt_code_enc FROM inbox_request")).one()
    assert row.receipt_code_enc is None  # shown in this response, not held for later
