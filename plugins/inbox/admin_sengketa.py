"""Staff views after the Atasan PPID's decision: carrying out a granted
keberatan, the sengketa record with its documents, and those documents."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cms.api import audit, db, require
from plugins.inbox import disputes, executions, letter_notice
from plugins.inbox.admin_bp import bp, load_objection
from plugins.inbox.admin_objections import objection_page
from plugins.inbox.attachments import read_attachment
from plugins.inbox.files import UploadError
from plugins.inbox.models import InboxFile
from plugins.inbox.sengketa_forms import DisputeForm, ExecuteForm
from plugins.inbox.sengketa_models import SENGKETA_STAGES
from plugins.inbox.services import InboxError


@bp.route("/keberatan/<int:objection_id>/sengketa", methods=["POST"])
@require("inbox.dispute")
def dispute(objection_id: int):
    obj = load_objection(objection_id, "inbox.dispute")
    form = DisputeForm()
    if form.validate_on_submit():
        uploads: dict[str, list[tuple[bytes, str, str]]] = {}
        ok = True
        for stage in SENGKETA_STAGES:
            field = getattr(form, f"{stage}_docs")
            for upload in field.data or []:
                try:
                    found = read_attachment(upload)
                except UploadError as exc:
                    field.errors = [*field.errors, str(exc)]
                    ok = False
                    continue
                if found:
                    uploads.setdefault(stage, []).append(found)
        if ok:
            try:
                disputes.save(obj, form.data, uploads)
            except InboxError as exc:
                db.session.rollback()
                target = getattr(form, exc.field or "ki_number")
                target.errors = [*target.errors, str(exc)]
            else:
                flash(_("Data sengketa disimpan."), "success")
                return redirect(url_for(".objection_detail", objection_id=obj.id) + "#sengketa")
    return objection_page(load_objection(objection_id), dispute_form=form)


@bp.route("/keberatan/<int:objection_id>/pelaksanaan", methods=["POST"])
@require("inbox.manage")
def execute_order(objection_id: int):
    obj = load_objection(objection_id, "inbox.manage")
    if obj.order is None:
        abort(404)
    form = ExecuteForm(prefix="exec")
    if form.validate_on_submit():
        try:
            executions.execute(obj.order, form.executed_date.data, form.given.data or "", current_user)
        except InboxError as exc:
            db.session.rollback()
            target = getattr(form, exc.field or "executed_date")
            target.errors = [*target.errors, str(exc)]
        else:
            letter_notice.flash_done(
                _("Pelaksanaan dicatat dan pemberitahuan dikirim ke pemohon."),
                _("Pelaksanaan tercatat"),
                obj.request.email,
            )
            return redirect(url_for(".objection_detail", objection_id=obj.id))
    return objection_page(load_objection(objection_id), execute_form=form)


@bp.route("/keberatan/<int:objection_id>/sengketa/berkas/<int:file_id>")
@require("inbox.view")
def dispute_file(objection_id: int, file_id: int):
    obj = load_objection(objection_id)
    entry = db.session.get(InboxFile, file_id)
    if entry is None or entry.objection_id != obj.id or entry.kind != "sengketa" or entry.purged_at:
        abort(404)
    audit.record(
        "inbox.file.viewed", "inbox_objection", obj.number, {"file_id": entry.id, "kind": entry.kind}, commit=True
    )
    from plugins.inbox.views import send_decrypted

    return send_decrypted(entry, inline=entry.mime == "application/pdf" and request.args.get("dl") != "1")
