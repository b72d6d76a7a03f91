"""The self-assessment: the PPID Pembantu answers with checked evidence, the
Utama accepts or returns each answer; each unit sees only its own."""

from __future__ import annotations

import io

import pytest

from cms import accounts
from cms.extensions import db
from plugins.monev.models import MonevAnswer, MonevPeriod
from tests.conftest import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setup(monev_app):
    a, b = accounts.get_or_create_unit("Dinas A"), accounts.get_or_create_unit("Dinas B")
    period = MonevPeriod(year=2025, kind="year")
    db.session.add(period)
    db.session.commit()
    users = {
        "a": accounts.create_user("pembantu-a@x.test", "ppid_unit", PASSWORD, unit=a),
        "b": accounts.create_user("pembantu-b@x.test", "ppid_unit", PASSWORD, unit=b),
        "utama": accounts.create_user("utama@x.test", "ppid", PASSWORD),
    }
    return period, a, b, users


def login(client, user):
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def answer(client, period, unit, item="sk_ppid", data=PDF, name="sk.pdf"):
    form = {"butir": item, "ada": "1", "catatan": "SK Wali Kota", "bukti": (io.BytesIO(data), name)}
    return client.post(
        f"/admin/monev/{period.id}/unit/{unit.id}/mandiri", data=form, content_type="multipart/form-data"
    )


def test_pembantu_answers_and_utama_returns_one(client, setup):
    period, a, _b, users = setup
    login(client, users["a"])
    assert answer(client, period, a).status_code == 303
    assert answer(client, period, a, "meja_layanan", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "meja.png").status_code == 303
    login(client, users["utama"])
    url = f"/admin/monev/{period.id}/unit/{a.id}/mandiri"
    client.post(f"{url}/sk_ppid/verifikasi", data={"aksi": "terima"})
    client.post(f"{url}/meja_layanan/verifikasi", data={"aksi": "kembalikan", "komentar": "Foto meja tidak terbaca"})
    rows = {r.item: r for r in db.session.query(MonevAnswer)}
    assert (rows["sk_ppid"].status, rows["meja_layanan"].status) == ("diterima", "dikembalikan")
    login(client, users["a"])
    page = client.get(url).get_data(as_text=True)
    assert "Foto meja tidak terbaca" in page and "Dikembalikan untuk diperbaiki" in page
    # an accepted answer is final
    assert "Jawaban yang sudah diterima" in answer(client, period, a).get_data(as_text=True)


def test_return_needs_a_comment(client, setup):
    period, a, _b, users = setup
    login(client, users["a"])
    answer(client, period, a)
    login(client, users["utama"])
    url = f"/admin/monev/{period.id}/unit/{a.id}/mandiri"
    page = client.post(f"{url}/sk_ppid/verifikasi", data={"aksi": "kembalikan"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Tuliskan alasan pengembalian" in page
    assert db.session.query(MonevAnswer).one().status == "diajukan"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"hello, not a pdf", "sk.pdf", "harus PDF, PNG atau JPEG"),
        (b"MZ\x90\x00executable", "sk.exe", "harus PDF, PNG atau JPEG"),
        (b"%PDF-1.4\n" + b"0" * (2048 * 1024), "besar.pdf", "melebihi 2048 KB"),
    ],
)
def test_evidence_wrong_type_or_oversize_is_refused(client, setup, data, name, message):
    period, a, _b, users = setup
    login(client, users["a"])
    resp = answer(client, period, a, data=data, name=name)
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    assert db.session.query(MonevAnswer).count() == 0


def test_evidence_served_only_to_the_unit_and_the_utama(client, setup):
    period, a, _b, users = setup
    login(client, users["a"])
    answer(client, period, a)
    url = f"/admin/monev/{period.id}/unit/{a.id}/mandiri/sk_ppid/bukti"
    resp = client.get(url)
    assert resp.data == PDF and resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"].startswith("attachment")
    login(client, users["b"])
    assert client.get(url).status_code == 403
    assert client.get(f"/admin/monev/{period.id}/unit/{a.id}/mandiri").status_code == 403
    assert answer(client, period, a).status_code == 403
    login(client, users["utama"])
    assert client.get(url).data == PDF
    client.post("/logout")
    assert client.get(url).status_code in (302, 401)


def test_pembantu_sees_only_its_unit_on_the_scorecard(client, setup):
    period, a, b, users = setup
    login(client, users["a"])
    page = client.get(f"/admin/monev/{period.id}/").get_data(as_text=True)
    assert "Dinas A" in page and "Dinas B" not in page
    assert client.get(f"/admin/monev/{period.id}/unit/{b.id}").status_code == 403
    assert client.get(f"/admin/monev/{period.id}/laporan.xlsx").status_code == 403
    assert client.get(f"/admin/monev/{period.id}/unit/{b.id}/surat.pdf").status_code == 403


def test_a_refused_answer_keeps_what_was_typed(client, setup):
    period, a, _b, users = setup
    login(client, users["a"])
    page = answer(client, period, a, data=b"not a pdf", name="sk.txt").get_data(as_text=True)
    section = page[page.index('id="butir-sk_ppid"') : page.index('id="butir-petugas_terlatih"')]
    assert 'name="ada" value="1" checked' in section
    assert 'value="SK Wali Kota"' in section
    other = page[page.index('id="butir-petugas_terlatih"') :]
    assert 'value="1" checked' not in other
