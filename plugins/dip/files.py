"""DIP documents: type by magic bytes, size limit, private storage, safe names."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from flask import current_app
from werkzeug.utils import secure_filename

from cms.api import FieldError, images, private_dir


class DipError(FieldError):
    """A user-facing reason, with the form field it concerns."""


# (magic prefix, extension, mimetype); OOXML/ODF are zips, told apart below.
_MAGIC = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc", "application/msword"),
)
_ZIP_KINDS = (
    (b"word/", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (b"application/vnd.oasis.opendocument.text", "odt", "application/vnd.oasis.opendocument.text"),
    (b"application/vnd.oasis.opendocument.spreadsheet", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
)
# Shown inline; everything else is sent as an attachment.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def sniff(path: Path) -> tuple[str, str] | None:
    """(extension, mimetype) from the file's content, or None when not allowed."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    for magic, ext, mime in _MAGIC:
        if head.startswith(magic):
            return ext, mime
    if head.startswith(b"PK\x03\x04"):
        for marker, ext, mime in _ZIP_KINDS:
            if marker in head:
                return ext, mime
    return None


def storage_dir() -> Path:
    return private_dir("dip", "documents")


def _max_bytes() -> int:
    return int(current_app.config["DIP_MAX_UPLOAD_MB"]) * 1024 * 1024


def store(source: Path, display_name: str) -> dict:
    """Check and copy a file into DIP storage; returns DipDocument fields."""
    size = source.stat().st_size
    if size == 0:
        raise DipError("Berkas kosong.", "document")
    if size > _max_bytes():
        raise DipError(
            f"Berkas terlalu besar ({size // 1024 // 1024} MB; maks. {current_app.config['DIP_MAX_UPLOAD_MB']} MB).",
            "document",
        )
    kind = sniff(source)
    if kind is None:
        raise DipError(
            "Jenis berkas tidak diizinkan (hanya PDF, gambar PNG/JPEG, dokumen Word/Excel/PowerPoint/ODF).", "document"
        )
    ext, mime = kind
    stored = f"{secrets.token_hex(16)}.{ext}"
    if mime.startswith("image/"):  # published: no EXIF/GPS or comments from the camera
        try:
            cleaned = images.strip_metadata(source.read_bytes()).data
        except images.ImageError:
            raise DipError("Berkas gambar rusak atau tidak dapat dibaca.", "document") from None
        (storage_dir() / stored).write_bytes(cleaned)
        size = len(cleaned)
    else:
        shutil.copyfile(source, storage_dir() / stored)
    name = secure_filename(display_name or "") or f"dokumen.{ext}"
    if not name.lower().endswith(f".{ext}"):
        name = f"{name.rsplit('.', 1)[0]}.{ext}"
    return {"file_name": name[:255], "stored_name": stored, "mimetype": mime, "size": size}


def store_upload(upload) -> dict:
    """A werkzeug FileStorage → stored file (spooled to disk first, never trusted)."""
    tmp = storage_dir() / f".upload-{secrets.token_hex(8)}"
    try:
        limit = _max_bytes()
        written = 0
        with tmp.open("wb") as out:
            while chunk := upload.stream.read(1 << 16):
                written += len(chunk)
                if written > limit:
                    raise DipError(
                        f"Berkas terlalu besar (maks. {current_app.config['DIP_MAX_UPLOAD_MB']} MB).", "document"
                    )
                out.write(chunk)
        return store(tmp, upload.filename or "")
    finally:
        tmp.unlink(missing_ok=True)


def path_of(stored_name: str) -> Path:
    return storage_dir() / Path(stored_name).name


def remove(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)
