"""Crosspost tables: connected accounts, per-post choices and the delivery outbox.

``post_id`` is a plain integer (no foreign key) so the outbox also holds
serta-merta items that are not posts, and so a deleted post leaves its
delivery history behind for the record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.api import Model

# pending → sending → sent | retry | failed | unknown | cancelled | skipped
STATUSES = {
    "pending": "Menunggu",
    "sending": "Sedang dikirim",
    "retry": "Akan dicoba lagi",
    "sent": "Terkirim",
    "failed": "Gagal",
    "unknown": "Hasil tidak pasti — periksa",
    "cancelled": "Dibatalkan",
    "skipped": "Tidak didukung — tindak lanjuti manual",
}
OPEN_STATUSES = ("pending", "retry")
ACTIONS = {"create": "Terbitkan", "update": "Perbarui", "delete": "Hapus"}


class CrosspostAccount(Model):
    __tablename__ = "crosspost_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    settings: Mapped[dict] = mapped_column(JSON, default=dict)  # non-secret settings
    secrets_enc: Mapped[str] = mapped_column(Text, default="")  # cms.crypto-encrypted JSON
    state_enc: Mapped[str] = mapped_column(Text, default="")  # e.g. a Bluesky session
    active: Mapped[bool] = mapped_column(default=True)
    default_kinds: Mapped[str] = mapped_column(String(200), default="")  # "siaran-pers,berita"
    default_categories: Mapped[str] = mapped_column(String(500), default="")  # slugs; "" = all
    share_serta_merta: Mapped[bool] = mapped_column(default=False)
    # The OPD that owns the account; None = a central (PPID Utama / Humas) account.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"), index=True)
    last_test_at: Mapped[datetime | None]
    last_test_ok: Mapped[bool | None]
    last_test_message: Mapped[str] = mapped_column(String(500), default="")
    # Set when the network refused the token (expired, revoked): the account's
    # deliveries wait, not fail, until new credentials are saved or a test passes.
    reconnect_since: Mapped[datetime | None]
    reconnect_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Releases public from this moment on go out by default; older ones only
    # when an admin sends them by name.  Set on creation and on reactivation.
    starts_at: Mapped[datetime | None]

    unit = relationship("Unit", lazy="joined")

    def kinds(self) -> set[str]:
        return {k for k in (self.default_kinds or "").split(",") if k}

    def categories(self) -> set[str]:
        return {c.strip() for c in (self.default_categories or "").split(",") if c.strip()}


class CrosspostChoice(Model):
    """An editor's choice for one post and account: share or not, custom text."""

    __tablename__ = "crosspost_choice"
    __table_args__ = (UniqueConstraint("post_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("crosspost_account.id", ondelete="CASCADE"))
    enabled: Mapped[bool] = mapped_column(default=True)
    text: Mapped[str] = mapped_column(Text, default="")  # "" = the channel's default message
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class CrosspostDelivery(Model):
    """The outbox: one row per (source, account, revision, action)."""

    __tablename__ = "crosspost_delivery"
    __table_args__ = (Index("ix_crosspost_delivery_due", "status", "next_attempt_at"),)

    # Optimistic lock: two officers acting on one row at once; the later
    # UPDATE matches nothing and the request answers 409 (cms.errors).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20), default="post")  # post | serta-merta
    post_id: Mapped[int | None] = mapped_column(index=True)
    source_ref: Mapped[str] = mapped_column(String(200))  # "post:12" / "serta-merta:<hash>"
    account_id: Mapped[int] = mapped_column(ForeignKey("crosspost_account.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    action: Mapped[str] = mapped_column(String(10), default="create")
    status: Mapped[str] = mapped_column(String(12), default="pending")
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)  # story snapshot + text
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    remote_id: Mapped[str | None] = mapped_column(String(300))
    remote_url: Mapped[str | None] = mapped_column(String(500))
    last_error: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]  # when the source went public (latency figures)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    account: Mapped[CrosspostAccount] = relationship()

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)
