"""Views of the dip plugin."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("dip", __name__, template_folder="templates", url_prefix="/ppid/dip")


@bp.route("/")
def index():
    return render_template("dip/index.html")
