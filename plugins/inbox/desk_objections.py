"""A keberatan that came in person or by letter, recorded by staff.

The real receipt time counts (the Atasan's 30 working days run from it, and
the guards of ``law.objection_refusal`` judge it); the tanda bukti
penerimaan keberatan is issued as for a web filing (``objections``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cms.api import WIB, LawfulDate, db, naive_utc, require
from plugins.inbox import objections
from plugins.inbox.admin_bp import bp, load_request
from plugins.inbox.errors import InboxError
from plugins.inbox.forms import MultiCheckboxField, required
from plugins.inbox.letter_models import Letter
from plugins.inbox.models import GROUNDS, OBJECTION_CHANNELS

CHANNELS = {key: label for key, label in OBJECTION_CHANNELS.items() if key != "web"}


class DeskObjectionForm(FlaskForm):
    channel = SelectField(_l("Saluran"), choices=list(CHANNELS.items()))
    received_at = DateTimeLocalField(
        _l("Waktu diterima (WIB)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message=_l("Waktu diterima wajib diisi.")), LawfulDate()],
    )
    grounds = MultiCheckboxField(_l("Alasan keberatan (Pasal 35 UU KIP)"), choices=list(GROUNDS.items()))
    case_summary = TextAreaField(_l("Kasus posisi"), validators=[required(_l("Kasus posisi")), Length(max=5000)])
    purpose = TextAreaField(_l("Tujuan penggunaan informasi"), validators=[Optional(), Length(max=2000)])
    kuasa_name = StringField(_l("Nama kuasa (bila diwakili)"), validators=[Optional(), Length(max=200)])
    kuasa_address = StringField(_l("Alamat kuasa"), validators=[Optional(), Length(max=300)])
    kuasa_phone = StringField(_l("Telepon kuasa"), validators=[Optional(), Length(max=40)])


def _received(form: DeskObjectionForm) -> datetime | None:
    """The WIB time typed, as naive UTC; an error on the field when it is in the future."""
    if not form.received_at.data or form.received_at.errors:
        return None
    moment = form.received_at.data.replace(tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)
    if moment > naive_utc():
        form.received_at.errors = list(form.received_at.errors) + [_("Waktu diterima tidak boleh di masa depan.")]
        return None
    return moment


def receipt_issued(obj) -> bool:
    """Whether the tanda bukti penerimaan keberatan exists: the letter settings
    may lack a part, and the officer must not hand over a receipt that is not."""
    found = select(Letter.id).where(Letter.objection_id == obj.id, Letter.kind == "tanda_terima_keberatan")
    return db.session.scalar(found.limit(1)) is not None


@bp.route("/<int:request_id>/keberatan/baru", methods=["GET", "POST"])
@require("inbox.manage")
def desk_objection(request_id: int):
    req = load_request(request_id, "inbox.manage")
    form = DeskObjectionForm()
    if request.method == "GET":
        form.received_at.data = datetime.now(WIB).replace(tzinfo=None, second=0, microsecond=0)
        return render_template("inbox/admin/objection_desk.html", form=form, req=req)
    valid = form.validate()
    if not form.grounds.data:
        form.grounds.errors = list(form.grounds.errors) + [_("Pilih paling sedikit satu alasan keberatan.")]
        valid = False
    received = _received(form)
    if valid and received is not None:
        try:
            obj = objections.file_objection(
                req, form.data, received_at=received, channel=form.channel.data, actor=current_user
            )
        except InboxError as exc:
            db.session.rollback()
            getattr(form, exc.field or "case_summary").errors.append(str(exc))
        else:
            if receipt_issued(obj):
                flash(_("Keberatan %(n)s dicatat; tanda bukti penerimaan diterbitkan.", n=obj.number), "success")
            else:  # what the receipt lacks was flashed by letter_records
                flash(_("Keberatan %(n)s dicatat; tanda bukti penerimaan belum diterbitkan.", n=obj.number), "success")
            return redirect(url_for(".objection_detail", objection_id=obj.id))
    return render_template("inbox/admin/objection_desk.html", form=form, req=req), 400
