"""Public pages: /ppid/, the request form, tracking and keberatan (thin views)."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import db, limiter
from plugins.inbox import clock, dip_requests, files, law, objections, ppid_pages, rights, services, standing
from plugins.inbox.forms import ObjectionForm, RequestForm, TrackForm, form_timestamp
from plugins.inbox.models import InboxFile, InfoRequest

bp = Blueprint(
    "inbox",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/inbox",
    url_prefix="/ppid",
)
log = logging.getLogger(__name__)
SESSION_TRACKED = "inbox_tracked"
SESSION_RECEIPT = "inbox_receipt"
SESSION_TAGS = "inbox_tracked_tags"  # request id -> fingerprint of the code it was tracked with


def _submit_limit() -> str:
    return current_app.config["INBOX_SUBMIT_RATE_LIMIT"]


def _track_limit() -> str:
    return current_app.config["INBOX_TRACK_RATE_LIMIT"]


@bp.route("/")
def index():
    return render_template(
        "inbox/index.html", maklumat=ppid_pages.page_html("maklumat"), prosedur=ppid_pages.page_html("prosedur")
    )


def collect_uploads(form, kinds) -> dict | None:
    """Read and check the uploads; errors go onto the fields.  ``None`` on error."""
    uploads, ok = {}, True
    for kind in kinds:
        field = getattr(form, kind)
        try:
            found = files.read_upload(field.data)
        except files.UploadError as exc:
            field.errors = list(field.errors) + [str(exc)]
            ok = False
            continue
        if found:
            uploads[kind] = found
    return uploads if ok else None


def check_required_uploads(form, uploads: dict) -> bool:
    messages = {
        "ktp": lambda: _("Salinan KTP wajib diunggah."),
        "surat_kuasa": lambda: _("Surat kuasa wajib diunggah bila diwakili kuasa."),
    }
    required = law.required_documents(
        form.applicant_type.data,
        represented=bool(form.represented.data),
        ktp_required=current_app.config["INBOX_KTP_UPLOAD"] == "required",
    )
    missing = [kind for kind in required if kind not in uploads]
    for kind in missing:
        field = getattr(form, kind)
        field.errors = list(field.errors) + [messages[kind]()]
    return not missing


def upload_kinds() -> list[str]:
    kinds = ["surat_kuasa", "akta"]
    if current_app.config["INBOX_KTP_UPLOAD"] != "off":
        kinds.append("ktp")
    return kinds


def _filed(response) -> bool:
    """Only a filed request counts against the limit: an applicant who
    corrects a field three times is not locked out."""
    return response.status_code == 303


@bp.route("/permohonan", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"], deduct_when=_filed)
def request_form():
    form = RequestForm()
    dip_item = dip_requests.describe(request.values.get("dip"))  # from a DIP item's "Ajukan permohonan"
    if request.method == "POST":
        valid = form.validate()
        uploads = collect_uploads(form, upload_kinds())
        if valid and uploads is not None and check_required_uploads(form, uploads):
            reason = form.spam_reason()
            if reason:
                log.warning("inbox: refused a request from %s (%s)", request.remote_addr, reason)
                form.form_ts.data = form_timestamp()
                return render_template("inbox/request_form.html", form=form, spam=True, dip_item=dip_item), 400
            data = {**form.data, **dip_requests.request_fields(dip_item)}
            req, _code = services.create_request(data, channel="web", uploads=uploads, hold_code=True)
            # The id only: Flask's session cookie is signed, not encrypted.
            session[SESSION_RECEIPT] = req.id
            return redirect(url_for("inbox.receipt"), code=303)
        status = 400
    else:
        status = 200
        if dip_item and not form.details.data:
            form.details.data = dip_requests.rincian(dip_item)
    form.form_ts.data = form_timestamp()
    return render_template("inbox/request_form.html", form=form, dip_item=dip_item), status


@bp.route("/permohonan/tanda-terima")
def receipt():
    """The tracking code appears here once after submitting, and in the
    e-mail; a reload shows the receipt without it (only its keyed hash stays)."""
    request_id = session.get(SESSION_RECEIPT)
    if not isinstance(request_id, int):
        return redirect(url_for("inbox.track"))
    req = db.session.get(InfoRequest, request_id)
    if req is None:
        abort(404)
    code = services.take_receipt_code(req)
    session.setdefault(SESSION_TRACKED, [])
    if req.id not in session[SESSION_TRACKED]:
        session[SESSION_TRACKED] = session[SESSION_TRACKED] + [req.id]
    session[SESSION_TAGS] = session.get(SESSION_TAGS, {}) | {str(req.id): code_tag(req)}
    resp = current_app.make_response(render_template("inbox/receipt.html", req=req, code=code))
    resp.headers["Cache-Control"] = "private, no-store"  # no copy of the code in the browser cache
    return resp


def _lookup_failed(response) -> bool:
    return response.status_code != 200


@bp.route("/permohonan/lacak", methods=["GET", "POST"])
# Only failed lookups count: a kelurahan desk looking up many applicants'
# requests from one address is not guessing (codes carry about 60 bits).
@limiter.limit(_track_limit, methods=["POST"], deduct_when=_lookup_failed)
def track():
    """Lookups only by POST: the code never ends up in URLs or access logs."""
    if request.method == "GET":
        form = TrackForm(formdata=None, number=request.args.get("number", ""))
        return render_template("inbox/track.html", form=form, req=None)
    form = TrackForm()
    req = None
    if form.validate():
        req = services.find_tracked(form.number.data or "", form.code.data or "")
        if req is None:
            form.code.errors = list(form.code.errors) + [_("Nomor pendaftaran atau kode pelacakan tidak cocok.")]
        else:
            tracked = [i for i in session.get(SESSION_TRACKED, []) if i != req.id][-9:]
            session[SESSION_TRACKED] = tracked + [req.id]
            tags = {k: v for k, v in session.get(SESSION_TAGS, {}).items() if int(k) in tracked}
            session[SESSION_TAGS] = tags | {str(req.id): code_tag(req)}
    status = 400 if form.errors else 200
    return render_template("inbox/track.html", form=form, req=req, **tracked_context(req)), status


def tracked_context(req: InfoRequest | None) -> dict:
    """Where the case stands and the applicant's next right (``standing``, ``rights``)."""
    if req is None:
        return {}
    today = clock.today()
    code = standing.of(req, today)
    shown = code in ("dalam_sengketa", "sengketa_selesai", "keberatan_diproses", "keberatan_diputus", "terlambat")
    return {
        "on_clock": standing.shows_clock(req, today),
        "stand_label": standing.label(code) if shown else "",
        "right": rights.next_right(req, today),
    }


