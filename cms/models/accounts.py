"""Staff accounts and organisational units (OPD)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.extensions import Model

if TYPE_CHECKING:
    from cms.models.sessions import UserSession

# Role name -> Indonesian label (README "Roles"; the names are a public contract).
ROLES: dict[str, str] = {
    "admin": "Administrator",
    "editor": "Editor (Kepala Humas)",
    "writer": "Penulis",
    "ppid": "PPID Utama",
    "ppid_unit": "PPID Pembantu",
    "atasan": "Atasan PPID",
    # Signs in only to the press room (embargo previews); never the admin.
    "journalist": "Jurnalis",
}


class Unit(Model):
    """A perangkat daerah (OPD) or other organisational unit."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    users: Mapped[list[User]] = relationship(back_populates="unit")

    def __repr__(self) -> str:
        return f"<Unit {self.slug}>"


class User(UserMixin, Model):
    """A staff account; ``role`` decides its permissions, ``unit`` its OPD."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # Printed under the signature of official letters (nama, jabatan, NIP).
    position: Mapped[str] = mapped_column(String(200), default="", server_default="")
    nip: Mapped[str] = mapped_column(String(30), default="", server_default="")
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_login_at: Mapped[datetime | None]

    unit: Mapped[Unit | None] = relationship(back_populates="users")

    # The sign-in session this object was loaded for, set by cms.user_sessions.
    # Flask-Login keeps get_id() in the cookies, so it is that session's token,
    # never the bare user id (which would be valid forever).
    if TYPE_CHECKING:  # set per request by user_sessions; not columns, so not annotated at run time
        session_token: str | None
        current_session: UserSession | None
    session_token = None
    current_session = None

    def get_id(self) -> str:
        return self.session_token or ""

    @property
    def is_active(self) -> bool:  # flask-login: disabled users cannot sign in
        return bool(self.active)

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class UnitAlias(Model):
    """An old name and slug of a unit merged into another (``cms.unit_aliases``):
    old links redirect to the kept unit and imports naming it land there."""

    __tablename__ = "unit_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    unit: Mapped[Unit] = relationship()
