"""Reminders, the retention purge, calendar overrides (recompute, audit) and the subject export."""

from __future__ import annotations

import io
import json
from datetime import date

import time_machine
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from plugins.inbox import clock, services, tasks
from plugins.inbox.files import path_of
from tests.plugins.inbox.conftest import NIK, PNG, get_request


def test_reminders_at_3_and_1_working_days_and_when_late(inbox_app, submit, make_user, mailbox):
    utama = make_user("ppid", email="utama@warta.test")
    officer = make_user("ppid_unit", unit="Dinas Kesehatan", email="pembantu@warta.test")
    with time_machine.travel("2025-10-06 03:00:00", tick=False):
        number, _ = submit()
        services.assign(get_request(number), officer.unit, officer)
    mailbox.messages.clear()
    with time_machine.travel("2025-10-14 23:05:00", tick=False):  # Wed 15 Oct WIB: 3 WD left (due 20 Oct)
        assert tasks.send_reminders() == 1
        assert tasks.send_reminders() == 0  # never twice
    with time_machine.travel("2025-10-16 23:05:00", tick=False):  # Fri 17 Oct: 1 WD left
        assert tasks.send_reminders() == 1
    with time_machine.travel("2025-10-20 23:05:00", tick=False):  # Tue 21 Oct: overdue
        assert tasks.send_reminders() == 1
    subjects = [m["Subject"] for m in mailbox.to("pembantu@warta.test")]
    assert subjects == [
        f"Pengingat: {number} jatuh tempo 3 hari kerja lagi",
        f"Pengingat: {number} jatuh tempo 1 hari kerja lagi",
        f"TERLAMBAT: {number} melewati batas waktu Senin, 20 Oktober 2025",
    ]
    assert len(mailbox.to(utama.email)) == 3
    assert all(NIK not in mailbox.text(m) for m in mailbox.messages)


def test_objection_reminders_go_to_the_atasan(inbox_app, submit, make_user, mailbox):
    from plugins.inbox import objections

    atasan = make_user("atasan", email="atasan@warta.test")
    with time_machine.travel("2025-10-06 03:00:00", tick=False):
        number, _ = submit()
        req = get_request(number)
        services.answer(req, {"outcome": "belum_didokumentasikan"})
        obj = objections.file_objection(req, {"grounds": ["e"], "case_summary": "x"})
    mailbox.messages.clear()
    with time_machine.travel(f"{clock.add(obj.due_date, 1).isoformat()} 03:00:00", tick=False):
        tasks.send_reminders()
    assert any(obj.number in m["Subject"] for m in mailbox.to(atasan.email))


def test_retention_purge_deletes_identity_files_and_keeps_the_register(inbox_app, submit, make_user):
    with time_machine.travel("2025-01-06 03:00:00", tick=False):
        number, _ = submit(ktp=(io.BytesIO(PNG), "ktp.png"))
        req = get_request(number)
        services.answer(req, {"outcome": "dikabulkan_seluruhnya"})
    ktp = next(f for f in req.files if f.kind == "ktp")
    stored = path_of(ktp)
    with time_machine.travel("2025-12-01 03:00:00", tick=False):
        assert tasks.purge() == 0 and stored.exists()
    with time_machine.travel("2026-01-10 03:00:00", tick=False):
        assert tasks.purge() == 1
    req = get_request(number)
    assert not stored.exists() and req.nik_enc is None and req.purged_at is not None
    assert req.nik_masked == "************0001" and req.name == "Budi Santoso" and req.nik_hash
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "inbox.retention.purged"))
    assert entry.object_id == number and entry.detail["files"] == ["ktp"]


def test_purge_waits_for_an_open_keberatan(inbox_app, submit):
    from plugins.inbox import objections

    with time_machine.travel("2025-01-06 03:00:00", tick=False):
        number, _ = submit()
        req = get_request(number)
        services.answer(req, {"outcome": "belum_didokumentasikan"})
        objections.file_objection(req, {"grounds": ["e"], "case_summary": "x"})
    with time_machine.travel("2026-03-01 03:00:00", tick=False):
        assert tasks.purge() == 0


def test_calendar_override_recomputes_open_deadlines(client, login, submit, make_user):
    ppid = make_user("ppid")
    with time_machine.travel("2025-10-06 03:00:00", tick=False):
        open_number, _ = submit()
        done_number, _ = submit(email="x@contoh.id")
        services.answer(get_request(done_number), {"outcome": "dikabulkan_seluruhnya"})
        login(ppid)
        page = client.get("/admin/inbox/kalender?year=2025").text
        assert "Senin, 18 Agustus 2025" in page  # cuti bersama added mid-2025 is known
        bad = client.post("/admin/inbox/kalender", data={"day": "2025-10-08", "kind": "libur", "reference": ""})
        assert bad.status_code == 400 and "Dasar wajib diisi." in bad.text
        client.post(
            "/admin/inbox/kalender",
            data={"day": "2025-10-08", "kind": "libur", "reference": "SKB 3 Menteri No. 999/2025"},
        )
        assert get_request(open_number).due_date == date(2025, 10, 21)
        assert get_request(done_number).due_date == date(2025, 10, 20)  # closed cases keep theirs
        actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.startswith("inbox."))).all()
        assert "inbox.calendar.set" in actions and "inbox.deadline.recomputed" in actions
        client.post("/admin/inbox/kalender/2025-10-08/hapus")
        assert get_request(open_number).due_date == date(2025, 10, 20)


@time_machine.travel("2026-11-23 03:00:00", tick=False)
def test_calendar_warns_when_next_year_has_no_decree(client, login, make_user):
    officer = make_user("ppid")
    login(officer)
    page = client.get("/admin/inbox/kalender").text
    assert "Belum ada data SKB libur nasional dan cuti bersama untuk tahun 2028" not in page
    with time_machine.travel("2027-10-01 03:00:00", tick=False):
        login(officer)  # the 2026 sign-in has long expired
        page = client.get("/admin/inbox/kalender").text
        assert "Belum ada data SKB libur nasional dan cuti bersama untuk tahun 2028" in page


def test_cuti_bersama_setting(inbox_app, submit):
    inbox_app.config["INBOX_COUNT_CUTI_BERSAMA"] = True
    with time_machine.travel("2025-03-24 02:00:00", tick=False):
        number, _ = submit()
    assert get_request(number).due_date == date(2025, 4, 9)


def test_subject_access_export(client, login, submit, make_user):
    number, _ = submit()
    login(make_user("ppid_unit", unit="Dinas Kesehatan"))
    assert client.get("/admin/inbox/pemohon").status_code == 403
    login(make_user("ppid"))
    resp = client.post("/admin/inbox/pemohon", data={"nik": NIK})
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    data = json.loads(resp.data)
    assert data["requests"][0]["nomor_pendaftaran"] == number and data["requests"][0]["nik"] == "************0001"
    assert "inbox.request.created" in [e["aksi"] for e in data["riwayat_pemrosesan"]]
    assert client.post("/admin/inbox/pemohon", data={"email": "tidak@ada.id"}).status_code == 404


@time_machine.travel("2027-10-01 03:00:00", tick=False)
def test_dashboard_warns_the_ppid_about_missing_decree(client, login, make_user):
    login(make_user("ppid"))
    assert "tahun 2028 belum tersedia" in client.get("/admin/").text
    login(make_user("ppid_unit", unit="Dinas Kesehatan"))
    assert "tahun 2028 belum tersedia" not in client.get("/admin/").text
