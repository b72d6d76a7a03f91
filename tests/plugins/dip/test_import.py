"""The importer: the Kota Bekasi export, a hostile CSV, XLSX and files that are not a DIP."""

from __future__ import annotations

import json

from openpyxl import Workbook
from sqlalchemy import func, select

from cms.extensions import db
from cms.models import AuditLog
from plugins.dip.importer import Importer
from plugins.dip.models import DipEntry
from tests.plugins.dip.conftest import BEKASI, FILES


def _count(model=DipEntry):
    return db.session.scalar(select(func.count()).select_from(model))


def test_bekasi_export_gives_1391_entries_across_44_units_and_names_the_malformed_file(runner):
    result = runner.invoke(args=["dip", "import", str(BEKASI)])
    assert "BERKAS GAGAL 1546/dip: JSON tidak valid pada baris 29 kolom 1" in result.output
    assert "Selesai: 1391 dibuat, 0 diperbarui" in result.output
    assert "1 berkas gagal" in result.output
    assert _count() == 1391
    units = db.session.scalar(select(func.count(func.distinct(DipEntry.unit_id))))
    assert units == 44
    by_category = dict(db.session.execute(select(DipEntry.category, func.count()).group_by(DipEntry.category)).all())
    assert by_category == {"berkala": 737, "setiap_saat": 511, "serta_merta": 143}
    # The lone "Dikecualikan" row is reported with its place, not silently dropped.
    assert "GAGAL 1546/dikecualikan entri #1 (kode 300117270): kategori:" in result.output
    entry = db.session.scalar(select(DipEntry).where(DipEntry.kode == "500100358"))
    assert entry.title == "Struktur Organisasi BKPPD Kota Bekasi"
    assert entry.unit.name == "Badan Kepegawaian, Pendidikan, dan Pelatihan Kota Bekasi"
    assert entry.jenis == "Profil Badan Publik" and entry.year == 2021
    assert [link.url for link in entry.links] == ["http://ppid.bekasikota.go.id/front/dokumen/detail/500100358"]
    # Idempotent: the second run updates nothing and creates nothing.
    again = runner.invoke(args=["dip", "import", str(BEKASI)])
    assert "Selesai: 0 dibuat, 0 diperbarui" in again.output
    assert _count() == 1391
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "dip.import")) == 2


def test_non_tty_progress_prints_periodic_lines(runner):
    result = runner.invoke(args=["dip", "import", str(BEKASI / "1080")])
    lines = [line for line in result.output.splitlines() if line.startswith("… ")]
    assert 2 <= len(lines) <= 12 and lines[-1].endswith("baris")


def test_a_changed_row_is_updated_not_duplicated(dip_app, tmp_path):
    rows = json.loads((BEKASI / "1139" / "sertamerta").read_text())
    source = tmp_path / "one.json"
    source.write_text(json.dumps(rows))
    assert Importer().run(source).created == len(rows)
    rows[0]["judul"] = "Judul yang diperbaiki"
    source.write_text(json.dumps(rows))
    summary = Importer().run(source)
    assert (summary.created, summary.updated, summary.skipped) == (0, 1, len(rows) - 1)
    assert db.session.scalar(select(DipEntry.title).where(DipEntry.kode == rows[0]["kode"])) == "Judul yang diperbaiki"


