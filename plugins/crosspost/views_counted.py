"""The deliveries a unit's Monev figure counts, listed read-only so an officer
(a PPID Pembantu included, who may not open the outbox) can check the number
for its own unit; another unit's list answers 403."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, render_template, request

from cms.api import Unit, db, ensure, query_id, require
from plugins.crosspost.blueprint import bp
from plugins.crosspost.stats import counted_deliveries

# ?status= of the link → the outbox statuses that figure adds up.
FIGURES = {"": ("sent", "failed"), "sent": ("sent",), "failed": ("failed",)}


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@bp.route("/terhitung")
@require("crosspost.figures")
def counted():
    unit_id = query_id("unit")
    start, end = _day(request.args.get("dari", "")), _day(request.args.get("sampai", ""))
    status = request.args.get("status", "")
    if unit_id is None or start is None or end is None or end < start or status not in FIGURES:
        abort(404)
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    ensure("crosspost.figures", unit_id=unit.id)
    first, after = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    rows = counted_deliveries(unit.id, first, after, FIGURES[status])
    return render_template("crosspost/counted.html", unit=unit, rows=rows, start=start, end=end, status=status)
