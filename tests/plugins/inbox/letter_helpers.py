"""Set-up shared by the letter tests: a kop, signing officers, PDF text."""

from __future__ import annotations

import io

from cms.extensions import db

NIP_UTAMA = "197801012005011001"
NIP_UNIT = "198205152009022003"


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def configure(unit=None, signer=None, **fields):
    """Save a letterhead row for ``unit`` (``None`` = PPID Utama)."""
    from plugins.inbox.letter_models import Letterhead

    head = Letterhead(
        unit_key=unit.id if unit else 0,
        instansi=fields.pop("instansi", "PEMERINTAH KOTA BEKASI"),
        unit_name=fields.pop("unit_name", "PPID Utama Kota Bekasi"),
        unit_code=fields.pop("unit_code", "UTAMA"),
        address=fields.pop("address", "Jl. Jend. Ahmad Yani No. 1, Bekasi 17141"),
        phone=fields.pop("phone", "(021) 88970163"),
        email=fields.pop("email", "ppid@bekasikota.go.id"),
        website=fields.pop("website", "ppid.bekasikota.go.id"),
        place=fields.pop("place", "Bekasi"),
        tembusan=fields.pop("tembusan", "Wali Kota Bekasi selaku Atasan PPID\nArsip"),
        signer_id=signer.id if signer else None,
        patterns=fields.pop("patterns", {}),
        codes=fields.pop("codes", {}),
        **fields,
    )
    db.session.add(head)
    db.session.commit()
    return head


def officer(
    make_user, role="ppid", unit=None, name="Drs. Sutrisno, M.Si.", position="Kepala Bagian Humas", nip=NIP_UTAMA
):
    user = make_user(role, unit=unit, name=name)
    user.position, user.nip = position, nip
    db.session.commit()
    return user
