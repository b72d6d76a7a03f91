"""Who sees what: unit isolation, roles without access, identity views logged."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from plugins.inbox import services
from tests.plugins.inbox.conftest import NIK, PNG, get_request


@pytest.fixture
def routed(client, submit, make_user):
    """Two requests: one routed to Dinas Kesehatan, one to Dinas Pendidikan."""
    health = make_user("ppid_unit", unit="Dinas Kesehatan")
    school = make_user("ppid_unit", unit="Dinas Pendidikan")
    a, _ = submit(details="Data puskesmas", ktp=(io.BytesIO(PNG), "ktp.png"))
    b, _ = submit(details="Data sekolah", name="Ani Lestari")
    services.assign(get_request(a), health.unit, None)
    services.assign(get_request(b), school.unit, None)
    return {"health": health, "school": school, "a": get_request(a), "b": get_request(b)}


def _denials():
    return db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()


def test_ppid_unit_sees_only_its_unit(client, login, routed):
    login(routed["health"])
    page = client.get("/admin/inbox/").text
    assert routed["a"].number in page and routed["b"].number not in page
    # Names are masked for roles without the identity right.
    assert "B*** S******" in page and "Budi Santoso" not in page
    assert client.get(f"/admin/inbox/{routed['a'].id}").status_code == 200
    resp = client.get(f"/admin/inbox/{routed['b'].id}")
    assert resp.status_code == 403
    (denied,) = _denials()
    assert denied.object_id == routed["b"].number and denied.actor == routed["health"].email
    assert (
        client.post(f"/admin/inbox/{routed['b'].id}/jawab", data={"outcome": "dikabulkan_seluruhnya"}).status_code
        == 403
    )
    assert get_request(routed["b"].number).outcome is None


def test_unrouted_requests_are_invisible_to_ppid_unit(client, login, submit, make_user):
    number, _ = submit()
    officer = make_user("ppid_unit", unit="Dinas Kesehatan")
    login(officer)
    assert number not in client.get("/admin/inbox/").text
    assert client.get(f"/admin/inbox/{get_request(number).id}").status_code == 403


def test_ppid_unit_cannot_see_identity_files_or_nik(client, login, routed):
    login(routed["health"])
    req = routed["a"]
    ktp = next(f for f in req.files if f.kind == "ktp")
    assert client.get(f"/admin/inbox/{req.id}/berkas/{ktp.id}").status_code == 403
    assert client.get(f"/admin/inbox/{req.id}/identitas").status_code == 403
    assert NIK not in client.get(f"/admin/inbox/{req.id}").text


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_newsroom_roles_see_nothing(client, login, make_user, routed, role):
    login(make_user(role))
    assert client.get("/admin/inbox/").status_code == 403
    assert client.get(f"/admin/inbox/{routed['a'].id}").status_code == 403
    assert client.get("/admin/inbox/register.csv").status_code == 403
    assert client.get("/admin/inbox/laporan").status_code == 403


def test_guests_are_sent_to_login(client, routed):
    resp = client.get("/admin/inbox/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_identity_views_are_logged(client, login, make_user, routed):
    ppid = make_user("ppid")
    login(ppid)
    req = routed["a"]
    page = client.get(f"/admin/inbox/{req.id}/identitas").text
    assert NIK in page
    ktp = next(f for f in req.files if f.kind == "ktp")
    resp = client.get(f"/admin/inbox/{req.id}/berkas/{ktp.id}")
    assert resp.status_code == 200 and resp.data == PNG and resp.headers["Cache-Control"] == "private, no-store"
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.object_id == req.number, AuditLog.actor == ppid.email)
    ).all()
    assert "inbox.identity.viewed" in actions and "inbox.file.viewed" in actions


def test_atasan_reads_but_cannot_answer(client, login, make_user, routed):
    login(make_user("atasan"))
    assert client.get(f"/admin/inbox/{routed['a'].id}").status_code == 200
    assert (
        client.post(f"/admin/inbox/{routed['a'].id}/jawab", data={"outcome": "dikabulkan_seluruhnya"}).status_code
        == 403
    )


def test_register_export_is_scoped_to_the_unit(client, login, routed):
    login(routed["health"])
    body = client.get("/admin/inbox/register.csv").data.decode("utf-8-sig")
    assert routed["a"].number in body and routed["b"].number not in body
    assert client.get(f"/admin/inbox/register.csv?unit={routed['school'].unit_id}").status_code == 403
