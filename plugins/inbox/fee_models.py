"""Tables of the standar biaya and of payments with their kuitansi.

Kept apart from ``models`` (imported at its end).  Amounts are whole rupiah
in INTEGER columns; ``fees.MAX_RUPIAH`` keeps every sum inside them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.api import Model


class FeeItem(Model):
    """One line of the standar biaya (per lembar, per keping, per kiriman)."""

    __tablename__ = "inbox_fee_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))  # lembar, keping, kiriman, berkas
    kind: Mapped[str] = mapped_column(String(20))  # salinan, media, pengiriman, lainnya
    price: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class Payment(Model):
    """A payment of the fee, recorded by an officer, with its kuitansi as issued."""

    __tablename__ = "inbox_payment"
    __table_args__ = (UniqueConstraint("receipt_number", name="uq_inbox_payment_receipt_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inbox_request.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    method: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(100), default="")  # bank transfer / slip number
    receipt_number: Mapped[str] = mapped_column(String(60))  # nomor kuitansi
    payer_name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(300))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    officer_name: Mapped[str] = mapped_column(String(200))
    pdf_stored_name: Mapped[str] = mapped_column(String(100))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_size: Mapped[int] = mapped_column(Integer)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[datetime] = mapped_column()
    # The PDF was destroyed under the retention schedule; number, date and hash stay.
    purged_at: Mapped[datetime | None]

    request = relationship("InfoRequest")

    @property
    def number(self) -> str:
        """What ``cms_inbox_sign_letter`` and the audit log call the document."""
        return self.receipt_number

    @property
    def filename(self) -> str:
        safe = "".join(ch if ch.isalnum() else "-" for ch in self.receipt_number).strip("-")
        return f"kuitansi-{safe}.pdf"