def test_hostile_csv_keeps_good_rows_and_reports_each_bad_one(dip_app):
    summary = Importer().run(FILES / "hostile.csv")
    errors = dict(summary.errors)
    assert errors["hostile.csv baris 5"].startswith("kategori: Kategori tidak dikenal: 'Rahasia Negara'")
    assert errors["hostile.csv baris 6"] == "ringkasan: Ringkasan isi informasi wajib diisi."
    assert "Tanggal tidak dapat dibaca: '31 Februari kemarin'" in errors["hostile.csv baris 7"]
    assert "ditolak: javascript" in errors["hostile.csv baris 8"]
    assert "ditolak: data" in errors["hostile.csv baris 9"]
    assert "kode H-1 ganda dalam berkas ini (pertama di hostile.csv baris 2)" in errors["hostile.csv baris 10"]
    assert "Ringkasan terlalu panjang (600 karakter; maks. 500)" in errors["hostile.csv baris 11"]
    assert "Deskripsi terlalu panjang (60000 karakter" in errors["hostile.csv baris 12"]
    assert "Dikecualikan" in errors["hostile.csv baris 14"]
    assert summary.failed == 9 and summary.created == 4
    assert ("hostile.csv baris 3", "tag HTML pada ringkasan dibuang") in summary.warnings

    stored = {e.kode: e for e in db.session.scalars(select(DipEntry))}
    assert set(stored) == {"H-1", "H-2", "H-3", "H-11"}
    assert stored["H-1"].title.startswith("=HYPERLINK(")  # kept as text; neutralised on export
    script = stored["H-2"]
    assert script.title == "Peraturan tebal" and "<" not in script.title
    assert "<script" not in script.description_html and "onclick" not in script.description_html
    assert "javascript:" not in script.description_html and "alert(2)" not in script.description_html
    assert stored["H-3"].title == "Peringatan banjir — Ĳsselmeer 水 😀 Cikarang"
    assert stored["H-3"].category == "serta_merta"
    assert stored["H-2"].made_on.isoformat() == "2025-02-05"


def test_xlsx_import_reads_the_first_sheet_with_its_row_numbers(dip_app, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DIP 2025"
    sheet.append(["Ringkasan Isi Informasi", "Kategori", "Unit", "Tahun", "Waktu Pembuatan", "Kode"])
    sheet.append(["Renstra Dinas Kesehatan 2025–2029", "berkala", "Dinas Kesehatan", 2025, "2025-02-01", "X-1"])
    sheet.append(["", "", "", None, None, None])  # blank rows are passed over
    sheet.append(["Tanpa kategori", "", "Dinas Kesehatan", 2025, None, "X-2"])
    path = tmp_path / "dip.xlsx"
    workbook.save(path)
    summary = Importer().run(path)
    assert summary.created == 1
    assert summary.errors == [
        ("dip.xlsx lembar DIP 2025 baris 4", "kategori: Kategori wajib diisi (berkala, serta merta, setiap saat).")
    ]
    entry = db.session.scalar(select(DipEntry))
    assert (entry.year, entry.unit.name, entry.made_on.isoformat()) == (2025, "Dinas Kesehatan", "2025-02-01")


def test_files_that_are_not_a_dip_are_reported_by_name(dip_app, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "not-a-dip.bin").write_bytes((FILES / "not-a-dip.bin").read_bytes())
    (folder / "notes.csv").write_text("nama,alamat\nBudi,Bekasi\n")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 this is no workbook")
    (folder / "README.md").write_text("# ignored")
    (folder / "ok.json").write_text(json.dumps([{"judul": "Satu", "dokumen_kategori": "Berkala", "kode": "1"}]))
    summary = Importer().run(folder)
    failed = dict(summary.file_errors)
    assert set(failed) == {"not-a-dip.bin", "notes.csv", "broken.xlsx"}
    assert "bukan berkas JSON, CSV atau XLSX" in failed["not-a-dip.bin"]
    assert "kolom 'Ringkasan Isi Informasi'" in failed["notes.csv"]
    assert "bukan berkas XLSX yang valid" in failed["broken.xlsx"]
    assert summary.created == 1


def test_export_reimports_cleanly(client, make_entry, dip_app, tmp_path):
    make_entry("=1+1 rumus", kode="R-1", links=["https://a.example/x"])
    make_entry("Biasa", kode="R-2", category="setiap_saat")
    csv_bytes = client.get("/ppid/dip.csv").data
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes)
    summary = Importer().run(path)
    assert (summary.created, summary.updated, summary.failed) == (0, 0, 0)
    assert summary.skipped == 2
    assert db.session.scalar(select(DipEntry.title).where(DipEntry.kode == "R-1")) == "=1+1 rumus"


def test_semicolon_csv_with_bom_is_read(dip_app, tmp_path):
    path = tmp_path / "excel.csv"
    text = "Ringkasan;Kategori;OPD\nLaporan keuangan;Berkala;Badan Keuangan\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    summary = Importer(year=2024).run(path)
    assert summary.created == 1
    entry = db.session.scalar(select(DipEntry))
    assert entry.year == 2024 and entry.kode == f"WRT-{entry.id}"
    # No kode: matched by year, unit and title, so a second run does not duplicate.
    assert Importer(year=2024).run(path).skipped == 1
    assert _count() == 1
