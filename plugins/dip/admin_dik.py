"""Staff pages for the Daftar Informasi yang Dikecualikan (DIK)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import audit, db, ensure, require
from plugins.dip import rules
from plugins.dip.admin import bp, unit_choices
from plugins.dip.files import DipError
from plugins.dip.forms import DikForm
from plugins.dip.models import DikEntry

_TEXT = (
    "information",
    "other_law",
    "consequence",
    "public_interest",
    "period_text",
    "klasifikasi_jenis",
    "penetap_name",
    "penetap_unit",
    "alasan",
    "penetapan_place",
    "sk_number",
)
_DATES = ("exempt_until", "penetapan_date")


@bp.route("/dik/")
@require("dip.manage")
def dik_index():
    from flask_login import current_user

    from cms.api import visible_unit_ids

    stmt = select(DikEntry).order_by(DikEntry.year.desc(), DikEntry.id)
    units = visible_unit_ids(current_user)
    if units is not None:
        stmt = stmt.where(DikEntry.unit_id.in_(units))
    return render_template("dip/admin/dik_index.html", entries=db.session.scalars(stmt).all(), today=date.today())


def _dik(dik_id: int) -> DikEntry:
    entry = db.session.get(DikEntry, dik_id)
    if entry is None:
        abort(404)
    ensure("dip.manage", unit_id=entry.unit_id or 0)
    return entry


def _clean(form: DikForm) -> dict:
    from cms.api import clean_text

    data: dict[str, Any] = {name: clean_text(getattr(form, name).data or "") for name in _TEXT}
    for name in _DATES:
        data[name] = rules.parse_date(getattr(form, name).data, name)
    letters = sorted({c for c in form.pasal17.data or [] if c in "abcdefghij"})
    data["pasal17"] = ",".join(letters)
    if not letters and not data["other_law"]:
        raise DipError(_("Isi dasar hukum: Pasal 17 huruf a–j dan/atau pasal UU lain."), "pasal17")
    data["year"], data["unit_id"], data["published"] = form.year.data, form.unit_id.data or None, form.published.data
    return data


@bp.route("/dik/baru", methods=["GET", "POST"])
@bp.route("/dik/<int:dik_id>", methods=["GET", "POST"])
@require("dip.manage")
def dik_edit(dik_id: int | None = None):
    entry = _dik(dik_id) if dik_id else None
    # a post is all the form says: a field left out is empty, not the stored value
    form = DikForm(obj=entry if request.method == "GET" else None)
    form.unit_id.choices = unit_choices(_("PPID Utama (tanpa unit)"))
    if request.method == "GET":
        if entry:
            form.pasal17.data = entry.pasal17.split(",") if entry.pasal17 else []
            form.unit_id.data = entry.unit_id or 0
            for name in _DATES:
                value = getattr(entry, name)
                getattr(form, name).data = value.isoformat() if value else ""
        else:
            form.year.data = date.today().year
    if form.validate_on_submit():
        try:
            data = _clean(form)
        except DipError as exc:
            field = getattr(form, exc.field or "", form.information)
            field.errors = [*field.errors, str(exc)]
        else:
            ensure("dip.manage", unit_id=data["unit_id"] or 0)
            created = entry is None
            entry = entry or DikEntry()
            changes = {
                k: v.isoformat() if isinstance(v, date) else v for k, v in data.items() if getattr(entry, k, None) != v
            }
            for key, value in data.items():
                setattr(entry, key, value)
            if "exempt_until" in changes:
                entry.reminded_on = None  # a new end date earns a new reminder
            db.session.add(entry)
            db.session.flush()
            audit.record("dik.create" if created else "dik.update", "dip_dik", entry.id, changes)
            db.session.commit()
            flash(_("Entri DIK disimpan."), "success")
            return redirect(url_for("dip_admin.dik_edit", dik_id=entry.id))
    return render_template("dip/admin/dik_edit.html", form=form, entry=entry)
