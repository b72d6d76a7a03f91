"""e-Monev evidence: generated from Warta (each PDF < 2 MB, dated, stable
URL), uploads split or refused, the evidence pack read back, only the PPID
Utama, and a disabled plugin's evidence "tidak tersedia"."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from cms import accounts
from plugins.monev.questionnaire import evidence, pack
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset
from tests.plugins.monev.conftest import ALL

LIMIT = 2 * 1024 * 1024


def login(client, email, role, unit=None):
    accounts.create_user(email, role, PASSWORD, unit=unit)
    client.post("/logout")
    client.post("/login", data={"email": email, "password": PASSWORD})


def noise_pdf(pages: int, side: int) -> bytes:
    """A PDF of ``pages`` pages of random pixels (incompressible, as scanned photos nearly are)."""
    images = [Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], quality=90)
    return out.getvalue()


def upload(client, key, data, name="bukti.pdf"):
    return client.post(
        f"/admin/monev/emonev/2025/unggah/{key}",
        data={"bukti": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def build_pack(client) -> zipfile.ZipFile:
    assert client.post("/admin/monev/emonev/2025/paket").status_code == 303
    page = client.get("/admin/monev/emonev/2025/paket").get_data(as_text=True)
    assert 'data-state="done"' in page, page
    resp = client.get("/admin/monev/emonev/2025/paket.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(resp.data))


def test_pack_with_generated_evidence_read_back(client, monev_app):
    dataset.build()
    login(client, "utama@x.test", "ppid")
    client.post("/admin/monev/emonev/2025/jawab/jen-1", data={"jawaban": "lengkap", "catatan": "DIP 2025"})
    assert upload(client, "kom-2", noise_pdf(1, 60), "DPA 2025.pdf").status_code == 303
    zf = build_pack(client)
    rows = pack.read_index(zf.read("indeks.pdf") and client.get("/admin/monev/emonev/2025/paket.zip").data)
    names = set(zf.namelist())
    assert {"indeks.csv", "indeks.pdf"} <= names
    files = [r for r in rows if r["berkas"]]
    # every CSV row names a file in the ZIP and every file in the ZIP is in the index
    assert {r["berkas"] for r in files} == names - {"indeks.csv", "indeks.pdf"}
    for r in files:
        body = zf.read(r["berkas"])
        assert body.startswith(b"%PDF-") and len(body) < LIMIT
        assert r["tanggal"] and r["url"].startswith("http://warta.test/admin/monev/emonev/2025/bukti/")
    by_q = {}
    for r in rows:
        by_q.setdefault(r["kode"], []).append(r)
    assert by_q["jen-1"][0]["berkas"], client.get("/admin/monev/emonev/2025/paket").get_data(as_text=True)
    assert by_q["jen-1"][0]["jawaban"] == "Ya, lengkap dan mutakhir"
    berkala = zf.read(by_q["jen-1"][0]["berkas"])
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(berkala)).pages)
    assert "Profil" in text and "Draf" not in text  # published berkala only, with its URL
    assert "warta.test/ppid/dip/" in text
    assert any(r["berkas"].endswith("2025-kom-2-dpa-2025.pdf") for r in by_q["kom-2"])
    maklumat = zf.read(by_q["pel-1"][0]["berkas"])
    assert "Maklumat" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(maklumat)).pages)
    # the file's URL is stable: rebuilding keeps the name, and it serves the file
    url = by_q["jen-1"][0]["url"].removeprefix("http://warta.test")
    build_pack(client)
    resp = client.get(url)
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    page = client.get("/admin/monev/emonev/2025/").get_data(as_text=True)
    assert 'id="nilai-total"' in page and "Yang kurang untuk mencapai" in page


def test_oversize_upload_is_split(make_app):
    app = make_app(enabled=ALL, MONEV_EVIDENCE_MAX_KB=64)
    with app.app_context():
        client = app.test_client()
        login(client, "utama@x.test", "ppid")
        data = noise_pdf(3, 300)  # ~40 KB a page even re-encoded as JPEG
        assert len(data) > 64 * 1024
        resp = upload(client, "sar-3", data, "foto.pdf")
        assert resp.status_code == 303
        rows = [f for f in evidence.files(2025) if f.question == "sar-3"]
        assert len(rows) >= 2 and all(f.size <= 64 * 1024 for f in rows)
        assert [f.file_name for f in rows][0] == "2025-sar-3-foto-bagian-1.pdf"
        pages = sum(len(PdfReader(evidence.path_of(f)).pages) for f in rows)
        assert pages == 3
        assert "dipecah menjadi" in client.get("/admin/monev/emonev/2025/").get_data(as_text=True)


def test_page_too_big_is_refused_clearly(make_app):
    app = make_app(enabled=ALL, MONEV_EVIDENCE_MAX_KB=64)
    with app.app_context():
        client = app.test_client()
        login(client, "utama@x.test", "ppid")
        resp = upload(client, "sar-3", noise_pdf(1, 700), "foto-besar.pdf")
        assert resp.status_code == 400
        page = resp.get_data(as_text=True)
        assert "Halaman 1 saja berukuran" in page and "melebihi batas" in page
        assert upload(client, "sar-3", b"GIF89a not a pdf").status_code == 400
        assert not evidence.files(2025)


def test_only_the_ppid_utama(client, monev_app):
    unit = accounts.get_or_create_unit("Dinas A")
    login(client, "pembantu@x.test", "ppid_unit", unit)
    for url in ("/admin/monev/emonev/2025/", "/admin/monev/emonev/2025/paket.zip"):
        assert client.get(url).status_code == 403
    assert upload(client, "sar-3", noise_pdf(1, 40)).status_code == 403
    assert client.post("/admin/monev/emonev/2025/paket").status_code == 403
    assert client.post("/admin/monev/emonev/2025/jawab/kua-1", data={"jawaban": "ya"}).status_code == 403
    assert not evidence.files(2025)


@pytest.mark.parametrize("off", ["inbox", "dip"])
def test_disabled_plugin_evidence_is_tidak_tersedia(make_app, off):
    app = make_app(enabled=[p for p in ALL if p != off])
    with app.app_context():
        dataset.build(**{f"with_{off}": False})
        client = app.test_client()
        login(client, "utama@x.test", "ppid")
        page = client.get("/admin/monev/emonev/2025/").get_data(as_text=True)
        gone = "inbox.statistik" if off == "inbox" else "dip.berkala"
        start = page.index(f'data-sumber="{gone}"')
        assert "tidak tersedia" in page[start : start + 400]
        zf = build_pack(client)
        rows = pack.read_index(client.get("/admin/monev/emonev/2025/paket.zip").data)
        assert not any(r["sumber"].startswith(f"{off}.") for r in rows)
        assert all(name in zf.namelist() for name in (r["berkas"] for r in rows if r["berkas"]))


def test_bad_answer_unknown_question_and_removal(client, monev_app):
    login(client, "utama@x.test", "ppid")
    resp = client.post("/admin/monev/emonev/2025/jawab/kua-1", data={"jawaban": "mungkin"})
    assert resp.status_code == 400 and "Pilih salah satu jawaban." in resp.get_data(as_text=True)
    assert client.post("/admin/monev/emonev/2025/jawab/tidak-ada", data={"jawaban": "ya"}).status_code == 404
    assert client.get("/admin/monev/emonev/1999/").status_code == 404
    assert upload(client, "kom-2", noise_pdf(1, 40), "dpa.pdf").status_code == 303
    (row,) = evidence.files(2025)
    path = evidence.path_of(row)
    assert path.is_file()
    assert client.post(f"/admin/monev/emonev/2025/bukti/{row.file_name}/hapus").status_code == 303
    assert not evidence.files(2025) and not path.exists()
    assert client.get(f"/admin/monev/emonev/2025/bukti/{row.file_name}").status_code == 404


def test_a_password_protected_pdf_is_refused_with_its_reason(make_app):
    """Splitting or compressing needs the pages: a locked PDF gets a clear reason."""
    from pypdf import PdfWriter

    from plugins.monev.questionnaire import pdfsize

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("rahasia")
    locked = io.BytesIO()
    writer.write(locked)
    app = make_app(enabled=ALL)
    with app.test_request_context("/"), pytest.raises(pdfsize.TooLarge, match="terkunci kata sandi"):
        pdfsize.fit(locked.getvalue(), 100)
