"""A request made from a DIP item: the item named in the rincian, linked on
the stored request and shown to officers with a link back (inbox + dip)."""

from __future__ import annotations

import re

import pytest

from cms.extensions import db
from cms.timeutil import naive_utc
from plugins.dip.models import DipEntry
from tests.plugins.inbox.conftest import form_data, get_request


@pytest.fixture
def app(make_app, mailbox):
    app = make_app(enabled=["inbox", "dip"], MAIL_PORT=mailbox.port, INBOX_MIN_SUBMIT_SECONDS=0)
    with app.app_context():
        yield app


def _entry(title: str, *, published: bool = True) -> DipEntry:
    entry = DipEntry(title=title, category="berkala", year=2025, published_at=naive_utc() if published else None)
    db.session.add(entry)
    db.session.commit()
    return entry


def _send(client, **overrides):
    resp = client.post("/ppid/permohonan", data=form_data(**overrides), content_type="multipart/form-data")
    assert resp.status_code == 303, resp.text[:2000]
    number = re.search(r'id="nomor">([^<]+)<', client.get(resp.headers["Location"]).text).group(1)
    return get_request(number)


def test_ajukan_permohonan_prefills_the_form_and_links_the_request(client, make_user, login):
    entry = _entry("Laporan keuangan Dinas Kesehatan 2024")
    link = re.search(r'href="(/ppid/permohonan\?dip=\d+)"', client.get(f"/ppid/dip/{entry.id}").text).group(1)
    form = client.get(link).text
    assert f'name="dip" value="{entry.id}"' in form
    assert f'<a href="http://warta.test/ppid/dip/{entry.id}">Laporan keuangan Dinas Kesehatan 2024</a>' in form
    details = re.search(r'<textarea[^>]*name="details"[^>]*>([^<]*)</textarea>', form).group(1)
    assert "Laporan keuangan Dinas Kesehatan 2024" in details and f"/ppid/dip/{entry.id}" in details

    req = _send(client, dip=str(entry.id), details=details.strip())
    assert req.dip_item_id == entry.id and req.dip_item_title == "Laporan keuangan Dinas Kesehatan 2024"
    assert "Laporan keuangan Dinas Kesehatan 2024" in req.details

    login(make_user("ppid"))
    case = client.get(f"/admin/inbox/{req.id}").text
    assert "Item DIP yang diminta" in case
    assert f'<a href="http://warta.test/ppid/dip/{entry.id}">Laporan keuangan Dinas Kesehatan 2024</a>' in case


def test_a_draft_or_unknown_item_is_not_linked(client):
    draft = _entry("Draf belum terbit", published=False)
    form = client.get(f"/ppid/permohonan?dip={draft.id}").text
    assert 'name="dip"' not in form and "Draf belum terbit" not in form
    assert 'name="dip"' not in client.get("/ppid/permohonan?dip=abc").text
    assert _send(client, dip=str(draft.id)).dip_item_id is None
    assert _send(client, dip="999999").dip_item_id is None


def test_the_applicants_own_rincian_is_kept_after_an_error(client):
    entry = _entry("Daftar aset daerah")
    resp = client.post(
        "/ppid/permohonan",
        data=form_data(dip=str(entry.id), details="Rincian saya sendiri", name=""),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
    assert "Rincian saya sendiri" in resp.text and f'name="dip" value="{entry.id}"' in resp.text


def test_a_deleted_item_still_shows_its_title_to_officers(client, make_user, login):
    entry = _entry("Peta rawan banjir")
    req = _send(client, dip=str(entry.id))
    db.session.delete(db.session.get(DipEntry, entry.id))
    db.session.commit()
    login(make_user("ppid"))
    case = client.get(f"/admin/inbox/{req.id}").text
    assert "Peta rawan banjir" in case and "tidak ada lagi di DIP" in case


def test_without_the_dip_plugin_the_form_opens_plain(make_app, mailbox):
    app = make_app(enabled=["inbox"], MAIL_PORT=mailbox.port)
    with app.app_context():
        page = app.test_client().get("/ppid/permohonan?dip=1")
        assert page.status_code == 200 and 'name="dip"' not in page.text
