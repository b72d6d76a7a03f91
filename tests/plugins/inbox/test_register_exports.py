"""The registers as an examiner reads them: official columns in order, the
XLSX title block and print setup, the CSV with the same rows, statuses
that say sengketa/withdrawn instead of "terlambat", and unit authorization."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from cms.accounts import get_or_create_unit
from cms.letterforms import tanggal
from cms.models import AuditLog
from plugins.inbox import objections, services
from tests.plugins.inbox.test_registers_report import _make

# Research §2.10, in the form's order (NPWP is optional there; we give NIK / SK).
OFFICIAL_REQUEST = [
    "No",
    "Tanggal permohonan diterima",
    "Nama",
    "Alamat",
    "Nomor kontak (telp/e-mail)",
    "Pekerjaan",
    "Informasi yang diminta",
    "Tujuan penggunaan informasi",
    "Status informasi (di bawah penguasaan)",
    "Bentuk informasi yang dikuasai",
    "Jenis permohonan",
    "Keputusan",
    "Alasan penolakan",
    "Hari dan tanggal pemberitahuan tertulis",
    "Hari dan tanggal pemberian informasi",
    "Biaya dan cara pembayaran",
]
# Research §2.9, register keberatan (minimum), in order.
OFFICIAL_OBJECTION = [
    "Nomor registrasi keberatan",
    "Tanggal diterima",
    "Identitas pemohon",
    "Identitas kuasa",
    "Nomor pendaftaran permohonan",
    "Informasi yang diminta",
    "Tujuan penggunaan informasi",
    "Alasan keberatan (Pasal 35 UU KIP)",
    "Keputusan Atasan PPID",
    "Hari dan tanggal tanggapan",
    "Nama dan posisi Atasan PPID",
    "Tanggapan pemohon",
]


def in_order(wanted: list[str], header: list[str]) -> bool:
    positions = [header.index(w) for w in wanted]
    return positions == sorted(positions)


@pytest.fixture
def cases(inbox_app):
    health = get_or_create_unit("Dinas Kesehatan")
    roads = get_or_create_unit("Dinas Bina Marga")
    paid = _make(
        "2025-10-06 03:00",
        "2025-10-10 03:00",
        "dikabulkan_seluruhnya",
        unit=health,
        access_method="hardcopy",
        delivery="pos",
        answer={"fee_items": {"salinan_lembar": 10}, "info_form": "hardcopy", "payment_method": "Transfer bank"},
    )
    company = _make(
        "2025-10-06 03:00",
        "2025-10-17 03:00",
        "ditolak_dikecualikan",
        channel="desk",
        unit=roads,
        applicant_type="badan_hukum",
        nik="",
        sk_number="AHU-0012345.AH.01.07.2020",
        organisation="PT Maju Jaya",
        answer={"exemptions": ["h"], "consequence_test": "uji"},
    )
    withdrawn = _make("2025-09-01 03:00", channel="phone", unit=health)
    with time_machine.travel("2025-09-03 03:00", tick=False):
        services.withdraw(withdrawn, "Pemohon mencabut.")
    late = _make("2025-10-01 03:00", channel="email", unit=roads)  # never answered: late by December
    with time_machine.travel("2025-10-20 03:00", tick=False):
        obj = objections.file_objection(
            company,
            {"grounds": ["a", "f"], "case_summary": "Informasi tidak rahasia.", "kuasa_name": "Sari Dewi"},
        )
    with time_machine.travel("2025-11-03 03:00", tick=False):
        objections.decide(obj, "ditolak", "Menguatkan putusan PPID.", "Drs. Ahmad", "Sekretaris Daerah")
    with time_machine.travel("2025-11-10 03:00", tick=False):
        objections.save_dispute(obj, {"stage": "mediasi", "ki_number": "012/XI/KI-JBR-PS/2025"})
    return {"health": health, "roads": roads, "paid": paid, "company": company, "withdrawn": withdrawn, "late": late}


def _xlsx(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, resp.text[:500]
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    return load_workbook(io.BytesIO(resp.data)).active


def _csv(client, url):
    resp = client.get(url)
    assert resp.status_code == 200
    return list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))


def _file_name(resp) -> str:
    return resp.headers["Content-Disposition"].partition("filename=")[2].strip('"')


def _data_rows(ws, header_row):
    """The numbered rows of the table (the fee totals follow after a blank row)."""
    rows = []
    for row in ws.iter_rows(min_row=header_row + 1):
        if row[0].value is None:
            break
        rows.append([c.value for c in row])
    return rows


def _footer(ws, header_row):
    return [r[0].value for r in ws.iter_rows(min_row=header_row + 1) if isinstance(r[0].value, str)]


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_request_register_xlsx_layout_and_print_setup(client, login, make_user, cases, app):
    app.config["INBOX_INSTANSI"] = "Pemerintah Kota Bekasi"
    login(make_user("ppid"))
    ws = _xlsx(client, "/admin/inbox/register.xlsx?year=2025")
    title = [ws.cell(row=i, column=1).value for i in range(1, 6)]
    assert title[0] == "BUKU REGISTER PERMOHONAN INFORMASI PUBLIK"
    assert title[1] == "Pemerintah Kota Bekasi"
    assert title[2] == "PPID Utama: seluruh unit (konsolidasi)"
    assert title[3] == "Periode: Tahun 2025"
    assert title[4] == "Dicetak: 1 Desember 2025 10.00 WIB"
    header = [c.value for c in ws[7]]
    assert in_order(OFFICIAL_REQUEST, header) and header[0] == "No"
    assert header[-4:] == ["Jenis pemohon", "Saluran permohonan", "Unit (PPID Pelaksana)", "Status permohonan"]
    assert ws.freeze_panes == "C8"
    assert ws.print_title_rows == "$7:$7"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.column_dimensions["I"].width == 40  # Informasi yang diminta
    assert ws["A7"].font.bold and ws["A1"].font.size == 14
    assert ws["I8"].alignment.wrap_text and ws["I8"].border.left.style == "thin"  # prints as a ruled table
    assert ws["C8"].number_format == "DD-MM-YYYY"

    rows = {r[1]: dict(zip(header, r, strict=True)) for r in _data_rows(ws, 7)}
    assert len(rows) == 4
    paid = rows[cases["paid"].number]
    assert paid["Tanggal permohonan diterima"].date() == date(2025, 10, 6)
    assert paid["Saluran permohonan"] == "Laman PPID"
    assert paid["Bentuk informasi yang dikuasai"] == "Hardcopy"
    assert paid["Jenis permohonan"] == "Meminta salinan hardcopy, melalui pos"
    assert paid["Hari dan tanggal pemberitahuan tertulis"] == "Jumat, 10 Oktober 2025"
    assert paid["Biaya dan cara pembayaran"] == (
        "Rp5.000,00 (Penggandaan dokumen (fotokopi/cetak) per lembar: 10 lembar × Rp500,00); "
        "Transfer bank; belum dibayar"
    )
    assert _footer(ws, 7) == [
        "Biaya dikenakan (menurut tanggal pemberitahuan tertulis): Rp5.000,00 dari 1 permohonan",
        "Biaya diterima (menurut tanggal pembayaran): Rp0,00 dalam 0 pembayaran",
    ]
    assert paid["Nama"] == "B*** S******" and paid["Unit (PPID Pelaksana)"] == "Dinas Kesehatan"
    company = rows[cases["company"].number]
    assert company["Nama"] == "PT Maju Jaya (diwakili B*** S******)"
    assert company["NIK / Nomor SK badan hukum"] == "SK AHU-0012345.AH.01.07.2020"
    assert company["Saluran permohonan"] == "Datang langsung"
    assert company["Alasan penolakan"] == "Pasal 17 huruf h UU KIP"
    assert company["Status permohonan"] == "Sengketa di Komisi Informasi: Mediasi"
    assert rows[cases["withdrawn"].number]["Status permohonan"] == "Dibatalkan pemohon"
    late = rows[cases["late"].number]["Status permohonan"]
    assert late.startswith("Terlambat, belum dijawab") and "15 Oktober 2025" in late
    assert rows[cases["late"].number]["Saluran permohonan"] == "E-mail"


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_request_register_csv_matches_xlsx(client, login, make_user, cases):
    login(make_user("ppid"))
    ws = _xlsx(client, "/admin/inbox/register.xlsx?year=2025")
    table = _csv(client, "/admin/inbox/register.csv?year=2025")
    assert table[0] == [c.value for c in ws[7]]
    as_text = [
        ["" if v is None else tanggal(v.date()) if hasattr(v, "date") else str(v) for v in row]
        for row in _data_rows(ws, 7)
    ]
    assert table[1:] == as_text
    # The date received reads like the register's other dates, not ISO.
    received = table[0].index("Tanggal permohonan diterima")
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", row[received]) for row in table[1:])
    resp = client.get("/admin/inbox/register.csv?year=2025")
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_objection_register_has_every_column(client, login, make_user, cases):
    login(make_user("ppid"))
    ws = _xlsx(client, "/admin/inbox/register-keberatan.xlsx?year=2025")
    assert ws["A1"].value == "REGISTER KEBERATAN ATAS PERMOHONAN INFORMASI PUBLIK"
    header = [c.value for c in ws[7]]
    assert in_order(OFFICIAL_OBJECTION, header)
    (row,) = [dict(zip(header, r, strict=True)) for r in _data_rows(ws, 7)]
    assert row["Nomor pendaftaran permohonan"] == cases["company"].number
    assert row["Identitas pemohon"].startswith("PT Maju Jaya (diwakili B*** S******); ***")
    assert "SK AHU-0012345.AH.01.07.2020" in row["Identitas pemohon"]
    assert row["Identitas kuasa"] == "S*** D***"
    assert row["Alasan keberatan (Pasal 35 UU KIP)"] == (
        "a. Penolakan atas dasar pengecualian Pasal 17; f. Pengenaan biaya yang tidak wajar"
    )
    assert row["Keputusan Atasan PPID"] == "Ditolak (menguatkan putusan PPID)"
    assert row["Alasan tertulis keputusan"] == "Menguatkan putusan PPID."
    assert row["Hari dan tanggal tanggapan"] == "Senin, 3 November 2025"
    assert row["Nama dan posisi Atasan PPID"] == "Drs. Ahmad, Sekretaris Daerah"
    assert row["Tanggapan pemohon"] == "Mengajukan sengketa ke Komisi Informasi 012/XI/KI-JBR-PS/2025 (Mediasi)"
    assert row["Kasus posisi"] == "Informasi tidak rahasia."
    table = _csv(client, "/admin/inbox/register-keberatan.csv?year=2025")
    assert table[0] == header and table[1][1] == row["Nomor registrasi keberatan"]


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_unit_officer_exports_only_its_unit_and_is_audited(client, login, make_user, cases, app):
    from cms.extensions import db

    officer = make_user("ppid_unit", unit="Dinas Kesehatan")
    login(officer)
    ws = _xlsx(client, "/admin/inbox/register.xlsx")
    assert ws["A3"].value == "PPID Pelaksana: Dinas Kesehatan" and ws["A4"].value == "Periode: semua periode"
    numbers = {r[1] for r in _data_rows(ws, 7)}
    assert numbers == {cases["paid"].number, cases["withdrawn"].number}
    for url in (
        f"/admin/inbox/register.xlsx?unit={cases['roads'].id}",
        f"/admin/inbox/register.csv?unit={cases['roads'].id}",
        f"/admin/inbox/register-keberatan.xlsx?unit={cases['roads'].id}",
    ):
        resp = client.get(url)
        assert resp.status_code == 403 and cases["company"].number.encode() not in resp.data
    assert _csv(client, "/admin/inbox/register-keberatan.csv")[1:] == []  # the keberatan is Bina Marga's
    log = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    exported = [e for e in log if e.action == "inbox.register.exported"]
    assert exported[0].detail["rows"] == 2 and exported[0].detail["units"] == [officer.unit_id]
    assert exported[0].detail["unmasked"] is False
    denied = [e for e in log if e.action == "access.denied" and e.object_type == "unit"]
    assert len(denied) == 3 and denied[0].object_id == str(cases["roads"].id)


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_unmasked_export_is_logged_as_such(client, login, make_user, cases):
    from cms.extensions import db

    login(make_user("ppid"))
    ws = _xlsx(client, f"/admin/inbox/register.xlsx?unit={cases['roads'].id}&unmasked=1&year=2025&period=s2")
    assert ws["A3"].value == "PPID Pelaksana: Dinas Bina Marga" and ws["A4"].value == "Periode: Semester II 2025"
    names = {r[3] for r in _data_rows(ws, 7)}
    assert names == {"PT Maju Jaya (diwakili Budi Santoso)", "Budi Santoso"}
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "inbox.register.exported").order_by(AuditLog.id.desc())
    ).first()
    assert entry.detail["unmasked"] is True and entry.detail["unit"] == cases["roads"].id
    assert entry.detail["period"] == "Semester II 2025" and entry.detail["rows"] == 2


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_register_follows_the_inbox_list_filters(client, login, make_user, cases):
    login(make_user("ppid"))
    only_late = _csv(client, "/admin/inbox/register.csv?overdue=1")
    assert [r[1] for r in only_late[1:]] == [cases["late"].number]
    by_channel = _csv(client, "/admin/inbox/register.csv?channel=desk")
    assert [r[1] for r in by_channel[1:]] == [cases["company"].number]
    by_number = _csv(client, f"/admin/inbox/register.csv?q={cases['withdrawn'].number}")
    assert [r[1] for r in by_number[1:]] == [cases["withdrawn"].number]
    assert len(_csv(client, "/admin/inbox/register.csv?status=dibatalkan_pemohon")) == 2


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_register_names_the_badan_publik_as_its_letters_do(client, login, make_user, cases, app):
    """Without INBOX_INSTANSI the title block takes the PPID Utama's kop surat."""
    from tests.plugins.inbox.letter_helpers import configure

    app.config["INBOX_INSTANSI"] = ""
    configure(instansi="PEMERINTAH KOTA BEKASI")
    login(make_user("ppid"))
    ws = _xlsx(client, "/admin/inbox/register.xlsx?year=2025")
    assert ws.cell(row=2, column=1).value == "PEMERINTAH KOTA BEKASI"


