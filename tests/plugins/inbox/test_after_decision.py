"""After the decision (issue 19): a granted keberatan carried out, sengketa as
structured records, and the withheld parts of a partial grant — each read
back from the pages, letters, registers and the report, with frozen time."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from cms.extensions import db
from plugins.inbox import letter_records, objections
from plugins.inbox.models import Dispute, Objection
from plugins.inbox.sengketa_models import DisputeStage
from tests.plugins.inbox.conftest import PDF, get_request
from tests.plugins.inbox.letter_helpers import configure, officer, pdf_text


@pytest.fixture
def letters_on(inbox_app):
    inbox_app.config["INBOX_LETTERS_ON_DECISION"] = "required"
    return inbox_app


def _reject(client, login, ppid, req):
    login(ppid)
    resp = client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={"outcome": "ditolak_dikecualikan", "exemptions": ["h"], "consequence_test": "Rahasia pribadi."},
    )
    assert resp.status_code == 302, resp.text[:1500]


def _objection(req) -> Objection:
    db.session.expire_all()
    return db.session.scalar(select(Objection).where(Objection.request_id == req.id))


def _granted(client, submit, login, ppid, atasan, *, decided: str, **decide):
    """A rejected request, its keberatan, and the atasan's grant at ``decided``."""
    with time_machine.travel("2026-02-23 02:00:00", tick=False):  # Monday
        number, _code = submit()
        req = get_request(number)
        _reject(client, login, ppid, req)
    with time_machine.travel("2026-03-02 02:00:00", tick=False):
        obj = objections.file_objection(req, {"grounds": ["a"], "case_summary": "Bukan rahasia pribadi."})
    with time_machine.travel(decided, tick=False):
        login(atasan)
        resp = client.post(
            f"/admin/inbox/keberatan/{obj.id}",
            data={
                "decide-outcome": "dikabulkan",
                "decide-reasons": "Daftar penerima hibah adalah informasi publik.",
                "decide-atasan_name": atasan.name,
                "decide-atasan_position": "Sekretaris Daerah",
                **decide,
            },
        )
        assert resp.status_code == 302, resp.text[:2000]
    return req, _objection(req)


# ---------------------------------------------------------------- 1. execution


def test_grant_orders_the_ppid_with_a_due_date_across_lebaran(letters_on, client, submit, login, make_user):
    ppid = officer(make_user)
    configure(signer=ppid)
    atasan = officer(make_user, "atasan", name="Dr. H. Junaedi, M.M.", position="Sekretaris Daerah", nip="1968")
    # Friday 13 March 2026; 18–24 March are Nyepi, Idulfitri and cuti bersama, 3 April Good Friday.
    req, obj = _granted(
        client,
        submit,
        login,
        ppid,
        atasan,
        decided="2026-03-13 02:00:00",
        **{"decide-grant": "sebagian", "decide-order_what": "Daftar penerima hibah tanpa kolom NIK"},
    )
    order = obj.order
    assert (order.scope, order.what) == ("sebagian", "Daftar penerima hibah tanpa kolom NIK")
    assert order.ordered_date == date(2026, 3, 13) and order.due_date == date(2026, 4, 6)
    [answer] = [x for x in letter_records.of_request(req) if x.kind == "tanggapan_keberatan"]
    text = pdf_text(letter_records.load(answer))
    assert "Daftar penerima hibah tanpa kolom NIK, paling lambat tanggal 6 April 2026" in text
    with time_machine.travel("2026-04-06 02:00:00", tick=False):
        login(ppid)
        page = client.get(f"/admin/inbox/keberatan/{obj.id}").text
        assert "Senin, 6 April 2026 (jatuh tempo hari ini)" in page and "Belum dilaksanakan" in page
        case = client.get(f"/admin/inbox/{req.id}").text
        assert "Perintah pelaksanaan" in case and "Senin, 6 April 2026" in case
        missing = client.post(f"/admin/inbox/keberatan/{obj.id}/pelaksanaan", data={"exec-executed_date": "2026-04-06"})
        assert missing.status_code == 400 and "Informasi yang diberikan wajib diisi." in missing.text
        early = client.post(
            f"/admin/inbox/keberatan/{obj.id}/pelaksanaan",
            data={"exec-executed_date": "2026-03-12", "exec-given": "Daftar"},
        )
        assert early.status_code == 400 and "tidak boleh sebelum tanggapan Atasan PPID" in early.text
        assert _objection(req).order.executed_date is None
        resp = client.post(
            f"/admin/inbox/keberatan/{obj.id}/pelaksanaan",
            data={"exec-executed_date": "2026-04-06", "exec-given": "Daftar penerima hibah 2025 (NIK dihitamkan)"},
        )
        assert resp.status_code == 302, resp.text[:2000]
        page = client.get(f"/admin/inbox/keberatan/{obj.id}").text
    order = _objection(req).order
    assert order.executed_date == date(2026, 4, 6) and order.executed_by_id == ppid.id
    [notice] = [x for x in letter_records.of_request(req) if x.kind == "pemberitahuan_keberatan"]
    assert order.letter_id == notice.id and "/PP/" in notice.number
    text = pdf_text(letter_records.load(notice))
    for words in (
        "Pemberitahuan Tertulis Pelaksanaan Tanggapan atas Keberatan",
        obj.number,
        "mengabulkan sebagian",
        "Daftar penerima hibah 2025 (NIK dihitamkan)",
        "6 April 2026",
    ):
        assert words in text, words
    assert "tepat waktu" in page and notice.number in page


