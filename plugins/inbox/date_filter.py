"""The "received from … to …" filter of the staff lists (``?dari=&sampai=``,
ISO dates): the exact days a Monev figure counted, so its link lists the
very records behind the number.  A date that is not one is a form error on
its field, never a 500 nor a silently wider list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from cms.api import YEAR_MAX, YEAR_MIN

FIELDS = ("dari", "sampai")


@dataclass
class DateRange:
    start: date | None = None
    end: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def where(self, column) -> tuple:
        """The conditions on ``column`` (a date column), inclusive at both ends."""
        conditions = []
        if self.start is not None:
            conditions.append(column >= self.start)
        if self.end is not None:
            conditions.append(column <= self.end)
        return tuple(conditions)


def _day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if YEAR_MIN <= day.year <= YEAR_MAX else None


def parse(args) -> DateRange:
    """``dari``/``sampai`` from ``args``; a bad one is left out and named in ``errors``."""
    found = DateRange()
    for name in FIELDS:
        text = (args.get(name) or "").strip()
        if not text:
            continue
        day = _day(text)
        if day is None:
            found.errors[name] = _(
                "Tanggal tidak valid: tulis TTTT-BB-HH antara tahun %(low)s dan %(high)s.", low=YEAR_MIN, high=YEAR_MAX
            )
        elif name == "dari":
            found.start = day
        else:
            found.end = day
    if found.start and found.end and found.end < found.start:
        found.errors["sampai"] = _("Tanggal akhir tidak boleh sebelum tanggal awal.")
        found.end = None
    return found
