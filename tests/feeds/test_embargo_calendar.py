"""The embargo calendar (ICS, read back with ``icalendar``) and the notice
mailed when an embargo's lift time changes or it is withdrawn."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import select

from cms import accounts
from cms.extensions import db
from cms.feeds import subscriptions
from cms.models import EmbargoAccess, EmbargoSchedule, Post
from cms.newsroom import publishing
from cms.timeutil import naive_utc
from tests.conftest import PASSWORD, new_post
from tests.feeds.conftest import body_of
from tests.feeds.journalist_helpers import approved_journalist, editor, links_in

WIB = ZoneInfo("Asia/Jakarta")


def calendar(client, journalist) -> icalendar.Calendar:
    response = client.get(subscriptions.private_feed_url(journalist, "kalender.ics").removeprefix("https://warta.test"))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    return icalendar.Calendar.from_ical(response.data)


def events(cal) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def embargoed_release(title="Rilis Anggaran Banjir"):
    writer = accounts.create_user("penulis@warta.test", "writer", PASSWORD, name="Penulis")
    return new_post("embargo", via=(writer, editor()), title=title, body="<p>Isi rahasia.</p>")


def test_calendar_lists_lift_times_and_bumps_sequence_when_the_time_changes(fclient, smtp):
    _account, journalist, _user = approved_journalist()
    post = embargoed_release()
    lift = post.embargo_until

    cal = calendar(fclient, journalist)
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Jakarta"
    [(uid, event)] = events(cal).items()
    assert uid == f"embargo-{post.id}@warta.test"
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=7)  # Asia/Jakarta
    assert start.astimezone(UTC).replace(tzinfo=None) == lift.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Embargo dibuka: Rilis Anggaran Banjir"
    description = str(event["DESCRIPTION"])
    assert "WIB" in description and lift.strftime("%Y-%m-%d %H:%M UTC") in description
    [preview] = links_in(smtp, to="sari@koran.test")  # the embargo mail's personal link
    assert str(event["URL"]) == "https://warta.test" + preview
    assert any(a.channel == "calendar" for a in db.session.scalars(select(EmbargoAccess)))

    # The lift moves by a day: same UID, SEQUENCE 1, new time; the journalist is told.
    new_lift = lift + timedelta(days=1)
    publishing.schedule(db.session.get(Post, post.id), editor(), new_lift, embargo=True)
    assert db.session.get(EmbargoSchedule, post.id).sequence == 1
    notice = smtp.messages[-1]
    assert notice["To"] == "sari@koran.test" and notice["Subject"].startswith("PERUBAHAN EMBARGO hingga")
    text = body_of(notice)
    assert "Rilis Anggaran Banjir" in text and "Waktu embargo diubah dari" in text
    assert "https://warta.test" + preview in text  # the same personal link, still valid
    assert fclient.get(preview).status_code == 200

    [(uid2, event)] = events(calendar(fclient, journalist)).items()
    assert uid2 == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").astimezone(UTC).replace(tzinfo=None) == new_lift.replace(microsecond=0)


def test_withdrawn_embargo_is_announced_and_cancelled_in_the_calendar(fclient, smtp):
    _account, journalist, _user = approved_journalist()
    approved_journalist("Budi Wartawan", "budi@tv.test")
    post = embargoed_release("Rilis Yang Ditarik")
    before = len(smtp.messages)
    publishing.cancel_schedule(db.session.get(Post, post.id), editor())

    notices = [m for m in smtp.messages[before:] if m["Subject"].startswith("EMBARGO DIBATALKAN")]
    assert {m["To"] for m in notices} == {"sari@koran.test", "budi@tv.test"}  # both got the release
    assert "ditarik dari jadwal" in body_of(notices[0])
    [event] = events(calendar(fclient, journalist)).values()
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    [link] = links_in(smtp, to="sari@koran.test")
    page = fclient.get(link)
    assert page.status_code == 410 and "ditarik dari jadwal embargo" in page.get_data(as_text=True)


def test_a_revoked_journalist_is_not_told(feeds_app, smtp):
    post = embargoed_release("Rilis Sebelum Pencabutan")
    subscriptions.revoke(approved_journalist()[1], editor())  # accredited, then cut off
    before = len(smtp.messages)
    publishing.schedule(db.session.get(Post, post.id), editor(), naive_utc() + timedelta(days=2), embargo=True)
    assert [m["Subject"] for m in smtp.messages[before:]] == []


def test_revoked_journalist_calendar_is_gone(fclient, smtp):
    _account, journalist, _user = approved_journalist()
    url = subscriptions.private_feed_url(journalist, "kalender.ics").removeprefix("https://warta.test")
    subscriptions.revoke(journalist, editor())
    assert fclient.get(url).status_code == 410
    assert fclient.get("/feeds/embargo/salah/kalender.ics").status_code == 404
