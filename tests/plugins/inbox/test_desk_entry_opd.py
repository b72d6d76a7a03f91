"""The desk-entry form (a request taken in person or by letter) offers the
same optional OPD pick as the public form; the PPID Utama still routes."""

from __future__ import annotations

import re

import time_machine

from tests.plugins.inbox.conftest import get_request

DESK = {
    "channel": "letter",
    "received_at": "2026-11-02T09:00",
    "applicant_type": "perseorangan",
    "name": "Siti Aminah",
    "nik": "3275014101900002",
    "address": "Jl. Mawar 3",
    "phone": "0812999888",
    "details": "Jadwal posyandu 2026",
    "purpose": "Informasi warga",
    "access_method": "melihat",
    "delivery": "ambil",
}


def test_desk_entry_keeps_the_applicants_opd_pick_and_shows_it(client, login, make_user):
    utama = make_user("ppid", email="utama@warta.test")
    health = make_user("ppid_unit", unit="Dinas Kesehatan", email="kesehatan@warta.test")
    with time_machine.travel("2026-11-03 02:00:00", tick=False):
        login(utama)
        form = client.get("/admin/inbox/baru").text
        assert "OPD yang menurut pemohon menguasai informasi" in form
        assert f'<option value="{health.unit_id}">Dinas Kesehatan</option>' in form
        resp = client.post("/admin/inbox/baru", data={**DESK, "suggested_unit_id": str(health.unit_id)})
        assert resp.status_code == 200 and "0001/PPID/2026" in resp.text
        req = get_request("0001/PPID/2026")
        assert req.suggested_unit_id == health.unit_id and req.unit_id is None  # a suggestion, not a routing
        page = client.get(f"/admin/inbox/{req.id}").text
        assert re.search(r'id="usulan-opd">[^<]*<strong>Dinas Kesehatan</strong>', page)

        bad = client.post("/admin/inbox/baru", data={**DESK, "suggested_unit_id": "999999"})
        assert bad.status_code == 400
        assert "OPD yang menurut pemohon menguasai informasi: Pilih OPD dari daftar, atau kosongkan." in bad.text
        assert get_request("0002/PPID/2026") is None

        assert client.post("/admin/inbox/baru", data=DESK).status_code == 200  # the pick is optional
        assert get_request("0002/PPID/2026").suggested_unit_id is None
