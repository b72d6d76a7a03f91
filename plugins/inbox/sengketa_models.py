"""Tables of a sengketa's stages and their documents (UU KIP Pasal 37–50).

Each stage a sengketa reached is one row with its date, so the laporan
layanan counts stages and results from fields (Perban ORI 46/2020 Pasal 31 c),
never from free text.  Documents are ``InboxFile`` rows of kind "sengketa"
owned by the keberatan (not by the request: they hold no identity data and
outlive the identity purge), linked to their stage.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from cms.api import Model
from plugins.inbox import law

SENGKETA_STAGES = {
    "registrasi": _l("Registrasi di Komisi Informasi"),
    "mediasi": _l("Mediasi"),
    "ajudikasi": _l("Ajudikasi"),
    "putusan": _l("Putusan Komisi Informasi"),
    "gugatan": _l("Gugatan ke pengadilan"),
    "putusan_pengadilan": _l("Putusan pengadilan"),
}
SENGKETA_RESULTS = {
    "mediasi_berhasil": _l("Mediasi berhasil"),
    "dikabulkan_seluruhnya": _l("Dikabulkan seluruhnya"),
    "dikabulkan_sebagian": _l("Dikabulkan sebagian"),
    "ditolak": _l("Ditolak"),
    "gugur": _l("Gugur"),
    "dicabut": _l("Dicabut"),
}
if tuple(SENGKETA_STAGES) != law.SENGKETA_STAGES or tuple(SENGKETA_RESULTS) != law.SENGKETA_RESULTS:
    raise RuntimeError("inbox sengketa labels differ from the law's codes")


class DisputeStage(Model):
    """One stage a sengketa reached, once per sengketa, with its date."""

    __tablename__ = "inbox_dispute_stage"
    __table_args__ = (UniqueConstraint("dispute_id", "stage", name="uq_inbox_dispute_stage_dispute_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("inbox_dispute.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    # NULL only for stages migrated from the old free-text record without a date.
    day: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    dispute = relationship(
        "Dispute",
        backref=backref("stages", order_by="DisputeStage.id", cascade="all, delete-orphan"),
    )

    if TYPE_CHECKING:  # backref of DisputeDocument.stage, so not annotated at run time
        documents: Mapped[list[DisputeDocument]]

    @property
    def order(self) -> int:
        return law.SENGKETA_STAGES.index(self.stage)


class DisputeDocument(Model):
    """A document of one stage (permohonan, risalah mediasi, putusan, ...)."""

    __tablename__ = "inbox_dispute_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("inbox_dispute_stage.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("inbox_file.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    stage = relationship(
        DisputeStage, backref=backref("documents", order_by="DisputeDocument.id", cascade="all, delete-orphan")
    )
    file = relationship("InboxFile")
