"""Journey 4: the PPID officer imports Kota Bekasi's DIP export; a citizen
searches the catalogue and downloads the XLSX of what was found."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.pages import Shots, login

BEKASI = Path(__file__).resolve().parents[1] / "data" / "ppid-bekasi" / "data"  # vendored public-domain export


def bekasi_export() -> tuple[bytes, int]:
    """Two OPDs' real entries plus one broken row; returns (JSON bytes, valid rows)."""
    entries = json.loads((BEKASI / "1081" / "berkala").read_text())
    entries += json.loads((BEKASI / "1090" / "berkala").read_text())
    valid = len(entries)
    entries.insert(
        5,
        {
            "judul": "",
            "deskripsi": "",
            "kode": "999000111",
            "dokumen_kategori": "Berkala",
            "opd": "Badan Perencanaan  Pembangunan Daerah Kota Bekasi",
            "reg_opd": 1081,
            "created_at": "2018-12-21 11:00:31",
            "jenis_informasi": "Regulasi",
            "link": "",
        },
    )
    return json.dumps(entries, ensure_ascii=False, indent=1).encode(), valid


@pytest.mark.browser
def test_officer_imports_dip_and_citizen_searches_and_downloads_xlsx(site, new_page, server_clean):
    shots = Shots("04-dip")
    officer = site.user("ppid", "pipit.dip@warta.test", name="Pipit PPID")
    data, valid = bekasi_export()

    page = new_page()
    login(page, site.url, *officer)
    page.goto("/admin/dip/impor")
    page.get_by_label("Berkas DIP (CSV, XLSX atau JSON Kota Bekasi)").set_input_files(
        {"name": "dip-bappeda-dppkb.json", "mimeType": "application/json", "buffer": data}
    )
    shots(page, "import-form")
    page.get_by_role("button", name="Impor", exact=True).click()
    # The status page follows the import (it refreshes itself while the worker runs).
    expect(page.get_by_role("heading", level=1)).to_contain_text("dip-bappeda-dppkb.json")
    expect(page.get_by_text("Selesai", exact=True)).to_be_visible(timeout=60_000)
    created = page.get_by_role("row", name="Dibuat")
    expect(created).to_contain_text(str(valid))
    expect(page.get_by_role("row", name="Gagal")).to_contain_text("1")
    expect(page.locator("main")).to_contain_text("kode 999000111")
    shots(page, "import-done")

    citizen = new_page()
    citizen.goto("/ppid/dip")
    citizen.get_by_role("searchbox", name="Cari").fill("tata ruang wilayah")
    citizen.get_by_role("button", name="Tampilkan").click()
    hit = citizen.get_by_role("link", name="RENCANA TATA RUANG WILAYAH TAHUN 2011-2031")
    expect(hit).to_be_visible()
    shots(citizen, "search-results")
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Unduh XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    rows = [[str(c) if c is not None else "" for c in row] for row in book.active.iter_rows(values_only=True)]
    book.close()
    text = "\n".join(" | ".join(row) for row in rows)
    assert "RENCANA TATA RUANG WILAYAH TAHUN 2011-2031" in text
    assert "Ringkasan" in text  # the Perki column headings are there
    assert "LAPORAN KINERJA HARIAN" not in text  # only what the search found

    hit.click()
    expect(citizen.get_by_role("heading", level=1)).to_contain_text("RENCANA TATA RUANG WILAYAH")
    expect(citizen.locator("main")).to_contain_text("Badan Perencanaan")
    shots(citizen, "entry")
