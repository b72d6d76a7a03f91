"""The laporan layanan informasi publik: figures counted by hand on a known
data set, read back from the PDF (pypdf) and the DOCX (python-docx), built
by the worker with progress, downloaded only by those who may see it, and
its ringkasan published to the DIP as informasi berkala."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine
from docx import Document
from pypdf import PdfReader

from cms.accounts import get_or_create_unit
from plugins.inbox import annual_build, annual_document, objections, payments, services
from tests.plugins.inbox.test_registers_report import _make

NOW = "2025-12-01 03:00"
CHAPTERS = [
    "Bab I. Gambaran Umum Kebijakan Pelayanan Informasi Publik",
    "Bab II. Gambaran Umum Pelaksanaan Pelayanan Informasi Publik",
    "Bab III. Rincian Pelayanan Informasi Publik",
    "Bab IV. Rincian Penyelesaian Sengketa Informasi Publik",
    "Bab V. Kendala Eksternal dan Internal",
    "Bab VI. Rekomendasi dan Rencana Tindak Lanjut",
]


@pytest.fixture
def known(inbox_app, make_user):
    """2025, by hand: 5 requests (3 answered in 4, 10 and 14 working days; one
    withdrawn; one open past its deadline), categories berkala / dikecualikan /
    serta merta / two unclassified, a fee of Rp10.000 of which Rp6.000 paid,
    one keberatan (ground a) granted, Dinas Kesehatan holding 2 requests."""
    health = get_or_create_unit("Dinas Kesehatan")
    officer = make_user("ppid", name="Sri Utami")
    r1 = _make("2025-10-06 03:00", "2025-10-10 03:00", "dikabulkan_seluruhnya", unit=health)
    services.set_category(r1, "berkala")
    r2 = _make(
        "2025-10-06 03:00",
        "2025-10-20 03:00",
        "dikabulkan_sebagian",
        channel="desk",
        access_method="hardcopy",
        answer={"redaction_note": "NIK dihitamkan", "fee_items": {"salinan_lembar": 20}},
    )
    r3 = _make(
        "2025-10-06 03:00",
        "2025-10-24 03:00",
        "ditolak_dikecualikan",
        extend=True,
        answer={"exemptions": ["a", "h"], "consequence_test": "uji"},
    )
    services.set_category(r3, "setiap_saat")  # a Pasal 17 refusal still counts as dikecualikan
    r4 = _make("2025-11-03 03:00")
    with time_machine.travel("2025-11-05 03:00", tick=False):
        services.withdraw(r4, "Pemohon menarik permohonan.")
    r5 = _make("2025-11-03 03:00", unit=health)
    services.set_category(r5, "serta_merta")
    with time_machine.travel("2025-10-21 03:00", tick=False):
        payments.record_payment(r2, {"amount": 6000, "paid_on": date(2025, 10, 21), "method": "tunai"}, officer)
    with time_machine.travel("2025-11-10 03:00", tick=False):
        obj = objections.file_objection(r3, {"grounds": ["a"], "case_summary": "Keberatan."})
        objections.decide(obj, "dikabulkan", "Informasi dapat dibuka.", "Kepala Dinas", "Atasan PPID")
    return {"health": health, "officer": officer}


def _text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


@time_machine.travel(NOW, tick=False)
def test_figures_counted_by_hand(known):
    from plugins.inbox import annual_stats
    from plugins.inbox.report import Period

    fig = annual_stats.compute(Period(2025))
    req = fig["requests"]
    assert (req["total"], req["answered"], req["granted"], req["partial"], req["rejected"]) == (5, 3, 1, 1, 1)
    assert (req["withdrawn"], req["pending"], req["closed_incomplete"]) == (1, 1, 0)
    assert (req["days_avg"], req["days_median"], req["days_max"]) == (9.3, 10, 14)
    assert (req["within_10"], req["within_17"], req["late"], req["extensions"]) == (2, 1, 1, 1)
    categories = {k: v for k, _label, v in fig["by_category"]}
    assert categories == {
        "berkala": 1,
        "serta_merta": 1,
        "setiap_saat": 0,  # never the default for what nobody classified
        "dikecualikan": 1,
        "belum_diklasifikasikan": 2,
    }
    assert fig["fees"] == {"charged": 10000, "collected": 6000, "requests": 1, "payments": 1}
    grounds = {k: v for k, _label, v in fig["by_ground"]}
    assert grounds["a"] == grounds["h"] == 1 and grounds["b"] == 0
    assert fig["objections"]["total"] == 1 and fig["objections"]["granted"] == 1
    units = {u["unit"]: u for u in fig["units"]}
    assert units["Dinas Kesehatan"]["total"] == 2 and units["Dinas Kesehatan"]["pending"] == 1
    assert units["PPID Utama (belum didisposisikan)"]["fee_collected"] == 6000
    semester = annual_stats.compute(Period(2025, "s1"))
    assert semester["requests"]["total"] == 0


@time_machine.travel(NOW, tick=False)
def test_pdf_and_docx_have_every_chapter_and_the_figures(known):
    from plugins.inbox import report

    report.save_narrative(2025, None, {"kendala": "Jaringan internet di kantor sering terputus."})
    annual_build.build(2025, "year", None)
    row = annual_build.record(2025, "year", None)
    text = _text(annual_build.file_bytes(row, "pdf"))
    for title in CHAPTERS:
        assert title.upper() in text
    for phrase in (
        "Ditarik kembali oleh pemohon 1",
        "Dikabulkan seluruhnya 1",
        "Belum diklasifikasikan 2",
        "Berkala 1",
        "Setiap saat 0",
        "Dikecualikan 1",
        "Rp10.000,00",
        "Rp6.000,00",
        "Rata-rata waktu pemberitahuan tertulis (hari kerja) 9,3",
        "Dijawab dalam masa perpanjangan (11–17 hari kerja) 1",
        "Jaringan internet di kantor sering terputus.",
        "Dinas Kesehatan",
        "(1 Januari 2025 s.d. 31 Desember 2025)",  # the period in Indonesian, not ISO
    ):
        assert phrase in text, phrase
    assert text.count("<svg") == 0 and "Grafik: Keputusan atas permohonan" in text

    doc = Document(io.BytesIO(annual_build.file_bytes(row, "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == CHAPTERS
    (unit_table,) = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == annual_document.UNIT_HEADER]
    cells = {r.cells[0].text: [c.text for c in r.cells] for r in unit_table.rows[1:]}
    assert cells["Dinas Kesehatan"][1] == "2" and cells["PPID Utama (belum didisposisikan)"][-1] == "6.000"
    assert any("Jaringan internet" in p.text for p in doc.paragraphs)
    assert any(p.text.startswith("[Belum diisi") for p in doc.paragraphs)  # what the officer still has to write


@time_machine.travel(NOW, tick=False)
def test_the_worker_builds_with_progress_and_the_page_links_the_files(known, client, login, make_user):
    from sqlalchemy import select

    from cms.extensions import db
    from cms.models import JobRun

    login(known["officer"])
    steps = []
    annual_build.build(2025, "s2", None, step=lambda: steps.append(1))
    assert len(steps) == annual_build.STEPS

    resp = client.post("/admin/inbox/laporan/susun", data={"year": "2025", "period": "year"})
    assert resp.status_code == 302
    run = db.session.scalar(select(JobRun).where(JobRun.kind == annual_build.JOB, JobRun.subject == "2025/year/0"))
    assert (run.state, run.done, run.total) == ("done", annual_build.STEPS, annual_build.STEPS)
    page = client.get("/admin/inbox/laporan?year=2025").text
    assert 'id="build-files"' in page and "/admin/inbox/laporan/berkas.pdf?year=2025" in page
    pdf = client.get("/admin/inbox/laporan/berkas.pdf?year=2025&period=year")
    assert pdf.mimetype == "application/pdf" and "BAB VI. REKOMENDASI" in _text(pdf.data)

    # A run in flight: the page shows its steps and refreshes, and offers no second build.
    from cms import job_runs

    job_runs.track(annual_build.JOB, "2025/s1/0", total=annual_build.STEPS)
    db.session.commit()
    claim = job_runs.claim(annual_build.JOB, "2025/s1/0")
    claim.beat(2, annual_build.STEPS)
    page = client.get("/admin/inbox/laporan?year=2025&period=s1").text
    assert 'id="build-steps">2 / 5<' in page and 'http-equiv="refresh"' in page
    assert "Susun laporan (PDF dan DOCX)" not in page
    assert annual_build.start(2025, "s1", None, known["officer"]) is False  # one run at a time


@time_machine.travel(NOW, tick=False)
def test_downloads_need_the_permission_and_a_pembantu_gets_only_its_unit(known, client, login, make_user):
    annual_build.build(2025, "year", None)
    annual_build.build(2025, "year", known["health"].id)
    other = get_or_create_unit("Dinas Pendidikan")

    login(make_user("writer"))
    assert client.get("/admin/inbox/laporan/berkas.pdf?year=2025").status_code == 403

    login(make_user("ppid_unit", unit=known["health"]))
    assert client.get("/admin/inbox/laporan/berkas.pdf?year=2025").status_code == 403  # every unit's figures
    assert client.get(f"/admin/inbox/laporan/berkas.docx?year=2025&unit={other.id}").status_code == 403
    own = client.get(f"/admin/inbox/laporan/berkas.pdf?year=2025&unit={known['health'].id}")
    assert own.status_code == 200
    text = _text(own.data)
    assert "PPID Pembantu: Dinas Kesehatan" in text and "PPID Utama (belum didisposisikan)" not in text
    assert "Dikabulkan seluruhnya 1" in text and "Ditarik kembali oleh pemohon 0" in text
    assert client.get("/admin/inbox/laporan/berkas.pdf?year=abc").status_code == 400
    page = client.get(f"/admin/inbox/laporan?year=2025&unit={known['health'].id}").text
    assert 'id="build-files"' in page and "Susun ulang laporan" in page
    assert 'id="berkas-laporan"' not in client.get("/admin/inbox/laporan?year=2025").text  # no consolidated build

    login(make_user("atasan"))
    assert client.get("/admin/inbox/laporan/berkas.docx?year=2025").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_narrative_with_bad_input_gets_form_errors(known, client, login):
    from plugins.inbox import report

    login(known["officer"])
    resp = client.post("/admin/inbox/laporan/narasi?year=2025", data={"kendala": "x" * 10001, "sdm": "Dua staf."})
    assert resp.status_code == 422
    assert "Narasi belum disimpan" in resp.text and "10000" in resp.text
    assert 'id="kendala"' in resp.text and "Dua staf." in resp.text  # what was typed stays
    assert report.narrative(2025, None).get("sdm") is None  # nothing half-saved
    resp = client.post("/admin/inbox/laporan/narasi?year=2025", data={"sdm": "Dua staf."})
    assert resp.status_code == 302 and report.narrative(2025, None)["sdm"] == "Dua staf."


@time_machine.travel(NOW, tick=False)
def test_ringkasan_button_says_unavailable_without_the_dip(known, client, login):
    login(known["officer"])
    annual_build.build(2025, "year", None)
    page = client.get("/admin/inbox/laporan?year=2025").text
    assert "Tidak tersedia: modul DIP tidak aktif." in page
    resp = client.post("/admin/inbox/laporan/terbitkan", data={"year": "2025"}, follow_redirects=True)
    assert "Modul DIP tidak aktif" in resp.text


@pytest.fixture
def with_dip(make_app, mailbox):
    app = make_app(enabled=["inbox", "dip"], MAIL_PORT=mailbox.port, INBOX_MIN_SUBMIT_SECONDS=0)
    with app.app_context():
        yield app


@time_machine.travel(NOW, tick=False)
def test_hook_cms_dip_publish_berkala(with_dip):
    from cms import accounts
    from cms.extensions import db
    from plugins.dip.models import DipEntry
    from tests.conftest import PASSWORD

    _make("2025-10-06 03:00", "2025-10-10 03:00", "dikabulkan_seluruhnya")
    client = with_dip.test_client()
    accounts.create_user("utama@warta.test", "ppid", PASSWORD)
    client.post("/login", data={"email": "utama@warta.test", "password": PASSWORD})
    page = client.get("/admin/inbox/laporan?year=2025").text
    assert "Susun laporan tahunan gabungan terlebih dahulu." in page
    client.post("/admin/inbox/laporan/susun", data={"year": "2025"})
    resp = client.post("/admin/inbox/laporan/terbitkan", data={"year": "2025"}, follow_redirects=True)
    assert "sebagai informasi berkala" in resp.text
    entry = db.session.scalar(db.select(DipEntry).where(DipEntry.source == "inbox:laporan:2025"))
    assert entry.category == "berkala" and entry.year == 2025 and entry.documents
    assert "diterima 1 permohonan" in entry.description_text
    assert annual_build.record(2025, "year", None).dip_entry_id == entry.id


def test_narrative_and_build_need_the_csrf_token(make_app, mailbox, make_user):
    from cms.extensions import db
    from plugins.inbox import report
    from tests.conftest import PASSWORD

    app = make_app(enabled=["inbox"], MAIL_PORT=mailbox.port, WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user("ppid")
        client = app.test_client()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text).group(1)
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert client.post("/admin/inbox/laporan/narasi?year=2025", data={"sdm": "Dua staf."}).status_code == 400
        assert client.post("/admin/inbox/laporan/susun", data={"year": "2025"}).status_code == 400
        assert report.narrative(2025, None) == {} and annual_build.run_of(2025, "year", None) is None
        page = client.get("/admin/inbox/laporan?year=2025").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        resp = client.post("/admin/inbox/laporan/narasi?year=2025", data={"sdm": "Dua staf.", "csrf_token": token})
        assert resp.status_code == 302 and report.narrative(2025, None)["sdm"] == "Dua staf."
        db.session.remove()


@time_machine.travel(NOW, tick=False)
def test_report_page_counts_the_asked_category_and_both_fees(known, client, login):
    login(known["officer"])
    page = client.get("/admin/inbox/laporan?year=2025").text
    assert 'id="category-setiap_saat">0<' in page and 'id="category-belum_diklasifikasikan">2<' in page
    assert 'id="fees">Rp10.000,00<' in page and 'id="fees-collected">Rp6.000,00 (1 pembayaran)<' in page
