"""The press room (``/media``): press contacts, the boilerplate, the photos
of the media kit and the yearly counter of release numbers.

Press contacts are the office's public spokespeople: their phone and e-mail
are published on purpose (vCards, release footers), so they are stored in
plain text, unlike subscribers' and journalists' addresses.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.extensions import Model, db
from cms.models.content import Media
from cms.timeutil import naive_utc

# The contacts chosen for a release's footer (none chosen: every active contact).
post_press_contact = Table(
    "post_press_contact",
    db.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("press_contact.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PressContact(Model):
    """A narahubung: who journalists call about the releases."""

    __tablename__ = "press_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    # The phone takes WhatsApp messages (a mobile number, checked on save).
    whatsapp: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str] = mapped_column(String(254), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=naive_utc, onupdate=naive_utc, server_default=func.now())


class PressRoom(Model):
    """The one row of press room settings and the state of the built media kit."""

    __tablename__ = "press_room"

    id: Mapped[int] = mapped_column(primary_key=True)
    boilerplate: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())
    # Digest of what the kit holds; the kit on disk is named after it (ETag).
    kit_digest: Mapped[str | None] = mapped_column(String(64))
    kit_size: Mapped[int] = mapped_column(default=0)
    kit_built_at: Mapped[datetime | None]


class PressKitPhoto(Model):
    """A high-resolution photo of the media library chosen for the media kit."""

    __tablename__ = "press_kit_photo"

    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"), primary_key=True)
    credit: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    media: Mapped[Media] = relationship(lazy="joined")


class ReleaseCounter(Model):
    """Last release number given in a year; bumped by one atomic upsert."""

    __tablename__ = "release_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
