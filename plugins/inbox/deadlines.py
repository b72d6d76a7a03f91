"""How a deadline reads everywhere: the date and "N hari kerja lagi"."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from cms.api import format_date
from plugins.inbox import clock


def days_left_text(left: int) -> str:
    if left > 0:
        return _("%(n)s hari kerja lagi", n=left)
    if left == 0:
        return _("jatuh tempo hari ini")
    return _("terlambat %(n)s hari kerja", n=-left)


def deadline_text(due: date | None, open_: bool = True) -> str:
    if due is None:
        return ""
    if not open_:
        return format_date(due)
    return f"{format_date(due)} ({days_left_text(clock.remaining(due))})"
