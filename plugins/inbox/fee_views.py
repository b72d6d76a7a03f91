"""Views of the standar biaya (public page, PPID Utama's table) and of payments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from cms.api import LawfulDate, audit, db, require
from plugins.inbox import fees, payments
from plugins.inbox.admin_bp import bp as admin_bp
from plugins.inbox.admin_bp import load_request
from plugins.inbox.fee_models import Payment
from plugins.inbox.services import InboxError
from plugins.inbox.views import bp as public_bp

KIND_LABELS = {
    "salinan": _l("Penggandaan/salinan"),
    "media": _l("Media penyimpanan"),
    "pengiriman": _l("Pengiriman"),
    "lainnya": _l("Lain-lain"),
}


class FeeItemForm(FlaskForm):
    label = StringField(_l("Uraian"), validators=[Length(max=200)])
    unit = StringField(_l("Satuan"), validators=[Length(max=40)])
    kind = SelectField(_l("Jenis"), choices=list(KIND_LABELS.items()))
    price = StringField(_l("Tarif (Rp)"))
    active = BooleanField(_l("Berlaku"), default=True)


class PaymentForm(FlaskForm):
    amount = StringField(_l("Jumlah dibayar (Rp)"))
    paid_on = DateField(_l("Tanggal pembayaran"), validators=[Optional(), LawfulDate()])
    method = SelectField(_l("Cara pembayaran"), choices=list(payments.METHODS.items()))
    reference = StringField(_l("Nomor bukti pembayaran (slip/transfer)"), validators=[Optional(), Length(max=100)])


@public_bp.route("/standar-biaya")
def fee_schedule():
    return render_template("inbox/fee_schedule.html", items=fees.schedule(), kinds=KIND_LABELS)


def _fee_page(add_form: FeeItemForm, failed: tuple[str, FeeItemForm] | None = None, status: int = 200):
    items = fees.schedule(active_only=False)
    forms = {}
    for item in items:
        if failed and failed[0] == item.code:
            forms[item.code] = failed[1]
        else:
            forms[item.code] = FeeItemForm(formdata=None, obj=item, prefix=f"item-{item.code}")
    return render_template(
        "inbox/admin/fee_schedule.html", items=items, forms=forms, add_form=add_form, kinds=KIND_LABELS
    ), status


@admin_bp.route("/standar-biaya", methods=["GET", "POST"])
@require("inbox.fees")
def fee_table():
    form = FeeItemForm(prefix="new")
    if not form.is_submitted():
        return _fee_page(FeeItemForm(formdata=None, prefix="new"))
    if form.validate():
        try:
            fees.save_item(form.data, actor=current_user)
        except fees.FeeError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash(_("Jenis biaya ditambahkan."), "success")
            return redirect(url_for(".fee_table"))
    return _fee_page(form, status=400)


@admin_bp.route("/standar-biaya/<code>", methods=["POST"])
@require("inbox.fees")
def fee_item(code: str):
    item = fees.item_by_code(code[:40])
    if item is None:
        db.session.rollback()
        abort(404)
    form = FeeItemForm(prefix=f"item-{item.code}")
    if form.validate():
        try:
            fees.save_item(form.data, item, actor=current_user)
        except fees.FeeError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash(_("Standar biaya disimpan."), "success")
            return redirect(url_for(".fee_table"))
    return _fee_page(FeeItemForm(formdata=None, prefix="new"), (code, form), status=400)


@admin_bp.route("/<int:request_id>/pembayaran", methods=["GET", "POST"])
@require("inbox.manage")
def payment(request_id: int):
    req = load_request(request_id, "inbox.manage")
    form = PaymentForm()
    general_error = None
    if form.validate_on_submit():
        try:
            paid = payments.record_payment(req, form.data, current_user)
        except InboxError as exc:
            db.session.rollback()
            target = getattr(form, exc.field, None) if exc.field else None
            if target is None:
                general_error = str(exc)
            else:
                target.errors.append(str(exc))
        else:
            flash(_("Pembayaran dicatat; kuitansi %(n)s diterbitkan.", n=paid.receipt_number), "success")
            return redirect(url_for(".payment", request_id=req.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "inbox/admin/payment.html",
        req=req,
        form=form,
        general_error=general_error,
        payments=payments.payments_of(req),
        paid=payments.paid(req),
        fee=fees.Fee.from_json(req.fee_detail),
        methods=payments.METHODS,
    ), status


@admin_bp.route("/<int:request_id>/pembayaran/<int:payment_id>/kuitansi.pdf")
@require("inbox.view")
def kuitansi(request_id: int, payment_id: int):
    req = load_request(request_id)
    entry = db.session.get(Payment, payment_id)
    if entry is None or entry.request_id != req.id:
        abort(404)
    if entry.purged_at:
        flash(_("Berkas kuitansi sudah dimusnahkan sesuai jadwal retensi; nomor dan hash-nya tetap tercatat."), "error")
        return redirect(url_for(".payment", request_id=req.id))
    audit.record("inbox.kuitansi.viewed", "inbox_request", req.number, {"kuitansi": entry.receipt_number}, commit=True)
    return _kuitansi_response(entry)


@public_bp.route("/permohonan/<int:request_id>/kuitansi/<int:payment_id>")
def applicant_kuitansi(request_id: int, payment_id: int):
    """For the applicant who tracked the request with its code in this session."""
    from plugins.inbox.views import tracked_request

    if tracked_request(request_id) is None:
        abort(404)
    entry = db.session.get(Payment, payment_id)
    if entry is None or entry.request_id != request_id or entry.purged_at:
        abort(404)
    return _kuitansi_response(entry)


def _kuitansi_response(entry: Payment):
    resp = _pdf_response(payments.kuitansi_pdf(entry))
    resp.headers["Content-Disposition"] = f'attachment; filename="{entry.filename}"'
    return resp


def _pdf_response(pdf: bytes):
    from flask import Response

    resp = Response(pdf, mimetype="application/pdf")
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
