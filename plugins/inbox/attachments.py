"""Documents attached to a written answer, checked by what they contain.

Besides PDF and images an answer often gives a spreadsheet, a document or
an archive (UU KIP Pasal 22(7)(d): the information in the form asked for).
The file name only says which check applies; the content must then prove
it: OOXML has ``[Content_Types].xml`` naming its main part, ODF a stored
``mimetype`` entry first, CSV is UTF-8 text without NUL bytes, and every
ZIP-based file is decompressed once, counting, so a zip bomb is refused
before it is stored.  Limits are settings, read at call time.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from cms.api import images
from plugins.inbox.files import UploadError, sniff

ZIP_MAGIC = b"PK\x03\x04"
OOXML = {
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
ODF = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
ACCEPTED = "PDF, JPG, PNG, DOCX, XLSX, ODT, ODS, CSV, ZIP"
CHUNK = 64 * 1024


def read_attachment(upload: FileStorage | None) -> tuple[bytes, str, str] | None:
    """``(data, mime, safe_name)``, ``None`` when nothing was sent, or
    ``UploadError`` saying what is wrong with the file."""
    if upload is None or not upload.filename:
        return None
    mb = current_app.config["INBOX_MAX_ATTACHMENT_MB"]
    limit = int(float(mb) * 1024 * 1024)
    data = upload.stream.read(limit + 1)
    name = secure_filename(upload.filename) or "berkas"
    if len(data) > limit:
        raise UploadError(_("%(f)s melebihi batas %(mb)s MB.", f=name, mb=mb))
    if not data:
        raise UploadError(_("%(f)s kosong.", f=name))
    stem, ext = (Path(name).stem[:80] or "berkas"), Path(name).suffix.lower()
    found = sniff(data[:16])
    if found is not None:
        mime, real_ext = found
        if mime.startswith("image/"):
            try:
                data = images.strip_metadata(data).data
            except images.ImageError:
                raise UploadError(_("%(f)s: gambar rusak atau tidak dapat dibaca.", f=name)) from None
        return data, mime, stem + real_ext
    if ext in OOXML or ext in ODF or ext == ".zip":
        archive = _open_zip(data, name)
        if ext in OOXML:
            _check_ooxml(archive, ext, name)
            return data, OOXML[ext][0], stem + ext
        if ext in ODF:
            _check_odf(archive, ext, name)
            return data, ODF[ext], stem + ext
        return data, "application/zip", stem + ext
    if ext == ".csv":
        _check_csv(data, name)
        return data, "text/csv", stem + ext
    raise UploadError(_("%(f)s: jenis berkas tidak diterima; unggah %(types)s.", f=name, types=ACCEPTED))


def _not_what_it_says(name: str, ext: str) -> UploadError:
    return UploadError(_("%(f)s: isi berkas bukan %(t)s.", f=name, t=ext.lstrip(".").upper()))


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Open and fully decompress once, counting: refuses a bomb, an
    encrypted entry, a path that climbs out, or a damaged archive."""
    ext = Path(name).suffix.lower()
    if not data.startswith(ZIP_MAGIC):
        raise _not_what_it_says(name, ext)
    cfg = current_app.config
    max_entries = int(cfg["INBOX_ZIP_MAX_ENTRIES"])
    max_total = int(float(cfg["INBOX_ZIP_MAX_UNCOMPRESSED_MB"]) * 1024 * 1024)
    too_big = UploadError(
        _(
            "%(f)s: isi arsip terlalu besar setelah diekstrak (batas %(mb)s MB, %(n)s berkas).",
            f=name,
            mb=cfg["INBOX_ZIP_MAX_UNCOMPRESSED_MB"],
            n=max_entries,
        )
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if len(entries) > max_entries or sum(e.file_size for e in entries) > max_total:
            raise too_big
        total = 0
        for entry in entries:
            path = PurePosixPath(entry.filename)
            if entry.flag_bits & 0x1:
                raise UploadError(_("%(f)s: arsip terenkripsi tidak dapat diperiksa.", f=name))
            if path.is_absolute() or ".." in path.parts or "\\" in entry.filename:
                raise UploadError(_("%(f)s: arsip memuat nama berkas yang tidak aman.", f=name))
            with archive.open(entry) as stream:  # the declared sizes may lie: count what comes out
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > max_total:
                        raise too_big
    except UploadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError):
        raise UploadError(_("%(f)s: arsip rusak atau tidak dapat dibaca.", f=name)) from None
    return archive


def _check_ooxml(archive: zipfile.ZipFile, ext: str, name: str) -> None:
    _mime, main_part, main_type = OOXML[ext]
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or main_part not in names:
        raise _not_what_it_says(name, ext)
    types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if main_type not in types:  # a macro-enabled .docm/.xlsm renamed is not a .docx/.xlsx
        raise _not_what_it_says(name, ext)


def _check_odf(archive: zipfile.ZipFile, ext: str, name: str) -> None:
    first = archive.infolist()[0] if archive.infolist() else None
    if first is None or first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
        raise _not_what_it_says(name, ext)
    if archive.read(first).strip() != ODF[ext].encode():
        raise _not_what_it_says(name, ext)


def _check_csv(data: bytes, name: str) -> None:
    if b"\x00" in data:
        raise _not_what_it_says(name, ".csv")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError(_("%(f)s: CSV harus teks UTF-8.", f=name)) from None
