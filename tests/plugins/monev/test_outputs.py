"""The report (PDF, XLSX), the letter and the public page, read back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cms import accounts
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset


@pytest.fixture
def utama(monev_app, client):
    user = accounts.create_user("utama@x.test", "ppid", PASSWORD)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    return user


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_report_pdf_and_xlsx(client, utama):
    period, units = dataset.build()
    resp = client.get(f"/admin/monev/{period.id}/laporan.pdf")
    assert resp.mimetype == "application/pdf"
    text = pdf_text(resp.data)
    assert "Tahun 2025" in text and "Dinas A" in text and "56,2" in text and "Kurang Informatif" in text
    book = load_workbook(io.BytesIO(client.get(f"/admin/monev/{period.id}/laporan.xlsx").data))
    assert book.sheetnames == ["Peringkat", "Dinas B", "Dinas A", "Dinas C"]
    rows = list(book["Peringkat"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[5], r[6]) for r in rows] == [
        (1, "Dinas B", 61.8, "Cukup Informatif"),
        (2, "Dinas A", 56.2, "Kurang Informatif"),
        (3, "Dinas C", 33.5, "Tidak Informatif"),
    ]
    sheet = [r for r in book["Dinas A"].iter_rows(values_only=True)]
    assert (
        "Kategori PPID Pembantu",
        "Permohonan dijawab ≤ 10 hari kerja",
        "33,3 %",
        25,
        "Layanan permohonan informasi",
    ) in sheet


def test_letter_per_unit(client, utama):
    from plugins.inbox import demo_letters

    demo_letters.load()  # the kop and signer the letter needs (test_letter_official.py)
    period, units = dataset.build()
    text = pdf_text(client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf").data)
    assert "PPID Pembantu Dinas A" in text and "56,2" in text and "peringkat 2 dari 3" in text


def test_zero_data_period_shows_zeros_and_says_so(client, utama, monev_app):
    from cms.extensions import db
    from plugins.monev.models import MonevPeriod

    accounts.get_or_create_unit("Dinas Kosong")
    period = MonevPeriod(year=2031, kind="s1")
    db.session.add(period)
    db.session.commit()
    page = client.get(f"/admin/monev/{period.id}/").get_data(as_text=True)
    assert "Tidak ada data pada periode ini" in page
    unit_id = accounts.get_or_create_unit("Dinas Kosong").id
    unit_page = client.get(f"/admin/monev/{period.id}/unit/{unit_id}").get_data(as_text=True)
    assert "tidak ada keberatan (nilai penuh)" in unit_page and "(tidak ada data)" not in unit_page
    book = load_workbook(io.BytesIO(client.get(f"/admin/monev/{period.id}/laporan.xlsx").data))
    assert any("Tidak ada data" in str(r[0]) for r in book["Peringkat"].iter_rows(values_only=True))
    assert "Tidak ada data pada periode ini" in pdf_text(client.get(f"/admin/monev/{period.id}/laporan.pdf").data)


def test_every_figure_links_to_its_records(client, utama):
    period, units = dataset.build()
    a = units["A"].id
    page = client.get(f"/admin/monev/{period.id}/unit/{a}").get_data(as_text=True)
    assert f'href="/admin/inbox/?unit={a}&amp;dari=2025-01-01&amp;sampai=2025-12-31"' in page
    assert f'href="/admin/dip/?unit={a}"' in page
    assert f"/admin/monev/pengaduan?unit={a}&amp;dari=2025-01-01&amp;sampai=2025-12-31" in page
    listing = client.get(f"/admin/inbox/?unit={a}&dari=2025-01-01&sampai=2025-12-31").get_data(as_text=True)
    assert "REQ/" in listing


def test_public_page_only_once_published(client, utama, monev_app):
    period, _units = dataset.build()
    client.post("/logout")
    assert client.get(f"/ppid/monev/{period.id}").status_code == 404
    assert client.get("/ppid/monev/").status_code == 404
    client.post("/login", data={"email": "utama@x.test", "password": PASSWORD})
    client.post(f"/admin/monev/{period.id}/terbitkan")
    client.post("/logout")
    page = client.get(client.get("/ppid/monev/").headers["Location"]).get_data(as_text=True)
    assert "Hasil Monev PPID Pembantu" in page and "Dinas B" in page and "Cukup Informatif" in page
    assert "Dinas A" in page and "56,2" in page


def test_report_pdf_stays_indonesian_for_a_reader_in_english(client, utama):
    """An official document: the chart's numbers keep the decimal comma even
    when the officer reads the site in English."""
    period, units = dataset.build()
    client.get(f"/admin/monev/{period.id}/?lang=en")
    text = pdf_text(client.get(f"/admin/monev/{period.id}/laporan.pdf").data)
    assert "56,2" in text and "56.2" not in text and "61.8" not in text
