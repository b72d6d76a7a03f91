"""Distribution to journalists: feed change counter, e-mail subscribers,
accredited journalists (embargo feed) and the embargo access log.

E-mail addresses are personal data: stored encrypted (``cms.crypto``) with a
keyed hash for look-ups, never in plain text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.extensions import Model
from cms.timeutil import naive_utc

SUBSCRIBER_STATUSES = {
    "pending": "Menunggu konfirmasi",
    "active": "Aktif",
    "unsubscribed": "Berhenti",
}


class FeedState(Model):
    """One row: a counter bumped in every transaction that changes public
    content, so a feed request validates its cache with one tiny read."""

    __tablename__ = "feeds_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=naive_utc)


class Subscriber(Model):
    """A journalist (or anyone) receiving press releases by e-mail."""

    __tablename__ = "feeds_subscriber"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_enc: Mapped[str] = mapped_column(Text)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    all_categories: Mapped[bool] = mapped_column(default=True)
    category_ids: Mapped[list] = mapped_column(JSON, default=list)
    # Random per subscriber; the unsubscribe token is an HMAC over id + nonce.
    nonce: Mapped[str] = mapped_column(String(64))
    confirm_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    confirm_sent_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())


class Journalist(Model):
    """An accredited journalist, managed by editors, with a private feed token."""

    __tablename__ = "feeds_journalist"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    email_enc: Mapped[str] = mapped_column(Text)
    email_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_enc: Mapped[str] = mapped_column(Text)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())
    token_issued_at: Mapped[datetime] = mapped_column(default=naive_utc)
    revoked_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    accesses: Mapped[list[EmbargoAccess]] = relationship(
        back_populates="journalist", cascade="all, delete-orphan", order_by="EmbargoAccess.id.desc()"
    )


class EmbargoAccess(Model):
    """Who received which embargoed release, when and how (feed hit or mail)."""

    __tablename__ = "feeds_embargo_access"
    __table_args__ = (Index("ix_feeds_embargo_access_post_journalist", "post_id", "journalist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journalist_id: Mapped[int] = mapped_column(ForeignKey("feeds_journalist.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20))  # feed | mail | denied
    at: Mapped[datetime] = mapped_column(default=naive_utc, index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    journalist: Mapped[Journalist] = relationship(back_populates="accesses")
    post = relationship("Post")


class Mailing(Model):
    """A publication already mailed to subscribers (retries never re-send)."""

    __tablename__ = "feeds_mailing"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), unique=True)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=naive_utc)
