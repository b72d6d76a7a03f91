"""Staff views of the annual report's files: build (in the worker), progress, download.

Who sees what: the PPID Utama and the Atasan PPID build and download the
consolidated report and any unit's; a PPID Pembantu only its own unit's —
the consolidated report carries every unit's figures (its per-unit table),
so it is refused to a Pembantu (403, logged) rather than cut down.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from cms.api import YEAR_MAX, YEAR_MIN, audit, int_in, job_runs, require, valid_id, visible_unit_ids
from plugins.inbox import annual_build, clock, report
from plugins.inbox.admin_bp import bp, may_see_unit

MIMES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
STATE_LABELS = {
    "queued": _l("Menunggu antrean"),
    "running": _l("Sedang disusun"),
    "done": _l("Selesai"),
    "failed": _l("Gagal"),
}


def _deny(key: str) -> None:
    audit.record("access.denied", "inbox_report", key, {"path": request.path}, commit=True)
    abort(403)


def report_key(args) -> tuple[int, str, int | None]:
    """(year, period, unit) of the report asked for, or 400/403."""
    year = int_in(args.get("year"), low=YEAR_MIN, high=YEAR_MAX) if args.get("year") else clock.today().year
    kind = args.get("period") or "year"
    if year is None or kind not in report.PERIOD_KINDS:
        abort(400)
    raw = args.get("unit") or ""
    unit = valid_id(raw) if raw else None
    if raw and unit is None:
        abort(400)
    consolidated_refused = unit is None and visible_unit_ids(current_user) is not None
    if consolidated_refused or (unit is not None and not may_see_unit(unit)):
        _deny(annual_build.subject(year, kind, unit))
    return year, kind, unit


def build_state(year: int, kind: str, unit: int | None) -> dict:
    """What the report page shows about the files of this report."""
    run = annual_build.run_of(year, kind, unit)
    row = annual_build.record(year, kind, unit)
    state = job_runs.shown_state(run) if run else ""
    return {
        "state": state,
        "label": str(STATE_LABELS.get(state, "")),
        "done": run.done if run else 0,
        "total": (run.total or annual_build.STEPS) if run else annual_build.STEPS,
        "error": job_runs.shown_error(run) if run and state == "failed" else "",
        "built_at": row.built_at if row and row.pdf_name else None,
        "busy": state in ("queued", "running"),
    }


@bp.post("/laporan/susun")
@require("inbox.report")
def build_annual_report():
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        abort(400)
    year, kind, unit = report_key(request.form)
    if annual_build.start(year, kind, unit, current_user):
        flash(_("Laporan sedang disusun; kemajuannya tampil di halaman ini."), "success")
    else:
        flash(_("Laporan ini sedang disusun; tunggu hingga selesai."), "warning")
    return redirect(url_for(".annual_report", year=year, period=kind, unit=unit or None))


@bp.route("/laporan/berkas.<fmt>")
@require("inbox.report")
def annual_report_file(fmt: str):
    if fmt not in MIMES:
        abort(404)
    year, kind, unit = report_key(request.args)
    row = annual_build.record(year, kind, unit)
    if row is None or not row.pdf_name:
        abort(404)
    name = f"laporan-layanan-informasi-publik-{year}-{report.Period(year, kind).file_part}" + (
        f"-unit{unit}" if unit else ""
    )
    try:
        body = annual_build.file_bytes(row, fmt)
    except FileNotFoundError:
        abort(404)  # removed from the disk: the page offers to build it again
    resp = Response(body, mimetype=MIMES[fmt])
    key = annual_build.subject(year, kind, unit)
    audit.record("inbox.report.downloaded", "inbox_report", key, {"fmt": fmt}, commit=True)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
