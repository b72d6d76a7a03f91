"""The admin navigation reaches the standar biaya; messages go through the catalogue."""

from __future__ import annotations

from tests.plugins.inbox.conftest import get_request
from tests.plugins.inbox.letter_helpers import configure


def test_standar_biaya_is_in_the_admin_navigation_for_who_may_edit_it(inbox_app, client, login, make_user):
    login(make_user("ppid"))
    page = client.get("/admin/inbox/").text
    assert 'href="/admin/inbox/standar-biaya"' in page and "Standar biaya" in page
    login(make_user("ppid_unit", unit="Dinas Kesehatan"))  # no inbox.fees
    assert 'href="/admin/inbox/standar-biaya"' not in client.get("/admin/inbox/").text


def test_letter_not_issued_warning_is_translated(inbox_app, client, submit, login, make_user):
    ppid = make_user("ppid", name="Petugas Baru")
    configure(signer=None)
    number, _ = submit()
    req = get_request(number)
    login(ppid)
    resp = client.post(
        f"/admin/inbox/{req.id}/perpanjang?lang=en", data={"reason": "Arsip inaktif."}, follow_redirects=True
    )
    assert "then issue the letter from the request page" in resp.text
    assert "terbitkan suratnya dari halaman permohonan" not in resp.text
