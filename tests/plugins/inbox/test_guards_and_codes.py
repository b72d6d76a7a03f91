"""Guards the law implies (extension, premature keberatan, desk receipt time)
and the re-issued tracking code (web and desk), each refusal explained."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from plugins.inbox.models import Objection
from tests.plugins.inbox.conftest import get_request

CODE_SENT = "Bila nomor pendaftaran dan e-mail itu cocok dengan data permohonan"


def _flash(client, resp):
    return client.get(resp.headers["Location"]).text


def test_second_extension_is_refused_naming_the_date_it_runs_to(client, submit, login, make_user):
    ppid = make_user("ppid")
    with time_machine.travel("2026-03-09 02:00:00", tick=False):
        number, _code = submit()
        req = get_request(number)
        assert req.due_date == date(2026, 3, 30)  # 10 WD across Nyepi and Lebaran 2026
    with time_machine.travel("2026-03-10 02:00:00", tick=False):
        login(ppid)
        client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Dokumen di arsip daerah."})
        assert get_request(number).extended_due_date == date(2026, 4, 9)  # +7 WD: 31 Mar–2 Apr, 6–9 Apr
        again = _flash(client, client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Lagi."}))
        assert (
            "Alasan perpanjangan: Perpanjangan hanya dapat diberikan satu kali; permohonan ini sudah "
            "diperpanjang sampai Kamis, 9 April 2026." in again
        )
        assert get_request(number).extension_reason == "Dokumen di arsip daerah."
    with time_machine.travel("2026-04-01 02:00:00", tick=False):
        # Extended to 9 Apr: grounds (c) and (g) open on 10 Apr; ground (a) is taken now.
        late_ground = client.post(
            "/ppid/keberatan",
            data={"number": number, "code": _code, "grounds": ["a", "g"], "case_summary": "Terlambat."},
        )
        assert late_ground.status_code == 400 and "dapat diajukan mulai Jumat, 10 April 2026." in late_ground.text
        ok = client.post(
            "/ppid/keberatan", data={"number": number, "code": _code, "grounds": ["a"], "case_summary": "Ditolak."}
        )
        assert ok.status_code == 200 and "KEB-0001/PPID/2026" in ok.text


def test_desk_keberatan_checks_the_receipt_time_and_the_field(client, submit, login, make_user):
    ppid, other_unit = make_user("ppid"), make_user("ppid_unit", unit="Dinas Lain")
    with time_machine.travel("2025-12-01 02:00:00", tick=False):
        number, _code = submit()
        req = get_request(number)
    with time_machine.travel("2025-12-05 02:00:00", tick=False):
        login(other_unit)
        assert client.get(f"/admin/inbox/{req.id}/keberatan/baru").status_code == 403
        login(ppid)
        data = {"channel": "letter", "grounds": ["a"], "case_summary": "Surat keberatan."}
        before = client.post(f"/admin/inbox/{req.id}/keberatan/baru", data={**data, "received_at": "2025-11-28T10:00"})
        assert before.status_code == 400
        assert "Keberatan tidak dapat diterima sebelum permohonan diterima (Senin, 1 Desember 2025)." in before.text
        future = client.post(f"/admin/inbox/{req.id}/keberatan/baru", data={**data, "received_at": "2025-12-08T10:00"})
        assert future.status_code == 400 and "Waktu diterima tidak boleh di masa depan." in future.text
        early_c = client.post(
            f"/admin/inbox/{req.id}/keberatan/baru", data={**data, "grounds": ["c"], "received_at": "2025-12-04T10:00"}
        )
        assert early_c.status_code == 400 and "dapat diajukan mulai Selasa, 16 Desember 2025." in early_c.text
        assert db.session.scalar(select(Objection)) is None  # nothing half-saved
        ok = client.post(f"/admin/inbox/{req.id}/keberatan/baru", data={**data, "received_at": "2025-12-04T10:00"})
        assert ok.status_code == 302
        obj = db.session.scalar(select(Objection))
        # The Atasan's 30 WD run from the real receipt (4 Dec), across Natal, 1 Jan and 16 Jan: 21 Jan 2026.
        assert obj.received_date == date(2025, 12, 4) and obj.due_date == date(2026, 1, 21)
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "inbox.objection.created"))
        assert entry.detail["channel"] == "letter" and entry.user_id == ppid.id


def _audits(number):
    return db.session.scalars(
        select(AuditLog).where(AuditLog.action == "inbox.request.code_reissued", AuditLog.object_id == number)
    ).all()


def test_lost_code_by_web_same_answer_and_old_code_stops_working(client, submit, mailbox):
    number, old = submit()
    assert client.post("/ppid/permohonan/lacak", data={"number": number, "code": old}).status_code == 200
    form = client.get(f"/ppid/keberatan?number={number}").text
    assert 'name="code"' not in form  # bound: this browser tracked it
    sent_before = len(mailbox.messages)
    for wrong in ({"number": "9999/PPID/2099", "email": "budi@contoh.id"}, {"number": number, "email": "x@y.id"}):
        resp = client.post("/ppid/permohonan/kode-baru", data=wrong)
        assert resp.status_code == 200 and CODE_SENT in resp.text
    assert len(mailbox.messages) == sent_before and not _audits(number)
    assert client.post("/ppid/permohonan/lacak", data={"number": number, "code": old}).status_code == 200

    resp = client.post("/ppid/permohonan/kode-baru", data={"number": number, "email": "Budi@Contoh.id "})
    assert resp.status_code == 200 and CODE_SENT in resp.text
    mail = mailbox.text(mailbox.to("budi@contoh.id")[-1])
    new = mail.split("Kode pelacakan baru: ")[1].split()[0]
    assert new != old and "Kode lama tidak berlaku lagi." in mail
    assert client.post("/ppid/permohonan/lacak", data={"number": number, "code": old}).status_code == 400
    assert 'name="code"' in client.get(f"/ppid/keberatan?number={number}").text  # the old binding is void
    assert client.post("/ppid/permohonan/lacak", data={"number": number, "code": new}).status_code == 200
    [entry] = _audits(number)
    assert entry.detail["via"] == "web" and new not in str(entry.detail) and old not in str(entry.detail)
    missing = client.post("/ppid/permohonan/kode-baru", data={"number": number})
    assert missing.status_code == 400 and "E-mail wajib diisi." in missing.text


def test_lost_code_form_is_rate_limited(make_app, mailbox):
    app = make_app(
        enabled=["inbox"], MAIL_PORT=mailbox.port, RATELIMIT_ENABLED=True, INBOX_CODE_REISSUE_RATE_LIMIT="2 per hour"
    )
    with app.app_context():
        client = app.test_client()
        data = {"number": "0001/PPID/2099", "email": "a@b.id"}
        assert [client.post("/ppid/permohonan/kode-baru", data=data).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize("role", ["ppid"])
def test_lost_code_at_the_desk_after_an_identity_check(client, submit, login, make_user, role):
    number, old = submit()
    req = get_request(number)
    officer, stranger = make_user(role), make_user("ppid_unit", unit="Dinas Lain")
    login(stranger)
    assert client.post(f"/admin/inbox/{req.id}/kode-baru", data={"identity_check": "KTP"}).status_code == 403
    login(officer)
    bare = client.post(f"/admin/inbox/{req.id}/kode-baru", data={"identity_check": ""})
    assert bare.status_code == 400 and "Pemeriksaan identitas wajib diisi." in bare.text
    resp = client.post(f"/admin/inbox/{req.id}/kode-baru", data={"identity_check": "KTP diperlihatkan, NIK cocok."})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "private, no-store"
    new = resp.text.split('id="kode">')[1].split("<")[0]
    client.post("/logout")
    assert client.post("/ppid/permohonan/lacak", data={"number": number, "code": old}).status_code == 400
    assert client.post("/ppid/permohonan/lacak", data={"number": number, "code": new}).status_code == 200
    [entry] = _audits(number)
    assert entry.detail == {"via": "desk", "identity_check": "KTP diperlihatkan, NIK cocok."}
    assert entry.user_id == officer.id


def test_a_reissued_code_ends_the_old_sessions_access_to_letters(client, submit, make_user):
    """A browser that tracked the request with the old code loses the
    documents too, not only the keberatan shortcut."""
    from plugins.inbox import code_reissue, letter_records
    from tests.plugins.inbox.letter_helpers import configure, officer

    ppid = officer(make_user)
    configure(signer=ppid)
    number, old = submit()
    req = get_request(number)
    [receipt] = [r for r in letter_records.of_request(req) if r.kind == "tanda_terima"]
    assert client.post("/ppid/permohonan/lacak", data={"number": number, "code": old}).status_code == 200
    url = f"/ppid/permohonan/{req.id}/surat-resmi/{receipt.id}"
    assert client.get(url).mimetype == "application/pdf"

    code_reissue.reissue(get_request(number), via="desk", actor=ppid, identity_check="KTP diperiksa")
    db.session.commit()
    assert client.get(url).status_code == 404
