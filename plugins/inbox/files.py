"""Uploaded files: checked by size and real type, encrypted at rest.

Files live under ``cms.storage.private_dir("inbox")`` (never served
directly) as Fernet tokens; a view streams them after the permission check.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from cms.api import decrypt_bytes, encrypt_bytes, images, naive_utc, private_dir
from plugins.inbox.models import InboxFile

# Magic bytes of the types we accept (identity scans, letters, documents).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


class UploadError(ValueError):
    pass


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, mime, ext in SIGNATURES:
        if head.startswith(magic):
            return mime, ext
    return None


def read_upload(upload: FileStorage | None) -> tuple[bytes, str, str] | None:
    """Return ``(data, mime, safe_name)`` or ``None`` when nothing was sent;
    raise ``UploadError`` with a user-facing reason otherwise."""
    if upload is None or not upload.filename:
        return None
    limit = int(current_app.config["INBOX_MAX_UPLOAD_MB"]) * 1024 * 1024
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_("Berkas melebihi batas %(mb)s MB.", mb=current_app.config["INBOX_MAX_UPLOAD_MB"]))
    if not data:
        raise UploadError(_("Berkas kosong."))
    found = sniff(data[:16])
    if found is None:
        raise UploadError(_("Jenis berkas tidak diterima; unggah PDF, JPG atau PNG."))
    mime, ext = found
    if mime.startswith("image/"):
        # A KTP photo's EXIF can hold where and when it was taken (GPS) and
        # the phone: none of it is needed to read the card.
        try:
            data = images.strip_metadata(data).data
        except images.ImageError:
            raise UploadError(_("Berkas gambar rusak atau tidak dapat dibaca; unggah ulang JPG atau PNG.")) from None
    stem = Path(secure_filename(upload.filename) or "berkas").stem[:80] or "berkas"
    return data, mime, stem + ext


def store(kind: str, data: bytes, mime: str, name: str, **owner) -> InboxFile:
    stored = secrets.token_hex(16)
    (private_dir("inbox") / stored).write_bytes(encrypt_bytes(data))
    return InboxFile(kind=kind, filename=name, mime=mime, size=len(data), stored_name=stored, **owner)


def load(entry: InboxFile) -> bytes:
    return decrypt_bytes((private_dir("inbox") / entry.stored_name).read_bytes())


def path_of(entry: InboxFile) -> Path:
    return private_dir("inbox") / entry.stored_name


def purge(entry: InboxFile) -> None:
    """Delete the bytes; the row stays (with ``purged_at``) for the register."""
    path = private_dir("inbox") / entry.stored_name
    if path.exists():
        path.unlink()
    entry.purged_at = naive_utc()