@bp.route("/permohonan/<int:request_id>/dokumen/<int:file_id>")
def answer_file(request_id: int, file_id: int):
    """Documents given with the answer, for the applicant who tracked it."""
    if tracked_request(request_id) is None:
        abort(404)
    entry = db.session.get(InboxFile, file_id)
    if entry is None or entry.request_id != request_id or entry.kind != "answer" or entry.purged_at:
        abort(404)
    return send_decrypted(entry)


def send_decrypted(entry: InboxFile, *, inline: bool = False):
    from flask import Response

    resp = Response(files.load(entry), mimetype=entry.mime)
    disposition = "inline" if inline else "attachment"
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{entry.filename}"'
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/permohonan/<int:request_id>/surat")
def letter(request_id: int):
    req = tracked_request(request_id)
    if req is None or not req.outcome:
        abort(404)
    from plugins.inbox.issued_pages import show_notice

    return show_notice(req, public=True)


def bound_request(number: str | None) -> InfoRequest | None:
    """The request this browser already tracked with its code (the signed
    session holds its id), so the keberatan form need not ask the code again."""
    number = (number or "").strip()
    tracked = session.get(SESSION_TRACKED, [])
    if not number or not tracked:
        return None
    req = db.session.scalar(select(InfoRequest).where(InfoRequest.number == number))
    if req is None or req.id not in tracked:
        return None
    # A code re-issued since this browser tracked it: the old code no longer binds.
    return req if session.get(SESSION_TAGS, {}).get(str(req.id)) == code_tag(req) else None


def tracked_request(request_id: int) -> InfoRequest | None:
    """The request if this browser tracked it with its *current* code: a code
    re-issued since (``code_reissue``) ends the old session's access to the
    letters, documents and kuitansi too, not only the keberatan shortcut."""
    if request_id not in session.get(SESSION_TRACKED, []):
        return None
    req = db.session.get(InfoRequest, request_id)
    if req is None or session.get(SESSION_TAGS, {}).get(str(req.id)) != code_tag(req):
        return None
    return req


def code_tag(req: InfoRequest) -> str:
    """A short fingerprint of the current code's keyed hash (see ``code_reissue``)."""
    return req.tracking_hash[:16]


@bp.route("/keberatan", methods=["GET", "POST"])
@limiter.limit(_track_limit, methods=["POST"])
def objection_form():
    """Bound to a request by ``?number=`` (the link on the tracking page and in
    e-mails); the code is asked unless this browser tracked the request."""
    form = ObjectionForm()
    bound = bound_request(request.values.get("number"))
    if bound is not None:
        del form.code
    if request.method == "POST":
        valid = form.validate()
        uploads = collect_uploads(form, ["surat_kuasa"])
        if valid and uploads is not None:
            req = bound or services.find_tracked(form.number.data or "", form.code.data or "")
            if req is None:
                form.code.errors = list(form.code.errors) + [_("Nomor pendaftaran atau kode pelacakan tidak cocok.")]
            else:
                try:
                    obj = objections.file_objection(req, form.data)
                except services.InboxError as exc:
                    getattr(form, exc.field or "case_summary").errors.append(str(exc))
                else:
                    if "surat_kuasa" in uploads:
                        blob, mime, name = uploads["surat_kuasa"]
                        entry = files.store("kuasa_keberatan", blob, mime, name, objection_id=obj.id, request_id=req.id)
                        db.session.add(entry)
                        db.session.commit()
                    return render_template("inbox/objection_receipt.html", obj=obj, req=req, **tracked_context(req))
        return render_template("inbox/objection_form.html", form=form, bound=bound), 400
    if request.args.get("number"):
        form.number.data = request.args["number"]
    return render_template("inbox/objection_form.html", form=form, bound=bound)
