"""The staff blueprint ``inbox_admin`` and its access helpers.

A PPID Pembantu (``ppid_unit``) sees only requests routed to its unit; a
request nobody routed yet belongs to the PPID Utama.  Every refusal is
logged by ``cms.policy``/here before the 403.
"""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user

from cms.api import audit, db, ensure, visible_unit_ids
from plugins.inbox.models import InfoRequest, Objection

bp = Blueprint("inbox_admin", __name__, template_folder="templates", url_prefix="/admin/inbox")


def may_see_unit(unit_id: int | None) -> bool:
    visible = visible_unit_ids(current_user)
    return visible is None or (unit_id is not None and unit_id in visible)


def _deny(object_type: str, object_id, permission: str) -> None:
    audit.record("access.denied", object_type, object_id, {"permission": permission, "path": request.path}, commit=True)
    abort(403)


def load_request(request_id: int, permission: str = "inbox.view") -> InfoRequest:
    req = db.session.get(InfoRequest, request_id)
    if req is None:
        abort(404)
    if not may_see_unit(req.unit_id):
        _deny("inbox_request", req.number, permission)
    ensure(permission, unit_id=req.unit_id)
    return req


def load_objection(objection_id: int, permission: str = "inbox.view") -> Objection:
    obj = db.session.get(Objection, objection_id)
    if obj is None:
        abort(404)
    if not may_see_unit(obj.request.unit_id):
        _deny("inbox_objection", obj.number, permission)
    ensure(permission, unit_id=obj.request.unit_id)
    return obj


def scope(stmt, unit_column):
    """Limit a query to the units the current user may see."""
    visible = visible_unit_ids(current_user)
    if visible is None:
        return stmt
    return stmt.where(unit_column.in_(visible or {-1}))
