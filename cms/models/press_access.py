"""Journalist accounts and their embargo access: the sign-up request (approved
by humas), personal preview links per embargoed release, and the announced
lift time of each release (for the calendar's SEQUENCE and change notices).

Personal data (e-mail, phone) is encrypted at rest with a keyed hash for
look-ups; preview tokens are looked up by keyed hash.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.extensions import Model
from cms.timeutil import naive_utc

ACCOUNT_STATUSES = {"pending": "Menunggu persetujuan", "approved": "Disetujui", "rejected": "Ditolak"}


class JournalistAccount(Model):
    """A journalist's request for an account; approval links a sign-in
    (``user_account`` with role ``journalist``) and an accredited journalist."""

    __tablename__ = "journalist_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    name: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str] = mapped_column(String(200))
    email_enc: Mapped[str] = mapped_column(Text)
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone_enc: Mapped[str] = mapped_column(Text)
    # Encrypted file under private_dir("press_cards"); empty when none was sent.
    press_card: Mapped[str] = mapped_column(String(100), default="")
    press_card_mime: Mapped[str] = mapped_column(String(100), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    journalist_id: Mapped[int | None] = mapped_column(ForeignKey("feeds_journalist.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())

    journalist = relationship("Journalist")
    user = relationship("User", foreign_keys=[user_id])


class EmbargoPreviewLink(Model):
    """One journalist's personal, revocable preview link to one embargoed release."""

    __tablename__ = "embargo_preview_link"
    __table_args__ = (Index("ix_embargo_preview_link_post_journalist", "post_id", "journalist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    journalist_id: Mapped[int] = mapped_column(ForeignKey("feeds_journalist.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Encrypted copy, so the same URL can be shown again (mail, feed, calendar).
    token_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=naive_utc)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]
    uses: Mapped[int] = mapped_column(default=0)

    journalist = relationship("Journalist")
    post = relationship("Post")


class EmbargoSchedule(Model):
    """The lift time last announced for a release: a change bumps ``sequence``
    (iCalendar SEQUENCE) and re-announces it to the journalists who got it."""

    __tablename__ = "embargo_schedule"

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    lift_at: Mapped[datetime]
    sequence: Mapped[int] = mapped_column(default=0)
    withdrawn_at: Mapped[datetime | None]
    changed_at: Mapped[datetime] = mapped_column(default=naive_utc)

    post = relationship("Post")
