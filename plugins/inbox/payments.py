"""Payments of the fee and their kuitansi; fees charged and collected.

The officer records what the applicant paid; Warta prints the kuitansi
(always in Indonesian, a template — not the catalogue), signs it when a
signer is configured, and stores the PDF encrypted with its SHA-256.  A
kuitansi is never printed again: the download serves the stored bytes.
Nothing is kept when printing or signing fails.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from cms.api import PDFError, audit, db, decrypt_bytes, encrypt_bytes, html_to_pdf, naive_utc, private_dir, rupiah
from plugins.inbox import clock, fees, letterhead, notify, numbering, signing
from plugins.inbox.fee_models import Payment
from plugins.inbox.models import InfoRequest
from plugins.inbox.services import InboxError

METHODS = {"tunai": "Tunai", "transfer": "Transfer bank", "qris": "QRIS", "lainnya": "Lainnya"}
STORE = ("inbox", "kuitansi")


def paid(req: InfoRequest) -> int:
    total = db.session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.request_id == req.id))
    return int(total or 0)


def payments_of(req: InfoRequest) -> list[Payment]:
    return list(db.session.scalars(select(Payment).where(Payment.request_id == req.id).order_by(Payment.id)))


def _paid_on(value, req: InfoRequest) -> date:
    if not isinstance(value, date):
        raise InboxError(_("Tanggal pembayaran wajib diisi."), "paid_on")
    if value < req.received_date:
        raise InboxError(_("Tanggal pembayaran tidak boleh sebelum tanggal permohonan diterima."), "paid_on")
    if value > clock.local_date(naive_utc()):
        raise InboxError(_("Tanggal pembayaran tidak boleh melewati hari ini."), "paid_on")
    return value


def _purpose(req: InfoRequest) -> str:
    fee = fees.Fee.from_json(req.fee_detail)
    parts = "; ".join(f"{ln.label} {ln.quantity} {ln.unit}" for ln in fee.lines)
    text = f"Biaya layanan informasi publik atas permohonan nomor {req.number}"
    return (f"{text} ({parts})" if parts else text)[:300]


def _payer(req: InfoRequest) -> str:
    if req.applicant_type == "badan_hukum" and req.organisation:
        return f"{req.organisation} (u.p. {req.name})"[:200]
    return req.name


def record_payment(req: InfoRequest, data: dict, officer) -> Payment:
    """Record a payment and issue its kuitansi; ``InboxError`` names the field."""
    if not req.outcome or (req.fee_total or 0) <= 0:
        raise InboxError(_("Belum ada biaya yang ditetapkan dalam pemberitahuan tertulis."), "amount")
    try:
        amount = fees.whole_number(data.get("amount"), "amount", fees.MAX_RUPIAH)
    except fees.FeeError as exc:
        raise InboxError(str(exc), "amount") from None
    if amount <= 0:
        raise InboxError(_("Jumlah pembayaran harus lebih dari Rp0."), "amount")
    paid_on = _paid_on(data.get("paid_on"), req)
    method = data.get("method")
    if method not in METHODS:
        raise InboxError(_("Pilih cara pembayaran."), "method")
    reference = (data.get("reference") or "").strip()
    if len(reference) > 100:
        raise InboxError(_("Nomor bukti pembayaran paling banyak 100 karakter."), "reference")
    # The counter row lock serialises payments, so the sum below sees every
    # earlier payment: two officers cannot together collect more than the fee.
    year = paid_on.year
    seq = numbering.next_value("kuitansi", year)
    already = paid(req)
    if already + amount > req.fee_total:
        raise InboxError(
            _(
                "Jumlah melebihi biaya yang ditetapkan: sisa yang dapat dibayar %(left)s.",
                left=rupiah(req.fee_total - already),
            ),
            "amount",
        )
    cfg = current_app.config
    payment = Payment(
        request_id=req.id,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference,
        receipt_number=cfg["INBOX_KUITANSI_NUMBER_FORMAT"].format(
            seq=seq, year=year, prefix=cfg["INBOX_NUMBER_PREFIX"]
        ),
        payer_name=_payer(req),
        purpose=_purpose(req),
        officer_id=getattr(officer, "id", None),
        officer_name=(getattr(officer, "name", "") or getattr(officer, "email", ""))[:200],
    )
    pdf, signed = _print(payment, req, officer)
    stored = secrets.token_hex(16)
    path = private_dir(*STORE) / stored
    path.write_bytes(encrypt_bytes(pdf))
    payment.pdf_stored_name, payment.pdf_size, payment.signed = stored, len(pdf), signed
    payment.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    payment.issued_at = naive_utc()
    try:
        db.session.add(payment)
        db.session.flush()
        audit.record(
            "inbox.payment.recorded",
            "inbox_request",
            req.number,
            {"kuitansi": payment.receipt_number, "amount": amount, "sha256": payment.pdf_sha256},
            user=officer,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        raise
    notify.kuitansi(req, payment, pdf)
    return payment


def _print(payment: Payment, req: InfoRequest, officer=None) -> tuple[bytes, bool]:
    """The kuitansi PDF, signed when a signer is configured; nothing stored yet.
    The receiving officer signs with their own jabatan and NIP (profile)."""
    kop = letterhead.resolve(req.unit_id)  # the letters' kop surat of the request's unit
    receiver = {
        "position": (getattr(officer, "position", "") or "").strip(),
        "nip": (getattr(officer, "nip", "") or "").strip(),
    }
    html = render_template("inbox/print/kuitansi.html", p=payment, req=req, methods=METHODS, kop=kop, receiver=receiver)
    try:
        pdf = html_to_pdf(html)
        signed_pdf = signing.sign(pdf, payment)
    except PDFError as exc:
        raise InboxError(_("Kuitansi tidak dapat dicetak: %(e)s", e=str(exc)[:200]), None) from exc
    except signing.SigningError as exc:
        raise InboxError(str(exc), None) from exc
    return signed_pdf, signed_pdf != pdf


def kuitansi_pdf(payment: Payment) -> bytes:
    """The kuitansi exactly as issued (checked against its stored SHA-256).
    Callers check ``purged_at`` first: a destroyed PDF has no file."""
    pdf = decrypt_bytes((private_dir(*STORE) / payment.pdf_stored_name).read_bytes())
    if hashlib.sha256(pdf).hexdigest() != payment.pdf_sha256:
        raise RuntimeError(f"kuitansi {payment.receipt_number} differs from its stored hash")
    return pdf


@dataclass
class FeeTotals:
    """Fees charged in notices and collected in payments, in whole rupiah."""

    charged: int = 0
    collected: int = 0
    requests: int = 0  # notices that charged a fee
    payments: int = 0

    def __add__(self, other: FeeTotals) -> FeeTotals:
        return FeeTotals(
            self.charged + other.charged,
            self.collected + other.collected,
            self.requests + other.requests,
            self.payments + other.payments,
        )


def _in_units(column, units):
    ids = [u for u in units if u is not None]
    clauses = [column.in_(ids)] if ids else []
    if None in units:
        clauses.append(column.is_(None))
    return or_(*clauses) if clauses else column.in_([-1])


def fee_totals(units: Iterable[int | None] | None, start: date, end: date) -> dict[int | None, FeeTotals]:
    """Per unit id (``None`` = the PPID Utama), for the days ``start``..``end``
    inclusive: fees charged by notices answered then, fees paid then.  With
    ``units=None`` every unit that has any; else exactly the units asked."""
    wanted = None if units is None else list(dict.fromkeys(units))
    charged = select(
        InfoRequest.unit_id, func.coalesce(func.sum(InfoRequest.fee_total), 0), func.count(InfoRequest.id)
    ).where(InfoRequest.answered_date.between(start, end), InfoRequest.fee_total > 0)
    collected = (
        select(InfoRequest.unit_id, func.coalesce(func.sum(Payment.amount), 0), func.count(Payment.id))
        .join(InfoRequest, InfoRequest.id == Payment.request_id)
        .where(Payment.paid_on.between(start, end))
    )
    if wanted is not None:
        charged = charged.where(_in_units(InfoRequest.unit_id, wanted))
        collected = collected.where(_in_units(InfoRequest.unit_id, wanted))
    totals: dict[int | None, FeeTotals] = {u: FeeTotals() for u in (wanted or [])}
    for unit_id, amount, count in db.session.execute(charged.group_by(InfoRequest.unit_id)):
        row = totals.setdefault(unit_id, FeeTotals())
        row.charged, row.requests = int(amount), int(count)
    for unit_id, amount, count in db.session.execute(collected.group_by(InfoRequest.unit_id)):
        row = totals.setdefault(unit_id, FeeTotals())
        row.collected, row.payments = int(amount), int(count)
    return totals


def consolidated(totals: dict[int | None, FeeTotals]) -> FeeTotals:
    return sum(totals.values(), FeeTotals())
