"""The e-Monev readiness pages: the PPID Utama's alone (``monev.manage``).

The questionnaire of a year with each question's answer and evidence, the
predicted score and band, uploads, and the evidence pack built by the worker.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cms.api import JobRun, audit, db, job_runs, query_year, require
from plugins.monev.blueprint import admin_bp
from plugins.monev.questionnaire import answers, evidence, loader, pack, readiness, sources


def _questionnaire(year: int) -> loader.Questionnaire:
    if year not in loader.available_years():
        abort(404)
    try:
        return loader.load(year)
    except loader.QuestionnaireError as exc:
        abort(503, description=str(exc))


def _page(year: int, errors: dict[str, str] | None = None, status: int = 200):
    questionnaire = _questionnaire(year)
    offered = sources.offered(year)
    state = evidence.status(questionnaire, offered)
    saved = answers.rows(year)
    score = readiness.compute(
        questionnaire, {k: r.option for k, r in saved.items()}, {k: v["complete"] for k, v in state.items()}
    )
    run = pack.run_of(year)
    return (
        render_template(
            "monev/emonev/index.html",
            q=questionnaire,
            years=loader.available_years(),
            state=state,
            saved=saved,
            score=score,
            lines={ln.question.key: ln for ln in score.lines},
            run=run,
            run_state=job_runs.shown_state(run) if run else None,
            run_error=job_runs.shown_error(run) if run else "",
            ready=pack.file_path(run) is not None,
            errors=errors or {},
            max_kb=evidence.max_bytes() // 1024,
            file_url=evidence.file_url,
        ),
        status,
    )


@admin_bp.route("/emonev/")
@require("monev.manage")
def emonev_index():
    year = query_year("tahun") or loader.default_year()
    if year is None:
        abort(404)
    return redirect(url_for(".emonev", year=year))


@admin_bp.route("/emonev/<int:year>/")
@require("monev.manage")
def emonev(year: int):
    return _page(year)


@admin_bp.route("/emonev/<int:year>/jawab/<key>", methods=["POST"])
@require("monev.manage")
def emonev_answer(year: int, key: str):
    question = _questionnaire(year).question(key) or abort(404)
    try:
        answers.save(year, question, request.form.get("jawaban", ""), request.form.get("catatan", ""), current_user)
    except answers.AnswerError as exc:
        return _page(year, {key: str(exc)}, 400)
    flash(_("Jawaban disimpan."), "success")
    return redirect(url_for(".emonev", year=year, _anchor=f"q-{key}")), 303


@admin_bp.route("/emonev/<int:year>/unggah/<key>", methods=["POST"])
@require("monev.manage")
def emonev_upload(year: int, key: str):
    question = _questionnaire(year).question(key) or abort(404)
    upload = request.files.get("bukti")
    if upload is None or not upload.filename:
        return _page(year, {key: _("Pilih berkas bukti (PDF).")}, 400)
    try:
        rows = evidence.upload(year, question, upload.stream, upload.filename, current_user)
    except evidence.EvidenceError as exc:
        return _page(year, {key: str(exc)}, 400)
    if len(rows) > 1:
        flash(_("Berkas melebihi batas dan dipecah menjadi %(n)s bagian.", n=len(rows)), "success")
    else:
        flash(_("Bukti diunggah."), "success")
    return redirect(url_for(".emonev", year=year, _anchor=f"q-{key}")), 303


@admin_bp.route("/emonev/<int:year>/bukti/<name>/hapus", methods=["POST"])
@require("monev.manage")
def emonev_remove(year: int, name: str):
    row = evidence.by_name(year, name) or abort(404)
    try:
        evidence.remove_upload(row, current_user)
    except evidence.EvidenceError as exc:
        flash(str(exc), "error")
    return redirect(url_for(".emonev", year=year)), 303


@admin_bp.route("/emonev/<int:year>/bukti/<name>")
@require("monev.manage")
def emonev_file(year: int, name: str):
    row = evidence.by_name(year, name)
    if row is None or not evidence.path_of(row).is_file():
        abort(404)
    audit.record("monev.emonev.viewed", "monev_emonev_file", row.id, {"name": name}, commit=True)
    return _send(evidence.path_of(row), "application/pdf", row.file_name)


@admin_bp.route("/emonev/<int:year>/paket", methods=["GET", "POST"])
@require("monev.manage")
def emonev_pack(year: int):
    _questionnaire(year)
    if request.method == "POST":
        pack.start(year, current_user)
        audit.record("monev.emonev.pack_started", "monev_emonev", year, commit=True)
        return redirect(url_for(".emonev_pack", year=year)), 303
    run = pack.run_of(year) or abort(404)
    return render_template(
        "monev/emonev/pack.html",
        year=year,
        run=run,
        state=job_runs.shown_state(run),
        error=job_runs.shown_error(run),
        ready=pack.file_path(run) is not None,
    )


@admin_bp.route("/emonev/<int:year>/paket.zip")
@require("monev.manage")
def emonev_pack_file(year: int):
    run: JobRun | None = pack.run_of(year)
    path = pack.file_path(run)
    if path is None:
        abort(404)
    audit.record("monev.emonev.pack_downloaded", "monev_emonev", year, commit=True)
    db.session.commit()
    return _send(path, "application/zip", f"bukti-emonev-{year}.zip")


def _send(path, mimetype: str, name: str):
    resp = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name)
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
