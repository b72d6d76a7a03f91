"""The order that carries out a granted keberatan, and its execution.

The Atasan PPID's grant orders the PPID to give the information (UU KIP
Pasal 36(2); research §2.9); the laporan layanan reports the answer to a
keberatan "dan pelaksanaannya" (Perban ORI 46/2020 Pasal 31 c), so the
order, its last day and when and what was given are fields.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from cms.api import Model
from plugins.inbox import law

ORDER_SCOPES = {"seluruhnya": _l("Dikabulkan seluruhnya"), "sebagian": _l("Dikabulkan sebagian")}
if tuple(ORDER_SCOPES) != law.ORDER_SCOPES:
    raise RuntimeError("inbox order labels differ from the law's codes")


class ExecutionOrder(Model):
    __tablename__ = "inbox_execution_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("inbox_objection.id"), unique=True)
    scope: Mapped[str] = mapped_column(String(20))  # law.ORDER_SCOPES
    what: Mapped[str] = mapped_column(Text)  # what the PPID must give
    ordered_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    executed_date: Mapped[date | None] = mapped_column(Date)
    given: Mapped[str] = mapped_column(Text, default="")  # what was given
    executed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    executed_by_name: Mapped[str] = mapped_column(String(200), default="")
    executed_at: Mapped[datetime | None]
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_letter.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    objection = relationship("Objection", backref=backref("order", uselist=False))
    letter = relationship("Letter")
