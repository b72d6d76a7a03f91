"""Identity settings (admin only), the lambang, the accent stylesheet and
the privacy page.  Thin views over ``cms.identity``."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from cms import audit
from cms import identity as service
from cms.errors import show_on_form
from cms.extensions import db
from cms.policy import require

bp = Blueprint("identity", __name__)
YEAR = 365 * 24 * 3600


class IdentityForm(FlaskForm):
    name = StringField(_l("Nama instansi"), validators=[Optional(), Length(max=200)])
    tagline = StringField(_l("Slogan atau nama unit"), validators=[Optional(), Length(max=200)])
    address = TextAreaField(_l("Alamat"), validators=[Optional(), Length(max=1000)])
    phone = StringField(_l("Telepon"), validators=[Optional(), Length(max=60)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    social_facebook = StringField("Facebook", validators=[Optional(), Length(max=300)])
    social_instagram = StringField("Instagram", validators=[Optional(), Length(max=300)])
    social_x = StringField("X", validators=[Optional(), Length(max=300)])
    social_youtube = StringField("YouTube", validators=[Optional(), Length(max=300)])
    social_tiktok = StringField("TikTok", validators=[Optional(), Length(max=300)])
    accent = StringField(_l("Warna aksen"), validators=[Optional(), Length(max=7)])
    logo = FileField(_l("Lambang (SVG atau PNG)"))
    remove_logo = BooleanField(_l("Hapus lambang yang tersimpan"))
    privacy_html = TextAreaField(_l("Kebijakan privasi"), validators=[Optional(), Length(max=50000)])


def _fill(form: IdentityForm, stored) -> None:
    for name in ("name", "tagline", "address", "phone", "email", "accent", "privacy_html"):
        getattr(form, name).data = getattr(stored, name)
    for key in service.SOCIAL:
        getattr(form, f"social_{key}").data = (stored.social or {}).get(key, "")


@bp.route("/admin/identitas", methods=["GET", "POST"])
@require("identity.manage")
def settings():
    form = IdentityForm()
    stored = service.row()
    if request.method == "GET" and stored is not None:
        _fill(form, stored)
    if form.validate_on_submit():
        try:
            upload = form.logo.data
            logo = None
            if upload and getattr(upload, "filename", ""):
                limit = int(current_app.config["CMS_IDENTITY_LOGO_MAX_KB"]) * 1024
                logo = service.check_logo(upload.stream.read(limit + 1), upload.filename)
            values = {name: f.data or "" for name, f in form._fields.items() if name not in ("logo", "csrf_token")}
            service.save(values, logo=logo, remove_logo=bool(form.remove_logo.data) and logo is None)
            audit.record("identity.update", "site_identity", 1, {"logo": bool(logo), "accent": values["accent"]})
            db.session.commit()
            flash(_l("Identitas situs disimpan."), "success")
            return redirect(url_for("identity.settings"))
        except service.IdentityError as exc:
            db.session.rollback()
            show_on_form(form, exc, "name")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/identity.html", form=form, ident=service.current_identity(), social=service.SOCIAL
    ), status


@bp.route("/identitas/lambang")
def logo():
    ident = service.current_identity()
    if not ident.logo:
        return redirect(url_for("static", filename="lambang.svg"))
    response = Response(ident.logo, mimetype=ident.logo_mime)
    if request.args.get("v") == ident.version:
        response.cache_control.public, response.cache_control.max_age = True, YEAR
    else:
        response.cache_control.no_cache = True
    if ident.logo_mime == "image/svg+xml":  # opened on its own, it still runs nothing
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.route("/identitas/warna.css")
def accent_css():
    """The accent colour as CSS variables (the CSP forbids inline styles)."""
    ident = service.current_identity()
    css = f":root {{ --brand: {ident.accent}; --brand-dark: {ident.accent_dark}; }}\n"
    response = Response(css, mimetype="text/css")
    if request.args.get("v") == ident.version:
        response.cache_control.public, response.cache_control.max_age = True, YEAR
    else:
        response.cache_control.no_cache = True
    return response


@bp.route("/kebijakan-privasi")
def privacy():
    return render_template("public/privacy.html", ident=service.current_identity())


def logo_url() -> str:
    ident = service.current_identity()
    if not ident.logo:
        return url_for("static", filename="lambang.svg")
    return url_for("identity.logo", v=ident.version)


def has_endpoint(name: str) -> bool:
    """Whether a page exists (a plugin's links show only when it is enabled)."""

    return name in current_app.view_functions


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(identity=service.current_identity, logo_url=logo_url, has_endpoint=has_endpoint)
