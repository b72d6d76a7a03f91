"""A worker killed mid-job: the run shows as stopped with what was done, and resumes without duplicates."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from cms import job_runs
from cms.extensions import db
from cms.models import JobRun
from tests.conftest import PASSWORD, TEST_DB_URL, csrf_token_from, on_postgres

ROOT = Path(__file__).resolve().parent.parent
ROWS = 8000


def _csv(rows: int) -> bytes:
    lines = ["Kode,Ringkasan Isi Informasi,Kategori,Unit,Tahun"]
    lines += [f"K-{i},Laporan kegiatan nomor {i},Berkala,Dinas Nomor {i % 40},2025" for i in range(1, rows + 1)]
    return ("\n".join(lines) + "\n").encode()


def _wait_for(check, *, what: str, deadline: float = 120.0, worker=None):
    """Poll the database until ``check()`` is truthy; fail with ``what`` at the deadline."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        db.session.rollback()  # a fresh snapshot each time (SQLite WAL keeps the old one otherwise)
        value = check()
        if value:
            return value
        if worker is not None and worker.poll() is not None:
            raise AssertionError(
                f"worker exited ({worker.returncode}) before {what}: "
                f"{worker.stdout.read().decode(errors='replace')[-2000:]}"
            )
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _login(client, user) -> None:
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[-1500:]


def _start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "cms", "worker", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def worker_setup(make_app, tmp_path):
    db_url = TEST_DB_URL if on_postgres() else f"sqlite:///{tmp_path / 'warta.db'}"
    huey_path = str(tmp_path / "huey.db")
    app = make_app(
        enabled=["dip"],
        SQLALCHEMY_DATABASE_URI=db_url,
        HUEY_IMMEDIATE=False,
        HUEY_SQLITE_PATH=huey_path,
        REDIS_URL=None,
        DIP_IMPORT_INLINE_KB=0,
        WTF_CSRF_ENABLED=True,
    )
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "FLASK_HUEY_SQLITE_PATH": huey_path,
        "CMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "t",
        "CMS_PLUGINS": '["dip"]',
        "PYTHONPATH": str(ROOT),
        "FLASK_APP": "tests.worker_app",
    }
    env.pop("REDIS_URL", None)
    env.pop("TEST_DATABASE_URL", None)
    started: list[subprocess.Popen] = []

    def start():
        started.append(_start_worker(env))
        return started[-1]

    with app.app_context():
        yield app, start
    for worker in started:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)


