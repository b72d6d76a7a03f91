"""The media library: checked uploads of images and documents.

The real type comes from the file's bytes (magic numbers, ZIP layout), never
from its name or the browser's Content-Type; the name's extension must agree.
Images are re-encoded by ``cms.images`` (EXIF/GPS gone).  Files live under
``media_dir()/YYYY/MM/`` with random names, served by ``public.media_file``.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import Path

from flask import current_app
from slugify import slugify
from sqlalchemy import select

from cms import images
from cms.audit import record
from cms.extensions import db
from cms.models.content import Media
from cms.newsroom.posts import WorkflowError
from cms.storage import media_dir
from cms.timeutil import naive_utc

OOXML = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OLE = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}
IMAGE_EXT = {"jpg", "jpeg", "png", "gif", "webp"}
DOC_EXT = {"pdf"} | set(OOXML) | set(ODF) | set(OLE)


def limits() -> tuple[int, int]:
    """(image bytes, document bytes), read from config at call time."""
    cfg = current_app.config
    return int(cfg.get("NEWSROOM_IMAGE_MAX_BYTES", 10 << 20)), int(cfg.get("NEWSROOM_FILE_MAX_BYTES", 25 << 20))


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB"


def _read(storage, limit: int, field: str) -> bytes:
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise WorkflowError(f"Berkas “{storage.filename}” terlalu besar; maksimal {_mb(limit)}.", field)
    if not data:
        raise WorkflowError(f"Berkas “{storage.filename}” kosong.", field)
    return data


def _ext(filename: str) -> str:
    return Path(filename or "").suffix.lower().lstrip(".")


def detect_document(data: bytes, ext: str) -> str | None:
    """The MIME type of a document whose content matches ``ext``, else ``None``."""
    if ext == "pdf":
        return "application/pdf" if data[:1024].lstrip().startswith(b"%PDF-") else None
    if ext in OLE:
        return OLE[ext] if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") else None
    if ext in OOXML or ext in ODF:
        if not data.startswith(b"PK\x03\x04"):
            return None
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                if ext in ODF:
                    return (
                        ODF[ext]
                        if "mimetype" in names
                        and archive.read("mimetype").decode("ascii", "replace").strip() == ODF[ext]
                        else None
                    )
                prefix, mime = OOXML[ext]
                ok = "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)
                return mime if ok else None
        except (zipfile.BadZipFile, KeyError, ValueError):
            return None
    return None


def _store(data: bytes, name: str, ext: str) -> str:
    now = naive_utc()
    rel = Path(f"{now:%Y}") / f"{now:%m}" / f"{secrets.token_hex(8)}-{slugify(name)[:60] or 'berkas'}.{ext}"
    full = media_dir() / rel
    full.parent.mkdir(parents=True, exist_ok=True)
    full.write_bytes(data)
    return rel.as_posix()


def save_image(storage, user, *, alt: str = "", field: str = "image") -> Media:
    """Upload an image to the library (re-encoded, variants made)."""
    if _ext(storage.filename) not in IMAGE_EXT:
        raise WorkflowError(f"“{storage.filename}” bukan gambar; gunakan JPG, PNG, GIF atau WebP.", field)
    data = _read(storage, limits()[0], field)
    try:
        full, variants = images.process(data)
    except images.ImageError as exc:
        raise WorkflowError(f"“{storage.filename}”: {exc}", field) from None
    stem = Path(storage.filename).stem
    media = Media(
        kind="image",
        file_name=_display_name(storage.filename),
        mime=full.mime,
        size=len(full.data),
        width=full.width,
        height=full.height,
        alt=(alt or "")[:300],
        uploaded_by_id=getattr(user, "id", None),
        path=_store(full.data, stem, full.ext),
        variants={k: _store(v.data, f"{stem}-{k}", v.ext) for k, v in variants.items()},
    )
    db.session.add(media)
    db.session.flush()
    record("media.upload", "media", media.id, {"file": media.file_name, "kind": "image"})
    return media


def save_document(storage, user, *, field: str = "attachments") -> Media:
    """Upload an attachment (PDF press kit, Office/ODF documents, or an image)."""
    ext = _ext(storage.filename)
    if ext in IMAGE_EXT:
        return save_image(storage, user, field=field)
    if ext not in DOC_EXT:
        allowed = ", ".join(sorted(DOC_EXT | IMAGE_EXT)).upper()
        raise WorkflowError(f"Jenis berkas “{storage.filename}” tidak diizinkan. Yang diizinkan: {allowed}.", field)
    data = _read(storage, limits()[1], field)
    mime = detect_document(data, ext)
    if mime is None:
        raise WorkflowError(
            f"Isi berkas “{storage.filename}” bukan {ext.upper()} yang sah (isi tidak sesuai ekstensinya).", field
        )
    media = Media(
        kind="file",
        file_name=_display_name(storage.filename),
        mime=mime,
        size=len(data),
        uploaded_by_id=getattr(user, "id", None),
        path=_store(data, Path(storage.filename).stem, ext),
    )
    db.session.add(media)
    db.session.flush()
    record("media.upload", "media", media.id, {"file": media.file_name, "kind": "file"})
    return media


def _display_name(filename: str) -> str:
    name = Path(filename or "berkas").name.replace("\x00", "")
    return "".join(ch for ch in name if ch.isprintable())[:200] or "berkas"


def library(kind: str | None = None, limit: int = 60) -> list[Media]:
    stmt = select(Media).order_by(Media.id.desc()).limit(limit)
    if kind:
        stmt = stmt.where(Media.kind == kind)
    return list(db.session.scalars(stmt))


def url(media: Media | None, variant: str | None = None, external: bool = False) -> str:
    if media is None:
        return ""
    path = "/media/" + (media.variant(variant) if variant else media.path)
    return current_app.config["SITE_URL"].rstrip("/") + path if external else path


def save_image_bytes(data: bytes, filename: str, user=None, *, alt: str = "", caption: str = "") -> Media:
    """Store an image given as bytes (demo content, imports) through the same checks."""
    from werkzeug.datastructures import FileStorage

    media = save_image(FileStorage(io.BytesIO(data), filename=filename), user, alt=alt)
    media.caption = caption[:500]
    return media
