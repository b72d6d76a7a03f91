"""Keep an evidence PDF under the Komisi Informasi's per-file limit (2 MB).

First lossless (content streams deflated, identical objects merged), then
images re-encoded as JPEG and scaled down, then the pages split into parts
each under the limit.  A single page still over the limit cannot be sent:
``TooLarge`` says which page and by how much.  pypdf (16 MB resident) is
imported at first use: web workers that never receive evidence never load it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from flask_babel import gettext as _

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter

IMAGE_MAX_SIDE = 1600
JPEG_QUALITY = 60


class TooLarge(ValueError):
    """The PDF cannot be brought under the limit (the message says why)."""


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _reader(data: bytes) -> PdfReader:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:  # before the pages: reading them would fail as "not decrypted"
            raise TooLarge(_("Berkas PDF terkunci kata sandi; unggah tanpa kata sandi."))
        _pages = len(reader.pages)  # reading the page tree finds most damage
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, TooLarge):
            raise
        raise TooLarge(_("Berkas PDF tidak dapat dibaca: %(why)s", why=type(exc).__name__)) from None
    return reader


def compress(data: bytes, *, images: bool) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=_reader(data))
    for page in writer.pages:
        page.compress_content_streams()
        if images:
            _shrink_images(page)
    writer.compress_identical_objects()
    return _write(writer)


def _shrink_images(page) -> None:
    try:
        found = list(page.images)
    except Exception:  # noqa: BLE001 - an image pypdf cannot decode stays as it is
        return
    for img in found:
        try:
            picture = img.image
            if picture is None:
                continue
            if max(picture.size) > IMAGE_MAX_SIDE:
                picture.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
            if picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            img.replace(picture, quality=JPEG_QUALITY)
        except Exception:  # noqa: BLE001 - idem
            continue


def _pages(reader: PdfReader, first: int, last: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for i in range(first, last):
        writer.add_page(reader.pages[i])
    writer.compress_identical_objects()
    return _write(writer)


def split(data: bytes, limit: int) -> list[bytes]:
    """Consecutive page ranges, each written under ``limit``; halves until it fits."""
    reader = _reader(data)
    parts: list[bytes] = []

    def fit(first: int, last: int) -> None:
        body = _pages(reader, first, last)
        if len(body) <= limit:
            parts.append(body)
            return
        if last - first == 1:
            raise TooLarge(
                _(
                    "Halaman %(page)s saja berukuran %(size)s MB setelah dikompresi, melebihi batas %(limit)s MB; "
                    "perkecil gambar pada halaman itu lalu unggah lagi.",
                    page=first + 1,
                    size=mb(len(body)),
                    limit=mb(limit),
                )
            )
        middle = (first + last) // 2
        fit(first, middle)
        fit(middle, last)

    fit(0, len(reader.pages))
    return _merge_small(reader, parts, limit)


def _merge_small(reader: PdfReader, parts: list[bytes], limit: int) -> list[bytes]:
    """Halving leaves small neighbours; join them again while they fit."""
    if len(parts) < 2:
        return parts
    from pypdf import PdfReader

    counts = [len(PdfReader(io.BytesIO(p)).pages) for p in parts]
    merged: list[bytes] = []
    merged_counts: list[int] = []
    start = 0
    for body, n in zip(parts, counts, strict=True):
        if merged:
            joined = _pages(reader, start - merged_counts[-1], start + n)
            if len(joined) <= limit:
                merged[-1], merged_counts[-1] = joined, merged_counts[-1] + n
                start += n
                continue
        merged.append(body)
        merged_counts.append(n)
        start += n
    return merged


def fit(data: bytes, limit: int) -> list[bytes]:
    """``data`` as one or more PDFs, each at most ``limit`` bytes."""
    if len(data) <= limit:
        return [data]
    for images in (False, True):
        data = compress(data, images=images)
        if len(data) <= limit:
            return [data]
    return split(data, limit)
