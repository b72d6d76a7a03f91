"""Public catalogue, item page, printable layout, DIK page, exports and the JSON API."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from cms.extensions import db
from plugins.dip.importer import Importer
from plugins.dip.models import DikEntry, DipDecree, DipDocument
from tests.plugins.dip.conftest import FILES


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_search_highlights_matches_and_escapes_everything_else(client, make_entry):
    make_entry("Laporan keuangan <i>audit</i> 2024", description="Neraca dan laporan arus kas daerah")
    make_entry("Struktur organisasi", description="Bagan organisasi")
    page = client.get("/ppid/dip?q=keuangan").get_data(as_text=True)
    assert "<mark>keuangan</mark>" in page
    assert "&lt;i&gt;audit&lt;/i&gt;" in page and "<i>audit" not in page
    assert "Struktur organisasi" not in page
    assert "1 entri" in page
    # Prefix match and FTS syntax characters never break the page.
    assert "<mark>Neraca</mark>" in client.get("/ppid/dip?q=nera").get_data(as_text=True)
    for nasty in ['"', "keu*", "NEAR(", "-", "a OR", "'; DROP TABLE dip_entry;--"]:
        assert client.get("/ppid/dip", query_string={"q": nasty}).status_code == 200


def test_filters_by_category_unit_jenis_and_year(client, make_entry):
    make_entry("Alpha berkala", category="berkala", unit="Dinas A", jenis="Regulasi", year=2024)
    make_entry("Beta serta merta", category="serta_merta", unit="Dinas B", jenis="Informasi Darurat", year=2025)
    make_entry("Gamma setiap saat", category="setiap_saat", unit="Dinas A", jenis="Regulasi", year=2025)
    make_entry("Delta draf", published=False)

    def titles(**args):
        page = client.get("/ppid/dip", query_string=args).get_data(as_text=True)
        return {t for t in ("Alpha", "Beta", "Gamma", "Delta") if f"{t} " in page}

    assert titles() == {"Alpha", "Beta", "Gamma"}
    assert titles(kategori="serta_merta") == {"Beta"}
    unit_a = db.session.execute(db.text("SELECT id FROM unit WHERE name = 'Dinas A'")).scalar()
    assert titles(unit=unit_a) == {"Alpha", "Gamma"}
    assert titles(jenis="Regulasi", tahun=2025) == {"Gamma"}
    assert titles(kategori="bogus", unit="x", tahun="20x5") == {"Alpha", "Beta", "Gamma"}  # bad input ignored


def test_item_page_shows_seven_columns_documents_and_links_and_hides_drafts(client, make_entry, dip_app):
    from plugins.dip import files

    entry = make_entry(
        "Perwal standar layanan",
        description="<p>Isi <strong>penting</strong></p>",
        links=["https://jdih.example.go.id/perwal.pdf"],
        responsible="Kabag Hukum",
        retention="10 tahun",
        made_place="Bekasi",
        hardcopy=True,
    )
    stored = files.storage_dir() / "abc123.pdf"
    stored.write_bytes(b"%PDF-1.4 test")
    db.session.add(
        DipDocument(
            entry_id=entry.id, file_name="perwal.pdf", stored_name="abc123.pdf", mimetype="application/pdf", size=13
        )
    )
    db.session.commit()
    page = client.get(f"/ppid/dip/{entry.id}").get_data(as_text=True)
    for text in (
        "Perwal standar layanan",
        "<strong>penting</strong>",
        "Kabag Hukum",
        "10 tahun",
        "Hardcopy, Softcopy",
        "Bekasi",
        'href="https://jdih.example.go.id/perwal.pdf"',
        "perwal.pdf",
    ):
        assert text in page
    document = client.get(f"/ppid/dip/dokumen/{entry.documents[0].id}/perwal.pdf")
    assert document.data == b"%PDF-1.4 test" and document.mimetype == "application/pdf"
    assert "sandbox" in document.headers["Content-Security-Policy"]
    draft = make_entry("Draf rahasia", published=False)
    assert client.get(f"/ppid/dip/{draft.id}").status_code == 404
    assert client.get("/ppid/dip/999999").status_code == 404


def test_printable_layout_groups_by_category_with_seven_columns_and_signature(client, make_entry):
    make_entry("Profil dinas", category="berkala", year=2025)
    make_entry("Peringatan banjir", category="serta_merta", year=2025)
    make_entry("SOP permohonan", category="setiap_saat", year=2025)
    db.session.add(
        DipDecree(
            year=2025,
            number="SK 800/12/PPID/2025",
            signed_on=date(2025, 1, 15),
            place="Bekasi",
            official_name="Drs. Budi Santoso",
            official_title="PPID Utama",
            official_nip="197001011990031001",
        )
    )
    db.session.commit()
    page = client.get("/ppid/dip/cetak?tahun=2025").get_data(as_text=True)
    order = [page.index(h) for h in ("Informasi Berkala", "Informasi Serta Merta", "Informasi Setiap Saat")]
    assert order == sorted(order)
    assert page.count('<th scope="col">') == 3 * 7
    for text in (
        "Ringkasan Isi Informasi",
        "Jangka Waktu Penyimpanan atau Retensi Arsip",
        "SK 800/12/PPID/2025",
        "Drs. Budi Santoso",
        "NIP 197001011990031001",
        "Bekasi, Rabu, 15 Januari 2025",
    ):
        assert text in page
    assert "<script" not in page and "style=" not in page


def test_csv_export_is_exactly_the_filtered_list_with_formulas_neutralised(client, dip_app):
    Importer().run(FILES / "hostile.csv")
    response = client.get("/ppid/dip.csv?kategori=setiap_saat")
    assert response.mimetype == "text/csv" and response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response.data)
    header, body = rows[0], rows[1:]
    assert header[:6] == ["No", "Kode", "Tahun", "Kategori", "Jenis Informasi", "Ringkasan Isi Informasi"]
    assert sorted(r[1] for r in body) == ["H-11", "H-2"]
    h11 = next(r for r in body if r[1] == "H-11")
    assert h11[4] == "'@SUM(1+1)" and h11[5] == "'-2+3 minus di depan"
    assert h11[6] == "Tab di depan"  # whitespace is normalised on import already
    full = _csv_rows(client.get("/ppid/dip.csv").data)
    h1 = next(r for r in full if r[1] == "H-1")
    assert h1[5].startswith("'=HYPERLINK(") and h1[6] == "'+SUM(A1:A9)"
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for row in full[1:] for cell in row)
    searched = _csv_rows(client.get("/ppid/dip.csv?q=banjir").data)
    assert [r[1] for r in searched[1:]] == ["H-3"]


def test_xlsx_export_matches_filters_and_holds_no_formulas(client, dip_app):
    Importer().run(FILES / "hostile.csv")
    response = client.get("/ppid/dip.xlsx?tahun=2025")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][5] == "Ringkasan Isi Informasi"
    assert sorted(r[1] for r in rows[1:]) == ["H-1", "H-11", "H-2", "H-3"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
    h1 = next(r for r in rows if r[1] == "H-1")
    assert h1[5].startswith("'=HYPERLINK(")
    assert "Ĳsselmeer 水 😀" in next(r for r in rows if r[1] == "H-3")[5]
    empty = load_workbook(io.BytesIO(client.get("/ppid/dip.xlsx?tahun=1999").data)).active
    assert empty.max_row == 1


def test_dik_page_lists_exemptions_without_the_content(client, dip_app):
    from cms.accounts import get_or_create_unit

    db.session.add(
        DikEntry(
            year=2025,
            unit_id=get_or_create_unit("RSUD").id,
            information="Rekam medis pasien",
            pasal17="h",
            other_law="Pasal 57 UU 17/2023",
            consequence="Membuka rahasia pribadi pasien.",
            public_interest="Statistik agregat dibuka.",
            period_text="Selama pasien hidup",
            exempt_until=date(2030, 1, 1),
            sk_number="SK 9/2025",
            penetap_name="PPID Utama",
            penetapan_place="Bekasi",
            penetapan_date=date(2025, 1, 2),
        )
    )
    db.session.add(
        DikEntry(
            year=2025, information="Draf yang belum disahkan", consequence="x", public_interest="y", published=False
        )
    )
    db.session.commit()
    page = client.get("/ppid/dik").get_data(as_text=True)
    for text in (
        "Rekam medis pasien",
        "Pasal 17 huruf h UU 14/2008; Pasal 57 UU 17/2023",
        "Membuka rahasia pribadi",
        "Statistik agregat dibuka.",
        "Selama pasien hidup",
        "SK 9/2025",
        "RSUD",
    ):
        assert text in page
    assert "Draf yang belum disahkan" not in page


def test_api_is_paginated_filterable_and_read_only(client, make_entry):
    for n, word in enumerate(("nol", "satu", "dua", "tiga", "empat")):
        make_entry(f"Entri {word}", category="berkala" if n % 2 else "setiap_saat", links=["https://x.example/a"])
    make_entry("Tersembunyi", published=False)
    data = client.get("/api/v1/dip?per_page=2").get_json()
    assert (data["total"], data["pages"], len(data["items"])) == (5, 3, 2)
    assert data["next"].endswith("page=2&per_page=2") or "page=2" in data["next"]
    item = data["items"][0]
    assert {"kode", "ringkasan", "kategori", "unit", "tautan", "url", "tahun"} <= set(item)
    assert item["url"].startswith("http://warta.test/ppid/dip/")
    filtered = client.get("/api/v1/dip?kategori=berkala").get_json()
    assert filtered["total"] == 2 and {i["kategori"] for i in filtered["items"]} == {"berkala"}
    assert [i["ringkasan"] for i in client.get("/api/v1/dip?q=tiga").get_json()["items"]] == ["Entri tiga"]
    bad = client.get("/api/v1/dip?per_page=1000")
    assert bad.status_code == 400 and "per_page" in bad.get_json()["error"]
    assert client.get("/api/v1/dip?kategori=rahasia").status_code == 400
    assert client.post("/api/v1/dip").status_code == 405
    hidden = [i for i in client.get("/api/v1/dip?per_page=100").get_json()["items"] if i["ringkasan"] == "Tersembunyi"]
    assert hidden == []


def test_neutralise_covers_every_formula_prefix():
    from plugins.dip.exports import neutralise

    for raw in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(raw) == "'" + raw
    assert neutralise("Biasa = aman") == "Biasa = aman" and neutralise(2025) == 2025
    assert neutralise("a\x00b\x1fc") == "abc"


def test_broad_searches_say_more_than_and_show_newest_first(client, make_entry, monkeypatch):
    from plugins.dip import catalogue

    monkeypatch.setattr(catalogue, "COUNT_CAP", 3)
    months = ["januari", "februari", "maret", "april", "mei"]
    entries = [make_entry(f"Laporan bulan {m}") for m in months]
    page = client.get("/ppid/dip?q=laporan").get_data(as_text=True)
    assert "Lebih dari 3 entri" in page
    assert page.index("Laporan</mark> bulan mei") < page.index("Laporan</mark> bulan januari")
    data = client.get("/api/v1/dip?q=laporan").get_json()
    assert data["total_capped"] is True and data["items"][0]["id"] == entries[-1].id
    narrow = client.get("/ppid/dip?q=laporan bulan maret").get_data(as_text=True)
    assert "1 entri" in narrow and "Lebih dari" not in narrow
