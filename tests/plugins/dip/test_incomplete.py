"""Imported DIP entries missing penanggung jawab, tempat/waktu or retensi,
listed per unit: the PPID Utama sees all, a PPID Pembantu only its own."""

from __future__ import annotations

import pytest

from cms.extensions import db
from cms.models import Unit

FULL = {"responsible": "Kepala Dinas", "made_place": "Bekasi", "retention": "5 tahun", "source": "impor"}


@pytest.fixture
def entries(make_entry):
    made = {
        "complete": make_entry("Lengkap A", **FULL),
        "no_responsible": make_entry("Tanpa penanggung jawab", **(FULL | {"responsible": ""})),
        "no_retention": make_entry("Tanpa retensi", **(FULL | {"retention": ""})),
        "no_place": make_entry("Tanpa tempat", unit="Dinas Pendidikan", **(FULL | {"made_place": ""})),
        "typed": make_entry("Diketik manual", **(FULL | {"source": "", "responsible": ""})),
        "utama": make_entry("Milik PPID Utama", unit=None, **(FULL | {"retention": ""})),
    }
    return made


def _unit(name):
    from sqlalchemy import select

    return db.session.scalar(select(Unit).where(Unit.name == name))


def test_the_utama_sees_every_units_count(client, login, make_user, entries):
    login(make_user("ppid"))
    page = client.get("/admin/dip/belum-lengkap").text
    kes, pend = _unit("Dinas Kesehatan"), _unit("Dinas Pendidikan")
    assert f'<a href="/admin/dip/belum-lengkap/unit/{kes.id}">Dinas Kesehatan</a>: 2 entri' in page
    assert f'<a href="/admin/dip/belum-lengkap/unit/{pend.id}">Dinas Pendidikan</a>: 1 entri' in page
    assert '<a href="/admin/dip/belum-lengkap/utama">PPID Utama</a>: 1 entri' in page
    utama = client.get("/admin/dip/belum-lengkap/utama").text
    assert "Milik PPID Utama" in utama and "jangka waktu penyimpanan" in utama


def test_a_unit_page_lists_only_its_imported_incomplete_entries_with_what_is_missing(client, login, make_user, entries):
    login(make_user("ppid"))
    page = client.get(f"/admin/dip/belum-lengkap/unit/{_unit('Dinas Kesehatan').id}").text
    assert "Tanpa penanggung jawab" in page and "Tanpa retensi" in page
    assert "Lengkap A" not in page and "Diketik manual" not in page and "Tanpa tempat" not in page
    assert f'href="/admin/dip/{entries["no_responsible"].id}"' in page
    assert '<span class="badge">penanggung jawab</span>' in page
    assert '<span class="badge">jangka waktu penyimpanan</span>' in page
    other = client.get(f"/admin/dip/belum-lengkap/unit/{_unit('Dinas Pendidikan').id}").text
    assert '<span class="badge">tempat/waktu pembuatan</span>' in other


def test_finishing_an_entry_takes_it_off_the_list(client, login, make_user, entries):
    login(make_user("ppid"))
    entry = db.session.get(type(entries["no_retention"]), entries["no_retention"].id)
    entry.retention = "Selama berlaku"
    db.session.commit()
    page = client.get(f"/admin/dip/belum-lengkap/unit/{_unit('Dinas Kesehatan').id}").text
    assert "Tanpa retensi" not in page and "1 entri" in page


def test_a_pembantu_sees_its_own_and_no_other(client, login, make_user, entries):
    kes, pend = _unit("Dinas Kesehatan"), _unit("Dinas Pendidikan")
    login(make_user("ppid_unit", unit=kes))
    landing = client.get("/admin/dip/belum-lengkap")
    assert landing.status_code == 302 and landing.headers["Location"].endswith(f"/belum-lengkap/unit/{kes.id}")
    own = client.get(f"/admin/dip/belum-lengkap/unit/{kes.id}")
    assert own.status_code == 200 and "Tanpa retensi" in own.text
    assert client.get(f"/admin/dip/belum-lengkap/unit/{pend.id}").status_code == 403
    assert client.get("/admin/dip/belum-lengkap/utama").status_code == 403


@pytest.mark.parametrize("role", ["atasan", "editor"])
def test_roles_without_dip_manage_are_refused(client, login, make_user, entries, role):
    login(make_user(role))
    assert client.get("/admin/dip/belum-lengkap").status_code == 403
    assert client.get(f"/admin/dip/belum-lengkap/unit/{_unit('Dinas Kesehatan').id}").status_code == 403


def test_unknown_unit_is_404(client, login, make_user):
    login(make_user("ppid"))
    assert client.get("/admin/dip/belum-lengkap/unit/99999").status_code == 404
    assert "sudah lengkap" in client.get("/admin/dip/belum-lengkap").text


def _panel(client) -> str:
    import re

    page = client.get("/admin/").text
    return re.search(r'<section class="card dip-panel">(.*?)</section>', page, re.S).group(1)


def test_the_dashboard_shows_a_pembantu_its_own_count_with_a_link(client, login, make_user, entries):
    kes, pend = _unit("Dinas Kesehatan"), _unit("Dinas Pendidikan")
    login(make_user("ppid_unit", unit=kes))
    panel = _panel(client)
    assert f'<a href="/admin/dip/belum-lengkap/unit/{kes.id}">2 entri belum lengkap</a>' in panel
    assert "Dinas Pendidikan" not in panel and f"/unit/{pend.id}" not in panel and "/utama" not in panel


def test_the_dashboard_shows_a_pembantu_with_nothing_missing_a_zero(client, login, make_user, entries):
    other = _unit("Dinas Pendidikan")
    entry = db.session.get(type(entries["no_place"]), entries["no_place"].id)
    entry.made_place = "Bekasi"
    db.session.commit()
    login(make_user("ppid_unit", unit=other))
    assert f'<a href="/admin/dip/belum-lengkap/unit/{other.id}">0 entri belum lengkap</a>' in _panel(client)


def test_the_dashboard_shows_the_utama_the_count_per_unit(client, login, make_user, entries):
    kes, pend = _unit("Dinas Kesehatan"), _unit("Dinas Pendidikan")
    login(make_user("ppid"))
    panel = _panel(client)
    assert f'<a href="/admin/dip/belum-lengkap/unit/{kes.id}">Dinas Kesehatan: 2 entri belum lengkap</a>' in panel
    assert f'<a href="/admin/dip/belum-lengkap/unit/{pend.id}">Dinas Pendidikan: 1 entri belum lengkap</a>' in panel
    assert '<a href="/admin/dip/belum-lengkap/utama">PPID Utama: 1 entri belum lengkap</a>' in panel
    assert '<a href="/admin/dip/belum-lengkap">Semua unit</a>' in panel


def test_the_dashboard_has_no_dip_panel_for_roles_without_dip_manage(client, login, make_user, entries):
    login(make_user("editor"))
    assert "dip-panel" not in client.get("/admin/").text
