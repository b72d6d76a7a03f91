"""Letters, kuitansi, registers and retention joined: the kuitansi on the
letters' kop, mailed and tracked; payments in the register; the old
printable pages serving the issued letter; keberatan letters by hand; and
the retention purge of issued PDFs that keeps their verification record."""

from __future__ import annotations

import hashlib
import io

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog, User
from plugins.inbox import letter_records, payments, privacy, report
from plugins.inbox.fee_models import Payment
from plugins.inbox.letter_models import Letter
from tests.plugins.inbox.conftest import get_request
from tests.plugins.inbox.letter_helpers import configure, officer, pdf_text

RECEIVED = "2026-12-01 02:00:00"  # Tuesday 09.00 WIB
PAID = "2026-12-07 03:00:00"  # Monday


@pytest.fixture
def ppid(inbox_app, make_user):
    user = officer(make_user, name="Siti Rahmawati", position="Kepala Subbagian Pelayanan Informasi")
    configure(signer=user)
    return user


@pytest.fixture
def charged(client, submit, login, ppid):
    """A hardcopy request answered with 75 pages (Rp37.500,00); its tracking code."""
    with time_machine.travel(RECEIVED, tick=False):
        number, code = submit(access_method="hardcopy", delivery="ambil")
        req = get_request(number)
        login(ppid)
        resp = client.post(
            f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya", "qty-salinan_lembar": "75"}
        )
        assert resp.status_code == 302, resp.text
    login(ppid)  # a session of today's clock, for the pages asked outside the time travel
    return get_request(number), code


def _pay(client, req, amount="37500"):
    with time_machine.travel(PAID, tick=False):
        _relogin(client)
        resp = client.post(
            f"/admin/inbox/{req.id}/pembayaran",
            data={"amount": amount, "paid_on": "2026-12-07", "method": "tunai", "reference": ""},
        )
    assert resp.status_code == 302, resp.text
    return db.session.scalars(select(Payment).order_by(Payment.id.desc())).first()


def _relogin(client):
    """Sign the PPID in again under the current (travelled) clock."""
    from tests.conftest import PASSWORD

    user = db.session.scalar(select(User).where(User.name == "Siti Rahmawati"))
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code in (302, 303)


# ------------------------------------------------------------------ 1. kuitansi


def test_kuitansi_has_the_units_kop_is_mailed_tracked_and_on_the_timeline(client, login, ppid, charged, mailbox, app):
    req, code = charged
    paid = _pay(client, req)
    text = pdf_text(payments.kuitansi_pdf(paid))
    for words in (
        "PEMERINTAH KOTA BEKASI",
        "PPID UTAMA KOTA BEKASI",
        "Jl. Jend. Ahmad Yani No. 1, Bekasi 17141",
        "Telepon (021) 88970163",
        "KUITANSI",
        "Nomor: KW-0001/PPID/2026",
        "Jumlah Rp37.500,00",
        "Bekasi, 7 Desember 2026",
        "Yang menerima, Kepala Subbagian Pelayanan Informasi",  # the officer's own jabatan
    ):
        assert words in text, words
    assert "Pejabat Pengelola Informasi dan Dokumentasi" not in text  # not the old one-line INBOX_LETTERHEAD

    # Mailed to the applicant with the PDF exactly as stored.
    [mail] = [m for m in mailbox.to("budi@contoh.id") if "Kuitansi pembayaran" in m["Subject"]]
    assert "KW-0001/PPID/2026" in mail["Subject"] and req.number in mail["Subject"]
    assert "Rp37.500,00" in mailbox.text(mail) and "/ppid/permohonan/lacak" in mailbox.text(mail)
    [attached] = list(mail.iter_attachments())
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_filename() == "kuitansi-KW-0001-PPID-2026.pdf"
    assert hashlib.sha256(attached.get_content()).hexdigest() == paid.pdf_sha256

    # On the case's timeline of official paperwork, after the notice it pays for.
    with time_machine.travel(PAID, tick=False):
        _relogin(client)
        page = client.get(f"/admin/inbox/{req.id}").text
    section = page[page.index('id="surat-resmi"') :]
    notice = db.session.scalar(select(Letter).where(Letter.request_id == req.id, Letter.kind == "pemberitahuan"))
    assert notice.number in section and "KW-0001/PPID/2026" in section
    assert section.index(notice.number) < section.index("KW-0001/PPID/2026")
    assert f"/admin/inbox/{req.id}/pembayaran/{paid.id}/kuitansi.pdf" in section

    # The applicant downloads it from the tracking page (this session only).
    client.post("/logout")
    url = f"/ppid/permohonan/{req.id}/kuitansi/{paid.id}"
    assert client.get(url).status_code == 404  # not tracked yet
    tracked = client.post("/ppid/permohonan/lacak", data={"number": req.number, "code": code}).text
    assert 'id="kuitansi"' in tracked and url in tracked and "KW-0001/PPID/2026" in tracked
    got = client.get(url)
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert hashlib.sha256(got.data).hexdigest() == paid.pdf_sha256
    assert app.test_client().get(url).status_code == 404  # another browser


