"""A figure without a denominator says what it means for the score, in one
wording, on the page, in the report and in the letter; download names are
Indonesian."""

from __future__ import annotations

import io

from pypdf import PdfReader

from cms import accounts
from cms.extensions import db
from plugins.monev import catalogue
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset

MET = "tidak ada keberatan (nilai penuh)"
COMPLAINTS = "tidak ada pengaduan (nilai penuh)"
NOT_MET = "tidak ada unggahan (nilai 0)"
DIP = "tidak ada informasi dalam DIP (nilai 0)"


def pdf_text(data: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _login(client):
    accounts.create_user("utama@x.test", "ppid", PASSWORD)
    client.post("/login", data={"email": "utama@x.test", "password": PASSWORD})


def test_every_rate_and_median_states_its_empty_rule():
    for spec in catalogue.INDICATORS:
        if spec.den or any(k in catalogue.MEDIAN_KEYS for k in spec.num):
            assert spec.empty is not None, spec.key
    assert catalogue.BY_KEY["keberatan_30"].empty.met and catalogue.BY_KEY["keberatan_30"].empty_score == 100
    assert not catalogue.BY_KEY["crosspost_terkirim"].empty.met
    assert catalogue.BY_KEY["dip_lengkap"].empty_score == 0


def test_unit_page_says_no_case_or_no_activity_once(client):
    period, units = dataset.build()
    _login(client)
    page = client.get(f"/admin/monev/{period.id}/unit/{units['C'].id}").get_data(as_text=True)
    assert MET in page and COMPLAINTS in page and NOT_MET in page and DIP in page
    assert "tidak ada data" not in page.replace(">tidak ada data<", "") and "(0/0)" not in page
    assert "0 % (" not in page
    busy = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}").get_data(as_text=True)
    assert "33,3 %" in busy and "(1/3)" in busy  # a real rate keeps its count


def test_report_and_letter_print_the_same_wording(client):
    from plugins.inbox import demo_letters

    demo_letters.load()
    period, units = dataset.build()
    _login(client)
    report = pdf_text(client.get(f"/admin/monev/{period.id}/laporan.pdf").data)
    letter = pdf_text(client.get(f"/admin/monev/{period.id}/unit/{units['C'].id}/surat.pdf").data)
    for text in (report, letter):
        assert MET in text and NOT_MET in text
        assert "tidak ada data)" not in text


def test_download_names_are_indonesian(client):
    from plugins.monev.models import MonevPeriod

    period, _units = dataset.build()
    _login(client)
    for fmt in ("pdf", "xlsx"):
        resp = client.get(f"/admin/monev/{period.id}/laporan.{fmt}")
        assert resp.headers["Content-Disposition"] == f'attachment; filename="monev-2025-tahunan.{fmt}"'
    for kind, stem in (("s1", "semester-1"), ("s2", "semester-2")):
        half = MonevPeriod(year=2025, kind=kind)
        db.session.add(half)
        db.session.commit()
        resp = client.get(f"/admin/monev/{half.id}/laporan.pdf")
        assert resp.headers["Content-Disposition"] == f'attachment; filename="monev-2025-{stem}.pdf"'
