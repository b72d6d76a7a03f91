"""Public DIP pages: catalogue, item, printable layout, exports, documents, DIK."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from cms.api import JobRun, can, db, export_runs, job_runs, query_page, query_year, suggest_word
from plugins.dip import catalogue, export_jobs, exports, files
from plugins.dip.catalogue import Filters
from plugins.dip.models import DikEntry, DipDocument, DipEntry
from plugins.dip.services import decree_for

bp = Blueprint(
    "dip",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/dip-static",
    url_prefix="/ppid",
)
PER_PAGE = 20
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page_no() -> int:
    return query_page()


def _staff_can_see(entry: DipEntry) -> bool:
    return can(current_user, "dip.manage", unit_id=entry.unit_id or 0)  # 0: PPID Utama only


@bp.route("/dip")
@bp.route("/dip/")
def index():
    filters = Filters.from_args(request.args)
    page_no = _page_no()
    result = catalogue.page(filters, page_no, PER_PAGE)
    pages = max(1, -(-min(result.total, catalogue.COUNT_CAP) // PER_PAGE))
    return render_template(
        "dip/index.html",
        hits=result.hits,
        total=result.total,
        capped=result.capped,
        filters=filters,
        page=page_no,
        pages=pages,
        facets=catalogue.facets(),
        cap=catalogue.COUNT_CAP,
        suggestion=suggest_word("dip_entry", filters.q) if filters.q and result.total < 3 else None,
    )


@bp.route("/dip/<int:entry_id>")
def item(entry_id: int):
    entry = db.session.get(DipEntry, entry_id)
    if entry is None or (entry.published_at is None and not _staff_can_see(entry)):
        abort(404)
    return render_template("dip/item.html", entry=entry, decree=decree_for(entry.year))


@bp.route("/dip/cetak")
def printable():
    filters = Filters.from_args(request.args)
    year = filters.tahun or db.session.scalar(
        select(DipEntry.year).where(DipEntry.published_at.is_not(None)).order_by(DipEntry.year.desc()).limit(1)
    )
    filters.tahun = year
    entries = list(catalogue.iter_entries(filters))
    return render_template(
        "dip/print.html",
        groups=catalogue.grouped(entries),
        filters=filters,
        year=year,
        decree=decree_for(year),
        count=len(entries),
        today=date.today(),
    )


def _site_url() -> str:
    return str(current_app.config.get("SITE_URL") or request.host_url).rstrip("/")


def _queued(fmt: str, filters: Filters, ids: list[int]):
    """Over the threshold the worker writes the file: a status page with
    progress, then the download link (503 while the queue is full).  Once
    written, the export's own URL answers with the file while the catalogue
    is unchanged, so scripts fetching ``/ppid/dip.csv`` keep getting a file."""
    path = export_jobs.ready_file(fmt, filters, _site_url())
    if path is not None:
        return _send_export(path, fmt)
    run_id = export_jobs.start(fmt, filters, len(ids), _site_url())
    if run_id is None:
        abort(503)
    return redirect(url_for("dip.export_status", run_id=run_id))


@bp.route("/dip.csv")
def export_csv():
    filters = Filters.from_args(request.args)
    ids = catalogue.entry_ids(filters)
    if len(ids) > export_jobs.threshold():
        return _queued("csv", filters, ids)
    body = stream_with_context(exports.csv_stream(filters, _site_url(), ids=ids))
    return Response(
        body,
        mimetype="text/csv",  # Flask adds "; charset=utf-8" to text types: once
        headers={"Content-Disposition": 'attachment; filename="daftar-informasi-publik.csv"'},
    )


@bp.route("/dip.xlsx")
def export_xlsx():
    filters = Filters.from_args(request.args)
    ids = catalogue.entry_ids(filters)
    if len(ids) > export_jobs.threshold():
        return _queued("xlsx", filters, ids)
    path = exports.xlsx_file(filters, _site_url(), ids=ids)
    return Response(
        exports.file_stream(path),
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": 'attachment; filename="daftar-informasi-publik.xlsx"'},
    )


def _export_run(run_id: int) -> JobRun:
    run = db.session.get(JobRun, run_id)
    if run is None or run.kind != export_jobs.JOB:
        abort(404)
    return run


@bp.route("/dip/ekspor/<int:run_id>")
def export_status(run_id: int):
    run = _export_run(run_id)
    state = job_runs.shown_state(run)
    ready = export_runs.file_path(run, export_jobs.hours()) is not None
    return render_template(
        "dip/export.html",
        run=run,
        state=state,
        error=job_runs.shown_error(run),
        ready=ready,
        name=export_jobs.NAMES[run.cursor["fmt"]],
    )


@bp.route("/dip/ekspor/<int:run_id>/unduh")
def export_file(run_id: int):
    run = _export_run(run_id)
    path = export_runs.file_path(run, export_jobs.hours())
    if path is None:
        abort(404)
    return _send_export(path, run.cursor["fmt"])


def _send_export(path, fmt: str):
    mime = XLSX_MIME if fmt == "xlsx" else "text/csv"
    resp = send_file(path, mimetype=mime, as_attachment=True, download_name=export_jobs.NAMES[fmt])
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/dip/dokumen/<int:doc_id>/<path:name>")
def document(doc_id: int, name: str):
    doc = db.session.get(DipDocument, doc_id)
    if doc is None or (doc.entry.published_at is None and not _staff_can_see(doc.entry)):
        abort(404)
    path = files.path_of(doc.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=doc.mimetype,
        download_name=doc.file_name,
        as_attachment=doc.mimetype not in files.INLINE_TYPES,
        conditional=True,
    )
    # A served file must never run as a page of this site.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/dik")
@bp.route("/dik/")
def dik():
    year = query_year("tahun")
    stmt = (
        select(DikEntry)
        .where(DikEntry.published.is_(True))
        .order_by(DikEntry.year.desc(), DikEntry.unit_id, DikEntry.id)
    )
    years = db.session.scalars(
        select(DikEntry.year).where(DikEntry.published.is_(True)).distinct().order_by(DikEntry.year.desc())
    ).all()
    if year is not None:
        stmt = stmt.where(DikEntry.year == year)
    return render_template(
        "dip/dik.html", entries=db.session.scalars(stmt).all(), years=years, year=year, today=date.today()
    )
