"""The DIP panel of the admin dashboard (``cms_tpl_dashboard``).

Beside the review flags, each PPID Pembantu sees how many of its imported
entries are still incomplete (``completeness``) with a link to finish them;
the PPID Utama sees that count per unit.
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from cms.api import Unit, can, db, visible_unit_ids
from plugins.dip import completeness, services
from plugins.dip.models import DipEntry


def _flag_counts(units: set[int] | None) -> dict[str, int]:
    counts = {}
    for key, condition in (
        ("tinjau", services.stale_condition()),
        ("berkala", services.berkala_outdated_condition()),
        ("draf", DipEntry.published_at.is_(None)),
    ):
        stmt = select(func.count()).select_from(DipEntry).where(condition)
        if units is not None:
            stmt = stmt.where(DipEntry.unit_id.in_(units))
        counts[key] = db.session.scalar(stmt) or 0
    return counts


def _incomplete(units: set[int] | None) -> list[tuple[int, str, int]]:
    """``(unit_key, name, count)``: every unit with gaps for the Utama; a
    Pembantu's own units always, a zero count included (it is news too)."""
    found = completeness.counts(units)
    if units is None:
        return found
    have = {key for key, _name, _n in found}
    missing = db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(set(units) - have or {-1}))).all()
    return sorted(found + [(uid, name, 0) for uid, name in missing], key=lambda row: row[1])


def panel(user) -> str | None:
    if not can(user, "dip.manage"):
        return None
    units = visible_unit_ids(user)
    return render_template(
        "dip/admin/dashboard_panel.html",
        counts=_flag_counts(units),
        incomplete=_incomplete(units),
        per_unit=units is None,
    )
