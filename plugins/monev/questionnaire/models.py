"""e-Monev tables: the PPID Utama's answer per question, and the evidence files.

A generated file belongs to a source (``dip.berkala``) and serves every
question that names it; an uploaded file belongs to one question.  The file
name is unique per year and kept when the file is regenerated, so its URL
stays the same from one build to the next.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from cms.api import Model


class EmonevAnswer(Model):
    __tablename__ = "monev_emonev_answer"
    __table_args__ = (UniqueConstraint("year", "question", name="uq_monev_emonev_answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    question: Mapped[str] = mapped_column(String(40))
    option: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class EmonevFile(Model):
    __tablename__ = "monev_emonev_file"
    __table_args__ = (UniqueConstraint("year", "file_name", name="uq_monev_emonev_file"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    origin: Mapped[str] = mapped_column(String(10))  # dibuat | unggahan
    source: Mapped[str] = mapped_column(String(80), default="")  # generated: the source key
    question: Mapped[str] = mapped_column(String(40), default="")  # uploaded: its question
    title: Mapped[str] = mapped_column(String(300), default="")
    file_name: Mapped[str] = mapped_column(String(120))
    part: Mapped[int] = mapped_column(Integer, default=1)
    parts: Mapped[int] = mapped_column(Integer, default=1)
    stored: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
