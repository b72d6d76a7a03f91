"""The plugin's tables: prefixed ``line_``, created by its migration branch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from cms.api import Model, naive_utc


class LineEntry(Model):
    __tablename__ = "line_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500), default="")
    # Naive UTC, like every Warta column; show it with cms.api.format_date/to_wib.
    created_at: Mapped[datetime] = mapped_column(default=naive_utc)
