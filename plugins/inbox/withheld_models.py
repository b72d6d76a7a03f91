"""The parts withheld from a partial grant, each with its own grounds.

A partial grant (UU KIP Pasal 22(7)(e)) blacks out parts of the information;
each part rests on Pasal 17 huruf and/or another law and on its own uji
konsekuensi (Perki 1/2021 Pasal 49), so each is a row: the letter lists
them, the register and the report count them.
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from cms.api import Model


class WithheldPart(Model):
    __tablename__ = "inbox_withheld_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inbox_request.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(Text)
    exemptions: Mapped[list] = mapped_column(JSON, default=list)  # Pasal 17 huruf
    other_law: Mapped[str] = mapped_column(String(300), default="")
    consequence_test: Mapped[str] = mapped_column(Text)

    request = relationship(
        "InfoRequest",
        backref=backref("withheld_parts", order_by="WithheldPart.position", cascade="all, delete-orphan"),
    )
