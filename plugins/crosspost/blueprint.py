"""The admin blueprint every crosspost view module registers its routes on.

Kept apart from the views so that ``views_*`` modules import it without
importing each other (no import cycle between the view modules)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "crosspost", __name__, template_folder="templates", static_folder="static", url_prefix="/admin/crosspost"
)
