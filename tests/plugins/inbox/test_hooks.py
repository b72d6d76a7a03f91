"""The inbox as a caller of the DIP hooks, and its own hook implementations
(dashboard panel, demo data, periodic tasks, permissions)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cms import hookimpl
from plugins.inbox import services
from tests.plugins.inbox.conftest import PDF, form_data, get_request


class FakeDip:
    """Stands in for the dip plugin on the other side of the hooks."""

    def __init__(self):
        self.added = []

    @hookimpl
    def cms_dip_add_document(self, title, summary, unit_id, year, file_path, file_name, source):
        content = Path(file_path).read_bytes() if file_path else None
        self.added.append(
            {
                "title": title,
                "year": year,
                "file_name": file_name,
                "source": source,
                "content": content,
                "unit_id": unit_id,
            }
        )
        return 77

    @hookimpl
    def cms_dip_suggest(self, text, limit):
        if "APBD" in text:
            return [{"title": "APBD Kota Bekasi 2025", "url": "/ppid/dip/12"}][:limit]
        return []


@pytest.fixture
def dip():
    return FakeDip()


@pytest.fixture
def dip_app(make_app, mailbox, dip):
    app = make_app(enabled=["inbox"], plugins=[dip], MAIL_PORT=mailbox.port)
    with app.app_context():
        yield app


def _signed_in(app):
    from cms import accounts
    from tests.conftest import PASSWORD

    client = app.test_client()
    user = accounts.create_user("utama@warta.test", "ppid", PASSWORD)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    return client


def test_hook_cms_dip_add_document(dip_app, dip):
    client = _signed_in(dip_app)
    req, _ = services.create_request(form_data())
    client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={"outcome": "dikabulkan_seluruhnya", "material": "APBD", "attachments": (io.BytesIO(PDF), "apbd.pdf")},
        content_type="multipart/form-data",
    )
    resp = client.post(f"/admin/inbox/{req.id}/dip", follow_redirects=True)
    assert "diterbitkan ke Daftar Informasi Publik" in resp.text
    (added,) = dip.added
    assert added["content"] == PDF and added["file_name"] == "apbd.pdf" and added["source"] == req.number
    assert get_request(req.number).dip_entry_id == 77
    # the decrypted copy handed to the hook does not linger
    from cms.storage import private_dir

    assert list(private_dir("inbox", "publish").iterdir()) == []
    # The ringkasan of the annual report is berkala: never through this (setiap saat) hook.
    client.post("/admin/inbox/laporan/susun", data={"year": str(req.year)})
    client.post("/admin/inbox/laporan/terbitkan", data={"year": str(req.year)})
    assert [a["source"] for a in dip.added] == [req.number]


def test_hook_cms_dip_suggest(dip_app):
    client = _signed_in(dip_app)
    req, _ = services.create_request(form_data())
    page = client.get(f"/admin/inbox/{req.id}").text
    assert "Informasi serupa di DIP" in page and "APBD Kota Bekasi 2025" in page


def test_publish_without_dip_plugin_is_refused_gracefully(client, login, submit, make_user):
    number, _ = submit()
    req = get_request(number)
    login(make_user("ppid"))
    client.post(f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya"})
    resp = client.post(f"/admin/inbox/{req.id}/dip", follow_redirects=True)
    assert resp.status_code == 200 and "Modul DIP tidak aktif" in resp.text
    assert "Informasi serupa di DIP" not in client.get(f"/admin/inbox/{req.id}").text


def test_dashboard_panel_shows_what_is_due_first(client, login, submit, make_user):
    number, _ = submit()
    login(make_user("ppid"))
    page = client.get("/admin/").text
    assert "jatuh tempo terdekat" in page and number in page and "hari kerja lagi" in page
    login(make_user("writer"))
    assert "jatuh tempo terdekat" not in client.get("/admin/").text


def test_demo_data_is_idempotent(inbox_app):
    from sqlalchemy import func, select

    from cms.extensions import db
    from plugins.inbox.demo import load
    from plugins.inbox.models import InfoRequest, Objection

    load()
    load()
    assert db.session.scalar(select(func.count()).select_from(InfoRequest)) == 3
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 1
    # Each demo request sits with a unit, so the units' Monev request figures are not all empty.
    units = {r.unit.name for r in db.session.scalars(select(InfoRequest))}
    assert units == {"Badan Keuangan Daerah", "Dinas Komunikasi dan Informatika"}


def test_periodic_tasks_and_permissions_are_declared(inbox_app):
    from cms.jobs import periodic_tasks

    names = {t.name for t in periodic_tasks(inbox_app)}
    assert {"inbox.reminders", "inbox.retention_purge"} <= names
    policy = inbox_app.extensions["cms_policy"]
    assert policy["inbox.decide"] == {"atasan"} and "ppid_unit" not in policy["inbox.identity"]


class BrokenDip:
    @hookimpl
    def cms_dip_add_document(self, title, summary, unit_id, year, file_path, file_name, source):
        raise RuntimeError("dip is down")

    @hookimpl
    def cms_dip_suggest(self, text, limit):
        raise RuntimeError("dip is down")


def test_a_failing_dip_plugin_does_not_break_the_inbox(make_app, mailbox):
    app = make_app(enabled=["inbox"], plugins=[BrokenDip()], MAIL_PORT=mailbox.port)
    with app.app_context():
        client = _signed_in(app)
        req, _ = services.create_request(form_data())
        assert client.get(f"/admin/inbox/{req.id}").status_code == 200
        client.post(f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya"})
        resp = client.post(f"/admin/inbox/{req.id}/dip", follow_redirects=True)
        assert resp.status_code == 200 and "tidak diterbitkan" in resp.text
        assert get_request(req.number).outcome == "dikabulkan_seluruhnya"
