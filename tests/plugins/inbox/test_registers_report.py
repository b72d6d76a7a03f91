"""Registers (XLSX/CSV, masked, formula-safe) and the annual report on a known data set."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import time_machine
from openpyxl import load_workbook

from cms.accounts import get_or_create_unit
from plugins.inbox import objections, services
from tests.plugins.inbox.conftest import form_data


def _make(received: str, answered: str | None = None, outcome: str | None = None, **extra):
    data = form_data(**{k: v for k, v in extra.items() if k not in ("channel", "extend", "unit", "answer")})
    with time_machine.travel(received, tick=False):
        req, _ = services.create_request(
            data, channel=extra.get("channel", "web"), received_at=datetime.fromisoformat(received)
        )
        if extra.get("unit"):
            services.assign(req, extra["unit"], None)
        if extra.get("extend"):
            services.extend(req, "Perlu waktu.")
    if answered:
        with time_machine.travel(answered, tick=False):
            services.answer(req, {"outcome": outcome, **(extra.get("answer") or {})})
    return req


@pytest.fixture
def dataset(inbox_app):
    """2025: five requests with known timings (UTC times are 10.00 WIB)."""
    health = get_or_create_unit("Dinas Kesehatan")
    r1 = _make("2025-10-06 03:00", "2025-10-10 03:00", "dikabulkan_seluruhnya", unit=health)  # 4 WD
    r2 = _make(
        "2025-10-06 03:00",
        "2025-10-20 03:00",
        "dikabulkan_sebagian",
        channel="desk",
        answer={"redaction_note": "NIK dihitamkan"},
    )  # 10 WD, on time
    r3 = _make(
        "2025-10-06 03:00",
        "2025-10-24 03:00",
        "ditolak_dikecualikan",
        extend=True,
        applicant_type="badan_hukum",
        nik="",
        sk_number="AHU-1",
        organisation="PT Maju",
        answer={"exemptions": ["a", "h"], "consequence_test": "uji"},
    )  # 14 WD, within 17
    r4 = _make(
        "2025-03-24 03:00",
        "2025-04-30 03:00",
        "tidak_dikuasai",
        channel="letter",
        answer={"held_by": "BPN", "fee_items": {"salinan_lembar": 10}},
        access_method="hardcopy",
    )  # late, 19 WD
    r5 = _make("2025-11-03 03:00", name='=HYPERLINK("http://evil")', details="+cmd|' /C calc'!A0")
    with time_machine.travel("2025-11-10 03:00", tick=False):
        objections.file_objection(r3, {"grounds": ["a"], "case_summary": "Keberatan."})
    return {"health": health, "requests": [r1, r2, r3, r4, r5]}


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_report_numbers_for_the_year(dataset):
    from plugins.inbox.report import Period, build

    data = build(Period(2025))
    assert data["total"] == 5 and data["answered"] == 4 and data["pending"] == 1
    assert dict((k, v) for k, _, v in data["by_channel"]) == {"web": 3, "desk": 1, "letter": 1, "email": 0, "phone": 0}
    assert dict((k, v) for k, _, v in data["by_applicant"])["badan_hukum"] == 1
    outcomes = dict((k, v) for k, _, v in data["by_outcome"])
    assert outcomes == {
        "dikabulkan_seluruhnya": 1,
        "dikabulkan_sebagian": 1,
        "ditolak_dikecualikan": 1,
        "tidak_dikuasai": 1,
        "belum_didokumentasikan": 0,
    }
    grounds = dict((k, v) for k, _, v in data["by_ground"])
    assert grounds["a"] == 1 and grounds["h"] == 1 and grounds["b"] == 0
    assert (data["days_avg"], data["days_median"], data["days_max"]) == (11.8, 12.0, 19)
    assert (data["within_10"], data["within_17"]) == (2, 1)
    assert data["late"] == 2  # r4 answered late; r5 open past its 17 Nov deadline
    assert data["extensions"] == 1 and data["fees"] == 10 * 500
    assert data["objections"] == 1 and dict((k, v) for k, _, v in data["objections_by_ground"])["a"] == 1
    q4 = build(Period(2025, "q4"))
    assert q4["total"] == 4 and build(Period(2025, "s1"))["total"] == 1
    unit_only = build(Period(2025), unit_id=dataset["health"].id)
    assert unit_only["total"] == 1


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_report_page_has_svg_charts_and_tables(client, login, make_user, dataset):
    login(make_user("ppid"))
    page = client.get("/admin/inbox/laporan?year=2025").text
    assert '<svg class="chart"' in page and "<rect" in page and 'style="' not in page
    assert 'id="total">5<' in page and 'id="outcome-tidak_dikuasai">1<' in page
    assert 'id="days">11,8 / 12 / 19<' in page  # decimal comma
    q4_csv = client.get("/admin/inbox/laporan.csv?year=2025&period=q4")
    assert 'filename="laporan-layanan-2025-triwulan-4.csv"' in q4_csv.headers["Content-Disposition"]
    assert q4_csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv_body = q4_csv.data.decode("utf-8-sig")
    assert "Jumlah permohonan,4" in csv_body
    xlsx = client.get("/admin/inbox/laporan.xlsx?year=2025")
    assert 'filename="laporan-layanan-2025-tahun.xlsx"' in xlsx.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(xlsx.data))
    values = [c.value for row in wb.active.iter_rows() for c in row]
    assert "Tahun 2025" in values and "Dijawab dalam 10 hari kerja" in values
    assert (
        'id="days">11.8 / 12 / 19<' in client.get("/admin/inbox/laporan?year=2025&lang=en").text
    )  # English keeps its point


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_register_columns_masking_and_formula_safety(client, login, make_user, dataset):
    login(make_user("ppid"))
    body = client.get("/admin/inbox/register.csv?year=2025").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header = rows[0]
    for column in (
        "Tanggal permohonan diterima",
        "Nama",
        "Alamat",
        "Pekerjaan",
        "Informasi yang diminta",
        "Tujuan penggunaan informasi",
        "Status informasi (di bawah penguasaan)",
        "Jenis permohonan",
        "Keputusan",
        "Alasan penolakan",
        "Hari dan tanggal pemberitahuan tertulis",
        "Biaya dan cara pembayaran",
    ):
        assert column in header
    assert len(rows) == 6
    assert "Budi Santoso" not in body and "B*** S******" in body and "3275014101900001" not in body
    assert "Jl. Melati" not in body and "************0001" in body
    evil = next(r for r in rows if "calc" in " ".join(r))
    assert evil[header.index("Informasi yang diminta")].startswith("'+cmd")
    assert evil[header.index("Nama")].startswith("=") is False
    rejected = next(r for r in rows if r[header.index("Keputusan")].startswith("Ditolak"))
    assert rejected[header.index("Alasan penolakan")] == "Pasal 17 huruf a UU KIP; Pasal 17 huruf h UU KIP"
    unmasked = client.get("/admin/inbox/register.xlsx?year=2025&unmasked=1").data
    sheet = load_workbook(io.BytesIO(unmasked)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "Budi Santoso" in cells and '\'=HYPERLINK("http://evil")' in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_unit_officer_cannot_unmask_and_objection_register(client, login, make_user, dataset):
    login(make_user("ppid_unit", unit="Dinas Kesehatan"))
    body = client.get("/admin/inbox/register.csv?unmasked=1").data.decode("utf-8-sig")
    assert "Budi Santoso" not in body and body.count("/PPID/2025") == 1
    login(make_user("ppid"))
    reg = client.get("/admin/inbox/register-keberatan.csv").data.decode("utf-8-sig")
    assert "KEB-0001/PPID/2025" in reg and "Penolakan atas dasar pengecualian Pasal 17" in reg
    assert "Nomor registrasi keberatan" in reg and "Keputusan Atasan PPID" in reg


def test_summary_publish_without_dip_plugin(client, login, make_user, dataset):
    login(make_user("ppid"))
    resp = client.post("/admin/inbox/laporan/terbitkan", data={"year": "2025"}, follow_redirects=True)
    assert "Modul DIP tidak aktif" in resp.text


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_report_narrative_sections(client, login, make_user, dataset):
    officer = make_user("ppid_unit", unit="Dinas Kesehatan")
    login(officer)
    resp = client.post("/admin/inbox/laporan/narasi?year=2025", data={"kendala": "x"})
    assert resp.status_code == 403  # the consolidated report belongs to the PPID Utama
    client.post(
        f"/admin/inbox/laporan/narasi?year=2025&unit={officer.unit_id}", data={"kendala": "Petugas merangkap jabatan."}
    )
    login(make_user("ppid"))
    client.post(
        "/admin/inbox/laporan/narasi?year=2025", data={"kebijakan": "SK PPID 2025.", "rekomendasi": "Tambah petugas."}
    )
    page = client.get("/admin/inbox/laporan?year=2025").text
    assert "SK PPID 2025." in page and "Petugas merangkap jabatan." not in page
    unit_page = client.get(f"/admin/inbox/laporan?year=2025&unit={officer.unit_id}").text
    assert "Petugas merangkap jabatan." in unit_page
    csv_body = client.get("/admin/inbox/laporan.csv?year=2025").data.decode("utf-8-sig")
    assert "Tambah petugas." in csv_body
