"""Staff pages of a large register export: its progress and its file.

Only the exporter who started the export sees either (anyone else gets a
404, logged as denied); the download is logged like a direct export.
"""

from __future__ import annotations

from flask import abort, render_template, request, send_file
from flask_login import current_user

from cms.api import JobRun, audit, db, job_runs, require
from plugins.inbox import register_jobs
from plugins.inbox.admin_bp import bp

MIMES = {
    "csv": "text/csv",  # Werkzeug appends the charset to text/*
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _run(run_id: int) -> JobRun:
    run = db.session.get(JobRun, run_id)
    if run is None or not register_jobs.owned(run, current_user):
        audit.record("access.denied", "job_run", run_id, {"path": request.path}, commit=True)
        abort(404)
    return run


@bp.route("/register/ekspor/<int:run_id>")
@require("inbox.report")
def register_export_status(run_id: int):
    run = _run(run_id)
    state = job_runs.shown_state(run)
    error = job_runs.shown_error(run)
    return render_template(
        "inbox/admin/register_export.html",
        run=run,
        state=state,
        error=error,
        stopped=error == job_runs.STOPPED,
        ready=register_jobs.file_path(run) is not None,
        expires=register_jobs.expires_at(run),
    )


@bp.route("/register/ekspor/<int:run_id>/unduh")
@require("inbox.report")
def register_export_file(run_id: int):
    run = _run(run_id)
    path = register_jobs.file_path(run)
    if path is None:
        abort(404)
    params = run.cursor
    audit.record(
        "inbox.register.downloaded",
        "inbox_objection_register" if params["kind"] == "objection" else "inbox_register",
        params["fmt"],
        {"run": run.id, "rows": params.get("rows"), "unmasked": params["scope"].get("unmasked")},
        commit=True,
    )
    resp = send_file(path, mimetype=MIMES[params["fmt"]], as_attachment=True, download_name=params["name"])
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
