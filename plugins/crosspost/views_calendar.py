"""Admin view: the crosspost calendar (month grid, with a list for small screens)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from cms.api import naive_utc, require, to_wib
from plugins.crosspost import calendar, channels, scope
from plugins.crosspost.blueprint import bp

DAY_NAMES = (_l("Senin"), _l("Selasa"), _l("Rabu"), _l("Kamis"), _l("Jumat"), _l("Sabtu"), _l("Minggu"))
MONTH_NAMES = (
    _l("Januari"),
    _l("Februari"),
    _l("Maret"),
    _l("April"),
    _l("Mei"),
    _l("Juni"),
    _l("Juli"),
    _l("Agustus"),
    _l("September"),
    _l("Oktober"),
    _l("November"),
    _l("Desember"),
)


def _unit_filter(value: str, visible: set[int] | None) -> int | None | str:
    """ "" = every unit the person sees, "pusat" = central accounts, else a unit id."""
    if not value:
        return "all"
    if value == "pusat":
        unit = None
    elif value.isdigit():
        unit = int(value)
    else:
        raise calendar.BadFilter("unit", _("Unit tidak dikenal."))
    if visible is not None and unit not in visible:
        from cms.api import audit

        audit.record(
            "access.denied", "url", request.path, {"permission": "crosspost.calendar", "unit": value}, commit=True
        )
        abort(403)
    return unit


@bp.route("/kalender", endpoint="calendar")
@require("crosspost.calendar")
def calendar_view():
    visible = scope.unit_ids(current_user)
    today = to_wib(naive_utc()).date()
    types = channels.available()
    error = None
    try:
        year, month = calendar.parse_month(request.args.get("bulan"), today)
        unit = _unit_filter(request.args.get("unit", ""), visible)
        channel = request.args.get("kanal", "")
        if channel and channel not in types:
            raise calendar.BadFilter("kanal", _("Kanal tidak dikenal."))
    except calendar.BadFilter as exc:
        error = exc
        year, month, unit, channel = today.year, today.month, "all", ""
    found = calendar.entries(calendar.Filters(year, month, unit, channel), visible)
    prev_month, next_month = calendar.neighbours(year, month)
    return render_template(
        "crosspost/calendar.html",
        weeks=calendar.weeks(year, month),
        days=calendar.by_day(found),
        found=found,
        totals=calendar.totals(found),
        states=calendar.STATES,
        year=year,
        month=month,
        month_name=MONTH_NAMES[month - 1],
        day_names=DAY_NAMES,
        prev_month=prev_month,
        next_month=next_month,
        units=[u for u in scope.unit_choices(current_user) if u[0]],
        central=visible is None,
        unit_value=request.args.get("unit", "") if not error else "",
        types=types,
        channel=channel,
        error=error,
        today=today,
        this_month=f"{today.year:04d}-{today.month:02d}",
    ), 400 if error else 200
