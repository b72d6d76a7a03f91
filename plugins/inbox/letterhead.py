"""Kop surat and signer of a letter, per unit, with the settings as fallback.

A unit's row overrides the PPID Utama's (``unit_key`` 0) field by field;
empty fields of both fall back to the ``INBOX_LETTER_*`` settings.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from flask import current_app, has_request_context
from sqlalchemy import select

from cms.api import Unit, User, db, default_kop, images
from plugins.inbox.letter_models import Letterhead

TEXT_FIELDS = ("instansi", "unit_name", "unit_code", "address", "phone", "email", "website", "place", "tembusan")
LOGO_TYPES = {"image/png", "image/jpeg"}
LOGO_MAX_SIDE = 2000


@dataclass
class Kop:
    """What a letter prints in its head and foot (resolved, never a DB row)."""

    instansi: str = ""
    unit_name: str = ""
    unit_code: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    place: str = ""
    tembusan: str = ""
    logo_uri: str = ""
    number_pattern: str = ""
    patterns: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)
    signer: User | None = None
    delegate: bool = False

    @property
    def tembusan_list(self) -> list[str]:
        return [line.strip() for line in self.tembusan.splitlines() if line.strip()]


def row(unit_id: int | None) -> Letterhead | None:
    return db.session.scalar(select(Letterhead).where(Letterhead.unit_key == (unit_id or 0)))


def _defaults(unit: Unit | None) -> Kop:
    cfg = current_app.config
    site = default_kop()  # the identity settings: name, contacts, lambang
    return Kop(
        # A configured INBOX_LETTER_INSTANSI wins; left at its default, the identity's name.
        instansi=site["instansi"].upper()
        if cfg["INBOX_LETTER_INSTANSI"] == "PEMERINTAH KOTA"
        else cfg["INBOX_LETTER_INSTANSI"],
        address=site["address"],
        phone=site["phone"],
        email=site["email"],
        website=site["website"],
        logo_uri=site["logo_uri"],
        unit_name=unit.name if unit else cfg["INBOX_PPID_NAME"],
        unit_code=(unit.short_name or f"U{unit.id}") if unit else cfg["INBOX_LETTER_UNIT_CODE"],
        place=cfg["INBOX_LETTER_PLACE"],
        tembusan="\n".join(cfg["INBOX_LETTER_TEMBUSAN"] or []),
    )


def resolve(unit_id: int | None) -> Kop:
    """The kop of ``unit_id`` (``None`` = PPID Utama)."""
    unit = db.session.get(Unit, unit_id) if unit_id else None
    kop = _defaults(unit)
    rows = [r for r in (row(None), row(unit_id) if unit_id else None) if r is not None]
    for head in rows:  # the unit's row is applied last, so it wins
        own = head.unit_key == (unit_id or 0)
        for name in TEXT_FIELDS:
            value = (getattr(head, name) or "").strip()
            # The PPID Utama's unit name and code belong to it, not to the units.
            if value and (own or name not in ("unit_name", "unit_code")):
                setattr(kop, name, value)
        if head.logo:
            kop.logo_uri = f"data:{head.logo_mime};base64,{base64.b64encode(head.logo).decode()}"
        if own:
            kop.number_pattern = head.number_pattern or ""
            kop.patterns, kop.codes = dict(head.patterns or {}), dict(head.codes or {})
            kop.signer, kop.delegate = head.signer, bool(head.delegate)
        elif kop.signer is None:
            kop.signer = head.signer  # the PPID Utama's signer until the unit names one
    return kop


class LogoError(ValueError):
    pass


def check_logo(data: bytes) -> tuple[bytes, str]:
    """A PNG or JPEG within the size limits, re-encoded without metadata."""
    limit = int(current_app.config["INBOX_LETTER_LOGO_MAX_KB"]) * 1024
    if len(data) > limit:
        raise LogoError(f"Logo melebihi batas {limit // 1024} KB.")
    if images.sniff(data) not in LOGO_TYPES:
        raise LogoError("Logo harus berupa gambar PNG atau JPEG.")
    try:
        clean = images.strip_metadata(data)
    except images.ImageError as exc:
        raise LogoError(str(exc)) from None
    if max(clean.width, clean.height) > LOGO_MAX_SIDE:
        raise LogoError(f"Logo terlalu besar; paling besar {LOGO_MAX_SIDE} piksel per sisi.")
    if clean.mime not in LOGO_TYPES:
        raise LogoError("Logo harus berupa gambar PNG atau JPEG.")
    return clean.data, clean.mime


def acting_officer() -> User | None:
    """The signed-in officer deciding (``None`` for the public, the worker and the CLI)."""
    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user._get_current_object() if current_user.is_authenticated else None


@dataclass
class Signer:
    user: User | None
    name: str
    position: str
    nip: str


def signer_for(kind: str, req, kop: Kop, actor: User | None, obj=None) -> Signer | None:
    """Who signs: the atasan who decided a keberatan; the unit's PPID Pembantu
    when its kop delegates; else the officer who decided; else the kop's signer."""
    if kind == "tanggapan_keberatan" and obj is not None:
        user = actor
        return Signer(
            user,
            (obj.atasan_name or getattr(user, "name", "") or "").strip(),
            (obj.atasan_position or getattr(user, "position", "") or "").strip(),
            (getattr(user, "nip", "") or "").strip(),
        )
    if req.unit_id and kop.delegate and kop.signer is not None:
        user = kop.signer
    elif actor is not None:
        user = actor
    else:
        user = kop.signer
    if user is None:
        return None
    return Signer(user, (user.name or "").strip(), (user.position or "").strip(), (user.nip or "").strip())
