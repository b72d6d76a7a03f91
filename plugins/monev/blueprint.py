"""The two blueprints every monev view module registers its routes on:
``monev`` for the public results page, ``monev_admin`` for staff."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("monev", __name__, template_folder="templates", url_prefix="/ppid/monev")
admin_bp = Blueprint("monev_admin", __name__, template_folder="templates", url_prefix="/admin/monev")
