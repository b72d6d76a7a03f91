"""The installation's legal clock: settings + override table → deadlines.

``workdays`` is the pure counting; this module feeds it the site's settings
(cuti bersama counted or not, working weekdays) and the admin override table,
and recomputes open deadlines when the calendar changes.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, g
from sqlalchemy import select

from cms.audit import record
from cms.extensions import db
from cms.i18n import to_wib
from cms.timeutil import naive_utc
from plugins.inbox import workdays
from plugins.inbox.models import OPEN_STATUSES, CalendarOverride, InfoRequest, Objection


def options() -> dict:
    """Keyword options for ``workdays`` from config (read now) and the overrides,
    cached for the current app context (one query per page, not per row)."""
    cached = g.get("inbox_clock_options")
    if cached is None:
        cached = g.inbox_clock_options = _load_options()
    return cached


def _invalidate() -> None:
    g.pop("inbox_clock_options", None)


def _load_options() -> dict:
    cfg = current_app.config
    rows = db.session.execute(select(CalendarOverride.day, CalendarOverride.kind)).all()
    return {
        "count_cuti_bersama": bool(cfg["INBOX_COUNT_CUTI_BERSAMA"]),
        "working_weekdays": tuple(cfg["INBOX_WORKING_WEEKDAYS"]),
        "extra_holidays": frozenset(day for day, kind in rows if kind == "libur"),
        "extra_working_days": frozenset(day for day, kind in rows if kind == "kerja"),
    }


def local_date(moment: datetime) -> date:
    """The Asia/Jakarta date of a naive-UTC timestamp (the legal day 0)."""
    return to_wib(moment).date()


def today() -> date:
    return local_date(naive_utc())


def add(received: date, n: int, opts: dict | None = None) -> date:
    return workdays.add_working_days(received, n, **(opts or options()))


def remaining(due: date, opts: dict | None = None, *, on: date | None = None) -> int:
    """Working days left until ``due`` (0 = due today, negative = late)."""
    return workdays.working_days_between(on or today(), due, **(opts or options()))


def between(start: date, end: date, opts: dict | None = None) -> int:
    return workdays.working_days_between(start, end, **(opts or options()))


def missing_decree_years() -> list[int]:
    """This year and next year when no cuti bersama are known for them yet."""
    year = today().year
    return [y for y in (year, year + 1) if not workdays.has_decree(y)]


def set_override(day: date, kind: str, reference: str) -> int:
    row = db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    before = {"kind": row.kind, "reference": row.reference} if row else None
    if row is None:
        row = CalendarOverride(day=day, kind=kind, reference=reference)
        db.session.add(row)
    else:
        row.kind, row.reference = kind, reference
    db.session.flush()
    _invalidate()
    record("inbox.calendar.set", "inbox_calendar", day.isoformat(),
           {"kind": kind, "reference": reference, "before": before})
    changed = recompute_open()
    db.session.commit()
    return changed


def remove_override(day: date) -> int:
    row = db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        return 0
    record("inbox.calendar.remove", "inbox_calendar", day.isoformat(),
           {"kind": row.kind, "reference": row.reference})
    db.session.delete(row)
    db.session.flush()
    _invalidate()
    changed = recompute_open()
    db.session.commit()
    return changed


def recompute_open() -> int:
    """Recompute every open deadline from its receipt date; returns how many moved."""
    cfg = current_app.config
    opts = options()
    moved = 0
    for req in db.session.scalars(select(InfoRequest).where(InfoRequest.status.in_(OPEN_STATUSES))):
        due = add(req.received_date, cfg["INBOX_ANSWER_DAYS"], opts)
        ext = add(req.received_date, cfg["INBOX_ANSWER_DAYS"] + cfg["INBOX_EXTENSION_DAYS"], opts) \
            if req.extended_due_date else None
        if (due, ext) != (req.due_date, req.extended_due_date):
            record("inbox.deadline.recomputed", "inbox_request", req.number,
                   {"from": str(req.effective_due), "to": str(ext or due)})
            req.due_date, req.extended_due_date = due, ext
            moved += 1
    for obj in db.session.scalars(select(Objection).where(Objection.status != "diputus")):
        due = add(obj.received_date, cfg["INBOX_OBJECTION_ANSWER_DAYS"], opts)
        if due != obj.due_date:
            record("inbox.deadline.recomputed", "inbox_objection", obj.number,
                   {"from": str(obj.due_date), "to": str(due)})
            obj.due_date = due
            moved += 1
    return moved
