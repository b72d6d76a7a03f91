"""Payments of the fee, the kuitansi as issued, and fees charged and collected."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import func, select

from cms.extensions import db
from plugins.inbox import payments, services
from plugins.inbox.fee_models import Payment
from tests.plugins.inbox.conftest import get_request
from tests.plugins.inbox.letter_helpers import configure
from tests.plugins.inbox.pki import make_pki

RECEIVED = "2026-12-01 02:00:00"  # Tuesday 09.00 WIB
PAID = "2026-12-07 03:00:00"  # Monday


@pytest.fixture
def ppid(make_user):
    return make_user("ppid", name="Siti Rahmawati")


@pytest.fixture
def charged(client, submit, login, ppid):
    """A hardcopy request answered with 75 pages: Rp37.500,00."""
    with time_machine.travel(RECEIVED, tick=False):
        number, _ = submit(access_method="hardcopy", delivery="ambil")
        req = get_request(number)
        login(ppid)
        resp = client.post(
            f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya", "qty-salinan_lembar": "75"}
        )
        assert resp.status_code == 302, resp.text
    return get_request(number)


def _pay(client, req, **data):
    form = {"amount": "37500", "paid_on": "2026-12-07", "method": "tunai", "reference": ""}
    form.update(data)
    with time_machine.travel(PAID, tick=False):
        return client.post(f"/admin/inbox/{req.id}/pembayaran", data=form)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Payment))


def test_payment_issues_a_kuitansi_in_indonesian(client, login, ppid, charged, app):
    configure()  # the PPID Utama's kop surat, tempat Bekasi
    with time_machine.travel(PAID, tick=False):
        login(ppid)
        page = client.get(f"/admin/inbox/{charged.id}/pembayaran").text
        assert "Rp37.500,00" in page
    resp = _pay(client, charged, method="transfer", reference="TRF-889")
    assert resp.status_code == 302, resp.text
    paid = db.session.scalar(select(Payment))
    assert paid.receipt_number == "KW-0001/PPID/2026" and paid.amount == 37500 and not paid.signed
    with time_machine.travel(PAID, tick=False):
        got = client.get(f"/admin/inbox/{charged.id}/pembayaran/{paid.id}/kuitansi.pdf")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert hashlib.sha256(got.data).hexdigest() == paid.pdf_sha256
    text = _text(got.data).replace("/ ", "/")  # a long number may wrap after a slash
    for words in (
        "KUITANSI",
        "Nomor: KW-0001/PPID/2026",
        "Telah terima dari : Budi Santoso",
        "Uang sejumlah : Tiga puluh tujuh ribu lima ratus rupiah",
        "Jumlah Rp37.500,00",
        f"permohonan nomor {charged.number}",
        "75 lembar",
        "Transfer bank (nomor bukti TRF-889)",
        "Bekasi, 7 Desember 2026",
        "Yang menerima,",
        "Siti Rahmawati",
    ):
        assert words in text, words
    # Issued once: a later change of settings never reprints it.
    app.config["INBOX_KUITANSI_PLACE"] = "Jakarta"
    with time_machine.travel(PAID, tick=False):
        again = client.get(f"/admin/inbox/{charged.id}/pembayaran/{paid.id}/kuitansi.pdf")
    assert again.data == got.data
    assert b"%PDF" not in (payments.private_dir(*payments.STORE) / paid.pdf_stored_name).read_bytes()  # encrypted


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": "40000"}, "amount", "sisa yang dapat dibayar Rp37.500,00."),
        ({"amount": "-5000"}, "amount", "Isi bilangan 0–100.000.000."),
        ({"amount": "0"}, "amount", "harus lebih dari Rp0"),
        ({"amount": "tiga puluh"}, "amount", "Isi bilangan"),
        ({"paid_on": "2026-11-30"}, "paid_on", "tidak boleh sebelum tanggal permohonan diterima"),
        ({"paid_on": "2026-12-08"}, "paid_on", "tidak boleh melewati hari ini"),
        ({"paid_on": ""}, "paid_on", "Tanggal pembayaran wajib diisi."),
        ({"method": "emas"}, "method", ""),
    ],
)
def test_refused_payments_name_the_field(client, login, ppid, charged, data, field, message):
    with time_machine.travel(PAID, tick=False):
        login(ppid)
    resp = _pay(client, charged, **data)
    assert resp.status_code == 400
    assert f'id="{field}-error"' in resp.text and message in resp.text
    assert _count() == 0


def test_partial_payments_never_exceed_the_fee(client, login, ppid, charged):
    with time_machine.travel(PAID, tick=False):
        login(ppid)
    assert _pay(client, charged, amount="20.000").status_code == 302
    too_much = _pay(client, charged, amount="20000")
    assert too_much.status_code == 400 and "sisa yang dapat dibayar Rp17.500,00." in too_much.text
    assert _pay(client, charged, amount="17500").status_code == 302
    numbers = db.session.scalars(select(Payment.receipt_number).order_by(Payment.id)).all()
    assert numbers == ["KW-0001/PPID/2026", "KW-0002/PPID/2026"]
    assert payments.paid(charged) == 37500


def test_no_payment_without_a_fee(client, submit, login, ppid):
    with time_machine.travel(RECEIVED, tick=False):
        number, _ = submit()
        login(ppid)
        req = get_request(number)
        client.post(f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya"})
    with time_machine.travel(PAID, tick=False):
        login(ppid)
    resp = _pay(client, req, amount="1000")
    assert resp.status_code == 400 and "Belum ada biaya" in resp.text and _count() == 0


def test_other_units_officer_cannot_record_a_payment(client, login, make_user, charged):
    with time_machine.travel(PAID, tick=False):
        login(make_user("ppid_unit", unit="Dinas Perhubungan"))
    assert _pay(client, charged).status_code == 403
    assert _count() == 0


def test_signing_failure_issues_nothing(client, login, ppid, charged, app, tmp_path):
    app.config["INBOX_SIGN_PKCS12"] = str(tmp_path / "hilang.p12")
    with time_machine.travel(PAID, tick=False):
        login(ppid)
    resp = _pay(client, charged)
    assert resp.status_code == 400 and "Sertifikat penanda tangan tidak ditemukan" in resp.text
    assert _count() == 0 and not list(payments.private_dir(*payments.STORE).iterdir())
    app.config["INBOX_SIGN_PKCS12"] = ""
    assert _pay(client, charged).status_code == 302
    assert db.session.scalar(select(Payment.receipt_number)) == "KW-0001/PPID/2026"  # no number lost


def test_signed_kuitansi_validates(client, login, ppid, charged, app, tmp_path, monkeypatch):
    from tests.plugins.inbox.test_signing import validate

    pki = make_pki()
    (tmp_path / "ttd.p12").write_bytes(pki.p12)
    monkeypatch.setenv("WARTA_SIGN_PASSPHRASE", pki.passphrase.decode())
    app.config["INBOX_SIGN_PKCS12"] = str(tmp_path / "ttd.p12")
    with time_machine.travel(PAID, tick=False):
        login(ppid)
    assert _pay(client, charged).status_code == 302
    paid = db.session.scalar(select(Payment))
    status = validate(payments.kuitansi_pdf(paid), pki.ca_der)
    assert paid.signed and status.intact and status.trusted
    assert "Rp37.500,00" in _text(payments.kuitansi_pdf(paid))


def test_fee_totals_per_unit_and_period(app, submit, make_user):
    officer = make_user("ppid", name="Petugas")
    dinkes = make_user("ppid_unit", unit="Dinas Kesehatan").unit
    rows = []
    for received, unit, pages in (
        ("2026-01-05 02:00:00", dinkes, 10),  # Rp5.000 in January
        ("2026-02-02 02:00:00", dinkes, 30),  # Rp15.000 in February
        ("2026-02-03 02:00:00", None, 4),  # PPID Utama, Rp2.000
        ("2025-12-01 02:00:00", dinkes, 100),  # last year
    ):
        with time_machine.travel(received, tick=False):
            number, _ = submit(access_method="hardcopy", delivery="ambil")
            req = get_request(number)
            req.unit_id = unit.id if unit else None
            services.answer(req, {"outcome": "dikabulkan_seluruhnya", "fee_items": {"salinan_lembar": pages}})
            rows.append(get_request(number))
    with time_machine.travel("2026-02-10 03:00:00", tick=False):
        payments.record_payment(rows[0], {"amount": 5000, "paid_on": date(2026, 2, 9), "method": "tunai"}, officer)
        payments.record_payment(rows[1], {"amount": 10000, "paid_on": date(2026, 2, 10), "method": "qris"}, officer)
        payments.record_payment(rows[3], {"amount": 50000, "paid_on": date(2026, 1, 2), "method": "tunai"}, officer)
    year = payments.fee_totals([dinkes.id, None], date(2026, 1, 1), date(2026, 12, 31))
    assert year[dinkes.id] == payments.FeeTotals(charged=20000, collected=65000, requests=2, payments=3)
    assert year[None] == payments.FeeTotals(charged=2000, collected=0, requests=1, payments=0)
    february = payments.fee_totals(None, date(2026, 2, 1), date(2026, 2, 28))
    assert february[dinkes.id] == payments.FeeTotals(charged=15000, collected=15000, requests=1, payments=2)
    assert payments.consolidated(february) == payments.FeeTotals(17000, 15000, 2, 2)
    other = make_user("ppid_unit", unit="Dinas Pendidikan").unit
    assert payments.fee_totals([other.id], date(2026, 1, 1), date(2026, 12, 31)) == {other.id: payments.FeeTotals()}


def test_kuitansi_is_dated_at_the_place_of_the_kop_surat(client, login, ppid, charged):
    """Like the letters, the kuitansi takes its tempat from the kop surat."""
    configure(place="Cikarang Pusat")
    with time_machine.travel(PAID, tick=False):  # signed in at the payment's time, not the machine's
        login(ppid)
    assert _pay(client, charged).status_code == 302
    paid = db.session.scalar(select(Payment))
    with time_machine.travel(PAID, tick=False):
        got = client.get(f"/admin/inbox/{charged.id}/pembayaran/{paid.id}/kuitansi.pdf")
    assert "Cikarang Pusat, 7 Desember 2026" in _text(got.data)
