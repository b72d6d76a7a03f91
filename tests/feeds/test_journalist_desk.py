"""The journalist's embargo desk on a phone: the calendar can be subscribed
with one tap and both private addresses copied, without a read-only box to
select text from."""

from __future__ import annotations

from cms.feeds import subscriptions
from tests.conftest import PASSWORD
from tests.feeds.journalist_helpers import approved_journalist


def test_desk_offers_calendar_subscribe_links_and_copy_buttons(fclient, smtp):
    _account, journalist, _user = approved_journalist()
    fclient.post("/login", data={"email": "sari@koran.test", "password": PASSWORD})
    desk = fclient.get("/jurnalis/").get_data(as_text=True)
    ics = subscriptions.private_feed_url(journalist, "kalender.ics")
    webcal = "webcal://" + ics.removeprefix("https://")
    assert f'href="{webcal}"' in desk and "Buka di aplikasi kalender" in desk
    assert "calendar.google.com/calendar/r?cid=webcal%3A//" in desk
    assert 'data-copy="calendar-url"' in desk and 'data-copy="embargo-feed-url"' in desk
    assert f'id="calendar-url" type="url" readonly value="{ics}"' in desk
    assert "feeds/copy.js" in desk
    # the page does not link to itself as "Pratinjau pribadi dan kalender embargo"
    assert "Pratinjau pribadi dan kalender embargo" not in desk
