"""Staff views of the disposisi: return, forward, approve or send back an
answer, and the per-unit approval setting (thin; ``dispositions``/``drafts``
decide)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from cms.api import db, named_error, require, valid_id
from plugins.inbox import dispositions, drafts, letter_notice
from plugins.inbox.admin_bp import bp, load_request, may_see_unit
from plugins.inbox.errors import InboxError


class ReturnForm(FlaskForm):
    reason = TextAreaField(_l("Alasan pengembalian"), validators=[Optional(), Length(max=2000)])


class ForwardForm(FlaskForm):
    # Checked by ``dispositions.forward`` so a unit that does not exist reads as such.
    unit_id = SelectField(_l("Unit tujuan"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Alasan penerusan"), validators=[Optional(), Length(max=2000)])


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Catatan untuk PPID Pembantu"), validators=[Optional(), Length(max=5000)])


_DECISION = _l("Persetujuan jawaban")


def _run(request_id: int, permission: str, form_cls, action, done: str, recorded: str = ""):
    """Validate, act, and name the field of any refusal in the flash."""
    req = load_request(request_id, permission)
    form = form_cls()
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            label = getattr(form, field).label.text if field != "csrf_token" else _("Formulir")
            flash(named_error(label, " ".join(map(str, errors))), "error")
        return redirect(url_for(".detail", request_id=req.id))
    try:
        action(req, form)
    except InboxError as exc:
        db.session.rollback()
        field = getattr(form, exc.field or "", None)
        label = field.label.text if field is not None else _DECISION
        flash(named_error(label, str(exc)), "error")
        return redirect(url_for(".detail", request_id=req.id))
    letter_notice.flash_done(done, recorded or done, req.email)
    # A returned request leaves the Pembantu's sight: back to its list.
    if not may_see_unit(req.unit_id):
        return redirect(url_for(".index"))
    return redirect(url_for(".detail", request_id=req.id))


@bp.route("/<int:request_id>/kembalikan", methods=["POST"])
@require("inbox.manage")
def return_request(request_id: int):
    return _run(
        request_id,
        "inbox.manage",
        ReturnForm,
        lambda req, form: dispositions.return_to_utama(req, form.reason.data, current_user),
        _("Permohonan dikembalikan ke PPID Utama; batas waktu tidak berubah."),
    )


@bp.route("/<int:request_id>/teruskan", methods=["POST"])
@require("inbox.assign")
def forward_request(request_id: int):
    return _run(
        request_id,
        "inbox.assign",
        ForwardForm,
        lambda req, form: dispositions.forward(req, valid_id(form.unit_id.data), form.reason.data, current_user),
        _("Permohonan diteruskan; batas waktu tidak berubah."),
    )


@bp.route("/<int:request_id>/jawaban/setujui", methods=["POST"])
@require(drafts.APPROVE)
def approve_draft(request_id: int):
    return _run(
        request_id,
        drafts.APPROVE,
        FlaskForm,
        lambda req, form: drafts.approve(req, current_user),
        _("Jawaban disetujui; pemberitahuan tertulis dikirim ke pemohon."),
        _("Jawaban disetujui dan pemberitahuan tercatat"),
    )


@bp.route("/<int:request_id>/jawaban/kembalikan", methods=["POST"])
@require(drafts.APPROVE)
def send_back_draft(request_id: int):
    return _run(
        request_id,
        drafts.APPROVE,
        ReviewForm,
        lambda req, form: drafts.send_back(req, form.comment.data, current_user),
        _("Jawaban dikembalikan ke PPID Pembantu dengan catatan."),
    )


@bp.route("/persetujuan", methods=["GET", "POST"])
@require(drafts.APPROVE)
def approval_settings():
    """Which units' answers wait for the PPID Utama's approval."""
    form = FlaskForm()
    if form.validate_on_submit():
        chosen = {i for v in request.form.getlist("required") if (i := valid_id(v)) is not None}
        dispositions.set_approval(chosen, current_user)
        flash(_("Pengaturan persetujuan disimpan."), "success")
        return redirect(url_for(".approval_settings"))
    return render_template("inbox/admin/approval_settings.html", form=form, rows=dispositions.approval_settings())


@bp.app_template_global("inbox_disposisi")
def panel(req) -> SimpleNamespace:
    """What the case page shows of the route: timeline, forms, draft, the applicant's pick."""
    units = [u for u, _required in dispositions.approval_settings()]
    forward = ForwardForm(formdata=None)
    forward.unit_id.choices = [("", "—")] + [(str(u.id), u.name) for u in units if u.id != req.unit_id]
    return SimpleNamespace(
        timeline=dispositions.timeline(req),
        labels=dispositions.ACTIONS,
        returned=dispositions.returned_by(req),
        draft=drafts.of(req),
        approval_required=dispositions.approval_required(req.unit_id),
        return_form=ReturnForm(formdata=None),
        forward_form=forward,
        review_form=ReviewForm(formdata=None),
    )
