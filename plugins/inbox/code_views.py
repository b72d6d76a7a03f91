"""Lost tracking code: the public form and the desk action (``code_reissue``)."""

from __future__ import annotations

from flask import current_app, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import Email, Length

from cms.api import limiter, require
from plugins.inbox import code_reissue
from plugins.inbox.admin_bp import bp as admin_bp
from plugins.inbox.admin_bp import load_request
from plugins.inbox.forms import required
from plugins.inbox.views import bp


class NewCodeForm(FlaskForm):
    number = StringField(_l("Nomor pendaftaran"), validators=[required(_l("Nomor pendaftaran")), Length(max=60)])
    email = EmailField(
        _l("E-mail yang tercantum pada permohonan"),
        validators=[required(_l("E-mail")), Email(message=_l("Alamat e-mail tidak valid.")), Length(max=254)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


class DeskCodeForm(FlaskForm):
    identity_check = StringField(
        _l("Pemeriksaan identitas"),
        validators=[required(_l("Pemeriksaan identitas")), Length(max=300)],
    )


def _limit() -> str:
    return current_app.config["INBOX_CODE_REISSUE_RATE_LIMIT"]


@bp.route("/permohonan/kode-baru", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def new_code():
    form = NewCodeForm()
    if request.method == "POST" and form.validate():
        code_reissue.by_applicant(form.number.data or "", form.email.data or "")
        return render_template("inbox/new_code.html", form=None, sent=True)
    status = 400 if form.errors else 200
    return render_template("inbox/new_code.html", form=form, sent=False), status


@admin_bp.route("/<int:request_id>/kode-baru", methods=["GET", "POST"])
@require("inbox.manage")
def desk_new_code(request_id: int):
    """At the desk, after the officer checked the applicant's identity."""
    req = load_request(request_id, "inbox.manage")
    form = DeskCodeForm()
    if form.validate_on_submit():
        code = code_reissue.reissue(req, via="desk", actor=current_user, identity_check=form.identity_check.data or "")
        resp = make_response(render_template("inbox/admin/new_code.html", req=req, form=None, code=code))
        resp.headers["Cache-Control"] = "private, no-store"  # the code is shown this once
        return resp
    status = 400 if form.errors else 200
    return render_template("inbox/admin/new_code.html", req=req, form=form, code=None), status
