"""Views of the inbox plugin."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("inbox", __name__, template_folder="templates", url_prefix="/ppid")


@bp.route("/")
def index():
    return render_template("inbox/index.html")
