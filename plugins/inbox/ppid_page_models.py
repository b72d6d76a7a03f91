"""Tables of the public PPID pages the PPID Utama edits (imported at the end of ``models``).

Pages and office profiles hold sanitised HTML (``cms.api.clean_html``); a
page or profile with no row shows the default text of ``ppid_page_defaults``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from cms.api import Model


class PpidPage(Model):
    """One editable page (maklumat, jam dan tempat layanan, alur, SOP, struktur)."""

    __tablename__ = "inbox_ppid_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    body_html: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class PpidOffice(Model):
    """The public profile of the PPID Utama (``unit_key`` 0) or of one PPID Pembantu."""

    __tablename__ = "inbox_ppid_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_key: Mapped[int] = mapped_column(Integer, unique=True)  # 0 = PPID Utama, else unit.id
    about_html: Mapped[str] = mapped_column(Text, default="")
    officers: Mapped[str] = mapped_column(Text, default="")  # one "Nama — Jabatan" a line
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    hours: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class PpidSop(Model):
    """The current PDF of one SOP (permohonan, keberatan, uji konsekuensi, penetapan DIP)."""

    __tablename__ = "inbox_ppid_sop"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
