"""Journey 3: a citizen's information request, from the form to the Atasan
PPID's decision on the keberatan, across four people and the mail server."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser import files
from tests.browser.mailbox import text_of
from tests.browser.pages import PRINTS_PDF, Shots, login

CITIZEN_EMAIL = "siti.rahma@contoh.id"
DETAILS = "Salinan dokumen anggaran program imunisasi anak tahun 2025"


def fill_request(page) -> None:
    """A complete request, except for a NIK with 15 digits."""
    page.get_by_label("Perseorangan").check()
    page.get_by_label("Nama lengkap").fill("Siti Rahmawati")
    page.get_by_label("NIK", exact=True).fill("327501120390000")
    page.get_by_label("Alamat", exact=True).fill("Jl. Cut Meutia No. 5, Bekasi Timur")
    page.get_by_label("Nomor telepon").fill("0812 3456 7890")
    page.get_by_role("textbox", name="E-mail").fill(CITIZEN_EMAIL)
    page.get_by_label("Pekerjaan").fill("Peneliti")
    page.get_by_label("Rincian informasi yang dibutuhkan").fill(DETAILS)
    page.get_by_label("Tujuan penggunaan informasi").fill("Bahan penelitian kesehatan anak")
    page.get_by_label("Mendapatkan salinan (softcopy)").check()
    page.get_by_role("group", name="Cara mendapatkan salinan informasi").get_by_role("radio", name="E-mail").check()


@pytest.mark.browser
def test_request_answered_then_objection_decided(site, new_page, mailbox, server_clean):
    shots = Shots("03-request")
    officer = site.user("ppid", "pipit.ppid@warta.test", name="Pipit PPID Utama")
    unit_officer = site.user("ppid_unit", "dani.dinkes@warta.test", unit="Dinas Kesehatan", name="Dani Dinkes")
    atasan = site.user("atasan", "sekda@warta.test", name="Bapak Sekda")

    # The citizen makes a mistake first: the error is named, linked and announced; input is kept.
    citizen = new_page()
    citizen.goto("/ppid/permohonan")
    fill_request(citizen)
    shots(citizen, "form-filled")
    citizen.get_by_role("button", name="Kirim permohonan").click()
    summary = citizen.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("NIK")
    nik = citizen.get_by_label("NIK", exact=True)
    expect(nik).to_have_attribute("aria-invalid", "true")
    error_id = nik.get_attribute("aria-describedby").split()[-1]
    expect(citizen.locator(f"#{error_id}")).to_contain_text("NIK harus 16 digit angka.")
    expect(citizen.get_by_label("Nama lengkap")).to_have_value("Siti Rahmawati")
    expect(citizen.get_by_label("Rincian informasi yang dibutuhkan")).to_have_value(DETAILS)
    shots(citizen, "form-error")
    summary.get_by_role("link", name=re.compile("NIK")).click()
    expect(nik).to_be_focused()

    # Fixed, sent: the receipt shows the number, the tracking code and the deadline, and is mailed.
    nik.fill("3275011203900001")
    citizen.get_by_role("button", name="Kirim permohonan").click(timeout=PRINTS_PDF)  # the receipt letter
    expect(citizen.get_by_role("heading", name="Tanda terima permohonan informasi")).to_be_visible()
    number = citizen.locator("#nomor").inner_text().strip()
    code = citizen.locator("#kode").inner_text().strip()
    assert re.fullmatch(r"\d{4}/PPID/\d{4}", number), number
    expect(citizen.locator(".receipt")).to_contain_text("************0001")
    expect(citizen.locator(".receipt")).not_to_contain_text("3275011203900001")
    shots(citizen, "receipt")

    # The PPID Utama officer routes it to the Dinas Kesehatan.
    staff = new_page()
    login(staff, site.url, *officer)
    staff.goto("/admin/inbox/")
    staff.get_by_role("link", name=number).click()
    staff.get_by_label("Unit (PPID Pembantu)").select_option(label="Dinas Kesehatan")
    staff.get_by_role("button", name="Simpan disposisi").click()
    expect(staff.get_by_text("Disposisi disimpan; batas waktu tidak berubah.")).to_be_visible()
    shots(staff, "officer-assigned")

    # The unit officer answers with a document.
    unit = new_page()
    login(unit, site.url, *unit_officer)
    unit.goto("/admin/inbox/")
    unit.get_by_role("link", name=number).click()
    unit.get_by_role("link", name="Buat pemberitahuan tertulis").click()
    unit.get_by_label("Dikabulkan seluruhnya").check()
    unit.get_by_label("Materi informasi yang diberikan").fill("Dokumen anggaran imunisasi 2025 (DPA)")
    unit.get_by_label("Bentuk informasi").select_option("softcopy")
    unit.get_by_label("Dokumen yang diberikan (PDF, JPG, PNG, DOCX, XLSX, ODT, ODS, CSV, ZIP)").set_input_files(
        {"name": "dpa-imunisasi-2025.pdf", "mimeType": "application/pdf", "buffer": files.pdf("DPA 2025")}
    )
    shots(unit, "unit-answer-form")
    unit.get_by_role("button", name="Simpan dan kirim ke pemohon").click()
    # No jabatan on the officer, so no official letter yet: one message says what was recorded and sent.
    expect(
        unit.get_by_text("Pemberitahuan tertulis tercatat; isinya dikirim ke e-mail pemohon tanpa surat resmi.")
    ).to_be_visible()
    shots(unit, "unit-answered")

    # The citizen sees the answer and the document on the tracking page.
    citizen.goto("/ppid/permohonan/lacak")
    citizen.get_by_label("Nomor pendaftaran").fill(number)
    citizen.get_by_label("Kode pelacakan").fill(code)
    citizen.get_by_role("button", name="Lacak").click()
    expect(citizen.locator("#outcome")).to_have_text("Dikabulkan seluruhnya")
    document = citizen.get_by_role("link", name="dpa-imunisasi-2025.pdf")
    expect(document).to_be_visible()
    with citizen.expect_download() as download:
        document.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    # The document is the applicant's, not the world's.
    assert httpx.get(site.url + document.get_attribute("href")).status_code in (403, 404)
    shots(citizen, "tracking-answered")

    # The citizen objects (keberatan).
    citizen.get_by_role("main").get_by_role("link", name="Ajukan keberatan").click()  # not the footer's
    expect(citizen.get_by_label("Nomor pendaftaran")).to_have_value(number)
    # Bound to the request this browser tracked: the code is not asked again (nor put in the URL).
    expect(citizen.locator("#terikat")).to_contain_text(number)
    citizen.get_by_label("d. Permintaan ditanggapi tidak sebagaimana yang diminta").check()
    citizen.get_by_label("Kasus posisi").fill("Dokumen yang diberikan tidak memuat rincian per puskesmas.")
    shots(citizen, "objection-form")
    citizen.get_by_role("button", name="Kirim keberatan").click(timeout=PRINTS_PDF)  # the receipt letter
    expect(citizen.get_by_role("heading", name="Tanda terima keberatan")).to_be_visible()
    objection_number = citizen.locator("#nomor").inner_text().strip()
    assert objection_number.startswith("KEB-"), objection_number
    shots(citizen, "objection-receipt")

    # The Atasan PPID decides.
    boss = new_page()
    login(boss, site.url, *atasan)
    boss.goto("/admin/inbox/keberatan/")
    boss.get_by_role("link", name=objection_number).click()
    boss.get_by_label("Dikabulkan", exact=True).check()
    boss.get_by_label("Alasan tertulis").fill("Rincian per puskesmas wajib diberikan dalam 7 hari kerja.")
    boss.get_by_label("Nama Atasan PPID").fill("Bapak Sekda")
    boss.get_by_role("button", name="Simpan keputusan").click()
    expect(
        boss.get_by_text("Tanggapan Atasan PPID tercatat; isinya dikirim ke e-mail pemohon tanpa surat resmi.")
    ).to_be_visible()
    expect(boss.locator("#decision")).to_contain_text("Dikabulkan")
    shots(boss, "atasan-decided")

    # And the citizen reads the decision on the tracking page.
    citizen.goto("/ppid/permohonan/lacak")
    citizen.get_by_label("Nomor pendaftaran").fill(number)
    citizen.get_by_label("Kode pelacakan").fill(code)
    citizen.get_by_role("button", name="Lacak").click()
    expect(citizen.locator(".tracked")).to_contain_text(objection_number)
    expect(citizen.locator(".tracked")).to_contain_text("Rincian per puskesmas wajib diberikan")
    shots(citizen, "tracking-decided")
    assert citizen.console_watch.csp() == []

    # Meanwhile the worker mailed the applicant at each step (checked last: no waiting in between).
    receipt_mail = mailbox.wait_for(CITIZEN_EMAIL, number)
    assert code in text_of(receipt_mail) or number in text_of(receipt_mail)
    assert "3275011203900001" not in text_of(receipt_mail)
    assert len(mailbox.to(CITIZEN_EMAIL)) >= 2, [str(m["Subject"]) for m in mailbox.to(CITIZEN_EMAIL)]
