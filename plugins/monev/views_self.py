"""The self-assessment pages: the PPID Pembantu answers with evidence, the
PPID Utama accepts or returns each answer; evidence is served only to them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cms.api import audit, can, ensure, query_id, require
from plugins.monev import selfassess
from plugins.monev.access import period_or_404, unit_or_404
from plugins.monev.blueprint import admin_bp
from plugins.monev.models import ANSWER_STATUS_LABELS
from plugins.monev.selfassess import CHECKLIST, EvidenceError


@admin_bp.route("/penilaian-mandiri")
@require("monev.view")
def self_assessment_by_period():
    period_id, unit_id = query_id("periode"), query_id("unit")
    if period_id is None or unit_id is None:
        abort(404)
    return redirect(url_for(".self_assessment", period_id=period_id, unit_id=unit_id))


@admin_bp.route("/<int:period_id>/unit/<int:unit_id>/mandiri", methods=["GET", "POST"])
@require("monev.view")
def self_assessment(period_id: int, unit_id: int):
    period = period_or_404(period_id)
    unit = unit_or_404(unit_id)
    errors: dict[str, str] = {}
    kept: dict[str, tuple[bool, str]] = {}  # a refused answer as typed, shown again
    if request.method == "POST":
        item = request.form.get("butir", "")
        # Only the unit's own PPID Pembantu (or an admin) answers; the Utama verifies.
        if current_user.role not in ("ppid_unit", "admin"):
            audit.record("access.denied", "url", request.path, {"why": "only the unit answers"}, commit=True)
            abort(403)
        try:
            selfassess.save_answer(
                period,
                unit.id,
                item,
                request.form.get("ada") == "1",
                request.form.get("catatan", ""),
                request.files.get("bukti") or None,
                current_user,
            )
        except EvidenceError as exc:
            errors[item] = str(exc)
            kept[item] = (request.form.get("ada") == "1", request.form.get("catatan", "")[:2000])
        else:
            flash(_("Jawaban disimpan dan diajukan untuk verifikasi."), "success")
            return redirect(url_for(".self_assessment", period_id=period.id, unit_id=unit.id)), 303
    status = 400 if errors else 200
    return (
        render_template(
            "monev/self.html",
            period=period,
            unit=unit,
            checklist=CHECKLIST,
            answers=selfassess.answers(period, unit.id),
            errors=errors,
            kept=kept,
            may_review=can(current_user, "monev.manage"),
            may_answer=current_user.role in ("ppid_unit", "admin"),
            max_kb=selfassess.max_bytes() // 1024,
            status_labels=ANSWER_STATUS_LABELS,
        ),
        status,
    )


@admin_bp.route("/<int:period_id>/unit/<int:unit_id>/mandiri/<item>/verifikasi", methods=["POST"])
@require("monev.manage")
def review(period_id: int, unit_id: int, item: str):
    period = period_or_404(period_id)
    unit = unit_or_404(unit_id, "monev.manage")
    row = selfassess.answers(period, unit.id).get(item)
    if row is None:
        abort(404)
    try:
        selfassess.review(row, request.form.get("aksi") == "terima", request.form.get("komentar", ""), current_user)
    except EvidenceError as exc:
        flash(str(exc), "error")
    return redirect(url_for(".self_assessment", period_id=period.id, unit_id=unit.id)), 303


@admin_bp.route("/<int:period_id>/unit/<int:unit_id>/mandiri/<item>/bukti")
@require("monev.view")
def evidence(period_id: int, unit_id: int, item: str):
    period = period_or_404(period_id)
    unit = unit_or_404(unit_id)
    row = selfassess.answers(period, unit.id).get(item)
    if row is None or not row.evidence_stored:
        abort(404)
    path = selfassess.evidence_dir() / row.evidence_stored
    if not path.is_file():
        abort(404)
    audit.record("monev.evidence.viewed", "monev_answer", row.id, {"unit": unit.id}, commit=True)
    ensure("monev.view", unit_id=unit.id)
    resp = send_file(path, mimetype=row.evidence_mime, as_attachment=True, download_name=row.evidence_name or "bukti")
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
