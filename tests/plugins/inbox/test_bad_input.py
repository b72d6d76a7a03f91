"""Hostile values in the inbox's forms and query strings: form errors or a
page, never a 500."""

from __future__ import annotations

import pytest

from tests.plugins.inbox.conftest import form_data, get_request


@pytest.fixture
def ppid(make_user):
    return make_user("ppid", name="Petugas Utama")


DESK = {
    "channel": "phone",
    "applicant_type": "perseorangan",
    "name": "Siti",
    "nik": "3275014101900002",
    "address": "Jl. Mawar",
    "phone": "0812999888",
    "details": "Jadwal posyandu",
    "purpose": "Informasi warga",
    "access_method": "melihat",
    "delivery": "ambil",
}


@pytest.mark.parametrize("received_at", ["0001-01-01T00:00", "1900-01-01T00:00"])
def test_desk_request_before_1945_is_a_form_error(client, login, ppid, received_at):
    login(ppid)
    resp = client.post("/admin/inbox/baru", data={**DESK, "received_at": received_at})
    assert resp.status_code == 400 and "Tanggal harus antara 17-08-1945" in resp.text
    assert get_request("0001/PPID/1") is None


def test_fee_beyond_the_column_is_a_form_error(client, submit, login, ppid):
    number, _ = submit(access_method="hardcopy", delivery="pos")
    req = get_request(number)
    login(ppid)
    resp = client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={"outcome": "dikabulkan_seluruhnya", "qty-salinan_lembar": str(2**63), "payment_method": "Tunai"},
    )
    assert resp.status_code == 400 and "Isi bilangan 0–100.000." in resp.text
    assert get_request(number).outcome is None


def test_report_with_bad_year_and_period_shows_this_year(client, login, ppid):
    login(ppid)
    client.get("/admin/")  # takes the sign-in flash
    this_year = client.get("/admin/inbox/laporan")
    resp = client.get("/admin/inbox/laporan?year=-5&period=q9")
    assert resp.status_code == 200 and resp.text == this_year.text
    assert client.get(f"/admin/inbox/laporan?year={10**20}&unit={10**20}").status_code == 200


@pytest.mark.parametrize("url", ["/admin/inbox/?page=99999999999999999999", "/admin/inbox/keberatan/?page=10001"])
def test_admin_list_past_the_last_page_is_404(client, login, ppid, url):
    login(ppid)
    assert client.get(url).status_code == 404


def test_admin_list_filters_ignore_numbers_out_of_range(client, submit, login, ppid):
    number, _ = submit()
    login(ppid)
    for query in (f"year={10**20}", "unit=99999999999999999999", "year=²", "page=abc"):
        resp = client.get(f"/admin/inbox/?{query}")
        assert resp.status_code == 200 and number in resp.text, query


@pytest.mark.parametrize("body", [[], "x", 5, {"name": {"a": [1]}}, [[[[[]]]]]])
@pytest.mark.parametrize("url", ["/ppid/permohonan", "/ppid/keberatan", "/ppid/permohonan/lacak"])
def test_json_posted_to_a_public_form_is_refused(client, url, body):
    resp = client.post(url, json=body)
    assert resp.status_code == 415 and "bukan JSON" in resp.text


def test_public_form_still_takes_form_data(client, submit):
    number, _ = submit(**form_data())
    assert get_request(number) is not None
