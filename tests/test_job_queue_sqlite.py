"""The SQLite job queue: cheap to enqueue, and a queued job outlives its process.

Enqueueing used to wait for an fsync of the queue's log (~24 ms in the web
request); in WAL mode with ``synchronous=NORMAL`` the commit is in the log
before ``enqueue`` returns, which a killed process cannot take back.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from cms.extensions import db
from cms.jobs import queue
from cms.models import AuditLog
from tests.test_jobs import write_audit  # noqa: F401 - registers tests.write_audit

ROOT = Path(__file__).resolve().parent.parent


def _queue_app(make_app, tmp_path, **extra):
    return make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'warta.db'}",
        HUEY_IMMEDIATE=False,
        REDIS_URL=None,
        HUEY_SQLITE_PATH=str(tmp_path / "huey.db"),
        **extra,
    )


def test_the_queue_log_is_not_synced_on_every_enqueue(make_app, tmp_path):
    app = _queue_app(make_app, tmp_path)
    storage = queue(app).huey.storage
    assert storage.conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert storage.conn.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL


def test_full_sync_can_be_asked_for_and_nonsense_is_refused(make_app, tmp_path):
    app = _queue_app(make_app, tmp_path, HUEY_SQLITE_SYNCHRONOUS="full")
    assert queue(app).huey.storage.conn.execute("pragma synchronous").fetchone()[0] == 2
    with pytest.raises(ValueError, match="HUEY_SQLITE_SYNCHRONOUS"):
        _queue_app(make_app, tmp_path / "other", HUEY_SQLITE_SYNCHRONOUS="OFF")


def test_a_job_enqueued_by_a_killed_process_runs_after_the_restart(make_app, tmp_path):
    """A web process enqueues and is killed at once (SIGKILL: no clean-up,
    no close); the next process finds the job and runs it."""
    enqueuer = textwrap.dedent(
        f"""
        import os, signal
        from cms import create_app
        from cms.jobs import enqueue
        import tests.test_jobs
        app = create_app({{
            "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path / "warta.db"}",
            "SECRET_KEY": "t", "CMS_PLUGINS": [], "HUEY_IMMEDIATE": False, "REDIS_URL": None,
            "HUEY_SQLITE_PATH": "{tmp_path / "huey.db"}",
        }})
        with app.app_context():
            enqueue("tests.write_audit", "after-restart")
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TEST_DATABASE_URL")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", enqueuer], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == -9, done.stderr[-2000:]

    app = _queue_app(make_app, tmp_path)
    with app.app_context():
        huey = queue().huey
        queue().task("tests.write_audit")  # as the worker binds every job
        assert [(t.name, t.args) for t in huey.pending()] == [("tests.write_audit", ("after-restart",))]
        huey.execute(huey.dequeue())
        assert huey.pending_count() == 0
        ran = db.session.scalars(select(AuditLog.object_id).where(AuditLog.action == "tests.job_ran")).all()
        assert ran == ["after-restart"]


def test_every_job_and_periodic_task_binds_to_one_worker_queue(make_app, tmp_path):
    """What ``flask cms worker`` does first: a periodic task named like a job
    (both become huey task ``cms.jobs.<name>``) stopped the worker at start."""
    app = _queue_app(make_app, tmp_path, CMS_PLUGINS=["inbox", "dip", "crosspost"])
    queue(app).bind_all()
    names = set(queue(app).huey._registry._registry)
    assert "cms.jobs.feeds.embargo_changes" in names
    assert "cms.jobs.feeds.embargo_changes_sweep" in names