def test_kuitansi_without_a_kop_instansi_falls_back_to_the_simple_letterhead(client, login, ppid, charged, app):
    from plugins.inbox.letter_models import Letterhead

    db.session.scalar(select(Letterhead)).instansi = ""
    db.session.commit()
    app.config["INBOX_LETTER_INSTANSI"] = ""
    text = pdf_text(payments.kuitansi_pdf(_pay(client, charged[0])))
    assert "PEMERINTAH KOTA" in text and "Pejabat Pengelola Informasi dan Dokumentasi" in text


# ------------------------------------------------------------------ 2. registers and report


def test_register_shows_fee_lines_and_payments_and_counts_through_fee_totals(client, login, ppid, charged):
    req, _code = charged
    _pay(client, req, "20000")
    with time_machine.travel(PAID, tick=False):
        _relogin(client)
        resp = client.get("/admin/inbox/register.xlsx?year=2026")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).active
    header = [c.value for c in ws[7]]
    row = dict(zip(header, [c.value for c in ws[8]], strict=True))
    assert row["Biaya dan cara pembayaran"] == (
        "Rp37.500,00 (Penggandaan dokumen (fotokopi/cetak) per lembar: 75 lembar × Rp500,00); "
        "dibayar 7 Desember 2026 Rp20.000,00, kuitansi KW-0001/PPID/2026"
    )
    footer = [r[0].value for r in ws.iter_rows(min_row=9) if r[0].value]
    assert footer == [
        "Biaya dikenakan (menurut tanggal pemberitahuan tertulis): Rp37.500,00 dari 1 permohonan",
        "Biaya diterima (menurut tanggal pembayaran): Rp20.000,00 dalam 1 pembayaran",
    ]
    data = report.build(report.Period(2026))
    assert (data["fees"], data["fees_collected"], data["fee_payments"]) == (37500, 20000, 1)
    assert report.build(report.Period(2026, "s1"))["fees_collected"] == 0
    with time_machine.travel(PAID, tick=False):
        _relogin(client)
        page = client.get("/admin/inbox/laporan?year=2026").text
    assert 'id="fees">Rp37.500,00' in page and "Rp20.000,00 (1 pembayaran)" in page


# ------------------------------------------------------------------ 4. printable pages, keberatan letters


def test_old_printable_pages_serve_the_issued_letter(client, login, ppid, charged, app):
    req, code = charged
    notice = db.session.scalar(select(Letter).where(Letter.request_id == req.id, Letter.kind == "pemberitahuan"))
    staff = client.get(f"/admin/inbox/{req.id}/surat")
    assert staff.mimetype == "application/pdf"
    assert hashlib.sha256(staff.data).hexdigest() == notice.sha256
    assert "Rp37.500,00" in pdf_text(staff.data)
    viewed = db.session.scalars(select(AuditLog).where(AuditLog.action == "inbox.letter.viewed")).all()
    assert [e.object_id for e in viewed] == [notice.number]
    client.post("/logout")
    client.post("/ppid/permohonan/lacak", data={"number": req.number, "code": code})
    public = client.get(f"/ppid/permohonan/{req.id}/surat")
    assert public.mimetype == "application/pdf" and public.data == staff.data


