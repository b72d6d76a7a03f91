"""Official documents as they print: one-page kuitansi and tanda bukti, the
closing paragraph kept with the signature, and Liberation Serif embedded."""

from __future__ import annotations

import io
import subprocess

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import select

from cms.extensions import db
from plugins.inbox import letter_records, letter_render, letterhead, payments
from plugins.inbox.fee_models import Payment
from tests.plugins.inbox.conftest import get_request
from tests.plugins.inbox.letter_helpers import NIP_UTAMA, configure, officer

RECEIVED = "2026-12-01 02:00:00"  # Tuesday 09.00 WIB
DECIDED = "2026-12-07 03:00:00"  # Monday


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def _liberation_installed() -> bool:
    try:
        out = subprocess.run(["fc-list", "Liberation Serif"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return False
    return "Liberation Serif" in out


@pytest.fixture
def letters_on(inbox_app):
    inbox_app.config["INBOX_LETTERS_ON_DECISION"] = "required"
    return inbox_app


@pytest.fixture
def ppid(make_user):
    user = officer(make_user, name="Siti Rahmawati, S.Sos.", position="Pengelola Layanan Informasi")
    configure(signer=user)
    return user


def _letters(req, kind):
    db.session.expire_all()
    return [r for r in letter_records.of_request(req) if r.kind == kind]


@pytest.fixture
def kuitansi(client, submit, login, ppid):
    with time_machine.travel(RECEIVED, tick=False):
        number, _ = submit(access_method="hardcopy", delivery="ambil")
        req = get_request(number)
        login(ppid)
        resp = client.post(
            f"/admin/inbox/{req.id}/jawab", data={"outcome": "dikabulkan_seluruhnya", "qty-salinan_lembar": "115"}
        )
        assert resp.status_code == 302, resp.text
    form = {"amount": "57500", "paid_on": "2026-12-07", "method": "transfer", "reference": "TRF-2026-000889"}
    with time_machine.travel(DECIDED, tick=False):
        login(ppid)
        assert client.post(f"/admin/inbox/{req.id}/pembayaran", data=form).status_code == 302
    return payments.kuitansi_pdf(db.session.scalar(select(Payment)))


def test_kuitansi_is_one_page_signed_by_the_receiving_officer(kuitansi):
    [page] = _pages(kuitansi)
    assert "Jumlah Rp57.500,00" in page
    assert "Lima puluh tujuh ribu lima ratus rupiah" in page
    assert "Pengelola Layanan Informasi" in page and f"NIP {NIP_UTAMA}" in page
    assert page.index("Jumlah Rp57.500,00") < page.index(f"NIP {NIP_UTAMA}")


def test_tanda_bukti_is_one_page(letters_on, submit, ppid):
    with time_machine.travel(RECEIVED, tick=False):
        number, _ = submit(delivery="pos", access_method="hardcopy")
    [receipt] = _letters(get_request(number), "tanda_terima")
    [page] = _pages(letter_records.load(receipt))
    assert "Jangka waktu dihitung sejak hari kerja berikutnya setelah permohonan diterima" in page
    assert "hari ke-0" not in page


def test_long_pemberitahuan_keeps_the_closing_with_the_signature(letters_on, client, submit, login, ppid):
    with time_machine.travel(RECEIVED, tick=False):
        number, _ = submit(delivery="pos", access_method="hardcopy")
    req = get_request(number)
    with time_machine.travel(DECIDED, tick=False):
        login(ppid)
        resp = client.post(
            f"/admin/inbox/{req.id}/jawab",
            data={"outcome": "dikabulkan_seluruhnya", "qty-salinan_lembar": "75"},
        )
        assert resp.status_code == 302, resp.text[:2000]
    [letter] = _letters(req, "pemberitahuan")
    req = get_request(number)
    kop = letterhead.resolve(req.unit_id)
    signer = letterhead.signer_for("pemberitahuan", req, kop, ppid)
    sheet = letter_render.Sheet("pemberitahuan", letter.number, letter.issued_date, letter.code, signer)
    # Grow the answer about three lines at a time until the letter takes a
    # second page, and a little past: wherever the page breaks, "Demikian…"
    # and the signer's name share a page.
    two_pages = 0
    for lines in range(0, 90, 3):
        req.answer_text = "Informasi tambahan untuk pemohon. " * (lines * 5 // 2)
        pages = _pages(letter_render.pdf(letter_render.html(sheet, req, kop)))
        if len(pages) < 2:
            continue
        [closing] = [p for p in pages if "Demikian" in p]
        assert "Siti Rahmawati, S.Sos." in closing and f"NIP {NIP_UTAMA}" in closing, lines
        two_pages += 1
        if two_pages == 5:
            break
    assert two_pages == 5
    db.session.rollback()


@pytest.mark.skipif(not _liberation_installed(), reason="Liberation Serif is not installed (make install)")
def test_official_documents_use_liberation_serif(letters_on, submit, ppid, kuitansi):
    assert any("Liberation" in name for name in _fonts(kuitansi)), _fonts(kuitansi)
    with time_machine.travel(RECEIVED, tick=False):
        number, _ = submit(delivery="pos", access_method="hardcopy")
    [receipt] = _letters(get_request(number), "tanda_terima")
    fonts = _fonts(letter_records.load(receipt))
    assert any("Liberation" in name for name in fonts) and not any("DejaVu" in n for n in fonts), fonts


@pytest.mark.skipif(not _liberation_installed(), reason="Liberation Serif is not installed (make install)")
def test_annual_report_uses_liberation_serif(inbox_app):
    from plugins.inbox import annual_build

    with time_machine.travel("2026-02-02 03:00:00", tick=False):
        annual_build.build(2025, "year", None)
        fonts = _fonts(annual_build.file_bytes(annual_build.record(2025, "year", None), "pdf"))
    assert any("Liberation" in name for name in fonts) and not any("DejaVu-Serif" in n for n in fonts), (
        fonts
    )  # charts may use a sans
