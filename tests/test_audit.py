"""The audit log: who did what to which record and when; append-only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cms import audit
from cms.extensions import db
from cms.models import AuditLog
from cms.models.audit import AuditLogIsAppendOnly


def test_record_joins_the_callers_transaction(make_user):
    user = make_user("admin")
    audit.record("post.publish", "post", 7, {"title": "x"}, user=user)
    db.session.rollback()
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "post.publish")).first() is None
    audit.record("post.publish", "post", 7, {"title": "x"}, user=user, commit=True)
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "post.publish")).one()
    assert (entry.actor, entry.object_type, entry.object_id) == (user.email, "post", "7")
    assert entry.at is not None


def test_entries_cannot_be_changed_or_deleted(make_user):
    entry = audit.record("x.y", "thing", 1, commit=True)
    entry.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditLog, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditLog, entry.id).action == "x.y"


def test_admin_sees_the_log_with_filters(client, make_user, login):
    admin = make_user("admin")
    make_user("writer", email="penulis@warta.test")
    login(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "user.create" in page and "auth.login" in page
    filtered = client.get("/admin/audit?action=auth.").get_data(as_text=True)
    assert "auth.login" in filtered and "user.create" not in filtered
    by_actor = client.get(f"/admin/audit?actor={admin.email}").get_data(as_text=True)
    assert "auth.login" in by_actor


def test_views_of_the_log_require_audit_permission(client, make_user, login):
    login(make_user("ppid"))
    assert client.get("/admin/audit").status_code == 403
