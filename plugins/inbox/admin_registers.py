"""Staff views: buku register permohonan and register keberatan (XLSX/CSV).

Every export checks the unit against the exporter's role (a PPID Pembantu
only its own unit, else 403, logged) and is itself logged: who, which
unit and period, how many rows, whether identities were unmasked.
"""

from __future__ import annotations

from flask import Response, abort, redirect, request, send_file, stream_with_context, url_for
from flask_login import current_user

from cms.api import audit, can, query_id, query_year, require, visible_unit_ids
from plugins.inbox import (
    date_filter,
    register_export,
    register_job_views,  # noqa: F401 - the status page and download
    register_jobs,
)
from plugins.inbox.admin_bp import bp, may_see_unit
from plugins.inbox.register_export import Scope
from plugins.inbox.report import PERIOD_KINDS, Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


def _scope() -> Scope:
    unit = query_id("unit")
    if unit is not None and not may_see_unit(unit):
        audit.record("access.denied", "unit", unit, {"path": request.path}, commit=True)
        abort(403)
    year = query_year("year")
    kind = request.args.get("period", "year")
    period = Period(year, kind if kind in PERIOD_KINDS else "year") if year is not None else None
    received = date_filter.parse(request.args)
    if received.errors:  # the list shows the error on its field; an export must not widen silently
        abort(400, description=" ".join(received.errors.values()))
    return Scope(
        visible=visible_unit_ids(current_user),
        unit_id=unit,
        period=period,
        status=request.args.get("status", ""),
        channel=request.args.get("channel", ""),
        overdue=bool(request.args.get("overdue")),
        number=request.args.get("q", "")[:60],
        unmasked=can(current_user, "inbox.identity") and request.args.get("unmasked") == "1",
        received_from=received.start,
        received_to=received.end,
    )


def _export(kind: str, fmt: str, name: str, stmt_of):
    if fmt not in FORMATS:
        abort(404)
    scope = _scope()
    rows = register_export.count(stmt_of(scope))
    audit.record(
        "inbox.register.exported",
        "inbox_objection_register" if kind == "objection" else "inbox_register",
        fmt,
        {
            "unit": scope.unit_id,
            "units": sorted(scope.visible) if scope.visible is not None else "all",
            "period": scope.period.label if scope.period else "",
            "received": [d.isoformat() if d else None for d in (scope.received_from, scope.received_to)],
            "rows": rows,
            "unmasked": scope.unmasked,
            "job": rows > register_jobs.threshold(),
        },
        commit=True,
    )
    name = register_export.file_name(name, scope)
    if rows > register_jobs.threshold():  # large: written by the worker, fetched when ready
        run_id = register_jobs.start(kind, fmt, scope, current_user, rows, f"{name}.{fmt}")
        return redirect(url_for(".register_export_status", run_id=run_id))
    if fmt == "csv":
        resp = Response(stream_with_context(register_export.csv_chunks(kind, scope)), mimetype="text/csv")
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        resp = send_file(
            register_export.xlsx_file(kind, scope), mimetype=XLSX, as_attachment=True, download_name=f"{name}.xlsx"
        )
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/register.<fmt>")
@require("inbox.report")
def register(fmt: str):
    return _export("request", fmt, "register-permohonan", register_export.request_statement)


@bp.route("/register-keberatan.<fmt>")
@require("inbox.report")
def objection_register(fmt: str):
    return _export("objection", fmt, "register-keberatan", register_export.objection_statement)