def test_register_holds_the_received_dates_the_list_showed(client, login, make_user, cases):
    """The list's ``dari``/``sampai`` (Monev's semester links) narrow the export
    too, through the worker's job as in the request; a bad date is a 400."""
    from plugins.inbox.register_export import Scope
    from plugins.inbox.register_jobs import scope_from_json, scope_to_json

    login(make_user("ppid"))
    early_october = _csv(client, "/admin/inbox/register.csv?dari=2025-10-01&sampai=2025-10-05")
    assert [r[1] for r in early_october[1:]] == [cases["late"].number]
    from_sixth = _csv(client, "/admin/inbox/register.csv?dari=2025-10-06")
    assert sorted(r[1] for r in from_sixth[1:]) == sorted([cases["paid"].number, cases["company"].number])
    keberatan = _csv(client, "/admin/inbox/register-keberatan.csv?sampai=2025-10-19")
    assert len(keberatan) == 1  # filed on 20 October: only the header
    bad = client.get("/admin/inbox/register.csv?dari=2025-13-01")
    assert bad.status_code == 400 and "Tanggal tidak valid" in bad.get_data(as_text=True)
    scope = Scope(visible=None, received_from=date(2025, 10, 1), received_to=date(2025, 10, 5))
    assert scope_from_json(scope_to_json(scope)) == scope


