"""Keberatan with its own number and 30-working-day clock, the Atasan's decision, then sengketa."""

from __future__ import annotations

from datetime import date

import time_machine
from sqlalchemy import select

from cms.extensions import db
from plugins.inbox.models import Objection
from tests.plugins.inbox.conftest import get_request


def _reject(client, login, ppid, req):
    login(ppid)
    resp = client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={"outcome": "ditolak_dikecualikan", "exemptions": ["h"], "consequence_test": "Rahasia pribadi."},
    )
    assert resp.status_code == 302
    client.post("/logout")


def _objection(number):
    db.session.expire_all()
    return db.session.scalar(select(Objection).join(Objection.request).where(Objection.request.has(number=number)))


def test_keberatan_life_with_frozen_time(client, submit, login, make_user, mailbox):
    ppid, atasan = make_user("ppid"), make_user("atasan", name="Sekretaris Daerah")
    with time_machine.travel("2025-11-24 02:00:00", tick=False):  # Monday
        number, code = submit()
        req = get_request(number)
        _reject(client, login, ppid, req)
    with time_machine.travel("2025-12-01 02:00:00", tick=False):
        form = client.get(f"/ppid/keberatan?number={number}").text
        assert f'value="{number}"' in form and "Penolakan atas dasar pengecualian Pasal 17" in form
        empty = client.post("/ppid/keberatan", data={"number": number, "code": code, "case_summary": ""})
        assert empty.status_code == 400
        assert "Pilih paling sedikit satu alasan keberatan." in empty.text and "Kasus posisi wajib diisi." in empty.text
        wrong = client.post(
            "/ppid/keberatan",
            data={"number": number, "code": "AAAA-AAAA-AAAA", "grounds": ["a"], "case_summary": "Tidak setuju."},
        )
        assert wrong.status_code == 400 and "tidak cocok" in wrong.text and "Tidak setuju." in wrong.text
        resp = client.post(
            "/ppid/keberatan",
            data={
                "number": number,
                "code": code,
                "grounds": ["a", "f"],
                "case_summary": "Informasi itu bukan rahasia pribadi.",
                "kuasa_name": "LBH Bekasi",
            },
        )
        assert resp.status_code == 200 and "KEB-0001/PPID/2025" in resp.text
        obj = _objection(number)
        assert obj.number == "KEB-0001/PPID/2025" and obj.grounds == ["a", "f"] and not obj.filed_late
        # 30 working days from 1 Dec 2025 across Natal (25 LN, 26 CB) and 1 Jan 2026.
        assert obj.due_date == date(2026, 1, 15)
        receipt = mailbox.to("budi@contoh.id")[-1]
        assert "KEB-0001/PPID/2025" in receipt["Subject"] and "Kamis, 15 Januari 2026" in mailbox.text(receipt)
    with time_machine.travel("2026-01-05 02:00:00", tick=False):
        login(ppid)
        assert (
            client.post(
                f"/admin/inbox/keberatan/{obj.id}",
                data={"decide-outcome": "ditolak", "decide-reasons": "x", "decide-atasan_name": "X"},
            ).status_code
            == 403
        )
        login(atasan)
        assert obj.number in client.get("/admin/inbox/keberatan/").text
        missing = client.post(
            f"/admin/inbox/keberatan/{obj.id}", data={"decide-outcome": "ditolak", "decide-atasan_name": "Sekda"}
        )
        assert missing.status_code == 400 and "Alasan tertulis wajib diisi." in missing.text
        resp = client.post(
            f"/admin/inbox/keberatan/{obj.id}",
            data={
                "decide-outcome": "ditolak",
                "decide-reasons": "Menguatkan putusan PPID: data kesehatan pribadi.",
                "decide-atasan_name": "Sekda Kota",
                "decide-atasan_position": "Atasan PPID",
            },
        )
        assert resp.status_code == 302
        obj = _objection(number)
        assert obj.status == "diputus" and obj.outcome == "ditolak" and obj.decided_date == date(2026, 1, 5)
        decision = mailbox.to("budi@contoh.id")[-1]
        assert "Menguatkan putusan PPID" in mailbox.text(decision) and "14 hari kerja" in mailbox.text(decision)
        page = client.get(f"/admin/inbox/keberatan/{obj.id}").text
        assert "Senin, 26 Januari 2026" in page  # 14 WD after the answer; 16 Jan is Isra Mikraj
    # Recorded once the last stage took place: stage dates are never in the future.
    with time_machine.travel("2026-04-01 02:00:00", tick=False):
        login(ppid)
        client.post(
            f"/admin/inbox/keberatan/{obj.id}/tanggapan-pemohon", data={"applicant_response": "Melanjutkan ke sengketa"}
        )
        resp = client.post(
            f"/admin/inbox/keberatan/{obj.id}/sengketa",
            data={
                "ki_number": "012/I/KI-JBR-PS/2026",
                "registrasi_on": "2026-01-12",
                "mediasi_on": "2026-02-02",
            },
        )
        assert resp.status_code == 302
        obj = _objection(number)
        (dispute,) = obj.disputes
        assert dispute.stage == "mediasi" and {s.stage: s.day for s in dispute.stages}["mediasi"] == date(2026, 2, 2)
        assert obj.applicant_response == "Melanjutkan ke sengketa"
        client.post(
            f"/admin/inbox/keberatan/{obj.id}/sengketa",
            data={
                "ki_number": "012/I/KI-JBR-PS/2026",
                "ajudikasi_on": "2026-03-02",
                "putusan_on": "2026-04-01",
                "result": "dikabulkan_seluruhnya",
                "result_note": "Informasi terbuka.",
            },
        )
        obj = _objection(number)
        assert len(obj.disputes) == 1 and obj.disputes[0].stage == "selesai"
        assert [s.stage for s in obj.disputes[0].stages] == ["registrasi", "mediasi", "ajudikasi", "putusan"]
    client.post("/logout")
    tracked = client.post("/ppid/permohonan/lacak", data={"number": number, "code": code}).text
    assert "KEB-0001/PPID/2025" in tracked and "Ditolak (menguatkan putusan PPID)" in tracked


def test_late_keberatan_is_accepted_but_flagged(client, submit, login, make_user):
    ppid = make_user("ppid")
    with time_machine.travel("2025-10-06 03:00:00", tick=False):
        number, code = submit()
        _reject(client, login, ppid, get_request(number))
    with time_machine.travel("2025-12-15 03:00:00", tick=False):  # well past 30 WD after 6 Oct
        resp = client.post(
            "/ppid/keberatan",
            data={"number": number, "code": code, "grounds": ["g"], "case_summary": "Informasi diserahkan terlambat."},
        )
        assert resp.status_code == 200 and "lebih dari 30 hari kerja" in resp.text
        assert _objection(number).filed_late is True


def test_keberatan_for_an_unanswered_request(client, submit):
    """Ground c (not answered) arises when the 10-day deadline lapses."""
    with time_machine.travel("2025-10-06 03:00:00", tick=False):
        number, code = submit()
    with time_machine.travel("2025-10-27 03:00:00", tick=False):
        resp = client.post(
            "/ppid/keberatan",
            data={"number": number, "code": code, "grounds": ["c"], "case_summary": "Tidak ada tanggapan."},
        )
        assert resp.status_code == 200
        obj = _objection(number)
        assert not obj.filed_late and obj.received_date == date(2025, 10, 27)
