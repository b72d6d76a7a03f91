"""Staff pages for the yearly cycle (SK, copy to next year) and the import upload."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import cast

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Table, func, select

from cms.api import JobRun, audit, db, enqueue, job, job_runs, private_dir, require, visible_unit_ids
from plugins.dip import rules, services
from plugins.dip.admin import bp
from plugins.dip.files import DipError
from plugins.dip.forms import CopyYearForm, DecreeForm, ImportForm
from plugins.dip.importer import Importer
from plugins.dip.models import DipDecree, DipEntry, DipImport


@bp.route("/tahun", methods=["GET", "POST"])
@require("dip.manage")
def years():
    decree_form = DecreeForm(prefix="sk")
    copy_form = CopyYearForm(prefix="salin")
    this_year = date.today().year
    if not decree_form.is_submitted():
        decree_form.year.data = this_year
        copy_form.source.data, copy_form.target.data = this_year, this_year + 1
    counts = db.session.execute(
        select(DipEntry.year, func.count()).group_by(DipEntry.year).order_by(DipEntry.year.desc())
    ).all()
    decrees = db.session.scalars(select(DipDecree).order_by(DipDecree.year.desc())).all()
    return render_template(
        "dip/admin/years.html", decree_form=decree_form, copy_form=copy_form, counts=counts, decrees=decrees
    )


@bp.post("/tahun/sk")
@require("dip.set")
def save_decree():
    form = DecreeForm(prefix="sk")
    if form.validate_on_submit():
        try:
            signed_on = rules.parse_date(form.signed_on.data, "signed_on")
        except DipError as exc:
            form.signed_on.errors = [*form.signed_on.errors, str(exc)]
        else:
            services.save_decree(
                form.year.data or 0,  # required
                {
                    "number": rules.short(form.number.data, "number", "Nomor SK"),
                    "signed_on": signed_on,
                    **{
                        name: (getattr(form, name).data or "").strip()
                        for name in ("place", "official_name", "official_title", "official_nip")
                    },
                },
            )
            flash(_("SK penetapan DIP tahun %(year)s disimpan.", year=form.year.data), "success")
            return redirect(url_for("dip_admin.years"))
    copy_form = CopyYearForm(prefix="salin", formdata=None)
    return render_template(
        "dip/admin/years.html",
        decree_form=form,
        copy_form=copy_form,
        counts=[],
        decrees=db.session.scalars(select(DipDecree)).all(),
    ), 422


@bp.post("/tahun/salin")
@require("dip.manage")
def copy_year():
    form = CopyYearForm(prefix="salin")
    if form.validate_on_submit():
        try:
            count = services.copy_year(form.source.data or 0, form.target.data or 0, visible_unit_ids(current_user))
        except DipError as exc:
            form.target.errors = [*form.target.errors, str(exc)]
        else:
            flash(
                _(
                    "%(count)s entri disalin ke DIP %(year)s sebagai draf; tinjau tiap entri lalu terbitkan.",
                    count=count,
                    year=form.target.data,
                ),
                "success",
            )
            return redirect(url_for("dip_admin.index", tahun=form.target.data, tanda="draf"))
    decree_form = DecreeForm(prefix="sk", formdata=None)
    return render_template("dip/admin/years.html", decree_form=decree_form, copy_form=form, counts=[], decrees=[]), 422


JOB = "dip.import"


@job(JOB)
def run_import(import_id: int) -> None:
    """Run (or resume) an uploaded import with a heartbeat, so a killed worker
    shows as stopped and the run can go on from its last stored batch."""
    from cms.api import User

    run = db.session.get(DipImport, import_id)
    if run is None:
        return
    claim = job_runs.claim(JOB, import_id)
    if claim is None:
        return  # running in another worker, or finished
    _set_status(import_id, "running")

    def progress(done: int, total: int) -> None:
        if done % 100 and done != total:
            return
        db.session.execute(
            cast(Table, DipImport.__table__)
            .update()
            .where(DipImport.id == import_id)
            .values(processed=done, total=total)
        )
        claim.beat(done, total)

    def checkpoint(cursor: dict) -> None:
        claim.beat(cursor=cursor, commit=False)  # lands with the batch it describes, or not at all

    actor = db.session.get(User, run.user_id) if run.user_id else None
    year = (run.summary or {}).get("year")
    try:
        summary = Importer(
            year=year, actor=actor, progress=progress, checkpoint=checkpoint, resume=claim.cursor or None
        ).run(run.stored_path, name=run.file_name)
    except job_runs.Superseded:
        return  # declared dead and resumed elsewhere: that run reports
    except Exception as exc:  # noqa: BLE001 - shown on the status page, never lost
        reason = f"impor gagal: {type(exc).__name__}"
        claim.fail(reason)  # rolls the failed batch back first, so the import row is written after it
        run = db.session.get_one(DipImport, import_id)
        run.status, run.summary = "failed", (run.summary or {}) | {"file_errors": [[run.file_name, reason]]}
        db.session.commit()
        raise
    run = db.session.get_one(DipImport, import_id)
    run.status, run.summary = "done", summary.as_dict() | ({"year": year} if year else {})
    claim.finish(done=run.total)
    Path(run.stored_path).unlink(missing_ok=True)


def _set_status(import_id: int, status: str) -> None:
    db.session.execute(cast(Table, DipImport.__table__).update().where(DipImport.id == import_id).values(status=status))
    db.session.commit()


def _start(run: DipImport) -> None:
    """Small files run in the request; larger ones go to the worker."""
    if Path(run.stored_path).stat().st_size <= int(current_app.config["DIP_IMPORT_INLINE_KB"]) * 1024:
        try:
            run_import(run.id)
        except Exception:  # noqa: BLE001 - recorded as failed; the status page says why, not a 500
            current_app.logger.exception("DIP import %s failed", run.id)
    else:
        enqueue(JOB, run.id)


@bp.route("/impor", methods=["GET", "POST"])
@require("dip.set")
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            form.file.errors.append(_("Pilih berkas yang akan diimpor."))
        else:
            folder = private_dir("dip", "imports")
            path = folder / f"{secrets.token_hex(12)}.upload"
            upload.save(path)
            limit = int(current_app.config["DIP_IMPORT_MAX_MB"]) * 1024 * 1024
            if path.stat().st_size > limit:
                path.unlink()
                form.file.errors.append(
                    _("Berkas terlalu besar (maks. %(mb)s MB).", mb=current_app.config["DIP_IMPORT_MAX_MB"])
                )
            else:
                run = DipImport(
                    file_name=upload.filename[:255],
                    stored_path=str(path),
                    user_id=current_user.id,
                    summary={"year": form.year.data} if form.year.data else {},
                )
                db.session.add(run)
                db.session.flush()
                job_runs.track(JOB, run.id)
                db.session.commit()
                _start(run)
                return redirect(url_for("dip_admin.import_status", import_id=run.id))
    recent = db.session.scalars(select(DipImport).order_by(DipImport.id.desc()).limit(10)).all()
    jobs = (
        {
            job.subject: job
            for job in db.session.scalars(
                select(JobRun).where(JobRun.kind == JOB, JobRun.subject.in_([str(r.id) for r in recent]))
            )
        }
        if recent
        else {}
    )
    states = {r.id: job_runs.shown_state(jobs[str(r.id)]) if str(r.id) in jobs else r.status for r in recent}
    return render_template("dip/admin/import.html", form=form, recent=recent, states=states)


@bp.route("/impor/<int:import_id>")
@require("dip.set")
def import_status(import_id: int):
    run = db.session.get(DipImport, import_id)
    if run is None:
        abort(404)
    job = job_runs.find(JOB, import_id)
    return render_template(
        "dip/admin/import_status.html",
        run=run,
        job=job,
        form=FlaskForm(),
        state=job_runs.shown_state(job) if job else run.status,
        error=_stopped_text(job_runs.shown_error(job)) if job else "",
        can_reopen=job is not None and job_runs.can_reopen(job),
        stored=((job.cursor or {}).get("summary") or {}) if job else {},
    )


def _stopped_text(error: str) -> str:
    return _("terhenti: pekerja berhenti") if error == job_runs.STOPPED else error


@bp.post("/impor/<int:import_id>/<any(lanjutkan, ulangi):action>")
@require("dip.set")
def import_restart(import_id: int, action: str):
    """Resume a stopped import from its last stored batch, or run it again from the start
    (rows already stored are matched on their kode and updated, never duplicated)."""
    run = db.session.get(DipImport, import_id)
    job = job_runs.find(JOB, import_id) if run else None
    if run is None or job is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not Path(run.stored_path).exists():
        flash(_("Berkas unggahan sudah tidak ada; unggah ulang berkasnya."), "error")
    elif job_runs.reopen(job, resume=action == "lanjutkan"):
        audit.record(
            "dip.import." + ("resume" if action == "lanjutkan" else "retry"),
            "dip_import",
            run.id,
            {"done": job.done, "total": job.total},
            commit=False,
        )
        _set_status(run.id, "queued")
        flash(_("Impor dilanjutkan.") if action == "lanjutkan" else _("Impor diulang dari awal."), "success")
        _start(run)
    else:
        flash(_("Impor ini tidak sedang terhenti."), "warning")
    return redirect(url_for("dip_admin.import_status", import_id=import_id))