def test_executions_count_on_time_late_and_pending(client, submit, login, make_user):
    ppid, atasan = make_user("ppid"), make_user("atasan", name="Sekda")
    on_time, o1 = _granted(client, submit, login, ppid, atasan, decided="2026-03-13 02:00:00")
    late, o2 = _granted(client, submit, login, ppid, atasan, decided="2026-03-13 02:00:00")
    pending, o3 = _granted(client, submit, login, ppid, atasan, decided="2026-03-13 02:00:00")
    assert o1.order.what == on_time.details and o1.order.scope == "seluruhnya"  # a whole grant: as requested
    with time_machine.travel("2026-04-06 02:00:00", tick=False):
        login(ppid)
        client.post(
            f"/admin/inbox/keberatan/{o1.id}/pelaksanaan",
            data={"exec-executed_date": "2026-04-06", "exec-given": "APBD 2025"},
        )
    with time_machine.travel("2026-04-07 02:00:00", tick=False):
        login(ppid)
        client.post(
            f"/admin/inbox/keberatan/{o2.id}/pelaksanaan",
            data={"exec-executed_date": "2026-04-07", "exec-given": "APBD 2025"},
        )
        page = client.get("/admin/inbox/laporan?year=2026").text
        for key, value in (("ordered", 3), ("on_time", 1), ("late", 1), ("pending", 1), ("overdue", 1)):
            assert f'id="orders-{key}">{value}<' in page, key
        reg = client.get("/admin/inbox/register-keberatan.csv?year=2026").data.decode("utf-8-sig")
        assert "Pelaksanaan tanggapan Atasan PPID" in reg
        assert "dilaksanakan 7 April 2026 (terlambat)" in reg and "belum dilaksanakan, lewat batas" in reg


# ---------------------------------------------------------------- 2. sengketa


def _decided(client, submit, login, ppid, atasan):
    with time_machine.travel("2025-11-24 02:00:00", tick=False):
        number, _ = submit()
        req = get_request(number)
        _reject(client, login, ppid, req)
    with time_machine.travel("2025-12-01 02:00:00", tick=False):
        obj = objections.file_objection(req, {"grounds": ["a"], "case_summary": "Bukan rahasia."})
    with time_machine.travel("2026-01-05 02:00:00", tick=False):
        objections.decide(obj, "ditolak", "Menguatkan putusan PPID.", "Sekda", "Atasan PPID")
    return req, _objection(req)


