"""Views of the crosspost plugin."""

from __future__ import annotations

from flask import Blueprint, render_template

from cms.policy import require

bp = Blueprint("crosspost", __name__, template_folder="templates", url_prefix="/admin/crosspost")


@bp.route("/")
@require("crosspost.manage")
def index():
    return render_template("crosspost/index.html")
