"""The legal clock: counting hari kerja (UU KIP deadlines) without an app.

Rule (UU KIP Pasal 22(7); docs/inbox.md "The legal clock"): the day of receipt (a date in
Asia/Jakarta) is day 0; the deadline is the N-th working day after it, also
when receipt falls on a non-working day.  A working day is Monday–Friday that
is neither a libur nasional nor — by default — a cuti bersama.  Both sources
come from ``holidays.Indonesia``: the ``public`` category holds libur
nasional, ``government`` holds cuti bersama.  The installation's settings
arrive as keyword options, so this module never reads Flask config.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypedDict

MON_FRI = frozenset({0, 1, 2, 3, 4})
# A safety bound: no legal deadline is this far away.
_MAX_SCAN_DAYS = 3660


class CalendarOptions(TypedDict, total=False):
    """An installation's calendar: the keyword options every counter here takes."""

    count_cuti_bersama: bool
    extra_holidays: Iterable[date]
    extra_working_days: Iterable[date]
    working_weekdays: Iterable[int]


def _indonesia() -> Any:
    """The class, imported at first use: the ``holidays`` package imports every
    country (300 modules, 17 MB resident), which a worker serving only public
    pages never needs.  (The class itself: the package's lazy
    ``holidays.Indonesia`` alias is untyped.)"""
    from holidays.countries.indonesia import Indonesia

    return Indonesia


@lru_cache(maxsize=64)
def _decreed(year: int, categories: tuple[str, ...]) -> frozenset[date]:
    return frozenset(_indonesia()(years=year, categories=categories).keys())


def decreed_holidays(year: int, *, count_cuti_bersama: bool = False) -> dict[date, str]:
    """Non-working days the ``holidays`` package knows for ``year`` (date → name)."""
    categories = ("public",) if count_cuti_bersama else ("public", "government")
    return dict(sorted(_indonesia()(years=year, categories=categories, language="id").items()))


def has_decree(year: int) -> bool:
    """True when cuti bersama for ``year`` are known, i.e. the SKB 3 Menteri was
    issued and the installed ``holidays`` package carries it."""
    return bool(_decreed(year, ("government",)))


def is_working_day(
    day: date,
    *,
    count_cuti_bersama: bool = False,
    extra_holidays: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
    working_weekdays: Iterable[int] = MON_FRI,
) -> bool:
    """Whether ``day`` counts.  ``extra_working_days`` wins over everything
    (an override that reopens a day); ``extra_holidays`` closes a day."""
    if day in set(extra_working_days):
        return True
    if day in set(extra_holidays):
        return False
    if day.weekday() not in set(working_weekdays):
        return False
    categories = ("public",) if count_cuti_bersama else ("public", "government")
    return day not in _decreed(day.year, categories)


def _checker(
    count_cuti_bersama: bool,
    extra_holidays: Iterable[date],
    extra_working_days: Iterable[date],
    working_weekdays: Iterable[int],
) -> Callable[[date], bool]:
    closed = frozenset(extra_holidays)
    opened = frozenset(extra_working_days)
    weekdays = frozenset(working_weekdays)
    categories = ("public",) if count_cuti_bersama else ("public", "government")

    def check(day: date) -> bool:
        if day in opened:
            return True
        if day in closed or day.weekday() not in weekdays:
            return False
        return day not in _decreed(day.year, categories)

    return check


def add_working_days(
    received: date,
    n: int,
    *,
    count_cuti_bersama: bool = False,
    extra_holidays: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
    working_weekdays: Iterable[int] = MON_FRI,
) -> date:
    """The ``n``-th working day after ``received`` (receipt day = day 0).

    >>> add_working_days(date(2025, 10, 6), 10)
    datetime.date(2025, 10, 20)

    Options: ``count_cuti_bersama`` treats cuti bersama as working days;
    ``extra_holidays`` / ``extra_working_days`` are the admin overrides;
    ``working_weekdays`` (0 = Monday) for units that also serve on Saturday.
    """
    if n < 0:
        raise ValueError("n must be zero or positive")
    check = _checker(count_cuti_bersama, extra_holidays, extra_working_days, working_weekdays)
    day = received
    counted = 0
    for _ in range(_MAX_SCAN_DAYS):
        if counted == n:
            return day
        day += timedelta(days=1)
        if check(day):
            counted += 1
    raise ValueError("no working days found in ten years; check the calendar overrides")


def working_days_between(
    start: date,
    end: date,
    *,
    count_cuti_bersama: bool = False,
    extra_holidays: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
    working_weekdays: Iterable[int] = MON_FRI,
) -> int:
    """Working days after ``start`` up to and including ``end``; negative when
    ``end`` is before ``start`` (so "N hari kerja lagi" can say how late).

    Counted arithmetically (whole weeks, then the holidays inside the range),
    so an officer list of long-overdue cases stays fast.
    """
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    weekdays = frozenset(working_weekdays)
    opened = frozenset(extra_working_days)
    full_weeks, rest = divmod((end - start).days, 7)
    count = full_weeks * len(weekdays)
    tail = start + timedelta(days=full_weeks * 7)
    count += sum(1 for i in range(1, rest + 1) if (tail + timedelta(days=i)).weekday() in weekdays)
    categories = ("public",) if count_cuti_bersama else ("public", "government")
    closed = set(d for d in extra_holidays if start < d <= end)
    for year in range(start.year, end.year + 1):
        closed.update(d for d in _decreed(year, categories) if start < d <= end)
    count -= sum(1 for d in closed if d.weekday() in weekdays and d not in opened)
    count += sum(1 for d in opened if start < d <= end and d.weekday() not in weekdays)
    return sign * count
