"""Journey: an applicant whose request went unanswered past its deadline
finds the keberatan right and its last day on the tracking page, follows
the link and files the keberatan (issue 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PRINTS_PDF, Shots

DETAILS = "Daftar penerima hibah pendidikan tahun 2025"


def _overdue_request(site) -> tuple[str, str, str]:
    """A web request received 40 days ago and never answered; returns
    (number, code, the keberatan deadline as the page writes it)."""
    from cms.api import format_date, naive_utc
    from plugins.inbox import rights, services

    with site.db(), site.app.test_request_context():
        req, code = services.create_request(
            {
                "applicant_type": "perseorangan",
                "name": "Rudi Hartono",
                "nik": "3275011203900002",
                "address": "Jl. Kemakmuran No. 3, Bekasi",
                "email": "rudi.hartono@contoh.id",
                "details": DETAILS,
                "purpose": "Pengawasan anggaran",
                "access_method": "softcopy",
                "delivery": "email",
            },
            received_at=naive_utc() - timedelta(days=40),
        )
        right = rights.next_right(req)
        assert right is not None and right.kind == "keberatan", right
        return req.number, code, format_date(right.until)


@pytest.mark.browser
def test_overdue_request_to_keberatan_from_the_tracking_page_link(site, new_page, server_clean):
    shots = Shots("keberatan")
    number, code, until = _overdue_request(site)

    citizen = new_page()
    citizen.goto("/ppid/permohonan/lacak")
    citizen.get_by_label("Nomor pendaftaran").fill(number)
    citizen.get_by_label("Kode pelacakan").fill(code)
    citizen.get_by_role("button", name="Lacak").click()
    expect(citizen.locator("#status")).to_have_text("Terlambat, belum dijawab")
    right = citizen.locator("#hak-berikutnya")
    expect(right).to_contain_text(f"Anda dapat mengajukan keberatan sampai {until}.")
    shots(citizen, "tracking-overdue")

    citizen.get_by_role("main").get_by_role("link", name="Ajukan keberatan").click()  # not the footer's
    expect(citizen.get_by_label("Nomor pendaftaran")).to_have_value(number)
    expect(citizen.locator("#terikat")).to_contain_text(number)
    assert code not in citizen.url  # the code never travels in a URL
    expect(citizen.get_by_label("Kode pelacakan")).to_have_count(0)
    citizen.get_by_label("c. Tidak ditanggapinya permintaan informasi").check()
    citizen.get_by_label("Kasus posisi").fill("Permohonan tidak dijawab dalam 10 hari kerja.")
    shots(citizen, "objection-form")
    citizen.get_by_role("button", name="Kirim keberatan").click(timeout=PRINTS_PDF)  # the receipt letter
    expect(citizen.get_by_role("heading", name="Tanda terima keberatan")).to_be_visible()
    assert citizen.locator("#nomor").inner_text().strip().startswith("KEB-")
    expect(citizen.locator("#hak-berikutnya")).to_contain_text("Bila Atasan PPID tidak menanggapi sampai")
    shots(citizen, "objection-receipt")
