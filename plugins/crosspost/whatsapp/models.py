"""WhatsApp tables: subscribers, their consent records, releases and messages.

Numbers are personal data: encrypted at rest (``phone_enc``, cms.crypto),
found by keyed hash (``phone_hash``), never in job payloads.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.api import Model

SUBSCRIBER_STATUSES = {"pending": "Menunggu balasan YA", "active": "Aktif", "unsubscribed": "Berhenti"}
# queued → sending → sent → delivered → read; retry, failed, unknown, cancelled
MESSAGE_STATUSES = {
    "queued": "Antre",
    "retry": "Akan dicoba lagi",
    "sending": "Sedang dikirim",
    "sent": "Terkirim",
    "delivered": "Sampai",
    "read": "Dibaca",
    "failed": "Gagal",
    "unknown": "Hasil tidak pasti",
    "cancelled": "Dibatalkan",
}
OPEN = ("queued", "retry")
ACCEPTED = ("sent", "delivered", "read")  # the API took the message


class WaSubscriber(Model):
    __tablename__ = "crosspost_wa_subscriber"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_enc: Mapped[str] = mapped_column(Text)
    phone_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    outlet: Mapped[str] = mapped_column(String(160), default="")
    category_ids: Mapped[list] = mapped_column(JSON, default=list)  # [] and no units = everything
    unit_ids: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    optin_text: Mapped[str] = mapped_column(Text, default="")  # what the person is asked to agree to
    optin_sent_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class WaConsent(Model):
    """The UU PDP record of a consent given or withdrawn (kept after unsubscribing)."""

    __tablename__ = "crosspost_wa_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("crosspost_wa_subscriber.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(12))  # given | withdrawn
    at: Mapped[datetime]  # when the person replied (the message's own timestamp)
    text: Mapped[str] = mapped_column(Text)  # the text consented to (or the withdrawal reply)
    reply: Mapped[str] = mapped_column(String(200), default="")  # what they answered
    phone_enc: Mapped[str] = mapped_column(Text)  # the number the reply came from
    message_id: Mapped[str] = mapped_column(String(128), unique=True)  # the inbound wamid
    purpose: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class WaRelease(Model):
    """One release going out to subscribers: the job works through its messages."""

    __tablename__ = "crosspost_wa_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500))
    not_before: Mapped[datetime | None]
    planned_at: Mapped[datetime | None]  # recipients chosen (once)
    finished_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class WaMessage(Model):
    """One message to one subscriber: opt-in, release or notice (confirmation)."""

    __tablename__ = "crosspost_wa_message"
    __table_args__ = (
        UniqueConstraint("release_id", "subscriber_id"),
        Index("ix_crosspost_wa_message_due", "release_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int | None] = mapped_column(ForeignKey("crosspost_wa_release.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("crosspost_wa_subscriber.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="release")  # optin | release | notice
    body: Mapped[str] = mapped_column(Text, default="")  # a notice's text
    status: Mapped[str] = mapped_column(String(12), default="queued")
    wamid: Mapped[str | None] = mapped_column(String(128), unique=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    subscriber: Mapped[WaSubscriber] = relationship()

    @property
    def status_label(self) -> str:
        return MESSAGE_STATUSES.get(self.status, self.status)
