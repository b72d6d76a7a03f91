"""Record who did what to which record, and when."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog


def record(
    action: str,
    object_type: str = "",
    object_id: Any = "",
    detail: dict | None = None,
    *,
    user: Any = None,
    ip: str | None = None,
    commit: bool = False,
) -> AuditLog:
    """Append an audit entry.  By default it joins the caller's transaction,
    so the entry and the change it describes commit (or fail) together.
    ``ip`` is the request's address unless given (a job acting for one)."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    entry = AuditLog(
        user_id=getattr(user, "id", None),
        actor=getattr(user, "email", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        ip=ip if ip is not None else (request.remote_addr if has_request_context() else None),
        detail=detail or {},
    )
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry


def query(
    *, action: str | None = None, object_type: str | None = None, actor: str | None = None, object_id: str | None = None
):
    stmt = select(AuditLog).order_by(AuditLog.id.desc())
    if action:
        stmt = stmt.where(AuditLog.action.startswith(action))
    if object_type:
        stmt = stmt.where(AuditLog.object_type == object_type)
    if actor:
        stmt = stmt.where(AuditLog.actor.contains(actor))
    if object_id:
        stmt = stmt.where(AuditLog.object_id == object_id)
    return stmt
