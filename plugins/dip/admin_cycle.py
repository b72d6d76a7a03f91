"""Staff pages for the yearly cycle (SK, copy to next year) and the import upload."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from cms.extensions import db
from cms.jobs import enqueue, job
from cms.policy import require, visible_unit_ids
from cms.storage import private_dir
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
    counts = db.session.execute(select(DipEntry.year, func.count()).group_by(DipEntry.year)
                                .order_by(DipEntry.year.desc())).all()
    decrees = db.session.scalars(select(DipDecree).order_by(DipDecree.year.desc())).all()
    return render_template("dip/admin/years.html", decree_form=decree_form, copy_form=copy_form,
                           counts=counts, decrees=decrees)


@bp.post("/tahun/sk")
@require("dip.set")
def save_decree():
    form = DecreeForm(prefix="sk")
    if form.validate_on_submit():
        try:
            signed_on = rules.parse_date(form.signed_on.data, "signed_on")
        except DipError as exc:
            form.signed_on.errors.append(str(exc))
        else:
            services.save_decree(form.year.data, {
                "number": rules.short(form.number.data, "number", "Nomor SK"), "signed_on": signed_on,
                **{name: (getattr(form, name).data or "").strip()
                   for name in ("place", "official_name", "official_title", "official_nip")}})
            flash(_("SK penetapan DIP tahun %(year)s disimpan.", year=form.year.data), "success")
            return redirect(url_for("dip_admin.years"))
    copy_form = CopyYearForm(prefix="salin", formdata=None)
    return render_template("dip/admin/years.html", decree_form=form, copy_form=copy_form, counts=[],
                           decrees=db.session.scalars(select(DipDecree)).all()), 422


@bp.post("/tahun/salin")
@require("dip.manage")
def copy_year():
    form = CopyYearForm(prefix="salin")
    if form.validate_on_submit():
        try:
            count = services.copy_year(form.source.data, form.target.data, visible_unit_ids(current_user))
        except DipError as exc:
            form.target.errors.append(str(exc))
        else:
            flash(_("%(count)s entri disalin ke DIP %(year)s sebagai draf; tinjau tiap entri lalu terbitkan.",
                    count=count, year=form.target.data), "success")
            return redirect(url_for("dip_admin.index", tahun=form.target.data, tanda="draf"))
    decree_form = DecreeForm(prefix="sk", formdata=None)
    return render_template("dip/admin/years.html", decree_form=decree_form, copy_form=form, counts=[],
                           decrees=[]), 422


@job("dip.import")
def run_import(import_id: int) -> None:
    """Run an uploaded import, saving progress so the status page can show it."""
    from cms.models import User

    run = db.session.get(DipImport, import_id)
    if run is None or run.status not in ("queued",):
        return
    run.status = "running"
    db.session.commit()

    def progress(done: int, total: int) -> None:
        if done % 100 and done != total:
            return
        db.session.execute(DipImport.__table__.update().where(DipImport.id == import_id)
                           .values(processed=done, total=total))
        db.session.commit()

    actor = db.session.get(User, run.user_id) if run.user_id else None
    year = (run.summary or {}).get("year")
    try:
        summary = Importer(year=year, actor=actor, progress=progress).run(run.stored_path, name=run.file_name)
    except Exception as exc:  # noqa: BLE001 - shown on the status page, never lost
        db.session.rollback()
        run = db.session.get(DipImport, import_id)
        run.status, run.summary = "failed", {"file_errors": [[run.file_name, f"impor gagal: {type(exc).__name__}"]]}
        db.session.commit()
        raise
    run = db.session.get(DipImport, import_id)
    run.status, run.summary = "done", summary.as_dict()
    db.session.commit()
    Path(run.stored_path).unlink(missing_ok=True)


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
                form.file.errors.append(_("Berkas terlalu besar (maks. %(mb)s MB).",
                                          mb=current_app.config["DIP_IMPORT_MAX_MB"]))
            else:
                run = DipImport(file_name=upload.filename[:255], stored_path=str(path), user_id=current_user.id,
                                summary={"year": form.year.data} if form.year.data else {})
                db.session.add(run)
                db.session.commit()
                if path.stat().st_size <= int(current_app.config["DIP_IMPORT_INLINE_KB"]) * 1024:
                    run_import(run.id)
                else:
                    enqueue("dip.import", run.id)
                return redirect(url_for("dip_admin.import_status", import_id=run.id))
    recent = db.session.scalars(select(DipImport).order_by(DipImport.id.desc()).limit(10)).all()
    return render_template("dip/admin/import.html", form=form, recent=recent)


@bp.route("/impor/<int:import_id>")
@require("dip.set")
def import_status(import_id: int):
    run = db.session.get(DipImport, import_id)
    if run is None:
        abort(404)
    return render_template("dip/admin/import_status.html", run=run)
