"""Who may do what: the one place permissions are decided.

Permissions are names; each maps to the roles that hold it.  Core defines
its own below, plugins add theirs through ``cms_permissions``.  ``admin``
holds every permission.  Unit-bound checks (a PPID Pembantu sees only its
own OPD) go through ``can(user, perm, unit_id=...)``.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user

CORE_PERMISSIONS: dict[str, set[str]] = {
    "admin.access": {"editor", "writer", "ppid", "ppid_unit", "atasan"},
    "users.manage": set(),
    "units.manage": set(),
    "units.merge": {"ppid"},  # the PPID Utama joins one OPD entered under two names
    "audit.view": set(),
    "plugins.view": set(),
    "identity.manage": set(),  # lambang, name, contacts, accent colour: admins only
    "posts.write": {"editor", "writer"},
    "posts.review": {"editor"},
    "posts.publish": {"editor"},
    "media.manage": {"editor", "writer"},
    "press.manage": {"editor"},  # the press room: contacts, boilerplate, media kit
    "subscribers.manage": set(),
    "press.embargo": {"journalist"},  # approved journalists: personal embargo previews
}

# Permissions that are limited to the user's own unit for these roles.
UNIT_BOUND_ROLES = {"ppid_unit"}


def _table(app=None) -> dict[str, set[str]]:
    app = app or current_app
    return app.extensions["cms_policy"]


def build_policy(pm) -> dict[str, set[str]]:
    table = {name: set(roles) for name, roles in CORE_PERMISSIONS.items()}
    for contributed in pm.hook.cms_permissions():
        for name, roles in (contributed or {}).items():
            table.setdefault(name, set()).update(roles)
    return table


def is_declared(permission: str) -> bool:
    """True when core or an enabled plugin declares ``permission``."""
    return permission in _table()


def can(user: Any, permission: str, *, unit_id: int | None = None) -> bool:
    """True when ``user`` holds ``permission`` (for ``unit_id`` when given)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    table = _table()
    if permission not in table:
        raise KeyError(f"unknown permission {permission!r}")
    if user.role == "admin":
        return True
    if user.role not in table[permission]:
        return False
    if unit_id is not None and user.role in UNIT_BOUND_ROLES:
        return user.unit_id == unit_id
    return True


def visible_unit_ids(user: Any) -> set[int] | None:
    """Units whose records the user may see; ``None`` means all units."""
    if getattr(user, "role", None) in UNIT_BOUND_ROLES:
        return {user.unit_id} if user.unit_id else set()
    return None


def require(permission: str):
    """View decorator: 401 → login for guests, 403 (logged) for the rest."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]  # set by Flask-Login
            if not can(current_user, permission):
                from cms.audit import record

                record("access.denied", "url", request.path, {"permission": permission}, commit=True)
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def ensure(permission: str, *, unit_id: int | None = None) -> None:
    """Abort with 403 (and log it) unless the current user may act."""
    if not can(current_user, permission, unit_id=unit_id):
        from cms.audit import record

        record(
            "access.denied",
            "url",
            request.path,
            {"permission": permission, "unit_id": unit_id},
            commit=True,
        )
        abort(403)
