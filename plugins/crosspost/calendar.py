"""The crosspost calendar: what went out and what is scheduled, per day of a month.

Days are WIB days (stored datetimes are naive UTC).  An entry is placed at
the moment that matters for its state: sent → when it went out; failed,
unknown, skipped → when that was recorded; waiting → when it is due.
Scheduled posts have no outbox rows yet (they are written at publication),
so their planned accounts (the editor's choice, else the defaults) are shown
at the post's publication time.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from cms.api import WIB, FieldError, db, to_wib
from plugins.crosspost import channels
from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery

WAITING = ("pending", "retry", "sending")
PROBLEMS = ("failed", "unknown")
# What a calendar entry says about itself (the words, not only the colour).
STATES = {
    "sent": _l("Terkirim"),
    "scheduled": _l("Terjadwal"),
    "failed": _l("Gagal"),
    "unknown": _l("Hasil tidak pasti"),
    "skipped": _l("Tindak lanjuti manual"),
}


class BadFilter(FieldError):
    """A filter value that cannot be used; ``field`` names the query parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(message, field)


@dataclass(frozen=True)
class Filters:
    year: int
    month: int
    unit: int | None | str = "all"  # "all", None (central accounts) or a unit id
    channel: str = ""


@dataclass
class Entry:
    when: datetime  # naive UTC
    state: str  # a key of STATES
    title: str
    account: str
    channel: str
    channel_label: str
    unit_name: str
    post_id: int | None = None
    remote_url: str | None = None
    error: str = ""
    action: str = "create"

    @property
    def day(self) -> date:
        return to_wib(self.when).date()

    @property
    def time_label(self) -> str:
        return to_wib(self.when).strftime("%H.%M")

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def is_problem(self) -> bool:
        return self.state in PROBLEMS


def parse_month(value: str | None, today: date) -> tuple[int, int]:
    """``bulan=2026-12``; empty means the current month."""
    if not value:
        return today.year, today.month
    try:
        year, month = (int(part) for part in value.split("-", 1))
        date(year, month, 1)
    except ValueError:
        raise BadFilter("bulan", _("Bulan harus berformat TTTT-BB, misalnya 2026-12.")) from None
    if not 2000 <= year <= 2100:
        raise BadFilter("bulan", _("Bulan harus berformat TTTT-BB, misalnya 2026-12."))
    return year, month


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month's first and next month's first WIB midnight, as naive UTC."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)

    def utc(d: date) -> datetime:
        return datetime.combine(d, time(), WIB).astimezone(UTC).replace(tzinfo=None)

    return utc(first), utc(following)


def weeks(year: int, month: int) -> list[list[date | None]]:
    """Monday-first weeks of the month; days outside it are None."""
    return [
        [d if d.month == month else None for d in week]
        for week in _cal.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]


def _moment(row: CrosspostDelivery) -> datetime | None:
    if row.status == "sent":
        return row.sent_at or row.updated_at
    if row.status in WAITING:
        return row.next_attempt_at
    return row.updated_at


def _state(row: CrosspostDelivery) -> str:
    return "scheduled" if row.status in WAITING else row.status


def _account_filter(stmt, filters: Filters, visible: set[int] | None):
    if visible is not None:
        stmt = stmt.where(CrosspostAccount.unit_id.in_(visible or {-1}))
    if filters.unit is None:
        stmt = stmt.where(CrosspostAccount.unit_id.is_(None))
    elif filters.unit != "all":
        stmt = stmt.where(CrosspostAccount.unit_id == filters.unit)
    if filters.channel:
        stmt = stmt.where(CrosspostAccount.channel == filters.channel)
    return stmt


def _label(channel_key: str) -> str:
    cls = channels.available().get(channel_key)
    return cls.label if cls is not None else channel_key


def entries(filters: Filters, visible: set[int] | None) -> list[Entry]:
    """Every entry of the month for the accounts ``visible`` (None = all), oldest first."""
    start, end = month_bounds(filters.year, filters.month)
    found: list[Entry] = []
    in_month = lambda col: and_(col >= start, col < end)  # noqa: E731
    stmt = (
        select(CrosspostDelivery, CrosspostAccount)
        .join(CrosspostAccount, CrosspostAccount.id == CrosspostDelivery.account_id)
        .where(
            CrosspostDelivery.status != "cancelled",
            or_(
                and_(CrosspostDelivery.status == "sent", in_month(CrosspostDelivery.sent_at)),
                and_(CrosspostDelivery.status.in_(WAITING), in_month(CrosspostDelivery.next_attempt_at)),
                and_(
                    CrosspostDelivery.status.in_(("failed", "unknown", "skipped")),
                    in_month(CrosspostDelivery.updated_at),
                ),
            ),
        )
    )
    for row, account in db.session.execute(_account_filter(stmt, filters, visible)):
        when = _moment(row)
        if when is None or not start <= when < end:
            continue
        story = (row.payload or {}).get("story") or {}
        found.append(
            Entry(
                when=when,
                state=_state(row),
                title=story.get("title") or row.source_ref,
                account=account.name,
                channel=account.channel,
                channel_label=_label(account.channel),
                unit_name=account.unit.name if account.unit else "",
                post_id=row.post_id,
                remote_url=row.remote_url,
                error=row.last_error if row.status != "sent" else "",
                action=row.action,
            )
        )
    found.extend(_scheduled_posts(start, end, filters, visible))
    return sorted(found, key=lambda e: (e.when, e.title, e.account))


def _scheduled_posts(start: datetime, end: datetime, filters: Filters, visible: set[int] | None) -> list[Entry]:
    from cms.api import Post
    from plugins.crosspost.audience import chosen_accounts

    allowed = {a.id for a in db.session.scalars(_account_filter(select(CrosspostAccount), filters, visible))}
    found = []
    for post in db.session.scalars(
        select(Post).where(Post.status == "scheduled", Post.publish_at >= start, Post.publish_at < end)
    ):
        when = max(m for m in (post.publish_at, post.embargo_until) if m)
        for account, _text in chosen_accounts(post):
            if account.id in allowed:
                found.append(
                    Entry(
                        when=when,
                        state="scheduled",
                        title=post.title,
                        account=account.name,
                        channel=account.channel,
                        channel_label=_label(account.channel),
                        unit_name=account.unit.name if account.unit else "",
                        post_id=post.id,
                    )
                )
    return found


def by_day(found: list[Entry]) -> dict[date, list[Entry]]:
    days: dict[date, list[Entry]] = {}
    for entry in found:
        days.setdefault(entry.day, []).append(entry)
    return days


def totals(found: list[Entry]) -> dict[str, int]:
    counts = {state: 0 for state in STATES}
    for entry in found:
        counts[entry.state] = counts.get(entry.state, 0) + 1
    return counts


def neighbours(year: int, month: int) -> tuple[str, str]:
    prev = date(year, month, 1) - timedelta(days=1)
    nxt = date(year, month, 28) + timedelta(days=4)
    return f"{prev.year:04d}-{prev.month:02d}", f"{nxt.year:04d}-{nxt.month:02d}"


__all__ = [
    "BadFilter",
    "Entry",
    "Filters",
    "STATES",
    "by_day",
    "entries",
    "month_bounds",
    "neighbours",
    "parse_month",
    "totals",
    "weeks",
]
