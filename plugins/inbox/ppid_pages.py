"""The public PPID pages: stored texts over defaults, office profiles and SOP files.

Only the PPID Utama edits them (permission ``inbox.pages``); every HTML
fragment goes through ``cms.api.clean_html`` before it is stored, and every
change is audited.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from cms.api import FieldError, Unit, audit, clean_html, clean_text, db, plain_text, private_dir
from plugins.inbox import ppid_page_defaults as defaults
from plugins.inbox.ppid_page_models import PpidOffice, PpidPage, PpidSop

# slug -> title; the slugs are the public URLs under /ppid/, except "prosedur",
# the short procedure shown on the PPID landing page itself (/ppid/#prosedur).
PAGES = {
    "maklumat": _l("Maklumat pelayanan"),
    "jam-layanan": _l("Jam dan tempat layanan"),
    "alur-layanan": _l("Alur layanan"),
    "prosedur": _l("Prosedur permohonan informasi"),
    "sop": _l("Standar operasional prosedur (SOP)"),
    "struktur": _l("Struktur PPID"),
}
SOP_KINDS = {
    "permohonan": _l("SOP pelayanan permohonan informasi"),
    "keberatan": _l("SOP pengajuan keberatan"),
    "uji-konsekuensi": _l("SOP uji konsekuensi"),
    "penetapan-dip": _l("SOP penetapan dan pemutakhiran DIP"),
}
MAX_HTML = 50_000
MAX_OFFICERS = 30
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9+()\-.\s/]{5,60}$")
# Active content a published PDF must not carry (it opens on visitors' machines).
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")


class PageError(FieldError):
    """A refused change to a PPID page, naming the form field."""


def page_html(slug: str) -> Markup:
    row = db.session.scalar(select(PpidPage).where(PpidPage.slug == slug))
    return clean_html(row.body_html if row else defaults.PAGES[slug])


def is_default(slug: str) -> bool:
    return db.session.scalar(select(PpidPage.id).where(PpidPage.slug == slug)) is None


def _clean_rich(html: str, field: str, label: str) -> Markup:
    html = html or ""
    if len(html) > MAX_HTML:
        raise PageError(_("%(label)s terlalu panjang (maks. %(n)s karakter).", label=label, n=MAX_HTML), field)
    cleaned = clean_html(html)
    if not plain_text(cleaned).strip():
        raise PageError(_("%(label)s wajib diisi dengan teks.", label=label), field)
    return cleaned


def save_page(slug: str, html: str, *, actor) -> PpidPage:
    if slug not in PAGES:
        raise PageError(_("Halaman tidak dikenal."), "body")
    cleaned = _clean_rich(html, "body", _("Isi halaman"))
    row = db.session.scalar(select(PpidPage).where(PpidPage.slug == slug))
    if row is None:
        row = PpidPage(slug=slug)
        db.session.add(row)
    row.body_html = str(cleaned)
    row.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record("inbox.ppid_page.update", "ppid_page", slug, {"chars": len(row.body_html)}, user=actor)
    db.session.commit()
    return row


# ------------------------------------------------------------------ offices


@dataclass
class Office:
    """What the structure page and an office's page show (stored or default)."""

    unit_key: int
    name: str
    slug: str | None
    about: Markup
    officers: list[tuple[str, str]]
    address: str
    phone: str
    email: str
    hours: str


def _officer_lines(text: str) -> list[tuple[str, str]]:
    """``Nama — Jabatan`` lines as (name, position) pairs."""
    out = []
    for line in (text or "").splitlines():
        if line.strip():
            parts = re.split(r"\s+[—–-]\s+", line.strip(), maxsplit=1)
            out.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return out


def office(unit_key: int, unit: Unit | None = None) -> Office:
    row = db.session.scalar(select(PpidOffice).where(PpidOffice.unit_key == unit_key))
    if unit_key == 0:
        name, slug, default_about = str(_("PPID Utama")), None, defaults.UTAMA_ABOUT
    else:
        unit = unit or db.session.get_one(Unit, unit_key)
        name, slug = str(_("PPID Pembantu %(unit)s", unit=unit.name)), unit.slug
        default_about = defaults.PEMBANTU_ABOUT.format(unit=escape(unit.name))
    return Office(
        unit_key=unit_key,
        name=name,
        slug=slug,
        about=clean_html(row.about_html if row and row.about_html else default_about),
        officers=_officer_lines(row.officers if row else ""),
        address=row.address if row else "",
        phone=row.phone if row else "",
        email=row.email if row else "",
        hours=row.hours if row else "",
    )


