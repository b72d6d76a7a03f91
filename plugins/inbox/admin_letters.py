"""Staff pages of letters: settings per unit, preview, issue, correct, download."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from cms.api import Unit, User, audit, db, ensure, require, valid_id
from plugins.inbox import letter_records, letter_render, letterhead, services
from plugins.inbox.admin_bp import bp, load_objection, load_request
from plugins.inbox.letter_forms import LetterheadForm
from plugins.inbox.letter_kinds import KINDS, OBJECTION_KINDS
from plugins.inbox.letter_models import Letter, Letterhead
from plugins.inbox.letter_views import pdf_response

SETTING_FIELDS = ("instansi", "unit_name", "unit_code", "address", "phone", "email", "website", "place", "tembusan")


def _settings_unit() -> Unit | None:
    """The unit whose settings are edited: a PPID Pembantu only its own."""
    unit_id = valid_id(request.args.get("unit"))
    if current_user.role == "ppid_unit":
        unit_id = current_user.unit_id
    ensure("inbox.letters", unit_id=unit_id)
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


def _signers(unit: Unit | None) -> list[User]:
    roles = ("ppid", "ppid_unit", "atasan")
    stmt = select(User).where(User.active.is_(True), User.role.in_(roles)).order_by(User.name, User.email)
    return [u for u in db.session.scalars(stmt) if unit is None or u.unit_id in (None, unit.id)]


@bp.route("/surat/pengaturan", methods=["GET", "POST"])
@require("inbox.letters")
def letter_settings():
    unit = _settings_unit()
    head = letterhead.row(unit.id if unit else None)
    form = LetterheadForm(obj=head)
    signers = _signers(unit)
    unset = _("jabatan belum diisi")
    form.signer_id.choices = [(0, "—")] + [(u.id, f"{u.name or u.email} — {u.position or unset}") for u in signers]
    if request.method == "GET" and head is not None:
        form.signer_id.data = head.signer_id or 0
        for kind in KINDS:
            getattr(form, f"pattern_{kind}").data = (head.patterns or {}).get(kind, "")
            getattr(form, f"code_{kind}").data = (head.codes or {}).get(kind, "")
    if form.validate_on_submit():
        logo = None
        upload = form.logo.data
        if upload is not None and getattr(upload, "filename", None):
            try:
                logo = letterhead.check_logo(upload.stream.read(10 * 1024 * 1024 + 1))
            except letterhead.LogoError as exc:
                form.logo.errors = list(form.logo.errors) + [str(exc)]
        if not form.logo.errors:
            _save(head, unit, form, logo)
            flash(_("Pengaturan surat disimpan."), "success")
            return redirect(url_for(".letter_settings", unit=unit.id if unit else None))
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)).all()
    return render_template(
        "inbox/admin/letter_settings.html",
        form=form,
        unit=unit,
        head=head,
        units=units if current_user.role != "ppid_unit" else [],
        kinds=KINDS,
        kop=letterhead.resolve(unit.id if unit else None),
    ), (400 if request.method == "POST" else 200)


def _save(head: Letterhead | None, unit: Unit | None, form: LetterheadForm, logo) -> None:
    if head is None:
        head = Letterhead(unit_key=unit.id if unit else 0, patterns={}, codes={})
        db.session.add(head)
    for name in SETTING_FIELDS:
        setattr(head, name, (getattr(form, name).data or "").strip())
    head.number_pattern = form.number_pattern.data or ""
    head.patterns = {k: getattr(form, f"pattern_{k}").data for k in KINDS if getattr(form, f"pattern_{k}").data}
    head.codes = {
        k: getattr(form, f"code_{k}").data.strip() for k in KINDS if (getattr(form, f"code_{k}").data or "").strip()
    }
    valid = {u.id for u in _signers(unit)}
    head.signer_id = form.signer_id.data if form.signer_id.data in valid else None
    head.delegate = bool(form.delegate.data) and unit is not None
    if logo is not None:
        head.logo, head.logo_mime = logo
    elif form.remove_logo.data:
        head.logo, head.logo_mime = None, ""
    audit.record("inbox.letter.settings", "inbox_letterhead", head.unit_key, {"signer_id": head.signer_id})
    db.session.commit()


@bp.route("/<int:request_id>/surat/<kind>/pratinjau")
@require("inbox.view")
def letter_preview(request_id: int, kind: str):
    """The printable HTML of a letter before it is issued (no number yet)."""
    req = load_request(request_id)
    if kind not in KINDS or (kind not in OBJECTION_KINDS and kind not in letter_records.issuable(req)):
        abort(404)  # e.g. an extension letter before any extension
    obj = _objection_arg(req) if kind in OBJECTION_KINDS else None
    kop = letterhead.resolve(req.unit_id)
    signer = letterhead.signer_for(kind, req, kop, current_user, obj) or letterhead.Signer(None, "", "", "")
    from cms.api import naive_utc
    from plugins.inbox import clock

    sheet = letter_render.Sheet(kind, "", clock.local_date(naive_utc()), "", signer)
    return letter_render.html(sheet, req, kop, obj)


def _objection_arg(req):
    obj_id = valid_id(request.values.get("objection"))
    obj = load_objection(obj_id) if obj_id else None
    if obj is None or obj.request_id != req.id:
        abort(404)
    return obj


@bp.route("/<int:request_id>/surat/terbitkan", methods=["POST"])
@require("inbox.manage")
def letter_issue(request_id: int):
    req = load_request(request_id, "inbox.manage")
    kind = request.form.get("kind", "")
    form = FlaskForm()
    if kind not in KINDS or not form.validate_on_submit():
        flash(_("Jenis surat tidak valid atau formulir kedaluwarsa."), "error")
        return redirect(url_for(".detail", request_id=req.id))
    obj = _objection_arg(req) if kind in OBJECTION_KINDS else None
    try:
        letter = letter_records.issue(kind, req, obj=obj, actor=current_user)
        db.session.commit()
    except services.InboxError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("Surat %(n)s diterbitkan.", n=letter.number), "success")
    return redirect(url_for(".detail", request_id=req.id))


@bp.route("/surat/<int:letter_id>/koreksi", methods=["POST"])
@require("inbox.manage")
def letter_correct(letter_id: int):
    """A correction is a new letter naming the one it replaces; the old PDF stays."""
    old = db.session.get(Letter, letter_id)
    if old is None:
        abort(404)
    req = load_request(old.request_id, "inbox.manage")
    note = (request.form.get("note") or "").strip()[:500]
    if not FlaskForm().validate_on_submit() or not note:
        flash(_("Tuliskan alasan koreksi."), "error")
        return redirect(url_for(".detail", request_id=req.id))
    try:
        letter = letter_records.issue(old.kind, req, obj=old.objection, actor=current_user, replaces=old, note=note)
        db.session.commit()
    except services.InboxError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("Surat pengganti %(n)s diterbitkan.", n=letter.number), "success")
    return redirect(url_for(".detail", request_id=req.id))


@bp.route("/surat/<int:letter_id>")
@require("inbox.view")
def letter_file(letter_id: int):
    letter = db.session.get(Letter, letter_id)
    if letter is None:
        abort(404)
    req = load_request(letter.request_id)
    audit.record("inbox.letter.viewed", "inbox_letter", letter.number, {"request": req.number}, commit=True)
    return pdf_response(letter)
