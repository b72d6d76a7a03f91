"""The crosspost calendar: sent, scheduled and failed entries per day, filters, who sees what."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine

from cms.extensions import db
from tests.conftest import PASSWORD

# 10 December 2026, 10.00 WIB: mid-month, so "in an hour" and "in two days" stay in December.
NOW = datetime(2026, 12, 10, 3, 0)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def client(xapp):
    return xapp.test_client()


@pytest.fixture
def signin(client):
    from cms import accounts

    count = iter(range(1000))

    def _signin(role, unit=None):
        user = accounts.create_user(f"{role}-{next(count)}@warta.test", role, PASSWORD, unit=unit)
        client.post("/logout")
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        return user

    return _signin


@pytest.fixture
def month(clock, xapp, add_account, mastodon, telegram, xfake, make_post, publish, editor):
    """Central Mastodon, unit A's Telegram, unit B's X, and a month of crossposting."""
    from cms.accounts import get_or_create_unit
    from cms.newsroom import publishing
    from plugins.crosspost import outbox
    from plugins.crosspost.models import CrosspostChoice

    a, b = get_or_create_unit("Dinas Kesehatan"), get_or_create_unit("Dinas Pendidikan")
    db.session.commit()
    central = add_account("mastodon", mastodon, "Humas Kota", default_kinds="siaran-pers")
    own = add_account("telegram", telegram, "Dinkes Telegram", default_kinds="siaran-pers", unit_id=a.id)
    other = add_account("x", xfake, "Disdik X", default_kinds="siaran-pers", unit_id=b.id)
    publish(make_post(title="Vaksinasi gratis di puskesmas", unit_id=a.id))
    xfake.faults.append("403")
    publish(make_post(title="Beasiswa SMA dibuka", unit_id=b.id))
    scheduled = make_post(title="Jadwal posyandu Januari", unit_id=a.id)
    db.session.add(CrosspostChoice(post_id=scheduled.id, account_id=central.id, enabled=False))
    db.session.commit()
    publishing.schedule(scheduled, editor, NOW + timedelta(hours=1))
    embargoed = make_post(
        title="Hasil survei gizi (embargo)",
        unit_id=a.id,
        status="published",
        published_at=NOW,
        embargo_until=NOW + timedelta(days=2),
    )
    outbox.on_published(embargoed)
    with time_machine.travel(NOW - timedelta(days=20), tick=True):  # November, picked by name
        last = make_post(title="Rilis bulan lalu", unit_id=a.id)
        db.session.add(CrosspostChoice(post_id=last.id, account_id=own.id, enabled=True))
        db.session.commit()
        publish(last)
    return {"a": a, "b": b, "central": central, "own": own, "other": other}


def entry(html: str, title: str) -> list[str]:
    """The class list of each calendar entry (grid and list) showing ``title``."""
    return re.findall(r'<li class="xp-entry ([^"]+)">(?:(?!</li>).)*?' + re.escape(title), html, re.S)


def test_month_shows_sent_scheduled_and_failed_with_failures_highlighted(client, signin, month):
    signin("editor")
    response = client.get("/admin/crosspost/kalender")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Crosspost Desember 2026" in html  # the grid's caption
    # Sent: central and unit A; failed: unit B's X, marked in words and by class.
    assert sorted(entry(html, "Vaksinasi gratis di puskesmas")) == ["xp-sent"] * 4  # 2 accounts x grid+list
    assert sorted(entry(html, "Beasiswa SMA dibuka")) == ["xp-failed"] * 2 + ["xp-sent"] * 2
    assert re.search(r'xp-failed">\s*<span class="badge bad">Gagal</span>(?:(?!</li>).)*Disdik X', html, re.S)
    assert "xp-has-problem" in html and "Gagal: 1" in html
    # Scheduled: the planned accounts (central turned off by the editor) and an embargo.
    assert entry(html, "Jadwal posyandu Januari") == ["xp-scheduled"] * 2
    assert re.search(r"Jadwal posyandu Januari(?:(?!</li>).)*Dinkes Telegram", html, re.S)
    assert not re.search(r"Jadwal posyandu Januari(?:(?!</li>).)*Humas Kota", html, re.S)
    assert sorted(entry(html, "Hasil survei gizi (embargo)")) == ["xp-scheduled"] * 4
    assert "Rilis bulan lalu" not in html
    # The list for small screens holds the same entries, by day.
    listing = html[html.index('id="xp-list-title"') :]
    assert "Kamis, 10 Desember 2026" in listing and "Sabtu, 12 Desember 2026" in listing
    assert "Beasiswa SMA dibuka" in listing and "Jadwal posyandu Januari" in listing
    previous = client.get("/admin/crosspost/kalender?bulan=2026-11").get_data(as_text=True)
    assert "Rilis bulan lalu" in previous and "Vaksinasi gratis" not in previous


def test_filters_by_unit_and_channel(client, signin, month):
    signin("admin")
    unit_a = client.get(f"/admin/crosspost/kalender?unit={month['a'].id}").get_data(as_text=True)
    assert entry(unit_a, "Vaksinasi gratis di puskesmas") == ["xp-sent"] * 2
    assert "Beasiswa SMA dibuka" not in unit_a and "Humas Kota" not in unit_a.split("</form>", 1)[1]
    central = client.get("/admin/crosspost/kalender?unit=pusat").get_data(as_text=True)
    assert "Beasiswa SMA dibuka" in central and "Disdik X" not in central.split("</form>", 1)[1]
    assert "Jadwal posyandu Januari" not in central  # the editor turned central off for it
    x_only = client.get("/admin/crosspost/kalender?kanal=x").get_data(as_text=True)
    assert entry(x_only, "Beasiswa SMA dibuka") == ["xp-failed"] * 2
    assert "Vaksinasi gratis" not in x_only
    both = client.get(f"/admin/crosspost/kalender?unit={month['b'].id}&kanal=mastodon").get_data(as_text=True)
    assert "Tidak ada pengiriman atau jadwal pada bulan ini." in both


def test_bad_filters_answer_400_naming_the_field(client, signin, month):
    signin("editor")
    for query, field in (
        ("bulan=2026-13", "bulan"),
        ("bulan=desember", "bulan"),
        ("kanal=myspace", "kanal"),
        ("unit=dinkes", "unit"),
    ):
        response = client.get(f"/admin/crosspost/kalender?{query}")
        assert response.status_code == 400, query
        assert f"Filter {field}:" in response.get_data(as_text=True)


def test_unit_officer_sees_only_own_units_calendar(client, signin, month):
    signin("ppid_unit", unit=month["a"])
    html = client.get("/admin/crosspost/kalender").get_data(as_text=True)
    body = html.split("</form>", 1)[1]
    assert "Vaksinasi gratis di puskesmas" in body and "Jadwal posyandu Januari" in body
    assert "Beasiswa SMA dibuka" not in body and "Humas Kota" not in body and "Disdik X" not in body
    assert "Dinas Pendidikan" not in html  # not even offered as a filter
    assert client.get(f"/admin/crosspost/kalender?unit={month['b'].id}").status_code == 403
    assert client.get("/admin/crosspost/kalender?unit=pusat").status_code == 403
    assert client.get(f"/admin/crosspost/kalender?unit={month['a'].id}").status_code == 200


@pytest.mark.parametrize("role", ["writer", "ppid", "atasan"])
def test_other_roles_are_refused(client, signin, month, role):
    signin(role)
    assert client.get("/admin/crosspost/kalender").status_code == 403


def test_guests_go_to_login(client, xapp):
    response = client.get("/admin/crosspost/kalender")
    assert response.status_code in (302, 401) and "login" in response.headers.get("Location", "login")
