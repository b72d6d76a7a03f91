"""The catalogue exports hold exactly what the list shows, in its order,
with one charset, real date cells and the official DIP's single
"Pejabat/Unit yang Menguasai" column (re-importable)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cms.extensions import db
from plugins.dip.importer import Importer
from plugins.dip.models import DipEntry


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def mixed(make_entry):
    """Entries whose list order differs from an order by unit: the unit
    created first (smaller id) holds the later entries."""
    from cms.accounts import get_or_create_unit

    get_or_create_unit("Dinas Awal")
    return [
        make_entry("Peta rawan banjir kota", category="berkala", unit="Dinas Zaitun", kode="K-1"),
        make_entry("Jadwal piket", category="berkala", unit="Dinas Awal", kode="K-2", description="banjir"),
        make_entry("Evakuasi banjir", category="serta_merta", unit="Dinas Zaitun", kode="K-3"),
        make_entry("Standar layanan", category="setiap_saat", unit="Dinas Zaitun", kode="K-4"),
        make_entry("Formulir permohonan", category="setiap_saat", unit="Dinas Awal", kode="K-5"),
        make_entry("Rencana kerja lama", category="berkala", unit="Dinas Awal", kode="K-6", year=2024),
    ]


def _listed(client, query: str) -> list[str]:
    """The entries' titles in the order the /ppid/dip page shows them."""
    page = client.get(f"/ppid/dip{query}").get_data(as_text=True)
    links = {e.kode: f'href="/ppid/dip/{e.id}"' for e in db.session.scalars(select(DipEntry))}
    found = [(page.find(link), kode) for kode, link in links.items() if link in page]
    return [kode for _, kode in sorted(found)]


@pytest.mark.parametrize("query", ["", "?tahun=2025", "?q=banjir", "?unit=1&q=banjir"])
def test_exports_hold_the_rows_in_the_list_s_order(client, mixed, dip_app, query):
    shown = _listed(client, query)
    assert shown  # the page lists something for every query here
    from_csv = [r[1] for r in _csv_rows(client.get(f"/ppid/dip.csv{query}").data)[1:]]
    sheet = load_workbook(io.BytesIO(client.get(f"/ppid/dip.xlsx{query}").data)).active
    from_xlsx = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    dip_app.config["DIP_EXPORT_JOB_ROWS"] = 0  # and through the worker
    status = client.get(f"/ppid/dip.csv{query}").headers["Location"]
    from_job = [r[1] for r in _csv_rows(client.get(f"{status}/unduh").data)[1:]]
    assert from_csv == from_xlsx == from_job == shown


def test_list_order_is_year_category_then_entry(client, mixed):
    assert _listed(client, "") == ["K-1", "K-2", "K-3", "K-4", "K-5", "K-6"]
    assert _listed(client, "?q=banjir")[:2] == ["K-3", "K-1"]  # more title words first, then newest


def test_csv_names_its_charset_once_direct_and_from_the_worker(client, mixed, dip_app):
    direct = client.get("/ppid/dip.csv")
    assert direct.headers["Content-Type"] == "text/csv; charset=utf-8"
    dip_app.config["DIP_EXPORT_JOB_ROWS"] = 0
    status = client.get("/ppid/dip.csv?tahun=2025").headers["Location"]
    assert client.get(f"{status}/unduh").headers["Content-Type"] == "text/csv; charset=utf-8"


def test_xlsx_dates_are_date_cells(client, make_entry, dip_app):
    from datetime import date

    make_entry("Bertanggal", made_on=date(2025, 3, 14), reviewed_on=date(2025, 6, 2))
    for url in ("/ppid/dip.xlsx", "job"):
        if url == "job":
            dip_app.config["DIP_EXPORT_JOB_ROWS"] = 0
            url = client.get("/ppid/dip.xlsx?tahun=2025").headers["Location"] + "/unduh"
        sheet = load_workbook(io.BytesIO(client.get(url).data)).active
        header = [c.value for c in sheet[1]]
        made, reviewed = (
            sheet.cell(row=2, column=header.index(name) + 1) for name in ("Waktu Pembuatan", "Tanggal Tinjau")
        )
        assert made.is_date and made.value == datetime(2025, 3, 14) and made.number_format == "DD-MM-YYYY"
        assert reviewed.is_date and reviewed.value == datetime(2025, 6, 2)


def test_one_holder_column_as_the_official_dip_and_it_reimports(client, make_entry, tmp_path):
    """Perki's "Pejabat/Unit/Satker yang Menguasai Informasi" is one column:
    the unit, with the pejabat after a dash when one is named."""
    with_official = make_entry("Dengan pejabat", kode="P-1", official="Kepala Bidang Statistik")
    make_entry("Tanpa pejabat", kode="P-2")
    make_entry("Milik PPID Utama", kode="P-3", unit=None, official="Sekretaris Daerah")
    rows = _csv_rows(client.get("/ppid/dip.csv").data)
    header = rows[0]
    assert "Pejabat yang Menguasai" not in header
    holder = {r[1]: r[header.index("Pejabat/Unit yang Menguasai")] for r in rows[1:]}
    assert holder == {
        "P-1": "Dinas Kesehatan — Kepala Bidang Statistik",
        "P-2": "Dinas Kesehatan",
        "P-3": "— Sekretaris Daerah",
    }
    # The export re-imports: unit and pejabat land back in their own fields.
    unit_id = with_official.unit_id
    db.session.execute(DipEntry.__table__.update().values(official=""))
    db.session.commit()
    summary = Importer().run(_export_with_officials(tmp_path, rows))
    assert summary.failed == 0
    db.session.expire_all()
    by_kode = {e.kode: e for e in db.session.scalars(select(DipEntry))}
    assert (by_kode["P-1"].unit_id, by_kode["P-1"].official) == (unit_id, "Kepala Bidang Statistik")
    assert (by_kode["P-2"].official, by_kode["P-3"].unit_id, by_kode["P-3"].official) == (
        "",
        None,
        "Sekretaris Daerah",
    )
    from cms.models import Unit

    assert not db.session.scalar(select(Unit).where(Unit.name.contains("—")))


def _export_with_officials(tmp_path, rows):
    path = tmp_path / "export.csv"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def test_progress_page_leads_back_to_the_filtered_list(client, mixed, dip_app):
    dip_app.config["DIP_EXPORT_JOB_ROWS"] = 0
    status = client.get("/ppid/dip.xlsx?kategori=berkala&tahun=2025&q=banjir").headers["Location"]
    page = client.get(status).get_data(as_text=True)
    assert 'href="/ppid/dip/?q=banjir&amp;kategori=berkala&amp;tahun=2025"' in page
