"""Old names and slugs of merged units (``accounts.merge_units``).

A merge deletes the unit that was the same OPD under another name; its
name and slug stay as an alias of the kept unit, so links published with
the old slug redirect (301) and a DIP import or CSV naming the old unit
lands on the kept one instead of creating it again.
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from slugify import slugify
from sqlalchemy import delete, func, or_, select, update
from werkzeug.wrappers import Response

from cms.extensions import db
from cms.models import Unit, UnitAlias


def keep_alias(source: Unit, target: Unit) -> dict[str, str]:
    """Make ``source``'s name and slug (and its own aliases) point at ``target``.
    Runs inside the merge's transaction, before ``source`` is deleted."""
    db.session.execute(update(UnitAlias).where(UnitAlias.unit_id == source.id).values(unit_id=target.id))
    db.session.execute(  # an older alias of the same name or slug gives way to this merge
        delete(UnitAlias).where(or_(UnitAlias.slug == source.slug, func.lower(UnitAlias.name) == source.name.lower()))
    )
    db.session.add(UnitAlias(name=source.name, slug=source.slug, unit_id=target.id))
    db.session.flush()
    return {"name": source.name, "slug": source.slug}


def aliased_unit(name_or_slug: str) -> Unit | None:
    """The unit an old name or slug now means, or ``None``."""
    key = (name_or_slug or "").strip()
    if not key:
        return None
    stmt = select(UnitAlias.unit_id).where(
        or_(UnitAlias.slug == slugify(key), func.lower(UnitAlias.name) == key.lower())
    )
    unit_id = db.session.scalar(stmt.limit(1))
    return db.session.get(Unit, unit_id) if unit_id is not None else None


def redirect_old_unit_slug(slug: str, endpoint: str, **values) -> Response:
    """A permanent redirect to ``endpoint`` of the unit an old slug now means
    (query string kept); 404 when the slug was never a unit's."""
    kept = aliased_unit(slug)
    if kept is None:
        abort(404)
    params: dict[str, Any] = {**request.args.to_dict(), **values, "slug": kept.slug}
    return redirect(url_for(endpoint, **params), 301)
