"""Sign-in and sign-out (staff and journalists), and "Lupa kata sandi?"."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from cms import login_throttle, password_reset, user_sessions
from cms.accounts import MIN_PASSWORD, AccountError, authenticate
from cms.audit import record
from cms.errors import show_on_form
from cms.extensions import db, limiter, login_manager
from cms.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm
from cms.i18n import current_language, format_datetime
from cms.models import User
from cms.timeutil import naive_utc

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "E-mail atau kata sandi salah, atau akun tidak aktif."


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    """Flask-Login hands over what get_id() gave at sign-in: a session token.
    One that no longer works is dropped from the session and the remember
    cookie cleared, so the next request is anonymous without a look-up."""
    user = user_sessions.load(token)
    if user is None:
        session.pop("_user_id", None)
        session["_remember"] = "clear"
    return user


bp.after_app_request(user_sessions.touch_after_request)
bp.add_app_template_global(user_sessions.device_label, "device_label")


def without_sign_in() -> bool:
    """True for a request with no signed-in session and no remember cookie:
    its visitor is anonymous, known without loading a user."""
    return (
        "_user_id" not in session
        and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies
    )


def settle_anonymous() -> None:
    """Before each request: an anonymous visitor is set as the current user
    at once.  Flask-Login would reach the same user after hashing address
    and browser for its session check, on every page that asks."""
    if without_sign_in():
        g._login_user = login_manager.anonymous_user()
    else:
        g.pop("_login_user", None)  # loaded for this request (tests keep one app context across requests)


def _login_limit() -> str:
    """A flood guard per address counting every POST; failed sign-ins are
    throttled per account and per address by cms.login_throttle."""
    return current_app.config["CMS_LOGIN_RATE_LIMIT"]


def _locked_out(form: LoginForm, until):
    form.password.data = ""
    message = f"Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah {format_datetime(until)}."
    flash(message, "error")
    seconds = max(int((until - naive_utc()).total_seconds()) + 1, 1)
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(seconds)}


def _safe_next(target: str | None, user=None) -> str:
    from cms.redirects import safe_target

    # Journalists never enter the admin: their landing is their embargo desk.
    landing = "journalists.home" if getattr(user or current_user, "role", None) == "journalist" else "admin.dashboard"
    return safe_target(target, landing)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message="Terlalu banyak percobaan masuk.")
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        email, ip = form.email.data or "", request.remote_addr
        until = login_throttle.locked_until(email, ip)
        if until is not None:  # refused without trying the password: no guess counts
            return _locked_out(form, until)
        user = authenticate(email, form.password.data or "")
        if user is None:
            record("auth.login_failed", "user", "", {"email": email[:254]})
            until = login_throttle.record_failure(email, ip)
            db.session.commit()
            if until is not None:
                return _locked_out(form, until)
            flash(LOGIN_FAILED, "error")
            return render_template("auth/login.html", form=form), 401
        remember = bool(form.remember.data)
        user_sessions.start(user, remember=remember)
        login_throttle.clear_account(email)
        login_user(user, remember=remember, duration=user_sessions.lifetime(True) if remember else None)
        user.last_login_at = naive_utc()
        session_id = user.current_session.id if user.current_session else None  # set by user_sessions.start
        record("auth.login", "user", user.id, {"session": session_id}, user=user)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next"), user))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """Ends this session on the server too: a copy of its cookies stops working.

    Only a POST (with its CSRF token) signs out; a GET asks first, so another
    site cannot sign an officer out with an image or a link."""
    if request.method != "POST":
        return render_template("auth/logout.html")
    row = user_sessions.current()
    if row is not None:
        row.revoked_at = naive_utc()
    record("auth.logout", "user", current_user.id, {"session": row.id if row else None}, commit=True)
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("public.home"))


# ------------------------------------------------------------------ "Lupa kata sandi?"


def _reset_limit() -> str:
    return current_app.config["CMS_PASSWORD_RESET_RATE_LIMIT"]


def _private(body, status: int = 200):
    """No cache keeps the page, and the link's secret leaves in no Referer."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.route("/lupa-sandi", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"], error_message="Terlalu banyak permintaan atur ulang kata sandi.")
def forgot_password():
    """One answer for every address, with an account or without."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.ask(form.email.data or "", request.remote_addr, current_language())
        return _private(render_template("auth/forgot_sent.html"))
    status = 400 if request.method == "POST" else 200
    return _private(render_template("auth/forgot.html", form=form), status)


@bp.route("/lupa-sandi/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = password_reset.user_for_link(token)
    if user is None:
        return _private(render_template("auth/reset_invalid.html"), 410)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(token, form.password.data or "", form.confirm.data or "")
        except AccountError as exc:
            if exc.field is None:  # spent meanwhile (a second tab)
                return _private(render_template("auth/reset_invalid.html"), 410)
            show_on_form(form, exc, "password")
        else:
            if current_user.is_authenticated:  # its session has just ended on the server
                logout_user()
            flash(_("Kata sandi baru tersimpan. Silakan masuk."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return _private(render_template("auth/reset.html", form=form, user=user, min_password=MIN_PASSWORD), status)
