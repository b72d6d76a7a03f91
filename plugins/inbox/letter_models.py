"""Tables of official letters: the kop per unit and every letter issued.

An issued letter is a record: its PDF is stored encrypted (it names the
applicant) with the SHA-256 of the bytes as issued, and it is never
regenerated; a correction is a new letter pointing at the one it replaces.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.api import Model


class Letterhead(Model):
    """Kop surat, numbering and signer of one unit (``unit_key`` 0 = PPID Utama).

    Empty fields fall back to the PPID Utama's row, then to the settings."""

    __tablename__ = "inbox_letterhead"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_key: Mapped[int] = mapped_column(Integer, unique=True)  # 0 = PPID Utama (no NULL in the unique key)
    instansi: Mapped[str] = mapped_column(String(200), default="")
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    unit_code: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_mime: Mapped[str] = mapped_column(String(30), default="")
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The unit's PPID Pembantu signs the letters of requests routed to it.
    delegate: Mapped[bool] = mapped_column(Boolean, default=False)
    tembusan: Mapped[str] = mapped_column(Text, default="")
    number_pattern: Mapped[str] = mapped_column(String(200), default="")
    patterns: Mapped[dict] = mapped_column(JSON, default=dict)  # per letter kind
    codes: Mapped[dict] = mapped_column(JSON, default=dict)  # kode per letter kind
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    signer = relationship("User", foreign_keys=[signer_id])


class Letter(Model):
    """One issued letter: number, signer and the hash of the PDF as issued."""

    __tablename__ = "inbox_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # public verification code
    kind: Mapped[str] = mapped_column(String(30))
    request_id: Mapped[int] = mapped_column(ForeignKey("inbox_request.id"), index=True)
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_objection.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(120), unique=True)
    issued_at: Mapped[datetime]
    issued_date: Mapped[date] = mapped_column(Date)
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_position: Mapped[str] = mapped_column(String(200))
    signer_nip: Mapped[str] = mapped_column(String(30), default="")
    unit_label: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(100))
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_letter.id"))
    correction_note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The PDF was destroyed under the retention schedule; number, date and hash stay.
    purged_at: Mapped[datetime | None]

    request = relationship("InfoRequest")
    objection = relationship("Objection")
    replaces = relationship("Letter", remote_side=[id], foreign_keys=[replaces_id])

    @property
    def filename(self) -> str:
        safe = "".join(ch if ch.isalnum() else "-" for ch in self.number).strip("-")
        return f"surat-{self.kind}-{safe}.pdf"