def stored_office(unit_key: int) -> PpidOffice | None:
    return db.session.scalar(select(PpidOffice).where(PpidOffice.unit_key == unit_key))


def pembantu_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)))


def structure() -> tuple[Office, list[Office]]:
    return office(0), [office(u.id, u) for u in pembantu_units()]


def save_office(unit_key: int, data: dict, *, actor) -> PpidOffice:
    if unit_key != 0 and db.session.get(Unit, unit_key) is None:
        raise PageError(_("Unit tidak ditemukan."), "about")
    about = _clean_rich(data.get("about") or "", "about", _("Uraian tugas"))
    officers = [clean_text(line).strip() for line in (data.get("officers") or "").splitlines()]
    officers = [line for line in officers if line]
    if len(officers) > MAX_OFFICERS:
        raise PageError(_("Paling banyak %(n)s pejabat/petugas.", n=MAX_OFFICERS), "officers")
    if any(len(line) > 300 for line in officers):
        raise PageError(_("Satu baris pejabat paling panjang 300 karakter."), "officers")
    email = (data.get("email") or "").strip().lower()
    if email and not EMAIL_RE.match(email):
        raise PageError(_("Alamat e-mail tidak valid."), "email")
    phone = (data.get("phone") or "").strip()
    if phone and not PHONE_RE.match(phone):
        raise PageError(_("Nomor telepon hanya boleh berisi angka, spasi dan + ( ) - / ."), "phone")
    row = stored_office(unit_key)
    if row is None:
        row = PpidOffice(unit_key=unit_key)
        db.session.add(row)
    row.about_html = str(about)
    row.officers = "\n".join(officers)
    row.address = clean_text(data.get("address") or "").strip()[:300]
    row.phone = phone
    row.email = email
    row.hours = clean_text(data.get("hours") or "").strip()[:300]
    db.session.flush()
    audit.record("inbox.ppid_office.update", "ppid_office", unit_key, {"officers": len(officers)}, user=actor)
    db.session.commit()
    return row


# ------------------------------------------------------------------ SOP files


def sop_dir() -> Path:
    return private_dir("inbox_sop")


def sop_files() -> dict[str, PpidSop]:
    return {row.kind: row for row in db.session.scalars(select(PpidSop))}


def check_pdf(data: bytes) -> None:
    """Refuse what is not a readable, unencrypted PDF without active content."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF-"):
        raise PageError(_("Berkas bukan PDF."), "file")
    if PDF_ACTIVE.search(data):
        raise PageError(_("PDF memuat skrip atau berkas sisipan; simpan ulang sebagai PDF biasa."), "file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PageError(_("PDF terkunci kata sandi; unggah PDF yang dapat dibuka siapa saja."), "file")
        pages = len(reader.pages)
    except PageError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise PageError(_("PDF rusak atau tidak dapat dibaca."), "file") from None
    if pages < 1:
        raise PageError(_("PDF tidak memiliki halaman."), "file")


def save_sop(kind: str, upload, *, actor) -> PpidSop:
    if kind not in SOP_KINDS:
        raise PageError(_("Jenis SOP tidak dikenal."), "file")
    if upload is None or not getattr(upload, "filename", ""):
        raise PageError(_("Pilih berkas PDF."), "file")
    limit = int(current_app.config["INBOX_MAX_ATTACHMENT_MB"]) * 1024 * 1024
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise PageError(_("Berkas melebihi batas %(mb)s MB.", mb=current_app.config["INBOX_MAX_ATTACHMENT_MB"]), "file")
    check_pdf(data)
    stored = secrets.token_hex(16) + ".pdf"
    (sop_dir() / stored).write_bytes(data)
    row = db.session.scalar(select(PpidSop).where(PpidSop.kind == kind))
    old = row.stored_name if row else None
    if row is None:
        row = PpidSop(kind=kind)
        db.session.add(row)
    row.file_name = f"sop-{kind}.pdf"
    row.stored_name = stored
    row.size = len(data)
    row.sha256 = hashlib.sha256(data).hexdigest()
    row.uploaded_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record("inbox.ppid_sop.upload", "ppid_sop", kind, {"sha256": row.sha256, "size": row.size}, user=actor)
    db.session.commit()
    if old:
        (sop_dir() / old).unlink(missing_ok=True)
    return row


def sop_path(row: PpidSop) -> Path:
    return sop_dir() / row.stored_name
