"""Account and unit services (used by the admin views and the CLI)."""

from __future__ import annotations

import re
import secrets

from slugify import slugify
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from cms import unit_aliases, user_sessions
from cms.audit import record
from cms.errors import FieldError
from cms.extensions import db
from cms.models import ROLES, Post, Unit, User
from cms.slugs import add_with_unique_slug

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
# Checked against when the e-mail is unknown, so both failures cost the same.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(FieldError):
    """A user-facing reason why an account change was refused."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def find_unit(name_or_slug: str) -> Unit | None:
    """By name or slug; an old name of a merged unit finds the kept one."""
    key = name_or_slug.strip()
    found = db.session.scalar(select(Unit).where((Unit.slug == slugify(key)) | (func.lower(Unit.name) == key.lower())))
    return found or unit_aliases.aliased_unit(key)


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email or "")
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    if not user.is_active:
        return None
    return user


def _validate(email: str, role: str, unit: Unit | None, password: str | None, *, existing: User | None = None):
    if not EMAIL_RE.match(email or ""):
        raise AccountError("Alamat e-mail tidak valid.", "email")
    other = find_user(email)
    if other is not None and other is not existing:
        raise AccountError(f"E-mail {email} sudah terdaftar.", "email")
    if role not in ROLES:
        raise AccountError(f"Peran tidak dikenal: {role} (pilih: {', '.join(ROLES)}).", "role")
    if role == "ppid_unit" and unit is None:
        raise AccountError("Peran ppid_unit wajib memiliki unit (OPD).", "unit")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"Kata sandi minimal {MIN_PASSWORD} karakter.", "password")


def create_user(
    email: str, role: str, password: str, *, unit: Unit | None = None, name: str = "", actor: User | None = None
) -> User:
    email = (email or "").strip().lower()
    _validate(email, role, unit, password)
    user = User(
        email=email,
        role=role,
        unit=unit,
        name=name or email.split("@")[0],
        password_hash=hash_password(password),
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    record(
        "user.create", "user", user.id, {"email": email, "role": role, "unit": unit.name if unit else None}, user=actor
    )
    db.session.commit()
    return user


def update_user(
    user: User,
    *,
    email: str,
    role: str,
    name: str,
    unit: Unit | None,
    active: bool,
    password: str | None = None,
    actor: User | None = None,
) -> User:
    email = (email or "").strip().lower()
    _validate(email, role, unit, password or None, existing=user)
    changes: dict[str, object] = {}
    for attr, value in (
        ("email", email),
        ("role", role),
        ("name", name),
        ("unit_id", unit.id if unit else None),
        ("active", active),
    ):
        if getattr(user, attr) != value:
            changes[attr] = [getattr(user, attr), value]
            setattr(user, attr, value)
    if password:
        user.password_hash = hash_password(password)
        changes["password"] = "changed"
    if changes:
        action = "user.disable" if changes.get("active") == [True, False] else "user.update"
        record(action, "user", user.id, changes, user=actor)
    if changes.get("active") == [True, False]:
        user_sessions.end_all(user, reason="disabled", actor=actor)
    elif password:
        end_sessions_after_password_change(user, actor=actor)
    db.session.commit()
    return user


def end_sessions_after_password_change(user: User, *, actor: User | None = None) -> None:
    """A new password ends every session signed in with the old one; the
    session the user changed it from stays (they just proved who they are)."""
    current = user_sessions.current()
    keep = current if current is not None and current.user_id == user.id else None
    user_sessions.end_all(user, reason="password", keep=keep, actor=actor)


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password or ""):
        raise AccountError("Kata sandi saat ini salah.", "current_password")
    if len(new_password or "") < MIN_PASSWORD:
        raise AccountError(f"Kata sandi minimal {MIN_PASSWORD} karakter.", "new_password")
    user.password_hash = hash_password(new_password)
    record("user.password_change", "user", user.id, user=user)
    end_sessions_after_password_change(user, actor=user)
    db.session.commit()


def create_unit(name: str, short_name: str = "", *, actor: User | None = None) -> Unit:
    name = (name or "").strip()
    if not name:
        raise AccountError("Nama unit wajib diisi.", "name")
    if len(name) > 200:
        raise AccountError("Nama unit terlalu panjang (maks. 200 karakter).", "name")
    if find_unit(name) is not None:
        raise AccountError(f"Unit {name} sudah ada.", "name")
    unit = add_with_unique_slug(Unit(name=name, short_name=short_name or None), name, max_length=200, fallback="unit")
    record("unit.create", "unit", unit.id, {"name": name}, user=actor)
    db.session.commit()
    return unit


def get_or_create_unit(name: str) -> Unit:
    """Match a unit by name or slug, creating it when absent (imports use this)."""
    unit = find_unit(name)
    if unit is None:
        try:
            unit = add_with_unique_slug(Unit(name=name.strip()), name, max_length=200, fallback="unit")
        except IntegrityError:
            unit = find_unit(name)  # another transaction created it meanwhile
            if unit is None:
                raise
    return unit


def merge_units(source: Unit, target: Unit, *, actor: User | None = None) -> dict[str, int]:
    """Join ``source`` into ``target`` (one OPD entered under two names).

    Users and posts move here; plugins move theirs in ``cms_units_merged``,
    in the same transaction; then ``source`` is deleted, which fails (and
    undoes everything) if any row still points at it.  Returns rows moved.
    """
    from cms.plugins import hook

    if source.id == target.id:
        raise AccountError("Pilih dua unit yang berbeda.", "target")
    moved = {
        "user_account": db.session.execute(  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
            update(User).where(User.unit_id == source.id).values(unit_id=target.id)
        ).rowcount,
        "post": db.session.execute(  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
            update(Post).where(Post.unit_id == source.id).values(unit_id=target.id, version=Post.version + 1)
        ).rowcount,
    }
    try:
        for result in hook().cms_units_merged(source_id=source.id, target_id=target.id):
            moved.update(result or {})
        alias = unit_aliases.keep_alias(source, target)
        record(
            "unit.merge",
            "unit",
            target.id,
            {"source_id": source.id, "source": source.name, "target": target.name, "moved": moved, "alias": alias},
            user=actor,
        )
        db.session.expire(source)  # its ``users`` collection is stale after the UPDATE
        db.session.delete(source)
        db.session.flush()
    except FieldError:
        db.session.rollback()
        raise
    except IntegrityError:
        db.session.rollback()
        raise AccountError(f"Unit {source.name} masih dipakai data lain; penggabungan dibatalkan.", "source") from None
    db.session.commit()
    return moved
