"""Documents attached to an answer: each accepted type is proved by its
content, each disguise refused as a form error on the field, nothing
stored, and what is stored is served as a download that is never sniffed."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from plugins.inbox.attachments import UploadError, read_attachment
from tests.plugins.inbox.conftest import PDF, PNG, get_request

FIELD = "Dokumen yang diberikan (PDF, JPG, PNG, DOCX, XLSX, ODT, ODS, CSV, ZIP)"


def _docx() -> bytes:
    out = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Daftar kegiatan 2025")
    doc.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    wb = Workbook()
    wb.active.append(["Kegiatan", "Anggaran"])
    wb.save(out)
    return out.getvalue()


def _odf(mime: str, *, stored: bool = True, first: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if not first:
            z.writestr("content.xml", "<office:document-content/>")
        z.writestr("mimetype", mime, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        if first:
            z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def _check(name: str, data: bytes):
    return read_attachment(FileStorage(io.BytesIO(data), filename=name))


@pytest.mark.parametrize(
    ("name", "make", "mime"),
    [
        ("jawaban.pdf", lambda: PDF, "application/pdf"),
        ("foto.png", lambda: PNG, "image/png"),
        ("kegiatan.docx", _docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("anggaran.xlsx", _xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("surat.odt", lambda: _odf(ODT), ODT),
        ("tabel.ods", lambda: _odf(ODS), ODS),
        ("data.csv", lambda: b"No;Kegiatan;Anggaran\n1;Jalan;Rp5.000.000\n", "text/csv"),
        ("data-bom.csv", lambda: "\ufeffNo,Nama\n1,Ruas jalan Ahmad Yani\n".encode(), "text/csv"),
        ("lampiran.zip", lambda: _zip({"a.pdf": PDF, "b/c.txt": b"isi"}), "application/zip"),
    ],
)
def test_accepted_types(inbox_app, name, make, mime):
    data = make()
    got, got_mime, got_name = _check(name, data)
    assert (got_mime, got_name) == (mime, name) and got == data


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("laporan.docx", lambda: EXE, "laporan.docx: isi berkas bukan DOCX."),
        ("program.exe", lambda: EXE, "program.exe: jenis berkas tidak diterima"),
        ("tabel.xlsx", _docx, "tabel.xlsx: isi berkas bukan XLSX."),  # a DOCX renamed .xlsx
        ("kosong.docx", lambda: _zip({"word/document.xml": b"<w/>"}), "bukan DOCX"),  # no [Content_Types].xml
        (
            "makro.docx",
            lambda: _zip(
                {
                    "[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled.main+xml",
                    "word/document.xml": b"<w/>",
                    "word/vbaProject.bin": b"\x00" * 10,
                }
            ),
            "makro.docx: isi berkas bukan DOCX.",
        ),
        ("surat.odt", lambda: _odf(ODS), "surat.odt: isi berkas bukan ODT."),
        ("surat.odt", lambda: _odf(ODT, first=False), "bukan ODT"),
        ("surat.odt", lambda: _odf(ODT, stored=False), "bukan ODT"),
        ("data.csv", lambda: b"No,Nama\x00\x01\n", "data.csv: isi berkas bukan CSV."),
        ("data.csv", lambda: "No,Nama\n1,Caf\u00e9\n".encode("latin-1"), "data.csv: CSV harus teks UTF-8."),
        ("arsip.zip", lambda: EXE, "arsip.zip: isi berkas bukan ZIP."),
        ("arsip.zip", lambda: b"PK\x03\x04" + b"\x00" * 40, "arsip.zip: arsip rusak"),
        ("arsip.zip", lambda: _zip({"../../etc/passwd": b"x"}), "nama berkas yang tidak aman"),
        ("kosong.pdf", lambda: b"", "kosong.pdf kosong."),
    ],
)
def test_refused_disguises(inbox_app, name, make, reason):
    with pytest.raises(UploadError) as exc:
        _check(name, make())
    assert reason in str(exc.value)


def test_zip_bomb_refused_by_total_size_and_entry_count(inbox_app):
    inbox_app.config.update(INBOX_ZIP_MAX_UNCOMPRESSED_MB=1, INBOX_ZIP_MAX_ENTRIES=50)
    bomb = _zip({"nol.bin": b"\x00" * (3 * 1024 * 1024)})
    assert len(bomb) < 10 * 1024  # 3 MB of zeros in a few KB
    with pytest.raises(UploadError, match="isi arsip terlalu besar setelah diekstrak"):
        _check("bom.zip", bomb)
    with pytest.raises(UploadError, match="terlalu besar"):  # the same inside an office file
        _check("bom.xlsx", _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"\x00" * (2 * 1024 * 1024)}))
    many = _zip({f"f{i}.txt": b"x" for i in range(51)})
    with pytest.raises(UploadError, match="50 berkas"):
        _check("banyak.zip", many)
    inbox_app.config["INBOX_ZIP_MAX_ENTRIES"] = 100  # read at call time
    assert _check("banyak.zip", many)[1] == "application/zip"


def test_size_limit_is_a_setting_read_at_call_time(inbox_app):
    data = _docx()
    inbox_app.config["INBOX_MAX_ATTACHMENT_MB"] = 0.01
    with pytest.raises(UploadError, match="kegiatan.docx melebihi batas 0.01 MB"):
        _check("kegiatan.docx", data)
    inbox_app.config["INBOX_MAX_ATTACHMENT_MB"] = 1
    assert _check("kegiatan.docx", data)[0] == data


def test_answer_form_refuses_disguise_and_serves_documents_safely(client, submit, login, make_user, inbox_app):
    number, _code = submit()
    req = get_request(number)
    login(make_user("ppid"))
    url = f"/admin/inbox/{req.id}/jawab"
    resp = client.post(
        url,
        data={
            "outcome": "dikabulkan_seluruhnya",
            "attachments": [(io.BytesIO(_xlsx()), "anggaran.xlsx"), (io.BytesIO(EXE), "laporan.docx")],
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
    assert f"{FIELD}: laporan.docx: isi berkas bukan DOCX." in resp.text
    assert get_request(number).outcome is None and get_request(number).files == []
    inbox_app.config["INBOX_MAX_ATTACHMENT_MB"] = 0.001
    resp = client.post(
        url,
        data={"outcome": "dikabulkan_seluruhnya", "attachments": [(io.BytesIO(_docx()), "besar.docx")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "besar.docx melebihi batas 0.001 MB" in resp.text
    inbox_app.config["INBOX_MAX_ATTACHMENT_MB"] = 20
    blobs = {"anggaran.xlsx": _xlsx(), "surat.odt": _odf(ODT), "data.csv": b"a,b\n1,2\n"}
    resp = client.post(
        url,
        data={
            "outcome": "dikabulkan_seluruhnya",
            "attachments": [(io.BytesIO(b), n) for n, b in blobs.items()],
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302, resp.text[:2000]
    stored = {f.filename: f for f in get_request(number).files if f.kind == "answer"}
    assert set(stored) == set(blobs) and stored["data.csv"].mime == "text/csv"
    for name, blob in blobs.items():
        got = client.get(f"/admin/inbox/{req.id}/berkas/{stored[name].id}")
        assert got.data == blob
        assert got.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/admin/inbox/{req.id}/berkas/{stored['data.csv'].id}").mimetype == "text/csv"
