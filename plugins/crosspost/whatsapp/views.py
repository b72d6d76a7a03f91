"""WhatsApp pages: the public subscribe form and webhook, the admin report (thin)."""

from __future__ import annotations

import json
import logging
from typing import cast

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from cms.api import IdListField, accepts_json, csrf, db, limiter, query_page, require
from plugins.crosspost.whatsapp import api, service, webhook
from plugins.crosspost.whatsapp.models import MESSAGE_STATUSES, SUBSCRIBER_STATUSES, WaMessage, WaRelease, WaSubscriber
from plugins.crosspost.whatsapp.phone import PhoneError, masked

log = logging.getLogger(__name__)
bp = Blueprint("crosspost_whatsapp", __name__, template_folder="templates", url_prefix="/feeds/whatsapp")
admin_bp = Blueprint(
    "crosspost_whatsapp_admin", __name__, template_folder="templates", url_prefix="/admin/crosspost/whatsapp"
)


class SubscribeForm(FlaskForm):
    phone = StringField(
        _l("Nomor WhatsApp"), validators=[DataRequired(message=_l("Nomor WhatsApp wajib diisi.")), Length(max=40)]
    )
    name = StringField(_l("Nama"), validators=[DataRequired(message=_l("Nama wajib diisi.")), Length(max=120)])
    outlet = StringField(_l("Media"), validators=[DataRequired(message=_l("Nama media wajib diisi.")), Length(max=160)])
    categories = IdListField(_l("Kategori"))  # unknown ids are dropped in the view
    units = IdListField(_l("Perangkat daerah"))
    consent = BooleanField(
        _l("Saya setuju nomor WhatsApp saya disimpan untuk menerima siaran pers."),
        validators=[DataRequired(message=_l("Persetujuan wajib dicentang."))],
    )


def _choices(form: SubscribeForm) -> None:
    from cms.api import Category, Unit

    form.categories.choices = [(c.id, c.name) for c in db.session.scalars(select(Category).order_by(Category.name))]
    form.units.choices = [
        (u.id, u.name) for u in db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name))
    ]


def _limit() -> str:
    return current_app.config["CROSSPOST_WHATSAPP_SUBSCRIBE_RATE_LIMIT"]


def _subscribe(form: SubscribeForm) -> None:
    if not api.configured():
        # A number that cannot get its opt-in message would be personal data kept for nothing.
        raise PhoneError(_("Layanan WhatsApp belum diaktifkan oleh admin."))
    cats = {cid for cid, _n in cast(list[tuple[int, str]], form.categories.choices)}  # set by the view
    units = {uid for uid, _n in cast(list[tuple[int, str]], form.units.choices)}
    service.subscribe(
        form.phone.data or "",
        form.name.data or "",
        form.outlet.data or "",
        [c for c in form.categories.data or [] if c in cats],
        [u for u in form.units.data or [] if u in units],
    )


@bp.route("", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], error_message="Terlalu banyak permintaan langganan.")
def subscribe():
    form = SubscribeForm()
    _choices(form)
    if form.validate_on_submit():
        try:
            _subscribe(form)
        except PhoneError as exc:
            form.phone.errors = [*form.phone.errors, str(exc)]
        else:
            # No redirect: the number is never put in the session cookie for a flash.
            return render_template("crosspost/whatsapp/subscribe_sent.html")
    return render_template(
        "crosspost/whatsapp/subscribe.html", form=form, ready=api.configured()
    ), 400 if form.errors else 200


@bp.get("/webhook")
def webhook_verify():
    challenge = webhook.verify_challenge(request.args, current_app.config["CROSSPOST_WHATSAPP_VERIFY_TOKEN"])
    if challenge is None:
        log.warning("whatsapp webhook verification refused from %s", request.remote_addr)
        abort(403)
    return current_app.response_class(challenge, mimetype="text/plain")


@bp.post("/webhook")
@csrf.exempt  # Meta posts without a session; the HMAC signature is the check
@accepts_json
def webhook_receive():
    raw = request.get_data(cache=True)
    secret = current_app.config["CROSSPOST_WHATSAPP_APP_SECRET"]
    if not webhook.signature_ok(raw, request.headers.get("X-Hub-Signature-256"), secret):
        log.warning("whatsapp webhook with a bad signature refused (from %s, %d bytes)", request.remote_addr, len(raw))
        return current_app.response_class("invalid signature\n", status=401, mimetype="text/plain")
    try:
        payload = json.loads(raw or b"{}")
    except ValueError:
        return current_app.response_class("body is not JSON\n", status=400, mimetype="text/plain")
    webhook.handle(payload)
    return current_app.response_class("ok\n", mimetype="text/plain")


# ------------------------------------------------------------------ admin


@admin_bp.get("/")
@require("crosspost.manage")
def index():
    subs = dict(db.session.execute(select(WaSubscriber.status, func.count()).group_by(WaSubscriber.status)).all())
    page = db.paginate(select(WaRelease).order_by(WaRelease.id.desc()), page=query_page(), per_page=30, error_out=False)
    cfg = current_app.config
    settings = {
        "phone_number_id": cfg["CROSSPOST_WHATSAPP_PHONE_NUMBER_ID"],
        "token_set": bool(cfg["CROSSPOST_WHATSAPP_ACCESS_TOKEN"]),
        "secret_set": bool(cfg["CROSSPOST_WHATSAPP_APP_SECRET"]),
        "verify_set": bool(cfg["CROSSPOST_WHATSAPP_VERIFY_TOKEN"]),
        "rate": cfg["CROSSPOST_WHATSAPP_RATE"],
        "tier": cfg["CROSSPOST_WHATSAPP_TIER"],
        "optin": cfg["CROSSPOST_WHATSAPP_OPTIN_TEMPLATE"],
        "release": cfg["CROSSPOST_WHATSAPP_RELEASE_TEMPLATE"],
        "language": cfg["CROSSPOST_WHATSAPP_TEMPLATE_LANGUAGE"],
    }
    return render_template(
        "crosspost/whatsapp/admin_index.html",
        subs=subs,
        statuses=SUBSCRIBER_STATUSES,
        page=page,
        counts={r.id: service.counts(r.id) for r in page.items},
        settings=settings,
    )


@admin_bp.get("/rilis/<int:release_id>")
@require("crosspost.manage")
def release(release_id: int):
    row = db.session.get(WaRelease, release_id)
    if row is None:
        abort(404)
    messages = db.session.scalars(select(WaMessage).where(WaMessage.release_id == row.id).order_by(WaMessage.id)).all()
    numbers = {m.id: masked(service.phone_of(m.subscriber)) for m in messages}
    return render_template(
        "crosspost/whatsapp/admin_release.html",
        release=row,
        messages=messages,
        numbers=numbers,
        counts=service.counts(row.id),
        statuses=MESSAGE_STATUSES,
    )
