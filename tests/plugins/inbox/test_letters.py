"""Official letters read back from their PDFs: kop, nomor, date, Yth., the
signature block, money and the legal grounds; records, mail and tracking."""

from __future__ import annotations

import hashlib
import re

import pytest
import time_machine
from sqlalchemy import select

from cms.extensions import db
from plugins.inbox import letter_records
from plugins.inbox.letter_models import Letter
from tests.plugins.inbox.conftest import get_request
from tests.plugins.inbox.letter_helpers import NIP_UNIT, NIP_UTAMA, configure, officer, pdf_text


@pytest.fixture
def letters_on(inbox_app):
    inbox_app.config["INBOX_LETTERS_ON_DECISION"] = "required"
    return inbox_app


def _letters(req, kind=None):
    db.session.expire_all()
    rows = letter_records.of_request(req)
    return [r for r in rows if kind is None or r.kind == kind]


def test_partial_grant_letter_has_every_official_part(letters_on, client, submit, login, make_user, mailbox):
    ppid = officer(make_user)
    configure(signer=ppid)
    with time_machine.travel("2026-12-01 02:00:00", tick=False):
        number, code = submit(delivery="pos", access_method="hardcopy")
    req = get_request(number)
    receipt = _letters(req, "tanda_terima")
    assert len(receipt) == 1  # issued at once, signed by the PPID Utama's signer
    with time_machine.travel("2026-12-07 03:00:00", tick=False):  # Monday 10.00 WIB
        login(ppid)
        resp = client.post(
            f"/admin/inbox/{req.id}/jawab",
            data={
                "outcome": "dikabulkan_sebagian",
                "exemptions": ["h"],
                "consequence_test": "Membuka NIK penerima membahayakan data pribadi mereka.",
                "redaction_note": "Kolom NIK penerima dihitamkan.",
                "dik_ref": "DIK 2026 No. 4 — data pribadi penerima hibah",
                "material": "Daftar penerima hibah 2025",
                "info_form": "hardcopy",
                "qty-salinan_lembar": "75",
                "payment_method": "Tunai di loket PPID",
            },
        )
        assert resp.status_code == 302, resp.text[:2000]
    [letter] = _letters(req, "pemberitahuan")
    assert re.fullmatch(r"002/PT/PPID-UTAMA/XII/2026", letter.number)  # receipt took 001 in this unit's agenda
    data = letter_records.load(letter)
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    text = pdf_text(data)
    for words in (
        "PEMERINTAH KOTA BEKASI",
        "Nomor : 002/PT/PPID-UTAMA/XII/2026",
        "Bekasi, 7 Desember 2026",
        "Yth. Budi Santoso",
        "Jl. Melati No. 5, Bekasi",
        "Dikabulkan sebagian",
        "Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008 (mengungkap rahasia pribadi)",
        "Membuka NIK penerima membahayakan data pribadi mereka.",
        "DIK 2026 No. 4",
        "Rp37.500,00",
        "Drs. Sutrisno, M.Si.",
        "Kepala Bagian Humas",
        f"NIP {NIP_UTAMA}",
        "Wali Kota Bekasi selaku Atasan PPID",
        "keberatan",
        f"/ppid/surat/{letter.code}",
    ):
        assert words in text, words
    assert "built-in method" not in text
    # Mailed with the PDF as issued.
    mails = [m for m in mailbox.to("budi@contoh.id") if "Pemberitahuan tertulis" in m["Subject"]]
    [attached] = [p for p in mails[-1].iter_attachments()]
    assert attached.get_content_type() == "application/pdf"
    assert hashlib.sha256(attached.get_content()).hexdigest() == letter.sha256
    # The applicant downloads it from the tracking page; the file is the stored one.
    client.post("/logout")
    page = client.post("/ppid/permohonan/lacak", data={"number": number, "code": code}).text
    assert letter.number in page
    got = client.get(f"/ppid/permohonan/{req.id}/surat-resmi/{letter.id}")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert hashlib.sha256(got.data).hexdigest() == letter.sha256


def test_printable_page_prints_money_not_a_method(letters_on, client, submit, login, make_user):
    ppid = officer(make_user)
    configure(signer=ppid)
    number, _code = submit(access_method="hardcopy")
    req = get_request(number)
    login(ppid)
    client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={"outcome": "dikabulkan_seluruhnya", "qty-salinan_lembar": "75", "qty-pengiriman": "1"},
    )
    resp = client.get(f"/admin/inbox/{req.id}/surat")  # the letter as issued, not today's data
    assert resp.mimetype == "application/pdf"
    page = pdf_text(resp.data)
    assert "built-in method" not in page
    assert "Rp57.500,00" in page and "75 lembar" in page and "Rp20.000,00" in page


