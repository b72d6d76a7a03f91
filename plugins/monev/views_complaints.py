"""Outside complaints (one by one or by CSV) and the units' social accounts."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from cms.api import audit, db, ensure, query_id, require, valid_id
from plugins.monev import complaints as records
from plugins.monev.access import unit_or_404, visible_units
from plugins.monev.blueprint import admin_bp
from plugins.monev.complaints import ComplaintError
from plugins.monev.models import MonevComplaint, MonevSocialAccount

PLATFORMS = ("Instagram", "Facebook", "X", "YouTube", "TikTok", "Mastodon", "Bluesky", "Threads", "Lainnya")
MAX_CSV_BYTES = 2 * 1024 * 1024


def _unit_from_form():
    unit_id = valid_id(request.form.get("unit"))
    if unit_id is None and current_user.role == "ppid_unit":
        unit_id = current_user.unit_id
    return unit_or_404(unit_id) if unit_id else None


@admin_bp.route("/pengaduan", methods=["GET", "POST"])
@require("monev.view")
def complaints():
    units = visible_units()
    allowed = {u.id for u in units}
    unit_id = query_id("unit")
    if unit_id is not None:
        ensure("monev.view", unit_id=unit_id)
    errors: list[str] = []
    bad_rows = False  # the errors are the CSV's rows, not the form's
    status = 200
    chosen = unit_id
    if request.method == "POST":
        unit = _unit_from_form()
        chosen = unit.id if unit else None
        if unit is None:
            errors.append(_("Pilih unit."))
        elif request.form.get("aksi") == "impor":
            upload = request.files.get("berkas")
            data = upload.read(MAX_CSV_BYTES + 1) if upload else b""
            try:
                if not data:
                    raise ComplaintError(_("Pilih berkas CSV."))
                if len(data) > MAX_CSV_BYTES:
                    raise ComplaintError(_("Berkas CSV melebihi 2 MB."))
                result = records.import_csv(unit.id, data, current_user)
            except ComplaintError as exc:
                errors.append(str(exc))
            else:
                flash(_("%(n)s pengaduan diimpor.", n=result.added), "success")
                errors.extend(result.errors)
                bad_rows = bool(result.errors)
        else:
            form = request.form
            try:
                row = records.build(
                    unit.id,
                    form.get("diterima", ""),
                    form.get("kategori", ""),
                    form.get("selesai", ""),
                    form.get("sumber", ""),
                    form.get("nomor", ""),
                )
            except ComplaintError as exc:
                errors.append(_("Pengaduan tidak disimpan: %(why)s.", why=str(exc)))
            else:
                row.created_by_id = current_user.id
                db.session.add(row)
                db.session.commit()
                audit.record("monev.complaint.added", "monev_complaint", row.id, {"unit": unit.id}, commit=True)
                return redirect(url_for(".complaints", unit=unit.id)), 303
        status = 400 if errors and request.form.get("aksi") != "impor" else 200
    stmt = select(MonevComplaint).where(MonevComplaint.unit_id.in_(allowed or {-1}))
    if unit_id is not None:
        stmt = stmt.where(MonevComplaint.unit_id == unit_id)
    start, end = _date_arg("dari"), _date_arg("sampai")
    if start:
        stmt = stmt.where(MonevComplaint.received_on >= start)
    if end:
        stmt = stmt.where(MonevComplaint.received_on <= end)
    rows = db.session.scalars(stmt.order_by(MonevComplaint.received_on.desc()).limit(500)).all()
    names = {u.id: u.name for u in units}
    return render_template(
        "monev/complaints.html",
        rows=rows,
        units=units,
        names=names,
        unit_id=chosen,
        errors=errors,
        bad_rows=bad_rows,
    ), status


def _date_arg(name: str) -> date | None:
    return records.parse_date(request.args.get(name, ""))


@admin_bp.route("/akun", methods=["GET", "POST"])
@require("monev.view")
def accounts():
    units = visible_units()
    errors: list[str] = []
    if request.method == "POST":
        unit = _unit_from_form()
        if request.form.get("aksi") == "hapus":
            row = db.session.get(MonevSocialAccount, valid_id(request.form.get("id")) or 0)
            if row is not None:
                ensure("monev.view", unit_id=row.unit_id)
                db.session.delete(row)
                db.session.commit()
            return redirect(url_for(".accounts")), 303
        url = (request.form.get("url") or "").strip()
        platform = request.form.get("platform", "")
        last = records.parse_date(request.form.get("aktivitas", ""))
        if unit is None:
            errors.append(_("Pilih unit."))
        if platform not in PLATFORMS:
            errors.append(_("Pilih platform."))
        if not url.startswith(("https://", "http://")) or len(url) > 500:
            errors.append(_("Alamat akun harus URL http(s) lengkap."))
        if not errors:
            row = MonevSocialAccount(unit_id=unit.id, platform=platform, url=url, last_activity_on=last)
            db.session.add(row)
            db.session.commit()
            audit.record("monev.account.added", "monev_social_account", row.id, {"unit": unit.id}, commit=True)
            return redirect(url_for(".accounts")), 303
    allowed = {u.id for u in units}
    stmt = select(MonevSocialAccount).where(MonevSocialAccount.unit_id.in_(allowed or {-1}))
    unit_id = query_id("unit")
    if unit_id is not None:
        stmt = stmt.where(MonevSocialAccount.unit_id == unit_id)
    rows = db.session.scalars(stmt.order_by(MonevSocialAccount.unit_id, MonevSocialAccount.platform)).all()
    names = {u.id: u.name for u in units}
    return (
        render_template("monev/accounts.html", rows=rows, units=units, names=names, platforms=PLATFORMS, errors=errors),
        400 if errors else 200,
    )
