"""Tables of the disposisi between the PPID Utama and the PPID Pembantu.

Kept apart from ``models`` (imported at its end).  A move never touches the
request's dates: the legal clock runs from receipt (UU KIP Pasal 22(7)).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.api import Model, naive_utc

# What a timeline entry records (the labels are ``dispositions.ACTIONS``).
MOVES = ("assigned", "returned", "forwarded", "draft_submitted", "draft_sent_back", "draft_approved")
DRAFT_STATES = ("menunggu", "dikembalikan", "disetujui")


class Disposition(Model):
    """One move on a request's route: who, when, from where to where, and why."""

    __tablename__ = "inbox_disposition"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inbox_request.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(254), default="")  # the e-mail then, kept if the account goes
    reason: Mapped[str] = mapped_column(Text, default="")
    # Python-side so a frozen clock in tests and the application's clock agree.
    created_at: Mapped[datetime] = mapped_column(default=naive_utc)

    from_unit = relationship("Unit", foreign_keys=[from_unit_id])
    to_unit = relationship("Unit", foreign_keys=[to_unit_id])
    user = relationship("User")


class AnswerDraft(Model):
    """A PPID Pembantu's written notice awaiting the PPID Utama (one per request).

    ``data`` keeps every field the officer typed, so a draft sent back opens
    again exactly as it was; the answer itself is recorded only on approval."""

    __tablename__ = "inbox_answer_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inbox_request.id"), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(20), default="menunggu")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=naive_utc)
    reviewed_at: Mapped[datetime | None]

    author = relationship("User", foreign_keys=[author_id])
    reviewer = relationship("User", foreign_keys=[reviewer_id])


class UnitApproval(Model):
    """Per unit: whether its PPID Pembantu's answers need the PPID Utama's approval."""

    __tablename__ = "inbox_unit_approval"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=naive_utc, onupdate=naive_utc)
