"""The whole life of a request with frozen time: receipt, disposisi, extension,
the written notice with each of the five outcomes, delivery, desk entry."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from tests.plugins.inbox.conftest import PDF, get_request


@pytest.fixture
def ppid(make_user):
    return make_user("ppid", name="Petugas Utama")


def _audit(number):
    return [
        a.action for a in db.session.scalars(select(AuditLog).where(AuditLog.object_id == number).order_by(AuditLog.id))
    ]


def test_request_across_lebaran_with_extension_and_answer(client, submit, login, ppid, make_user, mailbox):
    unit_officer = make_user("ppid_unit", unit="Dinas Kesehatan")
    with time_machine.travel("2025-03-24 02:00:00", tick=False):  # Monday 09.00 WIB
        number, code = submit()
        req = get_request(number)
        assert req.due_date == date(2025, 3, 24).replace(month=4, day=16)  # across Nyepi and Lebaran
    with time_machine.travel("2025-03-27 02:00:00", tick=False):
        login(ppid)
        page = client.get(f"/admin/inbox/{req.id}").text
        assert "Rabu, 16 April 2025" in page and "3 hari kerja lagi" not in page
        assert "************0001" in page and "3275014101900001" not in page
        resp = client.post(
            f"/admin/inbox/{req.id}/disposisi", data={"unit_id": unit_officer.unit_id, "assignee_id": unit_officer.id}
        )
        assert resp.status_code == 302
        req = get_request(number)
        assert req.unit_id == unit_officer.unit_id and req.due_date == date(2025, 4, 16)  # clock not restarted
        assert client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": ""}).status_code == 302
        assert get_request(number).extended_due_date is None
        client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Dokumen di arsip inaktif."})
        req = get_request(number)
        assert req.extended_due_date == date(2025, 4, 28)
        mail = mailbox.to("budi@contoh.id")[-1]
        assert "Perpanjangan" in mail["Subject"] and "Senin, 28 April 2025" in mailbox.text(mail)
        client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "lagi"}, follow_redirects=True)
        assert get_request(number).extended_due_date == date(2025, 4, 28)  # only once
    with time_machine.travel("2025-04-22 03:00:00", tick=False):  # Tuesday, within the extension
        login(unit_officer)
        resp = client.post(
            f"/admin/inbox/{req.id}/jawab",
            data={
                "outcome": "dikabulkan_seluruhnya",
                "material": "APBD 2025 (PDF)",
                "info_form": "softcopy",
                "provide_days": "0",
                "answer_text": "Terlampir dokumen yang Saudara minta.",
                "attachments": (io.BytesIO(PDF), "apbd-2025.pdf"),
            },
            content_type="multipart/form-data",
        )
        assert resp.status_code == 302, resp.text
        req = get_request(number)
        assert req.status == "dijawab" and req.outcome == "dikabulkan_seluruhnya"
        assert req.answer_working_days == 13  # 24 Mar → 22 Apr, Lebaran excluded
        letter_mail = mailbox.to("budi@contoh.id")[-1]
        body = mailbox.text(letter_mail)
        assert "PEMBERITAHUAN TERTULIS" in body and "Dikabulkan seluruhnya" in body and "Rp0" in body
    client.post("/logout")
    tracked = client.post("/ppid/permohonan/lacak", data={"number": number, "code": code}).text
    assert "Dikabulkan seluruhnya" in tracked and "apbd-2025.pdf" in tracked
    doc = [f for f in req.files if f.kind == "answer"][0]
    got = client.get(f"/ppid/permohonan/{req.id}/dokumen/{doc.id}")
    assert got.status_code == 200 and got.data == PDF
    letter = client.get(f"/ppid/permohonan/{req.id}/surat").text
    assert "Pemberitahuan tertulis" in letter and "APBD 2025 (PDF)" in letter
    assert {
        "inbox.request.created",
        "inbox.request.assigned",
        "inbox.request.extended",
        "inbox.request.answered",
    } <= set(_audit(number))


def test_answer_documents_need_a_tracked_session(client, submit, login, ppid):
    number, _ = submit()
    req = get_request(number)
    login(ppid)
    client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={"outcome": "dikabulkan_seluruhnya", "attachments": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    doc = [f for f in get_request(number).files if f.kind == "answer"][0]
    other = client.application.test_client()
    assert other.get(f"/ppid/permohonan/{req.id}/dokumen/{doc.id}").status_code == 404


OUTCOME_CASES = [
    ("dikabulkan_seluruhnya", {}, None, "Dikabulkan seluruhnya"),
    (
        "dikabulkan_sebagian",
        {"redaction_note": "Nama saksi dihitamkan (Pasal 17 huruf h)."},
        "redaction_note",
        "Nama saksi dihitamkan",
    ),
    (
        "ditolak_dikecualikan",
        {
            "exemptions": ["a", "h"],
            "other_law": "Pasal 54 UU 11/2012",
            "consequence_test": "Membuka menghambat penyidikan.",
        },
        "exemptions",
        "Pasal 54 UU 11/2012",
    ),
    (
        "tidak_dikuasai",
        {"held_by": "Badan Pertanahan Nasional Kota Bekasi"},
        "held_by",
        "Badan Pertanahan Nasional Kota Bekasi",
    ),
    ("belum_didokumentasikan", {}, None, "belum didokumentasikan"),
]


@pytest.mark.parametrize(("outcome", "extra", "required_field", "in_letter"), OUTCOME_CASES)
def test_the_five_outcomes(client, submit, login, ppid, mailbox, outcome, extra, required_field, in_letter):
    number, code = submit()
    req = get_request(number)
    login(ppid)
    if required_field:
        missing = client.post(f"/admin/inbox/{req.id}/jawab", data={"outcome": outcome, "material": "ket"})
        assert missing.status_code == 400 and 'value="ket"' not in missing.text or "ket" in missing.text
        assert get_request(number).outcome is None
    resp = client.post(f"/admin/inbox/{req.id}/jawab", data={"outcome": outcome, **extra})
    assert resp.status_code == 302, resp.text
    req = get_request(number)
    assert req.outcome == outcome and req.status == "dijawab"
    body = mailbox.text(mailbox.to("budi@contoh.id")[-1])
    assert in_letter.lower() in body.lower()
    if outcome == "ditolak_dikecualikan":
        assert "keberatan" in body and "30 hari kerja" in body
        assert "huruf a. menghambat" in body and "huruf h. mengungkap rahasia pribadi" in body
    assert "3275014101900001" not in body


def test_rejection_needs_legal_basis_and_consequence_test(client, submit, login, ppid):
    number, _ = submit()
    req = get_request(number)
    login(ppid)
    no_basis = client.post(
        f"/admin/inbox/{req.id}/jawab", data={"outcome": "ditolak_dikecualikan", "consequence_test": "x"}
    )
    assert "Pasal 17 huruf" in no_basis.text and no_basis.status_code == 400
    no_test = client.post(f"/admin/inbox/{req.id}/jawab", data={"outcome": "ditolak_dikecualikan", "exemptions": ["c"]})
    assert "uji konsekuensi" in no_test.text
    assert get_request(number).outcome is None


def test_fees_hardcopy_per_page_and_postage(client, submit, login, ppid):
    number, _ = submit(access_method="hardcopy", delivery="pos")
    req = get_request(number)
    login(ppid)
    client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={
            "outcome": "dikabulkan_seluruhnya",
            "qty-salinan_lembar": "40",
            "qty-pengiriman": "1",
            "qty-softcopy": "",
            "payment_method": "Tunai",
        },
    )
    req = get_request(number)
    assert req.fee_total == 40 * 500 + 20000 and req.fee_pages == 40
    assert [(ln["code"], ln["quantity"], ln["price"]) for ln in req.fee_detail["lines"]] == [
        ("salinan_lembar", 40, 500),
        ("pengiriman", 1, 20000),
    ]
    letter = client.get(f"/admin/inbox/{req.id}/surat").text
    assert "Rp40.000,00" in letter and "built-in method" not in letter


def test_completeness_closure_is_not_a_rejection(client, submit, login, ppid, mailbox):
    number, _ = submit()
    req = get_request(number)
    login(ppid)
    client.post(f"/admin/inbox/{req.id}/kelengkapan", data={"note": "Lampirkan surat kuasa."})
    req = get_request(number)
    assert req.status == "menunggu_kelengkapan" and req.due_date is not None
    assert "Lampirkan surat kuasa." in mailbox.text(mailbox.to("budi@contoh.id")[-1])
    client.post(f"/admin/inbox/{req.id}/tutup", data={"note": "Tidak dilengkapi."})
    req = get_request(number)
    assert req.status == "ditutup_tidak_lengkap" and req.outcome is None


def test_desk_entry_uses_the_real_receipt_time(client, login, ppid):
    with time_machine.travel("2025-10-08 03:00:00", tick=False):
        login(ppid)  # signed in then: sessions last eight hours
        resp = client.post(
            "/admin/inbox/baru",
            data={
                "channel": "phone",
                "received_at": "2025-10-06T15:30",
                "applicant_type": "perseorangan",
                "name": "Siti",
                "nik": "3275014101900002",
                "address": "Jl. Mawar",
                "phone": "0812999888",
                "details": "Jadwal posyandu",
                "purpose": "Informasi warga",
                "access_method": "melihat",
                "delivery": "ambil",
            },
        )
        assert resp.status_code == 200 and "0001/PPID/2025" in resp.text
        req = get_request("0001/PPID/2025")
        assert req.channel == "phone" and req.received_date == date(2025, 10, 6)
        assert req.due_date == date(2025, 10, 20) and req.created_by_id == ppid.id
        future = client.post(
            "/admin/inbox/baru", data={"channel": "desk", "received_at": "2025-10-20T09:00", "name": "X"}
        )
        assert future.status_code == 400 and "masa depan" in future.text


def test_list_is_sorted_by_due_date_and_filters(client, submit, login, ppid):
    with time_machine.travel("2025-10-06 03:00:00", tick=False):
        early, _ = submit(details="Pertama")
    with time_machine.travel("2025-10-09 03:00:00", tick=False):
        late, _ = submit(details="Kedua")
        login(ppid)
        page = client.get("/admin/inbox/").text
        assert page.index(early) < page.index(late)
        assert "B*** S******" not in page  # PPID Utama may see names
        assert client.get("/admin/inbox/?channel=phone").text.count("/PPID/2025</a>") == 0
    with time_machine.travel("2025-10-22 03:00:00", tick=False):
        login(ppid)  # the sign-in of 9 October has expired
        overdue = client.get("/admin/inbox/?overdue=1").text
        assert early in overdue and late not in overdue and "terlambat 2 hari kerja" in overdue


def test_answer_can_point_to_dip_pages(client, submit, login, ppid, mailbox):
    number, code = submit()
    req = get_request(number)
    login(ppid)
    bad = client.post(
        f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya", "dip_links": "javascript:alert(1)"}
    )
    assert bad.status_code == 400 and "Tautan tidak valid" in bad.text and get_request(number).outcome is None
    client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={"outcome": "dikabulkan_seluruhnya", "dip_links": "/ppid/dip/12\nhttps://bekasikota.go.id/apbd.pdf"},
    )
    assert get_request(number).dip_links == ["/ppid/dip/12", "https://bekasikota.go.id/apbd.pdf"]
    assert "https://bekasikota.go.id/apbd.pdf" in mailbox.text(mailbox.to("budi@contoh.id")[-1])
    client.post("/logout")
    tracked = client.post("/ppid/permohonan/lacak", data={"number": number, "code": code}).text
    assert 'href="/ppid/dip/12"' in tracked


def test_withdrawn_request_is_closed_without_outcome(client, submit, login, ppid):
    number, _ = submit()
    req = get_request(number)
    login(ppid)
    client.post(f"/admin/inbox/{req.id}/batal", data={"note": "Pemohon menarik permohonan lewat telepon."})
    req = get_request(number)
    assert req.status == "dibatalkan_pemohon" and req.outcome is None and req.closed_at is not None
