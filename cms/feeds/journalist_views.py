"""Journalists' pages: sign-up, setting a password, their own embargo page,
personal preview links and the embargo calendar.  Thin views over
``journalist_accounts``, ``embargo_calendar`` and ``cms.newsroom.embargo_links``."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from cms.errors import show_on_form
from cms.extensions import db, limiter
from cms.feeds import embargo_calendar, journalist_accounts, subscriptions
from cms.feeds.subscriptions import DistributionError
from cms.newsroom import embargo_links, publishing
from cms.newsroom.public import preview_response

bp = Blueprint("journalists", __name__)


class SignUpForm(FlaskForm):
    name = StringField(_l("Nama lengkap"), validators=[DataRequired(message=_l("Nama wajib diisi.")), Length(max=200)])
    outlet = StringField(
        _l("Media tempat bekerja"), validators=[DataRequired(message=_l("Nama media wajib diisi.")), Length(max=200)]
    )
    email = EmailField(
        _l("E-mail kantor"), validators=[DataRequired(message=_l("E-mail wajib diisi.")), Length(max=254)]
    )
    phone = StringField(
        _l("Telepon / WhatsApp"), validators=[DataRequired(message=_l("Nomor telepon wajib diisi.")), Length(max=30)]
    )
    press_card = FileField(_l("Kartu pers (opsional; JPG, PNG, WebP atau PDF)"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(message=_l("Kata sandi wajib diisi."))])
    confirm = PasswordField(_l("Ulangi kata sandi"), validators=[DataRequired(message=_l("Ulangi kata sandi."))])


def _signup_limit() -> str:
    return current_app.config.get("PRESS_SIGNUP_RATE_LIMIT", "3 per minute;10 per hour")


def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/jurnalis/daftar", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"], error_message="Terlalu banyak permohonan; coba lagi nanti.")
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        data = journalist_accounts.SignUp(
            form.name.data or "", form.outlet.data or "", form.email.data or "", form.phone.data or ""
        )
        try:
            journalist_accounts.request_account(data, request.files.get("press_card"))
        except DistributionError as exc:
            show_on_form(form, exc, "email")
        else:
            return render_template("journalists/signup_sent.html")
    status = 400 if request.method == "POST" else 200
    return render_template("journalists/signup.html", form=form), status


@bp.route("/jurnalis/sandi/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = journalist_accounts.user_for_token(token)
    if user is None:
        return _private(make_response(render_template("journalists/password_link_invalid.html"), 410))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            journalist_accounts.set_password(user, form.password.data or "", form.confirm.data or "")
        except DistributionError as exc:
            show_on_form(form, exc, "password")
        else:
            flash(_("Kata sandi tersimpan. Silakan masuk."), "success")
            return redirect(url_for("auth.login", next=url_for("journalists.home")))
    status = 400 if request.method == "POST" else 200
    return _private(make_response(render_template("journalists/set_password.html", form=form, user=user), status))


@bp.get("/jurnalis/")
def home():
    """The signed-in journalist's embargo desk: upcoming releases, personal links, calendar."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]  # set by Flask-Login
    journalist = journalist_accounts.journalist_of(current_user)
    if journalist is None:
        abort(403)
    posts = subscriptions.embargoed_posts()
    links = {post.id: embargo_links.personal_url(post, journalist) for post in posts}
    db.session.commit()  # links made for this page are kept
    return _private(
        make_response(
            render_template(
                "journalists/home.html",
                journalist=journalist,
                posts=posts,
                links=links,
                calendar_url=calendar_url(journalist),
                feed_url=subscriptions.private_feed_url(journalist),
            )
        )
    )


def calendar_url(journalist) -> str:
    return subscriptions.private_feed_url(journalist, "kalender.ics")


@bp.get("/pratinjau/<token>")
def preview(token: str):
    """A journalist's personal link: the release with the embargo banner, or a
    clear page saying why the link no longer works."""
    resolved = embargo_links.resolve(token)
    embargo_links.record_view(resolved)
    link = resolved.link
    if link is not None and resolved.state == "public":
        return redirect(publishing.public_url(link.post, external=False))
    if link is None or resolved.state != "ok":
        status = 404 if resolved.state == "unknown" else 410
        page = render_template("journalists/preview_invalid.html", state=resolved.state, post=resolved.post)
        return _private(make_response(page, status))
    embargo_links.grant_media(link)
    return preview_response(link.post)


@bp.get("/feeds/embargo/<token>/kalender.ics")
def calendar(token: str):
    journalist = subscriptions.journalist_by_token(token)
    if journalist is None:
        abort(404)
    if not journalist.active:
        subscriptions.log_access(journalist, [], "denied", request.remote_addr, request.headers.get("User-Agent", ""))
        abort(410)
    body, posts = embargo_calendar.calendar_for(journalist)
    subscriptions.log_access(journalist, posts, "calendar", request.remote_addr, request.headers.get("User-Agent", ""))
    response = current_app.response_class(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="embargo.ics"'
    return _private(response)


@bp.app_template_global()
def upcoming_embargoes() -> list:
    """Upcoming embargoed releases for a signed-in approved journalist; nothing
    for anyone else (``templates/press/_upcoming_embargoes.html``)."""
    if not current_user.is_authenticated or journalist_accounts.journalist_of(current_user) is None:
        return []
    return subscriptions.embargoed_posts()
