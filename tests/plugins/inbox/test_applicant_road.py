"""The applicant's road with frozen time: request → lapse or answer →
keberatan (desk and web) → the Atasan's answer or lapse → the sengketa
window.  Every date the applicant is shown is counted by hand on the SKB
calendars (Lebaran 2026: 18–24 Mar closed; year end: 25–26 Dec, 1 Jan,
16 Jan Isra Mikraj)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
import time_machine
from sqlalchemy import select

from cms.extensions import db
from plugins.inbox import registers, tasks
from plugins.inbox.models import Objection
from tests.plugins.inbox.conftest import get_request
from tests.plugins.inbox.letter_helpers import configure, officer

KI_ADDRESS = "Jl. Kawaluyaan Indah Raya No. 2, Bandung"


@pytest.fixture(autouse=True)
def _komisi(inbox_app):
    inbox_app.config["INBOX_KI_ADDRESS"] = KI_ADDRESS


def _track(client, number, code):
    resp = client.post("/ppid/permohonan/lacak", data={"number": number, "code": code})
    assert resp.status_code == 200, resp.text[:2000]
    return resp.text


def _link(number):
    return f"/ppid/keberatan?number={quote(number, safe='/')}"


def _last_mail(mailbox, subject_part):
    found = [m for m in mailbox.to("budi@contoh.id") if subject_part in m["Subject"]]
    assert found, [m["Subject"] for m in mailbox.to("budi@contoh.id")]
    return mailbox.text(found[-1])


def test_lebaran_road_unanswered_desk_keberatan_atasan_lapses_then_sengketa(client, submit, login, make_user, mailbox):
    ppid = officer(make_user)
    configure(signer=ppid)
    with time_machine.travel("2026-03-02 02:00:00", tick=False):  # Monday 09:00 WIB
        number, code = submit()
        req = get_request(number)
        assert req.due_date == date(2026, 3, 16)  # 10 WD: 3–6, 9–13, 16 Mar
        receipt = _last_mail(mailbox, "Tanda terima permohonan")
        assert (
            "Bila pemberitahuan tertulis belum Anda terima sampai Senin, 16 Maret 2026, Anda dapat mengajukan "
            "keberatan mulai Selasa, 17 Maret 2026 sampai Rabu, 6 Mei 2026." in receipt
        )
        assert f"http://warta.test{_link(number)}" in receipt and code not in receipt.split("Ajukan keberatan")[-1]

    with time_machine.travel("2026-03-16 09:00:00", tick=False):  # the due day, 16:00 WIB
        page = _track(client, number, code)
        assert "jatuh tempo hari ini" in page and "mulai Selasa, 17 Maret 2026" in page
        early = client.post(
            "/ppid/keberatan", data={"number": number, "code": code, "grounds": ["c"], "case_summary": "Belum dijawab."}
        )
        assert early.status_code == 400
        assert (
            "Alasan huruf c dan g baru timbul setelah batas waktu "
            "pemberitahuan tertulis (Senin, 16 Maret 2026) lewat; keberatan dengan alasan tersebut dapat "
            "diajukan mulai Selasa, 17 Maret 2026." in early.text
        )
        assert db.session.scalar(select(Objection)) is None

    with time_machine.travel("2026-03-17 02:00:00", tick=False):
        page = _track(client, number, code)
        assert "Terlambat, belum dijawab" in page and "terlambat 1 hari kerja" in page
        assert "Anda dapat mengajukan keberatan sampai Rabu, 6 Mei 2026." in page  # 30 WD after 16 Mar
        assert f'href="{_link(number)}"' in page
        tasks.send_reminders()
        overdue = _last_mail(mailbox, "belum dijawab")
        assert "Anda dapat mengajukan keberatan sampai Rabu, 6 Mei 2026." in overdue and _link(number) in overdue
        assert code not in overdue
        login(ppid)
        late_ext = client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Dokumen di arsip."})
        flashed = client.get(late_ext.headers["Location"]).text
        assert (
            "Alasan perpanjangan: Perpanjangan harus diberikan dalam 10 hari kerja; batas Senin, 16 Maret 2026 "
            "sudah lewat" in flashed
        )
        assert get_request(number).extended_due_date is None

    # The applicant came to the desk on 17 Mar; the officer records it after Lebaran with the real time.
    with time_machine.travel("2026-03-25 02:00:00", tick=False):
        login(ppid)
        resp = client.post(
            f"/admin/inbox/{req.id}/keberatan/baru",
            data={
                "channel": "desk",
                "received_at": "2026-03-17T10:30",
                "grounds": ["c"],
                "case_summary": "Permohonan tidak ditanggapi dalam 10 hari kerja.",
            },
        )
        assert resp.status_code == 302, resp.text[:3000]
        obj = db.session.scalar(select(Objection))
        assert obj.received_date == date(2026, 3, 17) and obj.due_date == date(2026, 5, 7)
        assert "tanda_terima_keberatan" in [x.kind for x in _letters(req)]  # the tanda bukti, issued
        client.post("/logout")
        page = _track(client, number, code)
        assert "Keberatan sedang diproses Atasan PPID" in page and "terlambat" not in page.lower()
        sengketa_if_silent = (
            "Bila Atasan PPID tidak menanggapi sampai Kamis, 7 Mei 2026, Anda dapat mengajukan permohonan "
            "penyelesaian sengketa informasi kepada Komisi Informasi Provinsi Jawa Barat mulai Jumat, 8 Mei 2026 "
            "sampai Rabu, 3 Juni 2026."
        )
        assert sengketa_if_silent in page and KI_ADDRESS in page
        assert sengketa_if_silent in _last_mail(mailbox, "Tanda terima keberatan")

    with time_machine.travel("2026-05-08 02:00:00", tick=False):  # the Atasan let 30 WD lapse
        page = _track(client, number, code)
        assert (
            "Anda dapat mengajukan permohonan penyelesaian sengketa informasi kepada Komisi Informasi Provinsi "
            "Jawa Barat sampai Rabu, 3 Juni 2026." in page
        )
        login(ppid)
        client.post(
            f"/admin/inbox/keberatan/{obj.id}/sengketa",
            data={"ki_number": "041/V/KI-JBR-PS/2026", "registrasi_on": "2026-05-08"},
        )
        # Lost status: in sengketa, not "terlambat" — officer list, overdue filter, dashboard, register.
        listing = client.get("/admin/inbox/").text
        assert "Dalam sengketa di Komisi Informasi" in listing and "terlambat" not in listing.split("<tbody>")[1]
        assert number not in client.get("/admin/inbox/?overdue=1").text
        dashboard = client.get("/admin/").text
        assert "Dalam sengketa di Komisi Informasi" in dashboard
        assert "<div><dt>Sudah terlambat</dt><dd>0</dd></div>" in dashboard
        assert registers.request_status(get_request(number), date(2026, 5, 8)).startswith(
            "Sengketa di Komisi Informasi"
        )
        client.post("/logout")
        page = _track(client, number, code)
        assert "Dalam sengketa di Komisi Informasi" in page and "terlambat" not in page.lower()
        assert "Anda dapat mengajukan" not in page  # the sengketa runs: no further right to announce


def _letters(req):
    from plugins.inbox import letter_records

    return letter_records.of_request(req)


def test_year_end_road_rejection_web_keberatan_via_bound_link_then_atasan_answers(
    client, submit, login, make_user, mailbox
):
    ppid, atasan = make_user("ppid"), make_user("atasan", name="Sekretaris Daerah")
    with time_machine.travel("2025-12-01 02:00:00", tick=False):
        number, code = submit()
        assert get_request(number).due_date == date(2025, 12, 15)
    with time_machine.travel("2025-12-10 02:00:00", tick=False):
        login(ppid)
        resp = client.post(
            f"/admin/inbox/{get_request(number).id}/jawab",
            data={"outcome": "ditolak_dikecualikan", "exemptions": ["h"], "consequence_test": "Rahasia pribadi."},
        )
        assert resp.status_code == 302
        client.post("/logout")
        # 30 WD after the notice of 10 Dec: Natal 25 + cuti bersama 26 Dec, 1 Jan, Isra Mikraj 16 Jan.
        right = "Anda dapat mengajukan keberatan sampai Selasa, 27 Januari 2026."
        answered = _last_mail(mailbox, "Pemberitahuan tertulis")
        assert right in answered and _link(number) in answered and code not in answered
    with time_machine.travel("2025-12-22 02:00:00", tick=False):
        page = _track(client, number, code)
        assert right in page and f'href="{_link(number)}"' in page
        # The link opens the form bound to the request; this browser tracked it, so no code field.
        form = client.get(_link(number)).text
        assert f'value="{number}"' in form and 'id="terikat"' in form and 'name="code"' not in form
        resp = client.post(
            "/ppid/keberatan",
            data={"number": number, "grounds": ["a"], "case_summary": "Bukan rahasia pribadi."},
        )
        assert resp.status_code == 200 and "KEB-0001/PPID/2025" in resp.text, resp.text[:3000]
        obj = db.session.scalar(select(Objection))
        assert obj.due_date == date(2026, 2, 6)  # 30 WD after 22 Dec 2025
        # 14 WD after a lapse on 6 Feb: Imlek 2026 (16 cuti bersama, 17 Feb) falls inside; opens 7 Feb.
        assert "sampai Jumat, 6 Februari 2026" in resp.text and "sampai Senin, 2 Maret 2026" in resp.text
        # Another browser holding only the link must give the code.
        other = client.application.test_client()
        assert 'name="code"' in other.get(_link(number)).text
        refused = other.post(
            "/ppid/keberatan", data={"number": number, "grounds": ["a"], "case_summary": "Tanpa kode."}
        )
        assert refused.status_code == 400 and "Kode pelacakan wajib diisi." in refused.text
    with time_machine.travel("2026-01-20 02:00:00", tick=False):
        login(atasan)
        resp = client.post(
            f"/admin/inbox/keberatan/{obj.id}",
            data={"decide-outcome": "ditolak", "decide-reasons": "Menguatkan PPID.", "decide-atasan_name": "Sekda"},
        )
        assert resp.status_code == 302
        client.post("/logout")
        sengketa = (
            "Anda dapat mengajukan permohonan penyelesaian sengketa informasi kepada Komisi Informasi Provinsi "
            "Jawa Barat sampai Senin, 9 Februari 2026."  # 14 WD after 20 Jan
        )
        decided = _last_mail(mailbox, "Tanggapan atas keberatan")
        assert sengketa in decided and KI_ADDRESS in decided
        page = _track(client, number, code)
        assert sengketa in page and "Keberatan sudah diputus Atasan PPID" in page
