"""Staff views: the annual report, the DIP summary and subject-access export."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from cms.api import YEAR_MAX, YEAR_MIN, Unit, audit, can, db, int_in, query_id, query_year, require, visible_unit_ids
from plugins.inbox import admin_annual, annual_publish, clock, privacy, report, services, spreadsheet
from plugins.inbox.admin_bp import bp, may_see_unit
from plugins.inbox.admin_forms import NarrativeForm
from plugins.inbox.models import REPORT_SECTIONS

MIMES = {
    "csv": "text/csv",  # Werkzeug appends the charset to text/*
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _file(body: bytes, name: str, fmt: str) -> Response:
    resp = Response(body, mimetype=MIMES[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _unit_arg() -> int | None:
    unit = query_id("unit")
    if unit is not None and not may_see_unit(unit):
        audit.record("access.denied", "unit", unit, {"path": request.path}, commit=True)
        abort(403)
    return unit


def _report_args():
    year = query_year("year") or clock.today().year
    kind = request.args.get("period", "year")
    if kind not in report.PERIOD_KINDS:
        kind = "year"
    return report.Period(year, kind), _unit_arg()


@bp.route("/laporan")
@require("inbox.report")
def annual_report():
    return _report_page(NarrativeForm(formdata=None))


def _report_page(narrative_form: NarrativeForm, status: int = 200):
    period, unit = _report_args()
    data = report.build(period, visible_unit_ids(current_user), unit)
    units = db.session.scalars(select(Unit).order_by(Unit.name)).all()
    units = [u for u in units if may_see_unit(u.id)]
    texts = report.narrative(period.year, unit)
    if not narrative_form.is_submitted():
        narrative_form.process(data=texts)
    may_build = unit is not None or visible_unit_ids(current_user) is None
    return render_template(
        "inbox/admin/report.html",
        data=data,
        units=units,
        unit=unit,
        kinds=report.PERIOD_KINDS,
        publish_form=FlaskForm(),
        texts=texts,
        narrative_form=narrative_form,
        sections=REPORT_SECTIONS,
        may_edit=_may_edit_narrative(unit),
        may_build=may_build,
        build=admin_annual.build_state(period.year, period.kind, unit) if may_build else None,
        dip_available=annual_publish.dip_available(),
        published=annual_publish.published_entry(period.year),
    ), status


def _may_edit_narrative(unit: int | None) -> bool:
    """PPID Utama writes the consolidated report; a PPID Pembantu its own unit's."""
    if unit is None:
        return can(current_user, "inbox.publish")
    return can(current_user, "inbox.manage", unit_id=unit)


@bp.route("/laporan/narasi", methods=["POST"])
@require("inbox.manage")
def save_narrative():
    year = query_year("year") or clock.today().year
    unit = _unit_arg()
    if not _may_edit_narrative(unit):
        audit.record("access.denied", "inbox_report", f"{year}/{unit or 0}", {"path": request.path}, commit=True)
        abort(403)
    form = NarrativeForm()
    if not form.validate_on_submit():
        flash(_("Narasi belum disimpan: periksa isian yang ditandai."), "error")
        return _report_page(form, 422)
    report.save_narrative(year, unit, {key: getattr(form, key).data for key in REPORT_SECTIONS})
    flash(_("Narasi laporan disimpan."), "success")
    return redirect(url_for(".annual_report", year=year, unit=unit or None))


@bp.route("/laporan.<fmt>")
@require("inbox.report")
def annual_report_export(fmt: str):
    if fmt not in MIMES:
        abort(404)
    period, unit = _report_args()
    data = report.build(period, visible_unit_ids(current_user), unit)
    header, rows = [_("Bagian"), _("Butir"), _("Jumlah")], report.flat_rows(data, report.narrative(period.year, unit))
    name = f"laporan-layanan-{period.year}-{period.file_part}" + (f"-unit{unit}" if unit else "")
    audit.record("inbox.report.exported", "inbox_report", name, {}, commit=True)
    if fmt == "csv":
        return _file(spreadsheet.to_csv(header, rows), name, fmt)
    return _file(spreadsheet.to_xlsx(_("Laporan"), header, rows, period.label), name, fmt)


@bp.route("/laporan/terbitkan", methods=["POST"])
@require("inbox.publish")
def publish_summary():
    """One click: the ringkasan of the year's built report goes to the DIP as informasi berkala."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    year = int_in(request.form.get("year"), low=YEAR_MIN, high=YEAR_MAX) or clock.today().year
    try:
        annual_publish.publish(year)
    except services.InboxError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Ringkasan diterbitkan ke DIP sebagai informasi berkala."), "success")
    return redirect(url_for(".annual_report", year=year))


@bp.route("/pemohon", methods=["GET", "POST"])
@require("inbox.identity")
def subject_access():
    """Export everything held about one applicant (UU PDP access right)."""
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        nik, email = request.form.get("nik", ""), request.form.get("email", "")
        found = privacy.find_by_applicant(nik, email)
        audit.record("inbox.subject.exported", "inbox_subject", "", {"matches": [r.number for r in found]}, commit=True)
        if not found:
            flash(_("Tidak ada permohonan dengan NIK atau e-mail tersebut."), "error")
            return render_template("inbox/admin/subject.html", form=form, nik=nik, email=email), 404
        body = json.dumps(privacy.subject_export(found), ensure_ascii=False, indent=2)
        resp = Response(body, mimetype="application/json")
        resp.headers["Content-Disposition"] = 'attachment; filename="data-pemohon.json"'
        resp.headers["Cache-Control"] = "private, no-store"
        return resp
    return render_template("inbox/admin/subject.html", form=form, nik="", email="")
