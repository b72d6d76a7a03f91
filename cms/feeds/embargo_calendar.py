"""A journalist's embargo calendar: an iCalendar feed of upcoming lift times.

Served at the journalist's secret feed URL (the private feed token), so a
calendar app subscribes once.  Each release is one event with a stable UID;
its SEQUENCE is the release's ``embargo_schedule.sequence``, bumped whenever
the lift time changes, so calendar apps replace the old time.  A withdrawn
embargo stays as a CANCELLED event until its former time passes.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from cms.extensions import db
from cms.feeds.subscriptions import embargoed_posts
from cms.i18n import WIB, format_datetime
from cms.identity import current_identity
from cms.models.distribution import Journalist
from cms.models.press_access import EmbargoSchedule
from cms.newsroom import embargo_links, publishing
from cms.timeutil import naive_utc

if TYPE_CHECKING:  # icalendar (3 MB) is imported when a journalist fetches a calendar
    from icalendar import Event


def _uid(post_id: int) -> str:
    host = urlsplit(current_app.config["SITE_URL"]).hostname or "warta"
    return f"embargo-{post_id}@{host}"


def _sequence(row: EmbargoSchedule | None, post) -> int:
    """The recorded SEQUENCE, one ahead when the change sweep has yet to run."""
    if row is None:
        return 0
    pending = row.withdrawn_at is not None or row.lift_at != post.embargo_until
    return row.sequence + (1 if pending else 0)


def _event(post, sequence: int, *, url: str = "", cancelled_at=None) -> Event:
    from icalendar import Event

    lift = (cancelled_at or post.embargo_until).replace(tzinfo=UTC)
    event = Event()
    event.add("uid", _uid(post.id))
    event.add("sequence", sequence)
    event.add("dtstamp", naive_utc().replace(tzinfo=UTC))
    event.add("dtstart", lift.astimezone(WIB))
    event.add("dtend", (lift + timedelta(minutes=15)).astimezone(WIB))
    utc = lift.strftime("%Y-%m-%d %H:%M UTC")
    if cancelled_at is not None:
        event.add("summary", _("Embargo dibatalkan: %(title)s", title=post.title))
        event.add("status", "CANCELLED")
        event.add("description", _("Embargo rilis ini dibatalkan; tunggu pemberitahuan berikutnya."))
        return event
    event.add("summary", _("Embargo dibuka: %(title)s", title=post.title))
    event.add("status", "CONFIRMED")
    event.add(
        "description",
        _(
            "Embargo dibuka %(wib)s (%(utc)s). Pratinjau pribadi: %(url)s",
            wib=format_datetime(post.embargo_until),
            utc=utc,
            url=url,
        ),
    )
    event.add("url", url)
    return event


def calendar_for(journalist: Journalist) -> tuple[bytes, list]:
    """The journalist's calendar and the releases in it; the preview links it
    carries are made as needed (the caller commits)."""
    from icalendar import Calendar

    posts = embargoed_posts()
    rows = {row.post_id: row for row in db.session.scalars(select(EmbargoSchedule))}
    cal = Calendar()
    with force_locale("id"):
        cal.add("prodid", "-//Warta//Kalender embargo//ID")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", _("Embargo siaran pers — %(site)s", site=current_identity().name))
        cal.add("x-wr-timezone", "Asia/Jakarta")
        for post in posts:
            url = embargo_links.personal_url(post, journalist)
            cal.add_component(_event(post, _sequence(rows.get(post.id), post), url=url))
        shown = {post.id for post in posts}
        now = naive_utc()
        cancelled = [
            row
            for row in rows.values()
            if row.withdrawn_at is not None and row.lift_at > now and row.post_id not in shown and row.post is not None
        ]
        for row in cancelled:
            if not publishing.is_public(row.post):
                cal.add_component(_event(row.post, row.sequence, cancelled_at=row.lift_at))
    cal.add_missing_timezones()
    return cal.to_ical(), posts