def test_sengketa_stage_order_dates_and_documents(client, submit, login, make_user):
    ppid, atasan = make_user("ppid"), make_user("atasan")
    req, obj = _decided(client, submit, login, ppid, atasan)
    url = f"/admin/inbox/keberatan/{obj.id}/sengketa"
    with time_machine.travel("2026-03-02 02:00:00", tick=False):
        login(ppid)
        no_reg = client.post(
            url,
            data={"ki_number": "012/I/KI-JBR-PS/2026", "putusan_on": "2026-02-20", "result": "ditolak"},
        )
        assert no_reg.status_code == 400
        assert "Tahap Putusan Komisi Informasi tidak dapat dicatat sebelum tahap Registrasi" in no_reg.text
        assert 'value="2026-02-20"' in no_reg.text  # what was typed stays
        before = client.post(url, data={"ki_number": "012/I/KI-JBR-PS/2026", "registrasi_on": "2025-11-20"})
        assert before.status_code == 400 and "tidak boleh sebelum permohonan diterima" in before.text
        backwards = client.post(
            url,
            data={"ki_number": "012/I/KI-JBR-PS/2026", "registrasi_on": "2026-01-19", "mediasi_on": "2026-01-12"},
        )
        assert backwards.status_code == 400
        assert "Tanggal Mediasi tidak boleh sebelum tanggal Registrasi di Komisi Informasi" in backwards.text
        wrong_result = client.post(
            url,
            data={"ki_number": "012/I/KI-JBR-PS/2026", "registrasi_on": "2026-01-19", "result": "mediasi_berhasil"},
        )
        assert wrong_result.status_code == 400 and "tidak sesuai dengan tahap" in wrong_result.text
        fake = client.post(
            url,
            data={
                "ki_number": "012/I/KI-JBR-PS/2026",
                "registrasi_on": "2026-01-19",
                "registrasi_docs": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "permohonan.pdf"),
            },
            content_type="multipart/form-data",
        )
        assert fake.status_code == 400
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(Dispute)) == 0  # nothing half-saved
        assert db.session.scalar(select(func.count()).select_from(DisputeStage)) == 0
        ok = client.post(
            url,
            data={
                "ki_number": "012/I/KI-JBR-PS/2026",
                "registrasi_on": "2026-01-19",
                "registrasi_docs": (io.BytesIO(PDF), "registrasi.pdf"),
                "mediasi_on": "2026-02-09",
            },
            content_type="multipart/form-data",
        )
        assert ok.status_code == 302, ok.text[:2000]
    with time_machine.travel("2026-04-01 02:00:00", tick=False):
        login(ppid)
        done = client.post(
            url,
            data={
                "ki_number": "012/I/KI-JBR-PS/2026",
                "ajudikasi_on": "2026-03-02",
                "putusan_on": "2026-03-30",
                "result": "dikabulkan_sebagian",
                "result_note": "Daftar dibuka tanpa NIK.",
                "executed_on": "2026-04-01",
            },
        )
        assert done.status_code == 302, done.text[:2000]
    dispute = _objection(req).disputes[0]
    assert dispute.stage == "selesai" and dispute.result == "dikabulkan_sebagian"
    assert [(s.stage, s.day) for s in dispute.stages] == [
        ("registrasi", date(2026, 1, 19)),
        ("mediasi", date(2026, 2, 9)),
        ("ajudikasi", date(2026, 3, 2)),
        ("putusan", date(2026, 3, 30)),
    ]
    [doc] = dispute.stages[0].documents
    login(ppid)
    got = client.get(f"/admin/inbox/keberatan/{obj.id}/sengketa/berkas/{doc.file_id}")
    assert got.status_code == 200 and got.data == PDF
    page = client.get(f"/admin/inbox/keberatan/{obj.id}").text
    assert "registrasi.pdf" in page and "30 Maret 2026" in page and "Daftar dibuka tanpa NIK." in page
    reg = client.get("/admin/inbox/register-keberatan.csv").data.decode("utf-8-sig")
    assert "012/I/KI-JBR-PS/2026: Registrasi di Komisi Informasi 19 Januari 2026, Mediasi 9 Februari 2026" in reg
    assert "Dikabulkan sebagian, dilaksanakan 1 April 2026" in reg
    report = client.get("/admin/inbox/laporan?year=2025").text
    for key, value in (("mediasi", 1), ("ajudikasi", 1), ("gugatan", 0)):
        assert f'id="dispute-{key}">{value}<' in report, key
    assert 'id="disputeresult-dikabulkan_sebagian">1<' in report and 'id="disputeresult-ditolak">0<' in report
    # A gugatan reopens it until the court decides.
    with time_machine.travel("2026-04-20 02:00:00", tick=False):
        login(ppid)
        court = client.post(
            url,
            data={
                "ki_number": "012/I/KI-JBR-PS/2026",
                "gugatan_on": "2026-04-20",
                "result": "dikabulkan_sebagian",
                "court_result": "ditolak",
            },
        )
        assert court.status_code == 400 and "Putusan pengadilan memerlukan" in court.text
        client.post(
            url, data={"ki_number": "012/I/KI-JBR-PS/2026", "gugatan_on": "2026-04-20", "result": "dikabulkan_sebagian"}
        )
    assert _objection(req).disputes[0].stage == "gugatan"