def test_verification_page_shows_the_record_and_nothing_personal(letters_on, client, submit, make_user):
    configure(signer=officer(make_user))
    number, _ = submit()
    [letter] = _letters(get_request(number))
    page = client.get(f"/ppid/surat/{letter.code}")
    assert page.status_code == 200
    for words in (
        letter.number,
        letter.sha256,
        "Drs. Sutrisno, M.Si.",
        "Tanda Bukti Penerimaan Permohonan",
        "7 Desember"[:0],
    ):
        assert words in page.text
    assert "Budi" not in page.text and "Melati" not in page.text and NIP_UTAMA not in page.text
    missing = client.get("/ppid/surat/ZZZZZZZZZZ")
    assert missing.status_code == 404 and "Surat tidak ditemukan" in missing.text
    assert client.get("/ppid/surat/%3Cscript%3E").status_code == 404


def test_ppid_pembantu_signs_for_its_unit_when_delegated(letters_on, client, submit, login, make_user):
    from cms import accounts

    unit = accounts.get_or_create_unit("Dinas Kesehatan")
    unit.short_name = "DINKES"
    db.session.commit()
    ppid = officer(make_user)
    helper = officer(
        make_user, "ppid_unit", unit=unit, name="dr. Rina Lestari", position="Sekretaris Dinas Kesehatan", nip=NIP_UNIT
    )
    configure(signer=ppid)
    configure(unit=unit, signer=helper, unit_name="Dinas Kesehatan", unit_code="DINKES", delegate=True)
    number, _ = submit()
    req = get_request(number)
    login(ppid)
    client.post(f"/admin/inbox/{req.id}/disposisi", data={"unit_id": unit.id, "assignee_id": 0})
    client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Dokumen berada di arsip inaktif."})
    [letter] = _letters(req, "perpanjangan")
    text = pdf_text(letter_records.load(letter))
    assert "/PW/PPID-DINKES/" in letter.number
    assert "dr. Rina Lestari" in text and f"NIP {NIP_UNIT}" in text and "Dinas Kesehatan" in text
    assert "Dokumen berada di arsip inaktif." in text and "Drs. Sutrisno" not in text


def test_missing_parts_refuse_the_decision_and_store_nothing(letters_on, client, submit, login, make_user):
    ppid = make_user("ppid", name="Petugas Tanpa Jabatan")
    configure(signer=None, patterns={}, place="Bekasi")
    letters_on.config["INBOX_LETTER_NUMBER_PATTERN"] = ""
    number, _ = submit(delivery="pos")
    req = get_request(number)
    assert _letters(req) == []  # no receipt without a signer: skipped, the request stands
    req.address = ""  # e.g. taken by phone, the address never given
    db.session.commit()
    login(ppid)
    resp = client.post(f"/admin/inbox/{req.id}/kelengkapan", data={"note": "Lampirkan KTP."}, follow_redirects=True)
    assert "Surat belum dapat diterbitkan" in resp.text
    assert "jabatan penanda tangan" in resp.text
    assert "pola nomor surat" in resp.text
    assert "alamat pemohon" in resp.text
    req = get_request(number)
    assert req.status != "menunggu_kelengkapan" and req.incomplete_note == ""
    assert db.session.scalar(select(Letter.id)) is None


def test_by_default_the_decision_stands_and_the_officer_is_told_what_the_letter_lacks(
    inbox_app, client, submit, login, make_user
):
    assert inbox_app.config["INBOX_LETTERS_ON_DECISION"] == "when_ready"
    ppid = make_user("ppid", name="Petugas Baru")
    configure(signer=None)
    number, _ = submit()
    req = get_request(number)
    login(ppid)
    resp = client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Arsip inaktif."}, follow_redirects=True)
    assert "jabatan penanda tangan (Petugas Baru) belum diisi" in resp.text
    assert "terbitkan suratnya dari halaman permohonan" in resp.text
    req = get_request(number)
    assert req.extended_due_date is not None and _letters(req) == []
    ppid.position, ppid.nip = "Kepala Subbagian Informasi", NIP_UTAMA
    db.session.commit()
    client.post(f"/admin/inbox/{req.id}/surat/terbitkan", data={"kind": "perpanjangan"})
    [letter] = _letters(req, "perpanjangan")
    assert "Kepala Subbagian Informasi" in pdf_text(letter_records.load(letter))
