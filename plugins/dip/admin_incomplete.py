"""Staff pages listing imported DIP entries that are still incomplete, per unit.

The PPID Utama sees every unit's count; a PPID Pembantu lands on its own
unit's list and is refused any other (``dip.manage`` is unit-bound).
"""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from cms.api import Unit, db, ensure, query_page, require, visible_unit_ids
from plugins.dip import completeness
from plugins.dip.admin import bp


@bp.route("/belum-lengkap")
@require("dip.manage")
def incomplete():
    units = visible_unit_ids(current_user)
    if units is not None:  # a PPID Pembantu: straight to its own list
        if not units:
            abort(403)
        return redirect(url_for(".incomplete_unit", unit_id=min(units)))
    return render_template("dip/admin/incomplete.html", counts=completeness.counts(None))


@bp.route("/belum-lengkap/utama", defaults={"unit_id": 0})
@bp.route("/belum-lengkap/unit/<int:unit_id>")
@require("dip.manage")
def incomplete_unit(unit_id: int):
    ensure("dip.manage", unit_id=unit_id)  # 0 (no unit): the PPID Utama only
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit_id and unit is None:
        abort(404)
    page = query_page()
    entries, total = completeness.of_unit(unit_id, page)
    return render_template(
        "dip/admin/incomplete_unit.html",
        unit=unit,
        entries=entries,
        total=total,
        page=page,
        pages=max(1, -(-total // completeness.PER_PAGE)),
        missing=completeness.missing,
    )
