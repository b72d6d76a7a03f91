"""Journey: a PPID Pembantu fills the Monev self-assessment with evidence;
the PPID Utama returns one answer with a comment, which the Pembantu sees."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import audit, login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.browser
def test_pembantu_fills_self_assessment_and_utama_returns_one_answer(site, new_page, server_clean):
    pembantu = site.user("ppid_unit", "pembantu.monev@warta.test", unit="Dinas Monev Uji")
    utama = site.user("ppid", "utama.monev@warta.test")
    with site.db() as session:
        from cms.models import Unit
        from plugins.monev.models import MonevPeriod

        unit_id = session.query(Unit).filter_by(name="Dinas Monev Uji").one().id
        period = session.query(MonevPeriod).filter_by(year=2025, kind="year").first() or MonevPeriod(
            year=2025, kind="year"
        )
        session.add(period)
        session.commit()
        url = f"/admin/monev/{period.id}/unit/{unit_id}/mandiri"

    page = new_page()
    login(page, site.url, *pembantu)
    page.goto(url)
    for key, name in (("sk_ppid", "sk-ppid.pdf"), ("meja_layanan", "meja.pdf")):
        item = page.locator(f"#butir-{key}")
        item.get_by_label("Ada").check()
        item.get_by_label("Berkas bukti").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": PDF})
        item.get_by_role("button", name="Simpan dan ajukan").click()
        expect(page.locator(f"#butir-{key} .monev-status")).to_have_text("Diajukan, menunggu verifikasi PPID Utama")
    # a wrong file is refused with a message next to its item
    item = page.locator("#butir-sop_dipajang")
    item.get_by_label("Ada").check()
    item.get_by_label("Berkas bukti").set_input_files(
        {"name": "sop.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}
    )
    item.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.locator("#galat-sop_dipajang")).to_contain_text("harus PDF, PNG atau JPEG")
    page.wait_for_load_state("load")  # the audit needs the whole page, styles and warta.js
    assert audit(page, "monev self-assessment") == []

    utama_page = new_page()
    login(utama_page, site.url, *utama)
    utama_page.goto(url)
    utama_page.locator("#butir-sk_ppid").get_by_role("button", name="Terima").click()
    meja = utama_page.locator("#butir-meja_layanan")
    meja.get_by_label("Komentar").fill("Foto meja layanan belum dilampirkan")
    meja.get_by_role("button", name="Kembalikan").click()
    expect(utama_page.locator("#butir-sk_ppid .monev-status")).to_have_text("Diterima PPID Utama")
    expect(utama_page.locator("#butir-meja_layanan .monev-status")).to_have_text("Dikembalikan untuk diperbaiki")

    page.goto(url)
    expect(page.locator("#butir-meja_layanan")).to_contain_text("Foto meja layanan belum dilampirkan")
    expect(page.locator("#butir-sk_ppid").get_by_role("button", name="Simpan dan ajukan")).to_have_count(0)
