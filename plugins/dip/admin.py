"""Staff pages for DIP entries: list with flags, edit, documents, publish, review."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from cms.api import Unit, db, ensure, query_page, redirect_back, require, visible_unit_ids
from plugins.dip import catalogue, files, rules, services
from plugins.dip.catalogue import Filters
from plugins.dip.forms import ActionForm, EntryForm
from plugins.dip.models import JENIS, DipDocument, DipEntry

bp = Blueprint("dip_admin", __name__, template_folder="templates", url_prefix="/admin/dip")
# DipError.field (shared with the importer) -> form field name.
_FIELD = {
    "kategori": "category",
    "ringkasan": "title",
    "deskripsi": "description",
    "tautan": "links",
    "waktu pembuatan": "made_on",
    "tanggal tinjau": "reviewed_on",
    "document": "document",
}


def unit_choices(blank: str) -> list[tuple[int, str]]:
    units = visible_unit_ids(current_user)
    stmt = select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
    if units is not None:
        stmt = select(Unit).where(Unit.id.in_(units))
        return [(u.id, u.name) for u in db.session.scalars(stmt)]
    return [(0, blank)] + [(u.id, u.name) for u in db.session.scalars(stmt)]


def staff_base():
    stmt = select(DipEntry)
    units = visible_unit_ids(current_user)
    if units is not None:
        stmt = stmt.where(DipEntry.unit_id.in_(units))
    return stmt


def _entry(entry_id: int) -> DipEntry:
    entry = db.session.get(DipEntry, entry_id)
    if entry is None:
        abort(404)
    ensure("dip.manage", unit_id=entry.unit_id or 0)  # 0: no unit, so a PPID Pembantu is refused
    return entry


@bp.route("/")
@require("dip.manage")
def index():
    filters = Filters.from_args(request.args)
    base = staff_base()
    flag = request.args.get("tanda", "")
    if flag == "tinjau":
        base = base.where(services.stale_condition())
    elif flag == "berkala":
        base = base.where(services.berkala_outdated_condition())
    elif flag == "draf":
        base = base.where(DipEntry.published_at.is_(None))
    page_no = query_page()
    result = catalogue.page(filters, page_no, 50, base=base)
    hits, total = result.hits, result.total
    return render_template(
        "dip/admin/index.html",
        hits=hits,
        total=total,
        filters=filters,
        flag=flag,
        page=page_no,
        pages=max(1, -(-total // 50)),
        facets=catalogue.facets(visible_unit_ids(current_user), drafts=True),
        flags_of=services.flags,
        action_form=ActionForm(),
        today=date.today(),
    )


def _form_data(form: EntryForm) -> tuple[dict, list[str]]:
    html, plain = rules.description(form.description.data)
    links = [rules.link(line) for line in (form.links.data or "").splitlines() if line.strip()]
    data = {
        "year": form.year.data,
        "category": rules.category(form.category.data),
        "jenis": rules.short(form.jenis.data, "jenis", _("Jenis informasi"), 100),
        "title": rules.title(form.title.data),
        "description_html": html,
        "description_text": plain,
        "unit_id": form.unit_id.data or None,
        "official": rules.short(form.official.data, "official", _("Pejabat")),
        "responsible": rules.short(form.responsible.data, "responsible", _("Penanggung jawab")),
        "made_on": rules.parse_date(form.made_on.data, "waktu pembuatan"),
        "made_place": rules.short(form.made_place.data, "made_place", _("Tempat pembuatan")),
        "hardcopy": form.hardcopy.data,
        "softcopy": form.softcopy.data,
        "retention": rules.short(form.retention.data, "retention", _("Retensi")),
        "reviewed_on": rules.parse_date(form.reviewed_on.data, "tanggal tinjau"),
    }
    return data, list(dict.fromkeys(links))


@bp.route("/baru", methods=["GET", "POST"])
@bp.route("/<int:entry_id>", methods=["GET", "POST"])
@require("dip.manage")
def edit(entry_id: int | None = None):
    entry = _entry(entry_id) if entry_id else None
    # a post is all the form says: a field left out is empty, not the stored value
    form = EntryForm(obj=entry if request.method == "GET" else None)
    form.unit_id.choices = unit_choices(_("PPID Utama (tanpa unit)"))
    if request.method == "GET":
        if entry:
            form.description.data = entry.description_html
            form.links.data = "\n".join(link.url for link in entry.links)
            form.made_on.data = entry.made_on.isoformat() if entry.made_on else ""
            form.reviewed_on.data = entry.reviewed_on.isoformat() if entry.reviewed_on else ""
            form.unit_id.data = entry.unit_id or 0
        else:
            form.year.data = date.today().year
    # a form posted without a version (an older page, a script) keeps the entry's own
    posted_version = (form.version.data or "").strip() if request.method == "POST" else ""
    stale = entry is not None and bool(posted_version) and posted_version != str(entry.version)
    if stale:
        flash(
            _(
                "Entri ini baru saja diubah oleh orang lain; perubahan Anda belum disimpan. Salin isian "
                "Anda, muat ulang halaman, lalu terapkan kembali."
            ),
            "error",
        )
    elif form.validate_on_submit():
        try:
            data, links = _form_data(form)
            ensure("dip.manage", unit_id=data["unit_id"] or 0)
            stored = files.store_upload(form.document.data) if form.document.data else None
        except files.DipError as exc:
            field = getattr(form, _FIELD.get(exc.field or "", exc.field or ""), form.title)
            field.errors = [*field.errors, str(exc)]
        else:
            entry = services.save_entry(entry, data, links=links, publish=form.publish.data)
            if stored:
                services.attach_file(entry, stored)
            flash(_("Entri DIP disimpan."), "success")
            return redirect(url_for("dip_admin.edit", entry_id=entry.id))
    if entry is not None and not stale:
        form.version.data = str(entry.version)
    return render_template(
        "dip/admin/edit.html",
        form=form,
        entry=entry,
        action_form=ActionForm(),
        flags=services.flags(entry) if entry else [],
        jenis=JENIS,
    ), 409 if stale else 200


@bp.post("/<int:entry_id>/<any(terbitkan, tarik, tinjau, hapus):action>")
@require("dip.manage")
def act(entry_id: int, action: str):
    entry = _entry(entry_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if action == "hapus":
        services.delete_entry(entry)
        flash(_("Entri dihapus."), "success")
        return redirect(url_for("dip_admin.index"))
    if action == "tinjau":
        services.mark_reviewed(entry)
        flash(_("Entri ditandai sudah ditinjau dan diterbitkan."), "success")
    else:
        services.set_published(entry, action == "terbitkan")
        flash(_("Entri diterbitkan.") if action == "terbitkan" else _("Entri ditarik dari publik."), "success")
    return redirect_back("dip_admin.edit", entry_id=entry.id)


@bp.post("/dokumen/<int:doc_id>/hapus")
@require("dip.manage")
def remove_document(doc_id: int):
    document = db.session.get(DipDocument, doc_id)
    if document is None:
        abort(404)
    _entry(document.entry_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    entry_id = document.entry_id
    services.remove_document(document)
    flash(_("Dokumen dihapus."), "success")
    return redirect(url_for("dip_admin.edit", entry_id=entry_id))