# ---------------------------------------------------------------- 3. withheld parts


def _partial(client, req, rows, **extra):
    data = {"outcome": "dikabulkan_sebagian", "material": "Daftar penerima hibah 2025", **extra}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"withheld-{i}-{key}"] = value
    return client.post(f"/admin/inbox/{req.id}/jawab", data=data)


ROWS = [
    {"what": "Kolom NIK penerima", "exemptions": ["h"], "consequence_test": "Membuka NIK merugikan penerima."},
    {
        "what": "Nomor rekening penerima",
        "exemptions": ["h"],
        "other_law": "Pasal 40 UU 10/1998 tentang Perbankan",
        "consequence_test": "Rahasia bank.",
    },
]


def test_partial_grant_rows_in_the_letter_register_and_report(letters_on, client, submit, login, make_user):
    ppid = officer(make_user)
    configure(signer=ppid)
    with time_machine.travel("2026-12-01 02:00:00", tick=False):
        number, _ = submit()
    req = get_request(number)
    with time_machine.travel("2026-12-07 03:00:00", tick=False):
        login(ppid)  # at the answer's time: a session opened later would not exist yet
        form = client.get(f"/admin/inbox/{req.id}/jawab").text
        assert 'name="withheld-0-what"' in form and 'name="withheld-1-what"' not in form
        more = client.post(
            f"/admin/inbox/{req.id}/jawab",
            data={"outcome": "dikabulkan_sebagian", "withheld-0-what": "Kolom NIK penerima", "add_withheld": "1"},
        )
        assert more.status_code == 200 and 'name="withheld-1-what"' in more.text and "Kolom NIK penerima" in more.text
        bad = _partial(client, req, [ROWS[0], {**ROWS[1], "consequence_test": ""}])
        assert bad.status_code == 400
        assert "Uji konsekuensi: Isi hasil uji konsekuensi untuk bagian ini." in bad.text
        assert "Pasal 40 UU 10/1998 tentang Perbankan" in bad.text and "Membuka NIK merugikan penerima." in bad.text
        no_basis = _partial(client, req, [{"what": "Kolom NIK", "consequence_test": "x"}])
        assert no_basis.status_code == 400 and "Sebutkan Pasal 17 huruf" in no_basis.text
        assert get_request(number).outcome is None and get_request(number).withheld_parts == []
        resp = _partial(client, req, ROWS)
        assert resp.status_code == 302, resp.text[:2000]
    req = get_request(number)
    assert [(p.what, p.exemptions, p.other_law) for p in req.withheld_parts] == [
        ("Kolom NIK penerima", ["h"], ""),
        ("Nomor rekening penerima", ["h"], "Pasal 40 UU 10/1998 tentang Perbankan"),
    ]
    [letter] = [x for x in letter_records.of_request(req) if x.kind == "pemberitahuan"]
    text = pdf_text(letter_records.load(letter))
    for words in (
        "Dikabulkan sebagian",
        "Bagian yang dikecualikan Kolom NIK penerima",
        "Pasal 17 huruf h Undang-Undang Nomor 14 Tahun 2008",
        "Uji konsekuensi: Membuka NIK merugikan penerima.",
        "Nomor rekening penerima",
        "Pasal 40 UU 10/1998 tentang Perbankan",
        "Uji konsekuensi: Rahasia bank.",
    ):
        assert words in text, words
    login(ppid)
    reg = client.get("/admin/inbox/register.csv?year=2026").data.decode("utf-8-sig")
    assert (
        "Bagian dikecualikan: Kolom NIK penerima (Pasal 17 huruf h UU KIP); Nomor rekening penerima "
        "(Pasal 17 huruf h UU KIP; Pasal 40 UU 10/1998 tentang Perbankan)" in reg
    )
    report = client.get("/admin/inbox/laporan?year=2026").text
    assert 'id="withheld-h">2<' in report and 'id="withheld-uu_lain">1<' in report
