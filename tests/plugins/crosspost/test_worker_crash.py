"""Kill the worker between "the network saved it" and "we recorded it": no duplicate where
the network has idempotency; "outcome unknown" (for a person) where it has not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine

from cms.extensions import db
from plugins.crosspost import delivery, outbox
from tests.plugins.crosspost.conftest import DATA_KEY, deliveries, now, settings_for

ROOT = Path(__file__).resolve().parents[3]

WORKER = textwrap.dedent("""
    import sys
    from cms import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                      "CMS_PLUGINS": ["crosspost"], "CMS_DATA_KEY": sys.argv[2], "HUEY_IMMEDIATE": True,
                      "SITE_URL": "http://warta.test", "CROSSPOST_HTTP_TIMEOUT": 30})
    with app.app_context():
        from plugins.crosspost.delivery import deliver
        print(deliver(int(sys.argv[3])))
""")


@pytest.fixture
def file_app(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'warta.db'}"
    # A real queue nobody consumes: this test plays the worker itself.
    app = make_app(
        enabled=["crosspost"],
        SQLALCHEMY_DATABASE_URI=url,
        CMS_DATA_KEY=DATA_KEY,
        CROSSPOST_HTTP_TIMEOUT=2,
        HUEY_IMMEDIATE=False,
        HUEY_SQLITE_PATH=str(tmp_path / "huey.db"),
    )
    with app.app_context():
        yield app, url


def _crash_worker_mid_delivery(url, delivery_id, fake, tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    fake.faults.append("hold-after-save")
    worker = subprocess.Popen(
        [sys.executable, str(script), url, DATA_KEY, str(delivery_id)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        while not fake.saved_event.wait(0.05):
            assert worker.poll() is None, worker.communicate(timeout=5)
        worker.send_signal(signal.SIGKILL)  # the network has the post; we never record it
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    fake.release.set()


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_killed_worker_does_not_double_post_on_idempotent_networks(file_app, tmp_path, network, request, make_post):
    from plugins.crosspost import accounts

    app, url = file_app
    fake = request.getfixturevalue(network)
    accounts.save(None, network, "Akun", settings_for(network, fake))
    post = make_post(status="published", published_at=now())  # after the account was added
    outbox.on_published(post)
    (row,) = deliveries(post_id=post.id)
    _crash_worker_mid_delivery(url, row.id, fake, tmp_path)
    db.session.refresh(row)
    assert row.status == "sending" and len(fake.posts) == 1
    with time_machine.travel(now() + timedelta(minutes=10), tick=False):
        result = outbox.sweep()
        assert result["recovered"] == 1 and result["enqueued"] == 1
        assert delivery.deliver(row.id) == "sent"  # the next worker picks it up
    db.session.refresh(row)
    assert row.status == "sent" and row.attempts == 2
    assert len(fake.posts) == 1  # the retry reached the same post, not a new one
    assert row.remote_url


def test_killed_worker_on_telegram_leaves_outcome_unknown(file_app, tmp_path, telegram, make_post):
    from plugins.crosspost import accounts

    app, url = file_app
    accounts.save(None, "telegram", "Kanal", settings_for("telegram", telegram))
    post = make_post(status="published", published_at=now())  # after the account was added
    outbox.on_published(post)
    (row,) = deliveries(post_id=post.id)
    _crash_worker_mid_delivery(url, row.id, telegram, tmp_path)
    with time_machine.travel(now() + timedelta(minutes=10), tick=False):
        outbox.sweep()
        assert delivery.deliver(row.id) == "not-claimed"
    db.session.refresh(row)
    assert row.status == "unknown" and "terputus" in row.last_error
    assert len(telegram.posts) == 1
