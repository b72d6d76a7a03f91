"""Staff views of requests: the inbox list, desk entry, the case page and its actions.

Over 300 lines on purpose: every action of the case page (assign, note,
extend, complete, answer, deliver, withdraw) is a thin view over one
service call, and they share the page's loading and authorisation helpers.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cms.api import (
    WIB,
    YEAR_MAX,
    YEAR_MIN,
    Unit,
    User,
    audit,
    can,
    db,
    decrypt,
    int_in,
    naive_utc,
    named_error,
    query_page,
    require,
    valid_id,
)
from plugins.inbox import clock, date_filter, dispositions, drafts, fees, letter_notice, services, standing, withheld
from plugins.inbox.admin_bp import bp, load_request, scope
from plugins.inbox.admin_forms import AnswerForm, AssignForm, CategoryForm, CompletenessForm, ExtendForm, NoteForm
from plugins.inbox.attachments import UploadError, read_attachment
from plugins.inbox.forms import DeskRequestForm
from plugins.inbox.models import CHANNELS, OUTCOMES, STATUSES, InboxFile, InfoRequest, Objection
from plugins.inbox.request_years import request_years
from plugins.inbox.views import check_required_uploads, collect_uploads, send_decrypted, upload_kinds

PER_PAGE = 50


def filtered_requests(args):
    """The list query from the filter arguments (also used by the registers)."""
    stmt = scope(select(InfoRequest), InfoRequest.unit_id)
    if args.get("status") in STATUSES:
        stmt = stmt.where(InfoRequest.status == args["status"])
    elif args.get("status") == "open":
        stmt = stmt.where(InfoRequest.queue_rank == 0)
    if args.get("channel") in CHANNELS:
        stmt = stmt.where(InfoRequest.channel == args["channel"])
    if (unit := valid_id(args.get("unit"))) is not None:
        stmt = stmt.where(InfoRequest.unit_id == unit)
    if (year := int_in(args.get("year"), low=YEAR_MIN, high=YEAR_MAX)) is not None:
        stmt = stmt.where(InfoRequest.year == year)
    stmt = stmt.where(*date_filter.parse(args).where(InfoRequest.received_date))
    if args.get("overdue"):
        stmt = stmt.where(standing.overdue_clause(clock.today()))
    if args.get("q"):
        stmt = stmt.where(InfoRequest.number.contains(args["q"].strip()))
    return stmt


@bp.route("/")
@require("inbox.view")
def index():
    keys = ("status", "channel", "unit", "year", "dari", "sampai", "overdue", "q")
    args = {k: (request.args.get(k) or "").strip() for k in keys}
    received = date_filter.parse(args)  # a bad date: named on its field, the list without it (400)
    stmt = (
        filtered_requests(args)
        .options(selectinload(InfoRequest.unit), selectinload(InfoRequest.objections).selectinload(Objection.disputes))
        .order_by(InfoRequest.queue_rank, InfoRequest.due_sort, InfoRequest.id)
    )
    page = query_page()
    pagination = db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False)
    years = request_years()
    units = db.session.scalars(scope(select(Unit), Unit.id).order_by(Unit.name)).all()
    # Per page, not per row: one calendar lookup, labels translated once.
    opts = clock.options()
    today = clock.today()
    left = {r.id: clock.remaining(r.effective_due, opts) for r in pagination.items if standing.shows_clock(r, today)}
    stands = {r.id: standing.label(standing.of(r, today)) for r in pagination.items if r.objections}
    labels = {
        name: {k: str(v) for k, v in table.items()}
        for name, table in (("statuses", STATUSES), ("channels", CHANNELS), ("outcomes", OUTCOMES))
    }
    return render_template(
        "inbox/admin/index.html",
        pagination=pagination,
        args=args,
        years=years,
        units=units,
        pager_args={k: v for k, v in args.items() if v},
        left=left,
        stands=stands,
        labels=labels,
        show_names=can(current_user, "inbox.identity"),
        date_errors=received.errors,
    ), (400 if received.errors else 200)


@bp.route("/baru", methods=["GET", "POST"])
@require("inbox.manage")
def desk_entry():
    """Requests that came in person, by letter, e-mail or phone, with the real receipt time."""
    form = DeskRequestForm()
    if request.method == "GET":
        form.received_at.data = datetime.now(WIB).replace(tzinfo=None, second=0, microsecond=0)
    if request.method == "POST":
        valid = form.validate()
        uploads = collect_uploads(form, upload_kinds())
        received = None
        if form.received_at.data and not form.received_at.errors:  # LawfulDate: no overflow below
            received = form.received_at.data.replace(tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)
            if received > naive_utc():
                form.received_at.errors = list(form.received_at.errors) + [
                    _("Waktu diterima tidak boleh di masa depan.")
                ]
                valid = False
        if valid and uploads is not None and check_required_uploads(form, uploads):
            req, code = services.create_request(
                form.data, channel=form.channel.data, received_at=received, uploads=uploads, actor=current_user
            )
            if current_user.role == "ppid_unit" and current_user.unit_id:
                dispositions.note_assign(req, current_user.unit)
                services.assign(req, current_user.unit, None)
            resp = make_response(render_template("inbox/receipt.html", req=req, code=code, desk=True))
            resp.headers["Cache-Control"] = "private, no-store"  # the code is shown this once
            return resp
        return render_template("inbox/admin/desk.html", form=form), 400
    return render_template("inbox/admin/desk.html", form=form)


def _unit_and_officers():
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)).all()
    officers = db.session.scalars(
        select(User).where(User.role.in_(("ppid", "ppid_unit")), User.active.is_(True)).order_by(User.email)
    ).all()
    return units, officers


@bp.route("/<int:request_id>")
@require("inbox.view")
def detail(request_id: int):
    req = load_request(request_id)
    units, officers = _unit_and_officers()
    assign = AssignForm(unit_id=req.unit_id or 0, assignee_id=req.assignee_id or 0)
    assign.unit_id.choices = [(0, _("— PPID Utama —"))] + [(u.id, u.name) for u in units]
    assign.assignee_id.choices = [(0, "—")] + [(u.id, f"{u.name or u.email} ({u.role_label})") for u in officers]
    return render_template(
        "inbox/admin/detail.html",
        req=req,
        assign=assign,
        note_form=NoteForm(),
        extend_form=ExtendForm(),
        completeness_form=CompletenessForm(),
        category_form=CategoryForm(category=req.category),
        suggestions=services.dip_suggestions(req.details) if req.is_open else [],
    )


@bp.route("/<int:request_id>/identitas")
@require("inbox.identity")
def identity(request_id: int):
    """Show the NIK in full to an authorised role; every view is logged."""
    req = load_request(request_id, "inbox.identity")
    nik = decrypt(req.nik_enc) if req.nik_enc else ""
    audit.record("inbox.identity.viewed", "inbox_request", req.number, {"field": "nik"}, commit=True)
    return render_template("inbox/admin/identity.html", req=req, nik=nik)


@bp.route("/<int:request_id>/berkas/<int:file_id>")
@require("inbox.view")
def file(request_id: int, file_id: int):
    entry = db.session.get(InboxFile, file_id)
    if entry is None or entry.request_id != request_id:
        from flask import abort

        abort(404)
    req = load_request(request_id, "inbox.identity" if entry.is_identity else "inbox.view")
    if entry.purged_at:
        flash(_("Berkas sudah dimusnahkan sesuai jadwal retensi."), "error")
        return redirect(url_for(".detail", request_id=req.id))
    audit.record(
        "inbox.file.viewed", "inbox_request", req.number, {"file_id": entry.id, "kind": entry.kind}, commit=True
    )
    return send_decrypted(entry, inline=entry.mime == "application/pdf")


def _act(request_id: int, form_cls, action, done: str, permission: str = "inbox.manage"):
    req = load_request(request_id, permission)
    form = form_cls()
    if form.validate_on_submit():
        try:
            action(req, form)
        except services.InboxError as exc:
            db.session.rollback()
            named = getattr(form, exc.field, None) if exc.field else None
            flash(named_error(named.label.text, str(exc)) if named is not None else str(exc), "error")
        else:
            flash(done, "success")
    else:
        for field, errors in form.errors.items():
            label = getattr(form, field).label.text if field != "csrf_token" else ""
            flash(named_error(label, " ".join(map(str, errors))), "error")
    return redirect(url_for(".detail", request_id=req.id))


@bp.route("/<int:request_id>/disposisi", methods=["POST"])
@require("inbox.assign")
def assign(request_id: int):
    def action(req, form):
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        user = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
        dispositions.note_assign(req, unit)
        services.assign(req, unit, user)

    req = load_request(request_id, "inbox.assign")
    units, officers = _unit_and_officers()
    form = AssignForm()
    form.unit_id.choices = [(0, "")] + [(u.id, u.name) for u in units]
    form.assignee_id.choices = [(0, "")] + [(u.id, u.email) for u in officers]
    if form.validate_on_submit():
        action(req, form)
        flash(_("Disposisi disimpan; batas waktu tidak berubah."), "success")
    else:
        flash(_("Pilihan unit atau petugas tidak valid."), "error")
    return redirect(url_for(".detail", request_id=req.id))


@bp.route("/<int:request_id>/catatan", methods=["POST"])
@require("inbox.view")
def note(request_id: int):
    return _act(
        request_id,
        NoteForm,
        lambda r, f: services.add_note(r, f.text.data, current_user),
        _("Catatan ditambahkan."),
        "inbox.view",
    )


@bp.route("/<int:request_id>/perpanjang", methods=["POST"])
@require("inbox.manage")
def extend(request_id: int):
    return _act(
        request_id,
        ExtendForm,
        lambda r, f: services.extend(r, f.reason.data),
        _("Jangka waktu diperpanjang 7 hari kerja; pemohon diberi tahu."),
    )


@bp.route("/<int:request_id>/kelengkapan", methods=["POST"])
@require("inbox.manage")
def completeness(request_id: int):
    return _act(
        request_id,
        CompletenessForm,
        lambda r, f: services.request_completeness(r, f.note.data),
        _("Permintaan kelengkapan dikirim ke pemohon."),
    )


@bp.route("/<int:request_id>/tutup", methods=["POST"])
@require("inbox.manage")
def close(request_id: int):
    return _act(
        request_id,
        CompletenessForm,
        lambda r, f: services.close_incomplete(r, f.note.data),
        _("Permohonan ditutup karena tidak lengkap."),
    )


@bp.route("/<int:request_id>/batal", methods=["POST"])
@require("inbox.manage")
def withdraw(request_id: int):
    return _act(
        request_id,
        FlaskForm,
        lambda r, f: services.withdraw(r, request.form.get("note", "")),
        _("Permohonan dicatat dibatalkan pemohon."),
    )


@bp.route("/<int:request_id>/lanjutkan", methods=["POST"])
@require("inbox.manage")
def resume(request_id: int):
    return _act(request_id, FlaskForm, lambda r, f: services.resume(r), _("Permohonan diproses kembali."))


@bp.route("/<int:request_id>/kategori", methods=["POST"])
@require("inbox.manage")
def category(request_id: int):
    return _act(
        request_id, CategoryForm, lambda r, f: services.set_category(r, f.category.data), _("Kategori disimpan.")
    )


@bp.route("/<int:request_id>/serahkan", methods=["POST"])
@require("inbox.manage")
def delivered(request_id: int):
    return _act(
        request_id, FlaskForm, lambda r, f: services.mark_delivered(r), _("Informasi dicatat telah diserahkan.")
    )


@bp.route("/<int:request_id>/jawab", methods=["GET", "POST"])
@require("inbox.manage")
def answer(request_id: int):
    req = load_request(request_id, "inbox.manage")
    form = AnswerForm()
    fee_errors: dict[str, str] = {}
    draft = drafts.of(req)
    if request.method == "GET":
        form.info_form.data = req.access_method if req.access_method in ("softcopy", "hardcopy") else ""
        if draft is not None:  # a draft sent back opens with everything typed
            form.process(data=draft.data)
    adding = request.method == "POST" and "add_withheld" in request.form  # one more withheld-part row, no save
    if not adding and form.validate_on_submit():
        attachments, ok = [], True
        for upload in form.attachments.data or []:
            try:
                found = read_attachment(upload)
            except UploadError as exc:
                form.attachments.errors = list(form.attachments.errors) + [str(exc)]
                ok = False
                continue
            if found:
                attachments.append(found)
        if ok:
            data = {
                **form.data,
                "fee_items": fees.quantities_from_form(request.form),
                "withheld": withheld.rows_from_form(request.form),
            }
            to_approve = drafts.needs_approval(req, current_user)
            try:
                if to_approve:
                    drafts.submit(req, data, attachments, current_user)
                else:
                    services.answer(req, data, attachments)
            except services.InboxError as exc:
                db.session.rollback()
                target = getattr(form, exc.field or "outcome", None)
                if target is None:  # a line of the standar biaya (``qty-<code>``) or the total
                    fee_errors[exc.field or ""] = str(exc)
                else:
                    target.errors.append(str(exc))
            else:
                if to_approve:
                    flash(_("Jawaban disimpan sebagai draf dan diajukan ke PPID Utama untuk disetujui."), "success")
                else:
                    letter_notice.flash_done(
                        _("Pemberitahuan tertulis disimpan dan dikirim ke pemohon."),
                        _("Pemberitahuan tertulis tercatat"),
                        req.email,
                    )
                return redirect(url_for(".detail", request_id=req.id))
    status = 400 if request.method == "POST" and not adding else 200
    return render_template(
        "inbox/admin/answer.html",
        req=req,
        form=form,
        withheld_rows=withheld.rows_for_form(request.form, req, add=adding),
        fee_items=fees.schedule(),
        fee_errors=fee_errors,
        quantities=fees.quantities_from_form(request.form)
        if request.method == "POST" or draft is None
        else draft.data.get("fee_items", {}),
        draft=draft,
        to_approve=drafts.needs_approval(req, current_user),
    ), status


@bp.route("/<int:request_id>/surat")
@require("inbox.view")
def letter(request_id: int):
    req = load_request(request_id)
    from plugins.inbox.issued_pages import show_notice

    return show_notice(req, public=False)


@bp.route("/<int:request_id>/dip", methods=["POST"])
@require("inbox.publish")
def publish(request_id: int):
    req = load_request(request_id, "inbox.publish")
    entry = next((f for f in req.files if f.kind == "answer" and not f.purged_at), None)
    dip_id = services.publish_to_dip(req, entry)
    if dip_id is None:
        flash(_("Modul DIP tidak aktif atau gagal; dokumen tidak diterbitkan."), "error")
    else:
        flash(_("Dokumen diterbitkan ke Daftar Informasi Publik."), "success")
    return redirect(url_for(".detail", request_id=req.id))
