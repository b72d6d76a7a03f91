"""Humas's side of journalist accounts: review sign-ups (approve or reject,
see the press card) and the personal preview links of each embargoed
release, with revoke.  Every look at personal data is audited."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from cms.audit import record
from cms.extensions import db
from cms.feeds import journalist_accounts, subscriptions
from cms.feeds.subscriptions import DistributionError
from cms.models.content import Post
from cms.models.press_access import ACCOUNT_STATUSES, EmbargoPreviewLink, JournalistAccount
from cms.newsroom import embargo_links
from cms.policy import require
from cms.timeutil import naive_utc

bp = Blueprint("journalists_admin", __name__, url_prefix="/admin/feeds")


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Alasan (dikirim ke pemohon bila ditolak)"), validators=[Optional(), Length(max=2000)])


def masked(account: JournalistAccount) -> str:
    local, _at, domain = journalist_accounts.email_of(account).partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 3)}@{domain}"


@bp.get("/permohonan")
@require("journalists.manage")
def requests():
    status = request.args.get("status") or "pending"
    stmt = select(JournalistAccount).order_by(JournalistAccount.created_at.desc())
    if status in ACCOUNT_STATUSES:
        stmt = stmt.where(JournalistAccount.status == status)
    return render_template(
        "journalists/admin/requests.html",
        rows=db.session.scalars(stmt.limit(500)).all(),
        status=status,
        statuses=ACCOUNT_STATUSES,
        masked=masked,
    )


def _account(account_id: int) -> JournalistAccount:
    return db.session.get(JournalistAccount, account_id) or abort(404)


@bp.get("/permohonan/<int:account_id>")
@require("journalists.manage")
def request_detail(account_id: int):
    account = _account(account_id)
    record("journalist_account.view", "journalist_account", account.id, commit=True)
    return render_template(
        "journalists/admin/request.html",
        account=account,
        email=journalist_accounts.email_of(account),
        phone=journalist_accounts.phone_of(account),
        statuses=ACCOUNT_STATUSES,
        form=DecisionForm(),
    )


@bp.get("/permohonan/<int:account_id>/kartu-pers")
@require("journalists.manage")
def press_card(account_id: int):
    account = _account(account_id)
    data = journalist_accounts.press_card(account)
    if data is None:
        abort(404)
    record("journalist_account.press_card", "journalist_account", account.id, commit=True)
    ext = {"application/pdf": "pdf", "image/png": "png", "image/webp": "webp"}.get(account.press_card_mime, "jpg")
    response = current_app.response_class(data, mimetype=account.press_card_mime)
    response.headers["Content-Disposition"] = f'attachment; filename="kartu-pers-{account.id}.{ext}"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/permohonan/<int:account_id>/<any('setujui', 'tolak'):decision>")
@require("journalists.manage")
def decide(account_id: int, decision: str):
    account = _account(account_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if decision == "setujui":
            journalist_accounts.approve(account, current_user)
            flash(_("Disetujui: tautan untuk membuat kata sandi dikirim ke e-mail jurnalis."), "success")
        else:
            journalist_accounts.reject(account, current_user, form.reason.data or "")
            flash(_("Permohonan ditolak; pemohon diberi tahu lewat e-mail."), "success")
    except DistributionError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("journalists_admin.request_detail", account_id=account.id))


# ------------------------------------------------------------------ preview links


@bp.get("/embargo/<int:post_id>/tautan")
@require("journalists.manage")
def links(post_id: int):
    post = db.session.get(Post, post_id) or abort(404)
    return render_template(
        "journalists/admin/links.html",
        post=post,
        links=embargo_links.links_of(post),
        now=naive_utc(),
        form=DecisionForm(),
        masked=subscriptions.masked_email,
    )


@bp.post("/embargo/tautan/<int:link_id>/cabut")
@require("journalists.manage")
def revoke_link(link_id: int):
    link = db.session.scalar(select(EmbargoPreviewLink).where(EmbargoPreviewLink.id == link_id)) or abort(404)
    if not DecisionForm().validate_on_submit():
        abort(400)
    embargo_links.revoke(link, current_user)
    flash(_("Tautan pratinjau dicabut; jurnalis itu tidak dapat membukanya lagi."), "success")
    return redirect(url_for("journalists_admin.links", post_id=link.post_id))
