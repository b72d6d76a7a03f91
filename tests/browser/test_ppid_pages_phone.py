"""The public PPID pages (issue 19) at 360 px, the narrowest phone the Komisi
Informasi's visitors use: no horizontal scroll, no serious axe violation,
with the demo units as PPID Pembantu and a long edited text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PHONE, audit, blocking_violations, horizontal_overflow, login

NARROW = {"width": 360, "height": 800}
PAGES = ["/ppid/", "/ppid/maklumat", "/ppid/jam-layanan", "/ppid/alur-layanan", "/ppid/sop", "/ppid/struktur"]
LONG = (
    "<h2>Kontak</h2><p>https://ppid.contoh.go.id/dokumen/standar-layanan-informasi-publik-tahun-anggaran-2026.pdf</p>"
    "<table><tr><th>Hari</th><th>Jam</th><th>Istirahat</th><th>Keterangan panjang sekali</th></tr>"
    "<tr><td>Senin–Kamis</td><td>08.00–15.00</td><td>12.00–13.00</td>"
    "<td>Layanan tatap muka dan daring</td></tr></table>"
)


def _pembantu_slug(site) -> str:
    from sqlalchemy import select

    from cms.models import Unit

    with site.db() as session:
        return session.scalar(select(Unit.slug).where(Unit.active.is_(True)).order_by(Unit.id))


def _check_narrow(page, url: str) -> None:
    page.set_viewport_size(NARROW)
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    overflow, culprits = horizontal_overflow(page)
    assert overflow <= 1, f"{url}: {overflow}px wider than 360px; sticking out: {', '.join(culprits)}"
    assert not blocking_violations(page), f"{url}: {blocking_violations(page)}"
    page.set_viewport_size(PHONE)


@pytest.mark.browser
def test_ppid_pages_fit_a_360px_phone(site, new_page, places):
    page = new_page()
    for url in [*PAGES, f"/ppid/pembantu/{_pembantu_slug(site)}"]:
        _check_narrow(page, url)


@pytest.mark.browser
def test_edited_pages_still_fit_and_the_editor_is_accessible(site, new_page, places):
    page = new_page()
    login(page, site.url, *site.user("ppid", "utama-halaman@warta.test", name="PPID Utama Halaman"))
    page.goto("/admin/inbox/halaman-ppid/jam-layanan")
    page.get_by_label("Isi halaman").fill(LONG)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Halaman disimpan.")).to_be_visible()
    page.wait_for_load_state("load")  # the audit needs the whole page, styles and warta.js
    assert not audit(page, "/admin/inbox/halaman-ppid"), audit(page, "/admin/inbox/halaman-ppid")
    _check_narrow(page, "/ppid/jam-layanan")
    assert "Layanan tatap muka dan daring" in page.locator("#isi").inner_text()
