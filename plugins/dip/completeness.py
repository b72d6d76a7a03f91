"""Imported DIP entries that still lack what the DIP layout requires.

Spreadsheet imports often leave penanggung jawab, tempat/waktu pembuatan or
jangka waktu penyimpanan empty; each PPID Pembantu finishes its own unit's.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from cms.api import Unit, db
from plugins.dip.models import DipEntry

IMPORTED = "impor"  # DipEntry.source of the importer's rows
PER_PAGE = 100


def condition():
    return and_(
        DipEntry.source == IMPORTED,
        or_(
            DipEntry.responsible == "",
            DipEntry.made_place == "",
            DipEntry.made_on.is_(None),
            DipEntry.retention == "",
        ),
    )


def missing(entry: DipEntry) -> list[str]:
    """Labels of the missing parts, in the layout's order."""
    out = []
    if not entry.responsible:
        out.append("penanggung jawab")
    if not entry.made_place or entry.made_on is None:
        out.append("tempat/waktu pembuatan")
    if not entry.retention:
        out.append("jangka waktu penyimpanan")
    return out


def counts(unit_ids: set[int] | None) -> list[tuple[int, str, int]]:
    """``(unit_key, name, count)`` per unit with incomplete entries; 0 = PPID Utama (no unit)."""
    stmt = (
        select(DipEntry.unit_id, Unit.name, func.count())
        .select_from(DipEntry)
        .outerjoin(Unit, Unit.id == DipEntry.unit_id)
        .where(condition())
        .group_by(DipEntry.unit_id, Unit.name)
        .order_by(Unit.name)
    )
    if unit_ids is not None:
        stmt = stmt.where(DipEntry.unit_id.in_(unit_ids or {-1}))
    return [(unit_id or 0, name or "", n) for unit_id, name, n in db.session.execute(stmt)]


def of_unit(unit_key: int, page: int) -> tuple[list[DipEntry], int]:
    """One page of a unit's incomplete entries and their total."""
    owner = DipEntry.unit_id.is_(None) if unit_key == 0 else DipEntry.unit_id == unit_key
    base = select(DipEntry).where(condition(), owner)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.scalars(
        base.order_by(DipEntry.year.desc(), DipEntry.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    )
    return list(rows.unique()), total
