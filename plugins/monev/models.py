"""Monev tables: periods, self-assessment answers, outside complaints, social accounts."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from cms.api import Model

PERIOD_KINDS = {"year": "Tahun", "s1": "Semester I", "s2": "Semester II"}
ANSWER_STATUSES = ("draf", "diajukan", "diterima", "dikembalikan")
# What the pages show for each status (the stored words are for the code).
ANSWER_STATUS_LABELS = {
    "draf": _l("Draf"),
    "diajukan": _l("Diajukan, menunggu verifikasi PPID Utama"),
    "diterima": _l("Diterima PPID Utama"),
    "dikembalikan": _l("Dikembalikan untuk diperbaiki"),
}


FILE_KINDS = {"year": "tahunan", "s1": "semester-1", "s2": "semester-2"}


class MonevPeriod(Model):
    """One evaluation round: a year or a semester of it."""

    __tablename__ = "monev_period"
    __table_args__ = (UniqueConstraint("year", "kind", name="uq_monev_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(4), default="year")
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    @property
    def bounds(self) -> tuple[date, date]:
        first, last = {"year": (1, 12), "s1": (1, 6), "s2": (7, 12)}[self.kind]
        end = date(self.year, 12, 31) if last == 12 else date(self.year, 6, 30)
        return date(self.year, first, 1), end

    @property
    def file_stem(self) -> str:
        """The period in download names, in Indonesian: ``monev-2026-tahunan``."""
        return f"monev-{self.year}-{FILE_KINDS[self.kind]}"

    @property
    def label(self) -> str:
        return f"{PERIOD_KINDS[self.kind]} {self.year}"

    def previous_key(self) -> tuple[int, str]:
        if self.kind == "s2":
            return self.year, "s1"
        if self.kind == "s1":
            return self.year - 1, "s2"
        return self.year - 1, "year"


class MonevAnswer(Model):
    """One checklist answer of a PPID Pembantu, with its evidence and the Utama's verdict."""

    __tablename__ = "monev_answer"
    __table_args__ = (UniqueConstraint("period_id", "unit_id", "item", name="uq_monev_answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("monev_period.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    present: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_name: Mapped[str] = mapped_column(String(200), default="")
    evidence_stored: Mapped[str] = mapped_column(String(80), default="")
    evidence_mime: Mapped[str] = mapped_column(String(40), default="")
    evidence_size: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(14), default="draf")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class MonevComplaint(Model):
    """A public complaint received outside Warta (SP4N-LAPOR!, a letter), recorded by the unit."""

    __tablename__ = "monev_complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    category: Mapped[str] = mapped_column(String(100), default="")
    channel: Mapped[str] = mapped_column(String(60), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")
    resolved_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    @property
    def days_to_resolve(self) -> int | None:
        return (self.resolved_on - self.received_on).days if self.resolved_on else None


class MonevSocialAccount(Model):
    """A unit's official social media account, as registered for Monev."""

    __tablename__ = "monev_social_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    platform: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(500))
    last_activity_on: Mapped[date | None] = mapped_column(Date)  # as the unit reports it
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class MonevLetter(Model):
    """The number and date a unit's letter of results got when first printed,
    and that printing: every later download is the same letter."""

    __tablename__ = "monev_letter"
    __table_args__ = (
        UniqueConstraint("period_id", "unit_id", name="uq_monev_letter_unit"),
        UniqueConstraint("number", name="uq_monev_letter_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("monev_period.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # of issue: the sequence restarts each year
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(120))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The PDF as first printed (under private_dir("monev", "surat")) and its
    # SHA-256: an issued letter is that document, not a new printing of
    # figures that may have moved since.
    stored: Mapped[str] = mapped_column(String(80), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
