"""A release mailing is a tracked job run: a worker killed mid-loop shows as
stopped with what was sent, and resuming mails everyone left exactly once —
against a real SMTP server (aiosmtpd) and a real SIGKILLed process."""

from __future__ import annotations

import asyncio
import email
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from cms import crypto, job_runs
from cms.extensions import db
from cms.feeds import release_mailing, subscriptions
from cms.models import Subscriber
from cms.newsroom import publishing
from cms.testing.servers import smtp_server
from tests.conftest import PASSWORD, TEST_DB_URL, csrf_token_from, on_postgres
from tests.feeds.test_websub import editor

ROOT = Path(__file__).resolve().parents[2]
ADDRESSES = [f"pelanggan{i}@redaksi.test" for i in range(1, 6)]
SUBJECT = "[Siaran Pers] Rilis banjir"

# Mails one release inline (as the worker would), in its own process, so the test can SIGKILL it.
CHILD = """
import sys
from pathlib import Path
from cms import create_app
from cms.feeds.release_mailing import mail_release
from tests.conftest import base_config
tmp, db_url, port, post_id = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
app = create_app(base_config(Path(tmp), SQLALCHEMY_DATABASE_URI=db_url, MAIL_PORT=port,
                             SITE_URL="https://warta.test"))
with app.app_context():
    mail_release(post_id)
"""


class GatedInbox:
    """Accepts mail until ``stall_after`` messages; the next one hangs (the sender
    is killed meanwhile) and is then refused, so it was never delivered."""

    def __init__(self, stall_after: int | None = None):
        self.messages: list[email.message.Message] = []
        self.stall_after = stall_after
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.stall_after is not None and len(self.messages) >= self.stall_after:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 pengirim sudah mati"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def feeds_app(make_app, tmp_path):
    """A database file the killed process and the test share (or the test PostgreSQL)."""
    db_url = TEST_DB_URL if on_postgres() else f"sqlite:///{tmp_path / 'warta.db'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=db_url, SITE_URL="https://warta.test", WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


@pytest.fixture
def setup(feeds_app, tmp_path):
    inbox = GatedInbox(stall_after=2)
    with smtp_server(inbox) as controller:
        feeds_app.config["MAIL_PORT"] = controller.port
        yield feeds_app, inbox, feeds_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path
        inbox.release.set()


def _subscribers() -> list[Subscriber]:
    subs = [
        Subscriber(
            email_enc=crypto.encrypt(a),
            email_hash=subscriptions.email_hash(a),
            nonce=f"n{i}",
            status="active",
            all_categories=True,
        )
        for i, a in enumerate(ADDRESSES)
    ]
    db.session.add_all(subs)
    db.session.commit()
    return subs


def _admin_client(app):
    from cms import accounts

    admin = accounts.create_user("admin-kirim@warta.test", "admin", PASSWORD)
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token})
    return client


def _received(inbox) -> list[str]:
    return sorted(m["To"] for m in inbox.messages if m["Subject"] == SUBJECT)


def test_killed_mailing_shows_stopped_then_resumes_mailing_each_subscriber_once(setup, make_post):
    app, inbox, db_url, tmp_path = setup
    subs = _subscribers()
    broken = subs[1]
    good_enc = broken.email_enc
    broken.email_enc = "rusak"  # its mail cannot be built: recorded, the loop goes on
    db.session.commit()
    client = _admin_client(app)
    post = make_post("Rilis banjir", status="published")

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path), db_url, str(app.config["MAIL_PORT"]), str(post.id)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        while not inbox.stalled.wait(0.05):  # the 4th mail is in flight
            assert child.poll() is None, child.stdout.read().decode(errors="replace")[-2000:]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    inbox.release.set()
    inbox.stall_after = None

    # Subscribers 1 and 3 got it, 2 failed to queue, 4 was in flight when the worker died.
    assert _received(inbox) == [ADDRESSES[0], ADDRESSES[2]]
    db.session.rollback()
    run = job_runs.find(subscriptions.MAILING_JOB, post.id)
    assert (run.state, run.done, run.total) == ("running", 2, 5)
    assert run.cursor == {"after": subs[2].id, "sent": 2, "failed": [broken.id]}

    page = client.get("/admin/feeds/pelanggan").get_data(as_text=True)
    assert "Rilis banjir" in page and "Berjalan" in page and "Lanjutkan" not in page

    # A publish event repeated meanwhile (a retry, a re-publication) mails nobody again.
    release_mailing.mail_release(post.id)
    assert _received(inbox) == [ADDRESSES[0], ADDRESSES[2]]

    broken.email_enc = good_enc  # the cause is fixed
    db.session.commit()
    later = datetime.now(UTC) + timedelta(seconds=app.config["JOB_STALE_AFTER"] + 60)
    with time_machine.travel(later, tick=False):
        page = client.get("/admin/feeds/pelanggan").get_data(as_text=True)
        assert "Gagal — terhenti: pekerja berhenti" in page
        assert "2 dari 5 terkirim; 1 gagal diantrekan" in page
        assert job_runs.mark_stopped() == 1  # the periodic sweep agrees with the page
        db.session.rollback()
        assert job_runs.find(subscriptions.MAILING_JOB, post.id).error == job_runs.STOPPED

        refused = client.post(f"/admin/feeds/pengiriman/{post.id}/lanjutkan")  # no CSRF token
        assert refused.status_code == 400
        assert _received(inbox) == [ADDRESSES[0], ADDRESSES[2]]

        resumed = client.post(
            f"/admin/feeds/pengiriman/{post.id}/lanjutkan", data={"csrf_token": csrf_token_from(page)}
        )
        assert resumed.status_code == 302

    assert _received(inbox) == sorted(ADDRESSES)  # each exactly once
    db.session.rollback()
    run = job_runs.find(subscriptions.MAILING_JOB, post.id)
    assert (run.state, run.done, run.total, run.attempt) == ("done", 5, 5, 2)
    with time_machine.travel(later + timedelta(minutes=1), tick=False):  # the session was last seen then
        page = client.get("/admin/feeds/pelanggan").get_data(as_text=True)
    assert "Selesai" in page and "5 dari 5 terkirim" in page and "Lanjutkan" not in page


def test_one_unqueueable_mail_does_not_stop_the_rest_and_is_resent_alone(feeds_app, make_post, smtp):
    subs = _subscribers()
    good_enc = subs[0].email_enc
    subs[0].email_enc = "rusak"
    db.session.commit()
    post = make_post("Rilis banjir", status="approved")
    assert publishing.publish_now(post, editor())

    assert sorted(m["To"] for m in smtp.messages) == ADDRESSES[1:]
    run = job_runs.find(subscriptions.MAILING_JOB, post.id)
    assert (run.state, run.done, run.total, run.error) == ("failed", 4, 5, "1 e-mail gagal diantrekan")

    subs[0].email_enc = good_enc
    db.session.commit()
    assert job_runs.reopen(run, resume=True)
    release_mailing.mail_release(post.id)
    assert sorted(m["To"] for m in smtp.messages) == ADDRESSES
    db.session.refresh(run)
    assert (run.state, run.done, run.total) == ("done", 5, 5)
