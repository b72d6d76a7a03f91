"""What makes a siaran pers look like one: its number, dateline, end mark
and the press contacts at its foot.

The number (``045/HUMAS/XII/2026`` from ``CMS_RELEASE_NUMBER_PATTERN``) is
given once, in the transaction of the release's first publication
(``publishing._go_public``), from a yearly counter bumped by one atomic
``INSERT … ON CONFLICT DO UPDATE … RETURNING``: two releases published at the
same instant get two numbers on SQLite and PostgreSQL alike, and a release
withdrawn and published again keeps its number.  The year and month are those
of the publication in WIB.
"""

from __future__ import annotations

import importlib
import logging
from datetime import UTC, datetime
from typing import cast

from flask import current_app
from sqlalchemy import Table, select, update

from cms.extensions import db
from cms.i18n import WIB
from cms.letterforms import roman_month
from cms.models.content import Post
from cms.models.press import PressContact, ReleaseCounter, post_press_contact
from cms.newsroom.press_identity import identity

log = logging.getLogger(__name__)
DEFAULT_PATTERN = "{seq:03d}/HUMAS/{month_roman}/{year}"
RELEASE_KIND = "siaran-pers"
END_MARK = "###"


def format_number(seq: int, when: datetime, pattern: str | None = None) -> str:
    """The number for ``seq`` published at ``when`` (WIB); a pattern that
    does not format falls back to the default, logged, never a failed publish."""
    pattern = pattern or current_app.config.get("CMS_RELEASE_NUMBER_PATTERN") or DEFAULT_PATTERN
    fields = {"seq": seq, "year": when.year, "month": when.month, "month_roman": roman_month(when), "day": when.day}
    try:
        return pattern.format(**fields)[:80]
    except (KeyError, IndexError, ValueError) as exc:
        log.error("CMS_RELEASE_NUMBER_PATTERN %r does not format (%s); using %r", pattern, exc, DEFAULT_PATTERN)
        return DEFAULT_PATTERN.format(**fields)


def next_seq(year: int) -> int:
    """Take the next number of ``year`` in the caller's transaction."""
    table = cast(Table, ReleaseCounter.__table__)  # a mapped class's table
    # Imported here: the PostgreSQL dialect is 4.5 MiB of modules a SQLite
    # installation's workers would otherwise all carry.
    name = "postgresql" if db.session.get_bind().dialect.name == "postgresql" else "sqlite"
    insert = importlib.import_module(f"sqlalchemy.dialects.{name}").insert
    stmt = (
        insert(table)
        .values(year=year, last=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    return int(db.session.execute(stmt).scalar_one())


def local_time(value: datetime) -> datetime:
    """A naive UTC datetime as WIB wall-clock time."""
    return value.replace(tzinfo=UTC).astimezone(WIB)


def assign_number(post_id: int) -> str | None:
    """Give a release its number if it has none (inside the publishing transaction)."""
    row = db.session.execute(
        select(Post.kind, Post.release_number, Post.published_at).where(Post.id == post_id)
    ).one_or_none()
    if row is None or row.kind != RELEASE_KIND or row.release_number or row.published_at is None:
        return row.release_number if row else None
    when = local_time(row.published_at)
    seq = next_seq(when.year)
    number = format_number(seq, when)
    db.session.execute(
        update(Post)
        .where(Post.id == post_id, Post.release_number.is_(None))
        .values(release_number=number, release_year=when.year, release_seq=seq)
        .execution_options(synchronize_session=False)
    )
    return number


def dateline(post: Post) -> str:
    """The post's own dateline, else "BEKASI —" from the institution's city (releases only)."""
    if post.dateline:
        return post.dateline
    city = identity().city.strip()
    return f"{city.upper()} —" if city and post.kind == RELEASE_KIND else ""


def chosen_contact_ids(post_id: int) -> list[int]:
    return list(
        db.session.scalars(select(post_press_contact.c.contact_id).where(post_press_contact.c.post_id == post_id))
    )


def contacts_for(post: Post) -> list[PressContact]:
    """The press contacts at the foot of ``post``: those chosen for it; none
    chosen, every active contact, unless the item names its own narahubung
    (or is not a release)."""
    active = select(PressContact).where(PressContact.active.is_(True)).order_by(PressContact.position, PressContact.id)
    chosen = db.session.scalars(
        active.join(post_press_contact, post_press_contact.c.contact_id == PressContact.id).where(
            post_press_contact.c.post_id == post.id
        )
    ).all()
    if chosen or post.has_contact or post.kind != RELEASE_KIND:
        return list(chosen)
    return list(db.session.scalars(active))
