"""Permissions are decided in one place, per role and per unit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from cms.policy import can, visible_unit_ids


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("admin", {"users.manage", "posts.publish", "posts.write", "audit.view", "admin.access"}),
        ("editor", {"posts.publish", "posts.write", "posts.review", "admin.access"}),
        ("writer", {"posts.write", "admin.access"}),
        ("ppid", {"admin.access"}),
        ("ppid_unit", {"admin.access"}),
        ("atasan", {"admin.access"}),
    ],
)
def test_core_permission_matrix(make_user, role, allowed):
    user = make_user(role, unit="Dinas Kominfo" if role == "ppid_unit" else None)
    for permission in ("users.manage", "posts.publish", "posts.write", "audit.view", "admin.access"):
        assert can(user, permission) is (permission in allowed), (role, permission)


def test_writers_cannot_publish(make_user):
    assert not can(make_user("writer"), "posts.publish")


def test_unit_bound_role_sees_only_its_unit(make_user):
    from cms import accounts

    other = accounts.get_or_create_unit("Dinas Kesehatan")
    officer = make_user("ppid_unit", unit="Dinas Kominfo")
    assert visible_unit_ids(officer) == {officer.unit_id}
    assert visible_unit_ids(make_user("ppid")) is None
    assert can(officer, "admin.access", unit_id=officer.unit_id)
    assert not can(officer, "admin.access", unit_id=other.id)


def test_disabled_and_anonymous_users_hold_nothing(make_user):
    from flask_login import AnonymousUserMixin

    user = make_user("admin")
    user.active = False
    assert not can(user, "admin.access")
    assert not can(AnonymousUserMixin(), "admin.access")


def test_unknown_permission_is_a_programming_error(make_user):
    with pytest.raises(KeyError):
        can(make_user("admin"), "no.such.permission")


@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/new", "/admin/units", "/admin/audit", "/admin/plugins"])
def test_admin_only_pages_refuse_other_roles_and_log_it(client, make_user, login, path):
    login(make_user("editor"))
    response = client.get(path)
    assert response.status_code == 403
    assert "Akses ditolak" in response.get_data(as_text=True)
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    assert any(e.object_id == path for e in denied)


def test_guests_are_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