def test_without_an_issued_letter_the_printable_page_still_renders(inbox_app, client, submit, login, make_user):
    inbox_app.config["INBOX_LETTERS_ON_DECISION"] = "off"
    user = make_user("ppid")
    number, _code = submit(access_method="hardcopy")
    req = get_request(number)
    login(user)
    client.post(f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya", "qty-salinan_lembar": "3"})
    page = client.get(f"/admin/inbox/{req.id}/surat")
    assert page.mimetype == "text/html" and "Rp1.500,00" in page.text


def test_case_page_issues_the_keberatan_letters_by_hand(inbox_app, client, submit, login, make_user):
    from plugins.inbox import objections

    inbox_app.config["INBOX_LETTERS_ON_DECISION"] = "off"
    ppid = officer(make_user)
    configure(signer=ppid)
    number, _code = submit()
    req = get_request(number)
    obj = objections.file_objection(req, {"grounds": ["b"], "case_summary": "Informasi berkala tidak disediakan."})
    login(ppid)
    page = client.get(f"/admin/inbox/{req.id}").text
    form = page[page.index(f'id="letter-kind-{obj.id}"') :]
    form = form[: form.index("</select>")]
    assert 'value="tanda_terima_keberatan"' in form and "tanggapan_keberatan" not in form
    resp = client.post(
        f"/admin/inbox/{req.id}/surat/terbitkan", data={"kind": "tanda_terima_keberatan", "objection": obj.id}
    )
    assert resp.status_code == 302
    [receipt] = [x for x in letter_records.of_request(req) if x.kind == "tanda_terima_keberatan"]
    assert receipt.objection_id == obj.id
    text = pdf_text(letter_records.load(receipt))
    assert "TANDA BUKTI PENERIMAAN KEBERATAN" in text.upper() and obj.number in text

    objections.decide(obj, "dikabulkan", "Permohonan wajib dijawab.", "Drs. Ahmad", "Sekretaris Daerah")
    page = client.get(f"/admin/inbox/{req.id}").text
    assert 'value="tanggapan_keberatan"' in page[page.index(f'id="letter-kind-{obj.id}"') :]
    client.post(f"/admin/inbox/{req.id}/surat/terbitkan", data={"kind": "tanggapan_keberatan", "objection": obj.id})
    db.session.expire_all()
    [answer] = [x for x in letter_records.of_request(req) if x.kind == "tanggapan_keberatan"]
    text = pdf_text(letter_records.load(answer))
    assert "Drs. Ahmad" in text and "Sekretaris Daerah" in text and "Permohonan wajib dijawab." in text


# ------------------------------------------------------------------ 4. retention


def test_retention_purge_destroys_issued_pdfs_but_keeps_their_verification(client, login, ppid, charged, app):
    req, code = charged
    paid = _pay(client, req)
    issued = letter_records.of_request(req)
    assert {x.kind for x in issued} == {"tanda_terima", "pemberitahuan"}
    files = [letter_records.private_dir(letter_records.FOLDER) / x.stored_name for x in issued]
    files.append(payments.private_dir(*payments.STORE) / paid.pdf_stored_name)
    assert all(f.exists() for f in files)

    # Past the identity retention (365 days): by default the letters stay (arsip, JRA).
    with time_machine.travel("2028-01-10 03:00:00", tick=False):
        assert privacy.purge_due() == 1
    db.session.expire_all()
    assert get_request(req.number).purged_at is not None and all(f.exists() for f in files)
    assert db.session.scalar(select(Letter.id).where(Letter.purged_at.is_not(None))) is None

    app.config["INBOX_RECORD_RETENTION_DAYS"] = 1000  # the institution's JRA period
    with time_machine.travel("2029-01-10 03:00:00", tick=False):
        privacy.purge_due()
    assert all(f.exists() for f in files)  # not yet 1000 days since it closed
    with time_machine.travel("2029-09-10 03:00:00", tick=False):
        privacy.purge_due()
    db.session.expire_all()
    assert not any(f.exists() for f in files)
    letters = letter_records.of_request(req)
    assert all(x.purged_at and len(x.sha256) == 64 and x.number for x in letters)
    paid = db.session.get(Payment, paid.id)
    assert paid.purged_at and paid.receipt_number == "KW-0001/PPID/2026" and len(paid.pdf_sha256) == 64
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "inbox.retention.records_purged"))
    assert entry.object_id == req.number
    assert sorted(n for n, _h in entry.detail["letters"]) == sorted(x.number for x in letters)
    assert entry.detail["kuitansi"] == [["KW-0001/PPID/2026", paid.pdf_sha256]]

    # The public verification still answers, and says the file is gone.
    notice = next(x for x in letters if x.kind == "pemberitahuan")
    page = client.get(f"/ppid/surat/{notice.code}").text
    assert notice.number in page and notice.sha256 in page and 'id="dimusnahkan"' in page
    # Downloads say so rather than fail.
    _relogin(client)
    assert client.get(f"/admin/inbox/surat/{notice.id}").status_code == 410
    gone = client.get(f"/admin/inbox/{req.id}/pembayaran/{paid.id}/kuitansi.pdf")
    assert gone.status_code == 302
    old_page = client.get(f"/admin/inbox/{req.id}/surat")
    assert old_page.status_code == 410 and notice.number in old_page.text and "dimusnahkan" in old_page.text
    timeline = client.get(f"/admin/inbox/{req.id}").text
    assert "berkas dimusnahkan" in timeline and f"/admin/inbox/surat/{notice.id}" not in timeline