def test_sigkilled_import_worker_shows_stopped_then_resumes_without_duplicates(worker_setup):
    from cms import accounts
    from plugins.dip.models import DipEntry, DipImport

    app, start_worker = worker_setup
    user = accounts.create_user("ppid-kill@warta.test", "ppid", PASSWORD)
    client = app.test_client()
    _login(client, user)
    token = csrf_token_from(client.get("/admin/dip/impor").get_data(as_text=True))
    response = client.post(
        "/admin/dip/impor",
        data={"file": (io.BytesIO(_csv(ROWS)), "dip-besar.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    import_id = db.session.scalar(select(DipImport.id))

    worker = start_worker()
    stored_midway = _wait_for(
        lambda: (
            (job := job_runs.find("dip.import", import_id))
            and (job.cursor or {}).get("row", 0) >= 2000
            and job.cursor["row"]
        ),
        what="2000 rows stored",
        worker=worker,
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)

    db.session.rollback()
    job = job_runs.find("dip.import", import_id)
    run = db.session.get(DipImport, import_id)
    assert job.state == "running" and run.status == "running"  # nobody was told: the worker just vanished
    done, stored = job.done, job.cursor["row"]
    # ``done`` (progress, every 100 rows) may trail the cursor, which lands
    # with its batch: the kill can fall between the two.
    assert stored_midway <= stored < ROWS and done < ROWS
    assert db.session.scalar(select(func.count()).select_from(DipEntry)) == stored

    # Still within the threshold: shown as running, no restart offered.
    page = client.get(f"/admin/dip/impor/{import_id}").get_data(as_text=True)
    assert "Berjalan" in page and "Lanjutkan" not in page

    later = datetime.now(UTC) + timedelta(seconds=app.config["JOB_STALE_AFTER"] + 60)
    with time_machine.travel(later, tick=False):
        page = client.get(f"/admin/dip/impor/{import_id}").get_data(as_text=True)
        assert "Gagal — terhenti: pekerja berhenti" in page
        shown = max(done, stored)  # never fewer processed than stored
        assert f"Diproses sebelum berhenti: {shown} dari {ROWS} baris; {stored} baris sudah tersimpan." in page
        assert f"Lanjutkan dari baris {stored + 1}" in page
        assert 'http-equiv="refresh"' not in page
        listing = client.get("/admin/dip/impor").get_data(as_text=True)
        assert "dip-besar.csv</a> — Gagal" in listing

        # The restart is a CSRF-protected POST: without the token nothing happens.
        refused = client.post(f"/admin/dip/impor/{import_id}/lanjutkan")
        assert refused.status_code == 400
        db.session.rollback()
        assert job_runs.find("dip.import", import_id).state == "running"

        resumed = client.post(f"/admin/dip/impor/{import_id}/lanjutkan", data={"csrf_token": csrf_token_from(page)})
        assert resumed.status_code == 302
    db.session.rollback()
    assert job_runs.find("dip.import", import_id).state == "queued"

    worker = start_worker()
    _wait_for(lambda: db.session.get(DipImport, import_id).status == "done", what="the resumed import", worker=worker)
    run = db.session.get(DipImport, import_id)
    count, distinct = db.session.execute(select(func.count(), func.count(func.distinct(DipEntry.kode)))).one()
    assert count == distinct == ROWS
    # Rows stored before the kill are counted once: the resume started after them.
    assert (run.summary["created"], run.summary["updated"], run.summary["failed"]) == (ROWS, 0, 0)
    job = job_runs.find("dip.import", import_id)
    assert (job.state, job.done, job.total, job.attempt) == ("done", ROWS, ROWS, 2)
    with time_machine.travel(later + timedelta(minutes=1), tick=False):  # the session was last seen then
        page = client.get(f"/admin/dip/impor/{import_id}").get_data(as_text=True)
    assert "Selesai" in page and "Lanjutkan" not in page and f"<td>{ROWS}</td>" in page


def test_a_worker_declared_dead_cannot_write_over_the_run_that_replaced_it(make_app):
    app = make_app()
    with app.app_context():
        first = job_runs.claim("tests.kind", 1)
        first.beat(10, 100, cursor={"row": 10})
        run = db.session.scalar(select(JobRun))
        with time_machine.travel(datetime.now(UTC) + timedelta(seconds=app.config["JOB_STALE_AFTER"] + 1)):
            assert job_runs.shown_state(run) == "failed"
            assert job_runs.reopen(run, resume=True)
            assert not job_runs.reopen(run, resume=True)  # a second click finds nothing stuck
        second = job_runs.claim("tests.kind", 1)
        assert second is not None and second.cursor == {"row": 10}
        assert job_runs.claim("tests.kind", 1) is None  # already running
        with pytest.raises(job_runs.Superseded):
            first.beat(20, 100)
        second.finish(done=100)
        db.session.refresh(run)
        assert (run.state, run.done, run.attempt) == ("done", 100, 2)


def test_periodic_sweep_records_stopped_runs_as_failed(make_app):
    app = make_app()
    with app.app_context():
        job_runs.claim("tests.kind", "a").beat(5, 50)
        job_runs.claim("tests.kind", "b")
        assert job_runs.mark_stopped() == 0
        with time_machine.travel(datetime.now(UTC) + timedelta(seconds=app.config["JOB_STALE_AFTER"] + 1)):
            assert job_runs.mark_stopped() == 2
        states = dict(db.session.execute(select(JobRun.subject, JobRun.error)).all())
        assert states == {"a": job_runs.STOPPED, "b": job_runs.STOPPED}


def test_a_lost_queued_import_is_retried_from_the_start_without_duplicates(make_app, tmp_path):
    """The worker took the job off the queue and died before starting it: nothing would ever run it."""
    from cms import accounts
    from plugins.dip.admin_cycle import run_import
    from plugins.dip.importer import Importer
    from plugins.dip.models import DipEntry, DipImport

    app = make_app(
        enabled=["dip"],
        HUEY_IMMEDIATE=False,
        HUEY_SQLITE_PATH=str(tmp_path / "huey.db"),
        REDIS_URL=None,
        DIP_IMPORT_INLINE_KB=0,
    )
    with app.app_context():
        user = accounts.create_user("ppid-lost@warta.test", "ppid", PASSWORD)
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        (tmp_path / "first.csv").write_bytes(_csv(5))
        Importer().run(tmp_path / "first.csv")  # five rows already stored by an earlier attempt
        client.post(
            "/admin/dip/impor",
            data={"file": (io.BytesIO(_csv(50)), "lima-puluh.csv")},
            content_type="multipart/form-data",
        )
        import_id = db.session.scalar(select(DipImport.id))
        assert "Menunggu antrean" in client.get(f"/admin/dip/impor/{import_id}").get_data(as_text=True)

        later = datetime.now(UTC) + timedelta(seconds=app.config["JOB_STALE_AFTER"] + 60)
        with time_machine.travel(later, tick=False):
            page = client.get(f"/admin/dip/impor/{import_id}").get_data(as_text=True)
            assert "Ulangi dari awal" in page
            assert client.post(f"/admin/dip/impor/{import_id}/ulangi").status_code == 302
            assert client.post(f"/admin/dip/impor/{import_id}/ulangi").status_code == 302  # a second click
            page = client.get(f"/admin/dip/impor/{import_id}").get_data(as_text=True)
            assert "Impor ini tidak sedang terhenti." in page
            run_import(import_id)  # the worker that finally picks it up
            run_import(import_id)  # and the duplicate message the second click could have queued
        run = db.session.get(DipImport, import_id)
        assert run.status == "done"
        assert (run.summary["created"], run.summary["skipped"]) == (45, 5)
        assert (
            db.session.scalar(select(func.count(func.distinct(DipEntry.kode))))
            == db.session.scalar(select(func.count()).select_from(DipEntry))
            == 50
        )
