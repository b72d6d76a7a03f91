"""The plugin's hooks: a page, a nav item and a config default."""

from flask import Blueprint, current_app, render_template

from cms.api import NavItem, hookimpl

bp = Blueprint("hello", __name__, template_folder="templates", url_prefix="/halo")


@bp.route("/")
def index():
    return render_template("hello/index.html", greeting=current_app.config["HELLO_GREETING"])


@hookimpl
def cms_config_defaults():
    return {"HELLO_GREETING": "Halo dari plugin contoh!"}


@hookimpl
def cms_blueprints():
    return bp


@hookimpl
def cms_public_nav():
    return [NavItem("Halo", "hello.index", order=900)]
