"""The institution set under Admin → Identitas names the site everywhere a
reader or journalist sees it: page titles, feeds, the embargo calendar and the
account mails — not the software's name ("Warta") nor the config default."""

from __future__ import annotations

import feedparser
import icalendar

from cms import identity
from cms.extensions import db
from cms.feeds import subscriptions
from cms.models import SiteIdentity
from tests.feeds.conftest import body_of
from tests.feeds.journalist_helpers import approved_journalist

NAME = "Pemerintah Kota Sukamaju"


def _set_name():
    db.session.add(SiteIdentity(id=1, name=NAME, accent="#0b5394"))
    db.session.commit()
    identity.forget()


def test_page_titles_and_feeds_carry_the_institution(fclient, make_post):
    post = make_post(title="Jembatan Baru Dibuka")
    _set_name()
    home = fclient.get("/").get_data(as_text=True)
    assert f"<title>{NAME}</title>" in home
    item = fclient.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)
    assert f"<title>Jembatan Baru Dibuka — {NAME}</title>" in item
    assert f'<meta property="og:site_name" content="{NAME}">' in item
    assert "— Warta</title>" not in item
    assert f'title="{NAME} — RSS"' in home
    feed = feedparser.parse(fclient.get("/feeds/rss.xml", headers={"Accept": "application/rss+xml"}).data)
    assert feed.feed.title == NAME
    assert NAME in feed.feed.description
    tag_feed = feedparser.parse(
        fclient.get("/feeds/siaran-pers/atom.xml", headers={"Accept": "application/atom+xml"}).data
    )
    assert tag_feed.feed.title == f"{NAME} — Siaran Pers"


def test_calendar_and_approval_mail_name_the_institution(fclient, smtp):
    _set_name()
    _account, journalist, _user = approved_journalist()
    approved = [m for m in smtp.messages if "disetujui" in m["Subject"]]
    assert approved and f"di {NAME} disetujui" in body_of(approved[0])
    url = subscriptions.private_feed_url(journalist, "kalender.ics").removeprefix("https://warta.test")
    cal = icalendar.Calendar.from_ical(fclient.get(url).data)
    assert str(cal["X-WR-CALNAME"]) == f"Embargo siaran pers — {NAME}"