@time_machine.travel("2025-12-01 03:00", tick=False)
def test_register_heading_and_file_name_state_the_received_dates(client, login, make_user, cases):
    """An export narrowed by ``dari``/``sampai`` says so on paper and in its
    name: "Periode: semua periode" over a semester's rows misleads an examiner."""
    from plugins.inbox.register_export import Scope, period_label

    login(make_user("ppid"))
    resp = client.get(f"/admin/inbox/register.xlsx?dari=2025-10-01&sampai=2025-10-05&unit={cases['roads'].id}")
    assert _file_name(resp) == f"register-permohonan-2025-10-01_2025-10-05-unit{cases['roads'].id}.xlsx"
    ws = load_workbook(io.BytesIO(resp.data)).active
    assert ws["A4"].value == "Periode: 1 Oktober 2025 s.d. 5 Oktober 2025"
    assert _footer(ws, 7)[0].endswith("Rp0,00 dari 0 permohonan")  # paid's notice (10 Oct) is outside the range

    objections = client.get("/admin/inbox/register-keberatan.xlsx?sampai=2025-10-19")
    assert _file_name(objections) == "register-keberatan-sampai-2025-10-19.xlsx"
    assert load_workbook(io.BytesIO(objections.data)).active["A4"].value == "Periode: s.d. 19 Oktober 2025"
    from_sixth = client.get("/admin/inbox/register.csv?dari=2025-10-06&year=2025&period=s2")
    assert _file_name(from_sixth) == "register-permohonan-2025-semester-2-dari-2025-10-06.csv"
    assert period_label(Scope(visible=None, received_from=date(2026, 7, 1))) == "sejak 1 Juli 2026"
    assert (
        period_label(Scope(visible=None, received_from=date(2026, 7, 1), received_to=date(2026, 12, 31)))
        == "1 Juli 2026 s.d. 31 Desember 2026"
    )
