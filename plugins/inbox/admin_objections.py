"""Staff views: keberatan (decided by the Atasan PPID), sengketa, and the holiday calendar."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import db, query_id, query_page, query_year, require
from plugins.inbox import clock, date_filter, disputes, executions, law, letter_notice, objections, workdays
from plugins.inbox.admin_bp import bp, load_objection, scope
from plugins.inbox.admin_forms import CalendarForm, DecideForm, ResponseForm
from plugins.inbox.models import CalendarOverride, InfoRequest, Objection
from plugins.inbox.services import InboxError


@bp.route("/keberatan/")
@require("inbox.view")
def objection_list():
    stmt = scope(select(Objection).join(InfoRequest), InfoRequest.unit_id)
    if request.args.get("status") in law.OBJECTION_STATUSES:
        stmt = stmt.where(Objection.status == request.args["status"])
    # What a Monev figure counted: one unit's keberatan received in the period.
    if (unit := query_id("unit")) is not None:
        stmt = stmt.where(InfoRequest.unit_id == unit)
    received = date_filter.parse(request.args)
    stmt = stmt.where(*received.where(Objection.received_date))
    stmt = stmt.order_by((Objection.status == law.OBJECTION_DECIDED), Objection.due_date, Objection.id)
    page = query_page()
    pagination = db.paginate(stmt, page=page, per_page=50, error_out=False)
    kept = {k: request.args[k] for k in ("unit", "dari", "sampai") if request.args.get(k)}
    return render_template(
        "inbox/admin/objections.html",
        pagination=pagination,
        status=request.args.get("status", ""),
        kept=kept,
        received=received,
    ), (400 if received.errors else 200)


@bp.route("/keberatan/<int:objection_id>", methods=["GET", "POST"])
@require("inbox.view")
def objection_detail(objection_id: int):
    obj = load_objection(objection_id)
    decide_form = DecideForm(prefix="decide")
    if request.method == "POST":
        obj = load_objection(objection_id, "inbox.decide")
        if decide_form.validate_on_submit():
            try:
                objections.decide(
                    obj,
                    decide_form.outcome.data,
                    decide_form.reasons.data or "",
                    decide_form.atasan_name.data or "",
                    decide_form.atasan_position.data or "",
                    grant=decide_form.grant.data,
                    order_what=decide_form.order_what.data,
                )
            except InboxError as exc:
                db.session.rollback()
                getattr(decide_form, exc.field or "outcome").errors.append(str(exc))
            else:
                letter_notice.flash_done(
                    _("Tanggapan Atasan PPID disimpan dan dikirim ke pemohon."),
                    _("Tanggapan Atasan PPID tercatat"),
                    obj.request.email,
                )
                return redirect(url_for(".objection_detail", objection_id=obj.id))
    return objection_page(obj, decide_form=decide_form)


def objection_page(obj: Objection, **forms):
    """The keberatan page; a form passed in (with its errors) replaces the blank one."""
    from plugins.inbox.sengketa_forms import DisputeForm, ExecuteForm

    current = disputes.current(obj)
    forms.setdefault("decide_form", DecideForm(prefix="decide"))
    forms.setdefault("dispute_form", DisputeForm(formdata=None, **disputes.form_values(current)))
    forms.setdefault("execute_form", ExecuteForm(prefix="exec", formdata=None))
    failed = any(f.errors for f in forms.values())
    return render_template(
        "inbox/admin/objection.html",
        obj=obj,
        response_form=ResponseForm(applicant_response=obj.applicant_response),
        dispute_deadline=objections.dispute_window_end(obj),
        dispute=current,
        order_state=executions.state(obj.order),
        **forms,
    ), (400 if failed else 200)


@bp.route("/keberatan/<int:objection_id>/tanggapan-pemohon", methods=["POST"])
@require("inbox.dispute")
def objection_response(objection_id: int):
    obj = load_objection(objection_id, "inbox.dispute")
    form = ResponseForm()
    if form.validate_on_submit():
        objections.set_applicant_response(obj, form.applicant_response.data or "")
        flash(_("Tanggapan pemohon disimpan."), "success")
    return redirect(url_for(".objection_detail", objection_id=obj.id))


@bp.route("/kalender", methods=["GET", "POST"])
@require("inbox.calendar")
def calendar():
    form = CalendarForm()
    if form.validate_on_submit() and form.day.data is not None:  # required, so set once valid
        moved = clock.set_override(form.day.data, form.kind.data, (form.reference.data or "").strip())
        flash(_("Kalender diperbarui; %(n)s batas waktu dihitung ulang.", n=moved), "success")
        return redirect(url_for(".calendar"))
    year = query_year("year") or clock.today().year
    overrides = db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)).all()
    opts = clock.options()
    decreed = workdays.decreed_holidays(year, count_cuti_bersama=opts["count_cuti_bersama"])
    return render_template(
        "inbox/admin/calendar.html",
        form=form,
        overrides=overrides,
        decreed=decreed,
        year=year,
        missing=clock.missing_decree_years(),
    ), (400 if form.errors else 200)


@bp.route("/kalender/<day>/hapus", methods=["POST"])
@require("inbox.calendar")
def calendar_remove(day: str):
    from datetime import date

    from flask_wtf import FlaskForm

    if FlaskForm().validate_on_submit():
        try:
            moved = clock.remove_override(date.fromisoformat(day))
        except ValueError:
            flash(_("Tanggal tidak valid."), "error")
        else:
            flash(_("Koreksi dihapus; %(n)s batas waktu dihitung ulang.", n=moved), "success")
    return redirect(url_for(".calendar"))
