"""Staff sign-in and sign-out."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from cms.accounts import authenticate
from cms.audit import record
from cms.extensions import db, limiter, login_manager
from cms.forms import LoginForm
from cms.models import User

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "E-mail atau kata sandi salah, atau akun tidak aktif."


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


def without_sign_in() -> bool:
    """True for a request with no signed-in session and no remember cookie:
    its visitor is anonymous, known without loading a user."""
    return "_user_id" not in session and \
        current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies


def settle_anonymous() -> None:
    """Before each request: an anonymous visitor is set as the current user
    at once.  Flask-Login would reach the same user after hashing address
    and browser for its session check, on every page that asks."""
    if without_sign_in():
        g._login_user = login_manager.anonymous_user()
    else:
        g.pop("_login_user", None)  # loaded for this request (tests keep one app context across requests)


def _login_limit() -> str:
    return current_app.config["CMS_LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    from cms.redirects import safe_target

    return safe_target(target, "admin.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message="Terlalu banyak percobaan masuk.")
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            record("auth.login_failed", "user", "", {"email": form.email.data[:254]}, commit=True)
            flash(LOGIN_FAILED, "error")
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        user.last_login_at = datetime.now(timezone.utc).replace(tzinfo=None)
        record("auth.login", "user", user.id, user=user)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    record("auth.logout", "user", current_user.id, commit=True)
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("public.home"))
