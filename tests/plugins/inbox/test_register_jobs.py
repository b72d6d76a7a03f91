"""Large register exports go through the worker: a job run with progress,
one at a time per exporter and filter, a file only its exporter may fetch
(logged), removed after the setting's hours; small exports stay direct."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from cms.extensions import db
from cms.models import AuditLog, JobRun
from cms.timeutil import naive_utc
from plugins.inbox import register_jobs
from tests.plugins.inbox.conftest import get_request


@pytest.fixture
def three(inbox_app, submit):
    """Three requests, two of them at the Dinas Kesehatan."""
    from cms import accounts

    health = accounts.get_or_create_unit("Dinas Kesehatan")
    numbers = [submit(name=f"Pemohon {n}")[0] for n in range(3)]
    for number in numbers[:2]:
        get_request(number).unit_id = health.id
    db.session.commit()
    inbox_app.config["INBOX_REGISTER_JOB_ROWS"] = 2
    return {"numbers": numbers, "health": health}


def _runs():
    db.session.expire_all()
    return db.session.scalars(select(JobRun).where(JobRun.kind == register_jobs.JOB)).all()


def test_large_xlsx_export_runs_as_a_job_and_only_its_exporter_downloads_it(three, client, login, make_user, inbox_app):
    ppid = make_user("ppid")
    login(ppid)
    resp = client.get("/admin/inbox/register.xlsx")
    assert resp.status_code == 302
    [run] = _runs()
    assert resp.headers["Location"].endswith(f"/admin/inbox/register/ekspor/{run.id}")
    assert (run.state, run.done, run.total, run.cursor["rows"]) == ("done", 3, 3, 3)
    page = client.get(resp.headers["Location"]).text
    assert "Berkas siap." in page and "3 dari 3 baris" in page and 'value="3" max="3"' in page
    assert f"/admin/inbox/register/ekspor/{run.id}/unduh" in page and 'http-equiv="refresh"' not in page

    got = client.get(f"/admin/inbox/register/ekspor/{run.id}/unduh")
    assert got.status_code == 200 and got.headers["Content-Disposition"].startswith("attachment;")
    assert "register-permohonan-semua.xlsx" in got.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(got.data)).active
    assert ws["A1"].value == "BUKU REGISTER PERMOHONAN INFORMASI PUBLIK"
    numbers = [r[1].value for r in ws.iter_rows(min_row=8) if isinstance(r[0].value, int)]
    assert sorted(numbers) == sorted(three["numbers"])
    actions = [e.action for e in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions.count("inbox.register.exported") == 1 and actions.count("inbox.register.downloaded") == 1
    exported = db.session.scalar(select(AuditLog).where(AuditLog.action == "inbox.register.exported"))
    assert exported.detail["job"] is True and exported.detail["rows"] == 3

    # Another PPID officer and a unit's officer see neither the page nor the file.
    for other in (make_user("ppid"), make_user("ppid_unit", unit=three["health"])):
        login(other)
        assert client.get(f"/admin/inbox/register/ekspor/{run.id}").status_code == 404
        assert client.get(f"/admin/inbox/register/ekspor/{run.id}/unduh").status_code == 404
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    assert len(denied) == 4 and {e.object_type for e in denied} == {"job_run"}


def test_csv_export_job_and_a_unit_officer_gets_only_its_unit(three, client, login, make_user):
    officer = make_user("ppid_unit", unit=three["health"])
    login(officer)
    resp = client.get("/admin/inbox/register.csv")
    assert resp.status_code == 200  # two rows: at the threshold, still direct
    assert len(list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))) == 3
    login(make_user("ppid"))
    resp = client.get("/admin/inbox/register.csv")
    assert resp.status_code == 302
    got = client.get(resp.headers["Location"] + "/unduh")
    table = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert table[0][:2] == ["No", "Nomor pendaftaran"] and sorted(r[1] for r in table[1:]) == sorted(three["numbers"])


def test_progress_shows_while_running_and_the_same_export_is_not_started_twice(three, client, login, make_user):
    login(make_user("ppid"))
    first = client.get("/admin/inbox/register.xlsx?year=2026")
    [run] = _runs()
    # As a worker in the middle of it would leave the run.
    db.session.execute(
        update(JobRun).where(JobRun.id == run.id).values(state="running", done=1, heartbeat_at=naive_utc())
    )
    db.session.commit()
    page = client.get(first.headers["Location"]).text
    assert "Sedang ditulis" in page and "1 dari 3 baris" in page and 'http-equiv="refresh"' in page
    assert "/unduh" not in page
    assert client.get(first.headers["Location"] + "/unduh").status_code == 404
    again = client.get("/admin/inbox/register.xlsx?year=2026")
    assert again.headers["Location"] == first.headers["Location"]
    [same] = _runs()
    assert (same.id, same.state, same.done) == (run.id, "running", 1)  # not queued again
    # Another filter is another export.
    client.get("/admin/inbox/register.xlsx?year=2026&channel=web")
    assert len(_runs()) == 2


def test_a_finished_export_asked_again_is_written_afresh(three, client, login, make_user):
    login(make_user("ppid"))
    client.get("/admin/inbox/register.xlsx")
    [old] = _runs()
    old_file = register_jobs.file_path(old)
    assert old_file is not None and old_file.exists()
    client.get("/admin/inbox/register.xlsx")
    [new] = _runs()
    assert new.state == "done" and new.cursor["file"] != old.cursor["file"]
    assert not old_file.exists()


def test_export_file_is_removed_after_the_setting_hours(three, client, login, make_user, inbox_app):
    inbox_app.config["INBOX_REGISTER_EXPORT_HOURS"] = 2
    login(make_user("ppid"))
    status = client.get("/admin/inbox/register.xlsx").headers["Location"]
    [run] = _runs()
    path = register_jobs.file_path(run)
    later = naive_utc() + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        assert register_jobs.file_path(run) is None  # past its time even before the sweep
        assert register_jobs.remove_expired() == 1
    assert not path.exists()
    [run] = _runs()
    assert run.cursor.get("removed") and "file" not in run.cursor
    page = client.get(status).text
    assert "Berkas sudah dihapus" in page and "/unduh" not in page
    assert client.get(status + "/unduh").status_code == 404


def test_small_exports_stay_direct(three, client, login, make_user, inbox_app):
    inbox_app.config["INBOX_REGISTER_JOB_ROWS"] = 5000
    login(make_user("ppid"))
    resp = client.get("/admin/inbox/register.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0


def test_files_left_in_the_old_export_folder_are_removed_in_time(inbox_app):
    """Registers were written to private/inbox/exports before the shared
    export runs; after an upgrade the sweep still removes them when due."""
    import os
    import time

    from cms.api import private_dir

    inbox_app.config["INBOX_REGISTER_EXPORT_HOURS"] = 2
    old_folder = private_dir("inbox", "exports")
    stale, fresh = old_folder / "a.xlsx", old_folder / "b.csv"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"y")
    three_hours_ago = time.time() - 3 * 3600
    os.utime(stale, (three_hours_ago, three_hours_ago))
    assert register_jobs.remove_expired() == 1
    assert not stale.exists() and fresh.exists()


def test_worker_export_states_the_received_dates_in_heading_and_name(three, client, login, make_user):
    login(make_user("ppid"))
    resp = client.get("/admin/inbox/register.xlsx?dari=2000-01-01&sampai=2100-12-31")
    assert resp.status_code == 302
    got = client.get(resp.headers["Location"] + "/unduh")
    assert "register-permohonan-2000-01-01_2100-12-31.xlsx" in got.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(got.data)).active
    assert ws["A4"].value == "Periode: 1 Januari 2000 s.d. 31 Desember 2100"
    csv_run = client.get("/admin/inbox/register.csv?dari=2000-01-01")
    got = client.get(csv_run.headers["Location"] + "/unduh")
    assert "register-permohonan-dari-2000-01-01.csv" in got.headers["Content-Disposition"]
