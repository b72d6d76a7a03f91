"""The media kit: one ZIP journalists download from ``/media``.

It holds the logo as PNG in several sizes (and the SVG when the logo is
one), a fact sheet PDF, the chosen high-resolution photos with a
``credits.txt``, and a vCard per press contact.  The worker builds it
(``press.build_media_kit``) whenever what it holds changes; the file is named
after the digest of its contents, which is also its ETag, so the URL
``/media/kit-media.zip`` stays the same and caches revalidate cheaply.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, render_template
from slugify import slugify

from cms.extensions import db
from cms.jobs import enqueue, job
from cms.letterforms import tanggal
from cms.newsroom import press_contacts, press_room
from cms.newsroom.press_identity import identity
from cms.pdf import html_to_pdf

if TYPE_CHECKING:  # Pillow: at the first media kit, not in every web worker
    from PIL import Image
from cms.storage import media_dir, private_dir
from cms.timeutil import naive_utc

LOGO_SIZES = (128, 256, 512, 1024)
KIT_FORMAT = "1"  # bump when the layout of the ZIP changes


def _logo_bytes() -> bytes:
    path = identity().logo
    return path.read_bytes() if path.is_file() else b""


def digest() -> str:
    """What the kit holds, hashed: contacts, boilerplate, photos, logo, identity."""
    ident = identity()
    room = press_room.settings()
    spec = {
        "format": KIT_FORMAT,
        "identity": [ident.name, ident.site_title, ident.city, ident.address],
        "boilerplate": room.boilerplate,
        "contacts": [
            [c.id, c.name, c.role, c.phone, c.whatsapp, c.email] for c in press_contacts.listing(active_only=True)
        ],
        "photos": [
            [p.media_id, p.media.path, p.media.size, p.credit, p.media.caption] for p in press_room.kit_photos()
        ],
        "logo": hashlib.sha256(_logo_bytes()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def kit_path(found: str) -> Path:
    return private_dir("press") / f"media-kit-{found[:32]}.zip"


def _raster_logo() -> Image.Image:
    """The logo as an RGBA image, ``max(LOGO_SIZES)`` pixels on its long side
    (an SVG is printed once by WeasyPrint and rasterised by PDFium)."""
    path, size = identity().logo, max(LOGO_SIZES)
    if path.suffix.lower() == ".svg":
        import pypdfium2

        html = (
            "<html><head><style>@page{size:512px 512px;margin:0}html,body{margin:0}"
            "img{display:block;width:512px;height:512px;object-fit:contain}</style></head>"
            f'<body><img src="{path.resolve().as_uri()}"></body></html>'
        )
        page = pypdfium2.PdfDocument(html_to_pdf(html))[0]
        return page.render(scale=size / page.get_size()[0], fill_color=(0, 0, 0, 0)).to_pil().convert("RGBA")
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("RGBA")


def logo_pngs() -> dict[int, bytes]:
    """PNG bytes per size; a raster logo is never enlarged (smaller sizes only)."""
    from PIL import Image

    source = _raster_logo()
    found: dict[int, bytes] = {}
    for size in LOGO_SIZES:
        if size > max(source.size) and found:
            break
        image = source.copy()
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        found[size] = _png(image)
    return found


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def fact_sheet_pdf() -> bytes:
    ident = identity()
    room = press_room.settings()
    html = render_template(
        "press/fact_sheet.html",
        ident=ident,
        paragraphs=press_room.boilerplate_paragraphs(room.boilerplate),
        contacts=press_contacts.listing(active_only=True),
        e164=press_contacts.e164,
        today=tanggal(naive_utc()),
        site=current_app.config["SITE_URL"].rstrip("/"),
        logo_uri=ident.logo.resolve().as_uri() if ident.logo.is_file() else "",
    )
    return html_to_pdf(html)


def credits_text(photos) -> str:
    lines = [f"Kredit foto — kit media {identity().name}".strip(), ""]
    for n, photo in enumerate(photos, 1):
        lines.append(f"{_photo_name(n, photo)}: {photo.credit}")
        if photo.media.caption:
            lines.append(f"    {photo.media.caption}")
    lines += ["", "Foto boleh dipakai untuk pemberitaan dengan mencantumkan kreditnya."]
    return "\r\n".join(lines) + "\r\n"


def _photo_name(n: int, photo) -> str:
    stem, _, ext = photo.media.file_name.rpartition(".")
    suffix = Path(photo.media.path).suffix or f".{ext or 'jpg'}"
    return f"foto/{n:02d}-{slugify(stem or 'foto')[:60] or 'foto'}{suffix.lower()}"


def write_zip(target: Path) -> None:
    """Write the kit to ``target`` (via a temporary file of this build's own,
    then renamed: two builds at once must not write into one file)."""
    photos = press_room.kit_photos()
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=target.stem + ".", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        _fill_zip(tmp, photos)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _fill_zip(tmp: Path, photos: list) -> None:
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        if _logo_bytes():
            for size, png in logo_pngs().items():
                archive.writestr(f"logo/logo-{size}.png", png)
            if identity().logo.suffix.lower() == ".svg":
                archive.writestr("logo/logo.svg", _logo_bytes())
        archive.writestr("lembar-fakta.pdf", fact_sheet_pdf())
        for n, photo in enumerate(photos, 1):
            source = media_dir() / photo.media.path
            if source.is_file():
                archive.write(
                    source, _photo_name(n, photo), compress_type=zipfile.ZIP_STORED
                )  # JPEG/PNG: already packed
        if photos:
            archive.writestr("credits.txt", credits_text(photos))
        for contact in press_contacts.listing(active_only=True):
            archive.writestr(f"narahubung/{slugify(contact.name) or contact.id}.vcf", press_contacts.vcard(contact))


@job("press.build_media_kit", retries=2, retry_delay=60)
def build_media_kit(force: bool = False) -> str:
    """Build the kit unless the current one already holds what it should."""
    room = press_room.settings(create=True)
    found = digest()
    target = kit_path(found)
    if not force and room.kit_digest == found and target.is_file():
        db.session.commit()
        return found
    write_zip(target)
    room.kit_digest, room.kit_size, room.kit_built_at = found, target.stat().st_size, naive_utc()
    db.session.commit()
    for old in target.parent.glob("media-kit-*.zip"):
        if old != target:
            old.unlink(missing_ok=True)
    return found


def current() -> tuple[Path, str] | None:
    """The kit to serve (``path``, ``etag``).  A stale kit is still served
    while the worker rebuilds it; with none built yet, it is built now."""
    found = digest()
    room = press_room.settings()
    if room.kit_digest == found and kit_path(found).is_file():
        return kit_path(found), found
    if room.kit_digest and kit_path(room.kit_digest).is_file():
        db.session.commit()
        enqueue("press.build_media_kit")
        db.session.expire_all()
        room = press_room.settings()
    else:
        build_media_kit()
        room = press_room.settings()
    if room.kit_digest and kit_path(room.kit_digest).is_file():
        return kit_path(room.kit_digest), room.kit_digest
    return None
