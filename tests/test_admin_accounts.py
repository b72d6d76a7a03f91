"""Admin pages to add, edit and disable users and units."""

from __future__ import annotations

from sqlalchemy import select

from cms.accounts import find_user
from cms.extensions import db
from cms.models import AuditLog, Unit


def test_admin_adds_a_unit_and_a_unit_officer(client, make_user, login):
    login(make_user("admin"))
    response = client.post(
        "/admin/units/new", data={"name": "Dinas Komunikasi dan Informatika", "short_name": "Diskominfo"}
    )
    assert response.status_code == 302
    unit = db.session.scalars(select(Unit)).one()
    assert unit.slug == "dinas-komunikasi-dan-informatika"
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Pembantu@Kominfo.go.id",
            "name": "Budi",
            "role": "ppid_unit",
            "unit_id": unit.id,
            "password": "sandi-yang-panjang",
        },
    )
    assert response.status_code == 302
    user = find_user("pembantu@kominfo.go.id")
    assert user.unit_id == unit.id and user.role == "ppid_unit"
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "pembantu@kominfo.go.id" in listing and "Dinas Komunikasi dan Informatika" in listing


def test_unit_officer_without_unit_is_refused_keeping_input(client, make_user, login):
    login(make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={
            "email": "tanpa-unit@warta.test",
            "name": "Tanpa Unit",
            "role": "ppid_unit",
            "unit_id": 0,
            "password": "sandi-yang-panjang",
        },
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "wajib memiliki unit" in body
    assert 'value="tanpa-unit@warta.test"' in body and 'value="Tanpa Unit"' in body
    assert find_user("tanpa-unit@warta.test") is None


def test_duplicate_email_and_short_password_name_their_fields(client, make_user, login):
    admin = make_user("admin")
    login(admin)
    dup = client.post(
        "/admin/users/new",
        data={"email": admin.email, "role": "writer", "unit_id": 0, "password": "sandi-yang-panjang"},
    )
    assert dup.status_code == 400 and "sudah terdaftar" in dup.get_data(as_text=True)
    short = client.post(
        "/admin/users/new", data={"email": "baru@warta.test", "role": "writer", "unit_id": 0, "password": "pendek"}
    )
    body = short.get_data(as_text=True)
    assert short.status_code == 400 and "Kata sandi" in body and "minimal 10 karakter" in body


def test_admin_disables_a_user_and_it_is_audited(client, make_user, login):
    login(make_user("admin"))
    writer = make_user("writer")
    response = client.post(
        f"/admin/users/{writer.id}",
        data={
            "email": writer.email,
            "name": writer.name,
            "role": "writer",
            "unit_id": 0,
        },
    )  # the "active" checkbox unticked
    assert response.status_code == 302
    db.session.refresh(writer)
    assert writer.active is False
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.disable")).one()
    assert entry.object_id == str(writer.id) and entry.detail["active"] == [True, False]


def test_admin_cannot_disable_themself(client, make_user, login):
    admin = make_user("admin")
    login(admin)
    response = client.post(f"/admin/users/{admin.id}", data={"email": admin.email, "role": "admin", "unit_id": 0})
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.active is True


def test_duplicate_unit_name_is_refused(client, make_user, login):
    login(make_user("admin"))
    client.post("/admin/units/new", data={"name": "Bappeda"})
    response = client.post("/admin/units/new", data={"name": "bappeda"})
    assert response.status_code == 400 and "sudah ada" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Unit)).all()) == 1


def test_edit_unknown_user_is_404(client, make_user, login):
    login(make_user("admin"))
    assert client.get("/admin/users/99999").status_code == 404
