"""In-app notifications for staff (a release submitted, approved, sent back,
commented on).  The e-mail copy goes through the mail queue; this row is
what the badge in the admin header counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.extensions import Model
from cms.timeutil import naive_utc


class Notification(Model):
    __tablename__ = "notification"
    # The badge counts one user's unread rows on every admin page.
    __table_args__ = (Index("ix_notification_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())
    read_at: Mapped[datetime | None]

    user = relationship("User")
