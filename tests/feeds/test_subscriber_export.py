"""Subscriber exports over ``FEEDS_SUBSCRIBER_JOB_ROWS`` are written by the
worker: progress, then a file only the admin who asked may fetch (logged)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog, JobRun
from tests.conftest import PASSWORD
from tests.feeds.test_subscriptions import active_subscriber


def _login(client, email, role):
    from cms import accounts

    user = accounts.create_user(email, role, PASSWORD)
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    return user


def _actions(action):
    return db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()


def test_large_subscriber_export_runs_as_a_job_for_its_admin_only(feeds_app, fclient, smtp):
    active_subscriber(fclient, smtp, "wartawan@redaksi.test")
    active_subscriber(fclient, smtp, "=1+2@redaksi.test")
    feeds_app.config["FEEDS_SUBSCRIBER_JOB_ROWS"] = 1
    admin = _login(fclient, "admin@warta.test", "admin")
    resp = fclient.get("/admin/feeds/pelanggan.csv")
    assert resp.status_code == 302
    db.session.expire_all()
    [run] = db.session.scalars(select(JobRun).where(JobRun.kind == "feeds.subscriber_export")).all()
    assert resp.headers["Location"].endswith(f"/admin/feeds/pelanggan/ekspor/{run.id}")
    assert (run.state, run.done, run.total, run.cursor["user_id"]) == ("done", 2, 2, admin.id)
    page = fclient.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Berkas siap." in page and "2 dari 2 baris" in page and 'value="2" max="2"' in page
    assert _actions("subscriber.export") == []  # nothing disclosed yet

    got = fclient.get(f"/admin/feeds/pelanggan/ekspor/{run.id}/unduh")
    assert got.status_code == 200 and got.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "email", "status"]
    assert sorted(r[1] for r in rows[1:]) == ["'=1+2@redaksi.test", "wartawan@redaksi.test"]
    [logged] = _actions("subscriber.export")
    assert logged.detail == {"rows": 2, "run": run.id}

    # Another admin gets a 404 (logged); an editor may not export at all.
    _login(fclient, "admin2@warta.test", "admin")
    assert fclient.get(f"/admin/feeds/pelanggan/ekspor/{run.id}").status_code == 404
    assert fclient.get(f"/admin/feeds/pelanggan/ekspor/{run.id}/unduh").status_code == 404
    assert len(_actions("access.denied")) == 2
    _login(fclient, "editor9@warta.test", "editor")
    assert fclient.get(f"/admin/feeds/pelanggan/ekspor/{run.id}/unduh").status_code == 403


def test_small_subscriber_export_stays_in_the_request(feeds_app, fclient, smtp):
    active_subscriber(fclient, smtp, "wartawan@redaksi.test")
    _login(fclient, "admin@warta.test", "admin")
    got = fclient.get("/admin/feeds/pelanggan.csv")
    assert got.status_code == 200 and "wartawan@redaksi.test" in got.get_data(as_text=True)
    assert db.session.scalar(select(JobRun).where(JobRun.kind == "feeds.subscriber_export")) is None


def test_expired_subscriber_export_file_is_removed(feeds_app, fclient, smtp):
    from datetime import timedelta

    from cms import export_runs
    from cms.feeds import subscriber_export

    active_subscriber(fclient, smtp, "wartawan@redaksi.test")
    feeds_app.config["FEEDS_SUBSCRIBER_JOB_ROWS"] = 0
    _login(fclient, "admin@warta.test", "admin")
    status = fclient.get("/admin/feeds/pelanggan.csv").headers["Location"]
    db.session.expire_all()
    run = db.session.scalar(select(JobRun).where(JobRun.kind == subscriber_export.JOB))
    path = export_runs.file_path(run, subscriber_export.hours())
    assert path is not None and path.exists()
    run.finished_at -= timedelta(hours=subscriber_export.hours() + 1)
    db.session.commit()
    assert fclient.get(f"{status}/unduh").status_code == 404
    assert subscriber_export.remove_expired() == 1 and not path.exists()
    assert "Berkas sudah dihapus" in fclient.get(status).get_data(as_text=True)


def test_subscriber_csv_speaks_the_list_page_s_language_in_both_paths(feeds_app, fclient, smtp):
    """Status as the page labels it and times in WIB as Warta's other CSVs
    write them, whether the request or the worker writes the file."""
    import time_machine

    from tests.feeds.test_subscriptions import subscribe

    with time_machine.travel("2026-12-07 06:40:39.893127", tick=False):
        active_subscriber(fclient, smtp, "wartawan@redaksi.test")
        subscribe(fclient, "belum@redaksi.test")
    _login(fclient, "admin@warta.test", "admin")
    direct = fclient.get("/admin/feeds/pelanggan.csv").data
    feeds_app.config["FEEDS_SUBSCRIBER_JOB_ROWS"] = 1
    status = fclient.get("/admin/feeds/pelanggan.csv").headers["Location"]
    queued = fclient.get(f"{status}/unduh").data
    for body in (direct, queued):
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows[0] == [
            "id", "email", "status", "kategori", "dibuat (WIB)", "dikonfirmasi (WIB)", "berhenti (WIB)"
        ]  # fmt: skip
        by_email = {r[1]: r for r in rows[1:]}
        assert by_email["wartawan@redaksi.test"][2:] == [
            "Aktif", "semua", "7 Desember 2026 13.40", "7 Desember 2026 13.40", ""
        ]  # fmt: skip
        assert by_email["belum@redaksi.test"][2] == "Menunggu konfirmasi"
        assert "active" not in body.decode() and ".893127" not in body.decode()
