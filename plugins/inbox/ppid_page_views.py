"""Public PPID pages under /ppid/ and the PPID Utama's editor for them (thin views)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from cms.api import Unit, db, redirect_old_unit_slug, require, show_on_form
from plugins.inbox import ppid_pages
from plugins.inbox.admin_bp import bp as admin_bp
from plugins.inbox.views import bp as public_bp

RICH_HINT = _l(
    "Boleh memakai HTML sederhana: <p>, <h2>, <ul>, <ol>, <li>, <strong>, <a>, <table>. Skrip dan gaya dibuang."
)


class PageForm(FlaskForm):
    body = TextAreaField(_l("Isi halaman"), render_kw={"rows": 18})


class OfficeForm(FlaskForm):
    about = TextAreaField(_l("Uraian tugas"), render_kw={"rows": 6})
    officers = TextAreaField(_l("Pejabat dan petugas"), render_kw={"rows": 6})
    address = StringField(_l("Alamat / tempat layanan"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Telepon"), validators=[Optional(), Length(max=60)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    hours = StringField(_l("Jam layanan"), validators=[Optional(), Length(max=300)])


class SopForm(FlaskForm):
    file = FileField(_l("Berkas PDF"))


# ------------------------------------------------------------------ public


def _page(slug: str):
    return render_template(
        "inbox/ppid/page.html", slug=slug, title=ppid_pages.PAGES[slug], body=ppid_pages.page_html(slug)
    )


@public_bp.route("/maklumat")
def maklumat():
    return _page("maklumat")


@public_bp.route("/jam-layanan")
def service_hours():
    return _page("jam-layanan")


@public_bp.route("/alur-layanan")
def service_flow():
    return _page("alur-layanan")


@public_bp.route("/sop")
def sop():
    return render_template(
        "inbox/ppid/sop.html",
        slug="sop",
        title=ppid_pages.PAGES["sop"],
        body=ppid_pages.page_html("sop"),
        kinds=ppid_pages.SOP_KINDS,
        files=ppid_pages.sop_files(),
    )


@public_bp.route("/sop/<kind>.pdf")
def sop_file(kind: str):
    row = ppid_pages.sop_files().get(kind)
    path = ppid_pages.sop_path(row) if row else None
    if row is None or path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype="application/pdf", download_name=row.file_name, conditional=True)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@public_bp.route("/struktur")
def structure():
    utama, offices = ppid_pages.structure()
    return render_template(
        "inbox/ppid/structure.html",
        slug="struktur",
        title=ppid_pages.PAGES["struktur"],
        body=ppid_pages.page_html("struktur"),
        utama=utama,
        offices=offices,
    )


@public_bp.route("/pembantu/<slug>")
def office_page(slug: str):
    unit = db.session.scalar(select(Unit).where(Unit.slug == slug))
    if unit is None:  # the old slug of a merged unit moves for good
        return redirect_old_unit_slug(slug, "inbox.office_page")
    if not unit.active:
        abort(404)
    return render_template("inbox/ppid/office.html", slug="struktur", office=ppid_pages.office(unit.id, unit))


# ------------------------------------------------------------------ the PPID Utama's editor


def _editor_index(sop_form: SopForm, failed_kind: str | None = None) -> str:
    """The editor's index; after a refused upload, ``failed_kind``'s form shows its errors."""
    return render_template(
        "inbox/admin/ppid_pages.html",
        pages=ppid_pages.PAGES,
        is_default=ppid_pages.is_default,
        kinds=ppid_pages.SOP_KINDS,
        files=ppid_pages.sop_files(),
        units=ppid_pages.pembantu_units(),
        sop_form=sop_form,
        failed_kind=failed_kind,
    )


@admin_bp.route("/halaman-ppid")
@require("inbox.pages")
def ppid_pages_index():
    return _editor_index(SopForm())


@admin_bp.route("/halaman-ppid/<slug>", methods=["GET", "POST"])
@require("inbox.pages")
def ppid_page_edit(slug: str):
    if slug not in ppid_pages.PAGES:
        abort(404)
    form = PageForm()
    if form.validate_on_submit():
        try:
            ppid_pages.save_page(slug, form.body.data or "", actor=current_user)
        except ppid_pages.PageError as exc:
            db.session.rollback()
            show_on_form(form, exc, "body")
        else:
            flash(_("Halaman disimpan."), "success")
            return redirect(url_for(".ppid_pages_index"))
    elif not form.is_submitted():
        form.body.data = str(ppid_pages.page_html(slug))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "inbox/admin/ppid_page_edit.html", form=form, slug=slug, title=ppid_pages.PAGES[slug], hint=RICH_HINT
    ), status


@admin_bp.route("/halaman-ppid/kantor/utama", methods=["GET", "POST"], defaults={"unit_key": 0})
@admin_bp.route("/halaman-ppid/kantor/<int:unit_key>", methods=["GET", "POST"])
@require("inbox.pages")
def ppid_office_edit(unit_key: int):
    """``unit_key`` 0 is the PPID Utama (ids in URLs start at 1)."""
    if unit_key and db.session.get(Unit, unit_key) is None:
        abort(404)
    current = ppid_pages.office(unit_key)
    form = OfficeForm()
    if form.validate_on_submit():
        try:
            ppid_pages.save_office(unit_key, form.data, actor=current_user)
        except ppid_pages.PageError as exc:
            db.session.rollback()
            show_on_form(form, exc, "about")
        else:
            flash(_("Profil PPID disimpan."), "success")
            return redirect(url_for(".ppid_pages_index"))
    elif not form.is_submitted():
        form.about.data = str(current.about)
        form.officers.data = "\n".join(f"{n} — {p}" if p else n for n, p in current.officers)
        for name in ("address", "phone", "email", "hours"):
            getattr(form, name).data = getattr(current, name)
    status = 400 if form.is_submitted() else 200
    return render_template("inbox/admin/ppid_office_edit.html", form=form, office=current, hint=RICH_HINT), status


@admin_bp.route("/halaman-ppid/sop/<kind>", methods=["POST"])
@require("inbox.pages")
def ppid_sop_upload(kind: str):
    if kind not in ppid_pages.SOP_KINDS:
        abort(404)
    form = SopForm()
    if form.validate_on_submit():
        try:
            ppid_pages.save_sop(kind, request.files.get("file"), actor=current_user)
        except ppid_pages.PageError as exc:
            db.session.rollback()
            show_on_form(form, exc, "file")
        else:
            flash(_("Dokumen SOP diunggah."), "success")
            return redirect(url_for(".ppid_pages_index"))
    return _editor_index(form, failed_kind=kind), 400
