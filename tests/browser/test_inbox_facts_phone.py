"""The applicant's receipt facts (tracking page, receipt) at 360 px: each
value gets the width of the screen, not a one-letter column beside its label
(the tracking code and the deadlines printed one character per line)."""

from __future__ import annotations

import pytest

from tests.browser.pages import horizontal_overflow

NARROW = {"width": 360, "height": 800}


def _request(site) -> tuple[str, str]:
    from plugins.inbox import services

    with site.db(), site.app.test_request_context():
        req, code = services.create_request(
            {
                "applicant_type": "perseorangan",
                "name": "Wulan Sari",
                "nik": "3275014101900009",
                "address": "Jl. Pahlawan No. 9, Bekasi",
                "email": "wulan@contoh.id",
                "details": "Data anggaran imunisasi 2026 per puskesmas",
                "purpose": "Kajian",
                "access_method": "softcopy",
                "delivery": "email",
            }
        )
        return req.number, code


@pytest.mark.browser
def test_tracking_facts_use_the_phone_width(site, new_page, server_clean):
    number, code = _request(site)
    page = new_page()
    page.set_viewport_size(NARROW)
    page.goto("/ppid/permohonan/lacak")
    page.get_by_label("Nomor pendaftaran").fill(number)
    page.get_by_label("Kode pelacakan").fill(code)
    page.get_by_role("button", name="Lacak").click()
    page.wait_for_load_state("load")  # measured with the page's styles, not while it loads
    deadline = page.locator("#deadline").bounding_box()
    assert deadline is not None
    # "Senin, 21 Desember 2026 (10 hari kerja lagi)" fits in two lines at most.
    assert deadline["width"] > 250, deadline
    assert deadline["height"] < 60, deadline
    overflow, culprits = horizontal_overflow(page)
    assert overflow <= 1, culprits
