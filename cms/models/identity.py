"""The institution's identity: one row edited by an admin in the admin area.

Every public page, e-mail and printed document reads it through
``cms.identity.current_identity()``; an empty field falls back to the
configuration, so a fresh install shows something sensible.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cms.extensions import Model
from cms.timeutil import naive_utc


class SiteIdentity(Model):
    """Always the row with ``id`` 1 (the site has one identity)."""

    __tablename__ = "site_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    tagline: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    # {"facebook": "https://…", …}: only the networks in cms.identity.SOCIAL
    social: Mapped[dict] = mapped_column(JSON, default=dict)
    accent: Mapped[str] = mapped_column(String(7), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    logo_mime: Mapped[str] = mapped_column(String(40), default="")
    privacy_html: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=naive_utc)
