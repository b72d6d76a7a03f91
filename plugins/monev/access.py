"""Who sees which unit's Monev: the PPID Utama every unit, a PPID Pembantu
only its own (every refusal is logged by ``ensure``)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from cms.api import Unit, db, ensure, visible_unit_ids
from plugins.monev import scoring
from plugins.monev.models import MonevPeriod


def period_or_404(period_id: int) -> MonevPeriod:
    period = db.session.get(MonevPeriod, period_id)
    if period is None:
        abort(404)
    return period


def unit_or_404(unit_id: int, permission: str = "monev.view") -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    ensure(permission, unit_id=unit.id)
    return unit


def visible_units() -> list[Unit]:
    return scoring.units(visible_unit_ids(current_user))
