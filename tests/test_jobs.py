"""The background worker runs queued jobs, in its own process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from cms import audit
from cms.extensions import db
from cms.jobs import enqueue, job, queue
from cms.models import AuditLog

ROOT = Path(__file__).resolve().parent.parent


@job("tests.write_audit")
def write_audit(note: str) -> str:
    audit.record("tests.job_ran", "job", note, commit=True)
    return f"done {note}"


def test_immediate_mode_runs_jobs_inline(app):
    result = enqueue("tests.write_audit", "inline")
    assert result() == "done inline"
    assert db.session.scalars(select(AuditLog.object_id).where(AuditLog.action == "tests.job_ran")).all() == ["inline"]


def test_unknown_job_name_is_an_error(app):
    import pytest

    with pytest.raises(KeyError, match="no background job"):
        enqueue("tests.nope")


def test_worker_process_runs_a_queued_job(make_app, tmp_path):
    """Queue in one process, run by `flask cms worker` in another."""
    db_url = f"sqlite:///{tmp_path / 'warta.db'}"
    huey_path = str(tmp_path / "huey.db")
    app = make_app(SQLALCHEMY_DATABASE_URI=db_url, HUEY_IMMEDIATE=False, HUEY_SQLITE_PATH=huey_path, REDIS_URL=None)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "FLASK_HUEY_SQLITE_PATH": huey_path,
        "CMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "t",
        "CMS_PLUGINS": "[]",
        "PYTHONPATH": str(ROOT),
        "FLASK_APP": "tests.worker_app",
    }
    env.pop("REDIS_URL", None)
    env.pop("TEST_DATABASE_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "cms", "worker", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        with app.app_context():
            handle = enqueue("tests.write_audit", "from-worker")
            assert handle.get(blocking=True, timeout=30) == "done from-worker"
            entries = db.session.scalars(select(AuditLog.object_id).where(AuditLog.action == "tests.job_ran")).all()
            assert entries == ["from-worker"]
            assert queue().huey.get("cms:worker-heartbeat", peek=True) is not None
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)


def test_worker_binds_every_job_and_periodic_task(app):
    """`flask cms worker` binds every job and every periodic task of the core
    and the bundled plugins to one huey: a periodic task named like a job made
    huey refuse the second and the worker die at start (make run sent no mail)."""
    from cms.jobs import periodic_tasks

    jobs = queue(app)
    jobs.bind_all()
    periodic = [p.name for p in periodic_tasks(app)]
    assert "feeds.embargo_changes_sweep" in periodic
    assert len(periodic) == len(set(periodic))
