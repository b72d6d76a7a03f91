"""Unique slugs: ``base``, then ``base-2``, ``base-3``… and safe under concurrency.

Names that slugify to nothing ("-", "–", "…") get the model's fallback word, so
two of them would share it; every place that makes a slug goes through here,
so a clash becomes a suffix instead of an IntegrityError that rolls back a
whole batch.  ``add_with_unique_slug`` inserts inside a savepoint and picks the
next free slug when another transaction took the same one in between.
"""

from __future__ import annotations

from typing import Any

from slugify import slugify
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from cms.extensions import db

ATTEMPTS = 8


def slug_base(text: str, max_length: int, fallback: str) -> str:
    base = slugify(text or "", max_length=max_length, word_boundary=True).strip("-")
    return base or fallback


def unique_slug(model, text: str, *, max_length: int, fallback: str, exclude_id: Any = None, attr: str = "slug") -> str:
    """The first of ``base``, ``base-2``, ``base-3``… no other row of ``model`` uses."""
    column = getattr(model, attr)
    base = slug_base(text, max_length, fallback)
    stem = base[: max_length - 6].rstrip("-") or fallback  # room for "-99999"
    stmt = select(column).where(or_(column == base, column.like(f"{stem}-%")))
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    taken = set(db.session.scalars(stmt))
    if base not in taken:
        return base
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def add_with_unique_slug(
    obj, text: str, *, max_length: int, fallback: str, attr: str = "slug", attempts: int = ATTEMPTS
):
    """Add ``obj`` with a free slug, flushing in a savepoint; a clash with a row
    another transaction just inserted is retried with the next suffix.  Any
    other integrity error (or too many clashes) is raised to the caller."""
    model = type(obj)
    for attempt in range(attempts):
        setattr(obj, attr, unique_slug(model, text, max_length=max_length, fallback=fallback, attr=attr))
        try:
            with db.session.begin_nested():
                db.session.add(obj)
                db.session.flush()
        except IntegrityError:
            if attempt == attempts - 1 or not _slug_taken(model, attr, getattr(obj, attr)):
                raise
            continue
        return obj
    raise AssertionError("unreachable")


def _slug_taken(model, attr: str, slug: str) -> bool:
    return db.session.scalar(select(getattr(model, attr)).where(getattr(model, attr) == slug).limit(1)) is not None
