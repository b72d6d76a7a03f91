"""The installation's legal clock: settings + override table → deadlines.

``workdays`` is the pure counting and ``law`` the deadlines; this module
feeds them the site's settings (cuti bersama counted or not, working weekdays)
and the admin override table, and recomputes open deadlines when the calendar
changes.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, g
from sqlalchemy import select

from cms.api import audit, db, naive_utc, to_wib
from plugins.inbox import law, workdays
from plugins.inbox.models import CalendarOverride, InfoRequest, Objection
from plugins.inbox.workdays import CalendarOptions


def options() -> CalendarOptions:
    """Keyword options for ``workdays`` from config (read now) and the overrides,
    cached for the current app context (one query per page, not per row)."""
    cached = g.get("inbox_clock_options")
    if cached is None:
        cached = g.inbox_clock_options = _load_options()
    return cached


def _invalidate() -> None:
    g.pop("inbox_clock_options", None)


def _load_options() -> CalendarOptions:
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


def add(received: date, n: int, opts: CalendarOptions | None = None) -> date:
    return workdays.add_working_days(received, n, **(opts or options()))


def remaining(due: date, opts: CalendarOptions | None = None, *, on: date | None = None) -> int:
    """Working days left until ``due`` (0 = due today, negative = late)."""
    return law.working_days_left(on or today(), due, opts or options())


def between(start: date, end: date, opts: CalendarOptions | None = None) -> int:
    return law.working_days_taken(start, end, opts or options())


def deadline_days(cfg) -> dict[str, int]:
    """The installation's reading of the UU KIP day counts (``INBOX_*_DAYS``), read now."""
    return {"days": cfg["INBOX_ANSWER_DAYS"], "extension": cfg["INBOX_EXTENSION_DAYS"]}


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
    audit.record(
        "inbox.calendar.set",
        "inbox_calendar",
        day.isoformat(),
        {"kind": kind, "reference": reference, "before": before},
    )
    changed = recompute_open()
    db.session.commit()
    return changed


def remove_override(day: date) -> int:
    row = db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        return 0
    audit.record(
        "inbox.calendar.remove", "inbox_calendar", day.isoformat(), {"kind": row.kind, "reference": row.reference}
    )
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
    for req in db.session.scalars(select(InfoRequest).where(InfoRequest.status.in_(law.OPEN_STATUSES))):
        due = law.answer_due(req.received_date, opts, days=cfg["INBOX_ANSWER_DAYS"])
        ext = law.extended_due(req.received_date, opts, **deadline_days(cfg)) if req.extended_due_date else None
        if (due, ext) != (req.due_date, req.extended_due_date):
            audit.record(
                "inbox.deadline.recomputed",
                "inbox_request",
                req.number,
                {"from": str(req.effective_due), "to": str(ext or due)},
            )
            req.due_date, req.extended_due_date = due, ext
            moved += 1
    for obj in db.session.scalars(select(Objection).where(Objection.status != law.OBJECTION_DECIDED)):
        due = law.objection_answer_due(obj.received_date, opts, days=cfg["INBOX_OBJECTION_ANSWER_DAYS"])
        if due != obj.due_date:
            audit.record(
                "inbox.deadline.recomputed", "inbox_objection", obj.number, {"from": str(obj.due_date), "to": str(due)}
            )
            obj.due_date = due
            moved += 1
    return moved
