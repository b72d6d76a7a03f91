"""Admin: dashboard, users, units, audit log and plugins (thin views)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user
from sqlalchemy import func, select

from cms import accounts, user_sessions
from cms import audit as audit_service
from cms.errors import FieldError, show_on_form
from cms.extensions import db
from cms.forms import PasswordChangeForm, UnitForm, UnitMergeForm, UserForm
from cms.inputs import query_page
from cms.models import ROLES, Unit, User, UserSession
from cms.plugins import describe_plugins
from cms.policy import require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@require("admin.access")
def dashboard():
    return render_template("admin/dashboard.html")


# ------------------------------------------------------------------ users


def _unit_choices():
    units = db.session.scalars(select(Unit).order_by(Unit.name)).all()
    return [(0, "— tanpa unit —")] + [(u.id, u.name) for u in units]


@bp.route("/users")
@require("users.manage")
def users():
    role = request.args.get("role") or None
    stmt = select(User).order_by(User.email)
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    return render_template("admin/users.html", users=db.session.scalars(stmt).all(), roles=ROLES, role=role)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("users.manage")
def user_form(user_id: int | None = None):
    user = db.session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = UserForm(obj=user)
    form.unit_id.choices = _unit_choices()
    if request.method == "GET" and user is not None:
        form.unit_id.data = user.unit_id or 0
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        try:
            if user is None:
                if not form.password.data:
                    raise accounts.AccountError("Kata sandi wajib diisi untuk akun baru.", "password")
                user = accounts.create_user(
                    form.email.data or "",
                    form.role.data,
                    form.password.data,
                    unit=unit,
                    name=form.name.data or "",
                    actor=current_user,
                )
                flash("Pengguna ditambahkan.", "success")
            else:
                if user.id == current_user.id and not form.active.data:
                    raise accounts.AccountError("Anda tidak dapat menonaktifkan akun sendiri.", "active")
                accounts.update_user(
                    user,
                    email=form.email.data or "",
                    role=form.role.data,
                    name=form.name.data or "",
                    unit=unit,
                    active=form.active.data,
                    password=form.password.data or None,
                    actor=current_user,
                )
                flash("Perubahan disimpan.", "success")
            user.position, user.nip = (form.position.data or "").strip(), form.nip.data or ""
            db.session.commit()
            return redirect(url_for("admin.users"))
        except accounts.AccountError as exc:
            db.session.rollback()
            show_on_form(form, exc, "email", names={"unit": "unit_id"})
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        sessions=user_sessions.live(user) if user else [],
        current_session=user_sessions.current(),
    ), status


def _session_of(user_id: int, session_id: int) -> UserSession:
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user_id:
        abort(404)
    return row


@bp.route("/users/<int:user_id>/sesi/<int:session_id>/akhiri", methods=["POST"])
@require("users.manage")
def user_end_session(user_id: int, session_id: int):
    user_sessions.end(_session_of(user_id, session_id), reason="admin")
    db.session.commit()
    flash("Sesi diakhiri.", "success")
    return redirect(url_for("admin.user_form", user_id=user_id))


@bp.route("/users/<int:user_id>/sesi/akhiri-semua", methods=["POST"])
@require("users.manage")
def user_end_sessions(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    ended = user_sessions.end_all(user, reason="admin")
    db.session.commit()
    flash(f"{ended} sesi diakhiri.", "success")
    return redirect(url_for("admin.user_form", user_id=user_id))


# ------------------------------------------------------------------ own account


@bp.route("/akun", methods=["GET", "POST"])
@require("admin.access")
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(current_user, form.current_password.data or "", form.new_password.data or "")
            flash("Kata sandi diganti. Sesi di perangkat lain telah diakhiri.", "success")
            return redirect(url_for("admin.account"))
        except accounts.AccountError as exc:
            db.session.rollback()
            show_on_form(form, exc, "new_password")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/account.html", form=form, sessions=user_sessions.live(current_user), current=user_sessions.current()
    ), status


@bp.route("/akun/sesi/<int:session_id>/akhiri", methods=["POST"])
@require("admin.access")
def account_end_session(session_id: int):
    row = _session_of(current_user.id, session_id)
    this_one = row is user_sessions.current()
    user_sessions.end(row, reason="self")
    db.session.commit()
    if this_one:
        logout_user()
        flash("Anda telah keluar.", "info")
        return redirect(url_for("auth.login"))
    flash("Sesi diakhiri.", "success")
    return redirect(url_for("admin.account"))


@bp.route("/akun/keluar-semua", methods=["POST"])
@require("admin.access")
def account_end_all():
    """Ends every session, this one included (the button says "all")."""
    user_sessions.end_all(current_user, reason="self")
    db.session.commit()
    logout_user()
    flash("Anda telah keluar dari semua perangkat.", "info")
    return redirect(url_for("auth.login"))


# ------------------------------------------------------------------ units


@bp.route("/units")
@require("units.manage")
def units():
    return render_template("admin/units.html", units=db.session.scalars(select(Unit).order_by(Unit.name)).all())


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@require("units.manage")
def unit_form(unit_id: int | None = None):
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit_id and unit is None:
        abort(404)
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        try:
            if unit is None:
                accounts.create_unit(form.name.data or "", form.short_name.data or "", actor=current_user)
            else:
                other = accounts.find_unit(form.name.data or "")
                if other is not None and other.id != unit.id:
                    raise accounts.AccountError(f"Unit {form.name.data} sudah ada.", "name")
                changes = {"name": [unit.name, form.name.data], "active": [unit.active, form.active.data]}
                unit.name = (form.name.data or "").strip()
                unit.short_name = form.short_name.data or None
                unit.active = form.active.data
                audit_service.record("unit.update", "unit", unit.id, changes)
                db.session.commit()
            flash("Unit disimpan.", "success")
            return redirect(url_for("admin.units"))
        except accounts.AccountError as exc:
            db.session.rollback()
            show_on_form(form, exc, "name")
    status = 400 if request.method == "POST" else 200
    return render_template("admin/unit_form.html", form=form, unit=unit), status


@bp.route("/units/merge", methods=["GET", "POST"])
@require("units.merge")
def unit_merge():
    """Two steps: choose the units, then confirm what moves (POST ``confirm``)."""
    form = UnitMergeForm()
    choices = [(0, "—")] + [(u.id, u.name) for u in db.session.scalars(select(Unit).order_by(Unit.name))]
    form.source.choices = form.target.choices = choices
    if form.validate_on_submit():
        source, target = db.session.get(Unit, form.source.data), db.session.get(Unit, form.target.data)
        if source is None:
            form.source.errors = [*form.source.errors, "Pilih unit yang digabungkan."]
        elif target is None:
            form.target.errors = [*form.target.errors, "Pilih unit tujuan."]
        elif source.id == target.id:
            form.target.errors = [*form.target.errors, "Pilih dua unit yang berbeda."]
        elif request.form.get("confirm") != "1":
            users = db.session.scalar(select(func.count()).select_from(User).where(User.unit_id == source.id))
            return render_template("admin/unit_merge.html", form=form, source=source, target=target, users=users)
        else:
            try:
                moved = accounts.merge_units(source, target, actor=current_user)
            except FieldError as exc:  # core's AccountError, or a plugin refusing (cms_units_merged)
                show_on_form(form, exc, "source")
            else:
                flash(
                    f"{source.name} digabungkan ke {target.name} ({sum(moved.values())} data dipindahkan).", "success"
                )
                return redirect(url_for("admin.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/unit_merge.html", form=form, source=None, target=None), status


# ------------------------------------------------------------------ audit


@bp.route("/audit")
@require("audit.view")
def audit():
    filters = {k: (request.args.get(k) or "").strip() or None for k in ("action", "object_type", "actor", "object_id")}
    page = query_page()
    pagination = db.paginate(audit_service.query(**filters), page=page, per_page=50, error_out=False)
    return render_template(
        "admin/audit.html", pagination=pagination, filters=filters, pager_args={k: v for k, v in filters.items() if v}
    )


@bp.route("/plugins")
@require("plugins.view")
def plugins():
    rows = describe_plugins(current_app.extensions["cms"], current_app.config.get("CMS_PLUGINS"))
    return render_template("admin/plugins.html", plugins=rows)
