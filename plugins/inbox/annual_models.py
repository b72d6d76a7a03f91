"""The built files of the laporan layanan informasi publik, one row per report.

A report is (year, period, unit): ``unit_key`` 0 is the consolidated report
of the PPID Utama (no NULL in the unique key).  The worker writes the PDF and
the DOCX under ``private_dir("inbox", "laporan")`` and records them here; a
rebuild replaces them.  Its progress lives in ``job_run`` (kind
``inbox.annual_report``, subject ``year/period/unit_key``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cms.api import Model


class AnnualReport(Model):
    __tablename__ = "inbox_annual_report"
    __table_args__ = (UniqueConstraint("year", "period", "unit_key", name="uq_inbox_annual_report_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(4))  # year | s1 | s2
    unit_key: Mapped[int] = mapped_column(Integer, default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    pdf_name: Mapped[str] = mapped_column(String(64), default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    pdf_size: Mapped[int] = mapped_column(Integer, default=0)
    docx_name: Mapped[str] = mapped_column(String(64), default="")
    docx_sha256: Mapped[str] = mapped_column(String(64), default="")
    docx_size: Mapped[int] = mapped_column(Integer, default=0)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)  # the headline numbers, for the ringkasan
    built_at: Mapped[datetime | None]
    dip_entry_id: Mapped[int | None] = mapped_column(Integer)  # the ringkasan published to the DIP
