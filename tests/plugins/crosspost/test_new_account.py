"""A new (or reactivated) account starts with what is published after it is
added; older releases go out only when an admin picks them by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from plugins.crosspost import outbox
from plugins.crosspost.models import CrosspostAccount
from tests.conftest import PASSWORD, csrf_token_from
from tests.plugins.crosspost.conftest import DATA_KEY, deliveries, now


@pytest.fixture
def xapp(make_app):
    """CSRF on: the account page's form is checked as in production."""
    app = make_app(enabled=["crosspost"], CMS_DATA_KEY=DATA_KEY, CROSSPOST_HTTP_TIMEOUT=2, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


@pytest.fixture
def client(xapp):
    return xapp.test_client()


@pytest.fixture
def admin(client):
    from cms import accounts

    user = accounts.create_user("admin-crosspost@warta.test", "admin", PASSWORD)
    token = csrf_token_from(client.get("/login").text)
    resp = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert resp.status_code in (302, 303), resp.text[:500]
    return user


def _published_earlier(make_post, publish, title, hours):
    with time_machine.travel(now() - timedelta(hours=hours), tick=False):
        return publish(make_post(title=title))


def _texts(fake) -> list[str]:
    return [p["text"] for p in fake.posts.values()]


def _connect_mastodon(client, mastodon) -> CrosspostAccount:
    page = client.get("/admin/crosspost/accounts/new/mastodon").text
    resp = client.post(
        "/admin/crosspost/accounts/new/mastodon",
        data={
            "csrf_token": csrf_token_from(page),
            "name": "Mastodon Humas",
            "s_base_url": mastodon.url,
            "s_access_token": mastodon.token,
            "s_visibility": "public",
            "active": "y",
        },
    )
    assert resp.status_code == 302, resp.text[:1000]
    return db.session.scalar(select(CrosspostAccount).where(CrosspostAccount.name == "Mastodon Humas"))


def test_new_account_does_not_post_the_last_day(xapp, client, admin, mastodon, make_post, publish):
    old = _published_earlier(make_post, publish, "Jadwal vaksinasi pekan ini", 3)
    _connect_mastodon(client, mastodon)
    result = outbox.sweep()
    assert result["created"] == 0
    assert mastodon.posts == {} and deliveries() == []
    fresh = publish(make_post(title="Pendaftaran beasiswa dibuka"))
    (row,) = deliveries()
    assert row.post_id == fresh.id and row.status == "sent"
    assert any("Pendaftaran beasiswa dibuka" in t for t in _texts(mastodon))
    assert not any(old.title in t for t in _texts(mastodon))


def test_second_account_does_not_get_what_the_first_already_had(
    xapp, add_account, telegram, mastodon, make_post, publish
):
    with time_machine.travel(now() - timedelta(hours=3), tick=False):
        add_account("telegram", telegram)
    with time_machine.travel(now() - timedelta(hours=2), tick=False):
        publish(make_post(title="Rapat paripurna APBD"))
    add_account("mastodon", mastodon)
    outbox.sweep()
    assert len(telegram.posts) == 1 and mastodon.posts == {}


def test_reactivated_account_does_not_post_what_it_missed(xapp, add_account, mastodon, make_post, publish):
    from plugins.crosspost import accounts
    from tests.plugins.crosspost.conftest import settings_for

    row = add_account("mastodon", mastodon)
    accounts.save(row, "mastodon", row.name, settings_for("mastodon", mastodon), active=False)
    with time_machine.travel(now() + timedelta(minutes=1), tick=False):
        publish(make_post(title="Penutupan jalan sementara"))
    with time_machine.travel(now() + timedelta(minutes=2), tick=False):
        accounts.save(row, "mastodon", row.name, settings_for("mastodon", mastodon), active=True)
        outbox.sweep()
    assert mastodon.posts == {} and deliveries() == []


def test_admin_sends_named_releases_from_the_account_page(xapp, client, admin, mastodon, make_post, publish):
    first = _published_earlier(make_post, publish, "Jadwal vaksinasi pekan ini", 5)
    second = _published_earlier(make_post, publish, "Rapat paripurna APBD", 2)
    too_old = _published_earlier(make_post, publish, "Rilis bulan lalu", 24 * 30)
    account = _connect_mastodon(client, mastodon)
    page = client.get(f"/admin/crosspost/accounts/{account.id}").text
    assert first.title in page and second.title in page and too_old.title not in page
    url = f"/admin/crosspost/accounts/{account.id}/kirim-rilis"

    refused = client.post(url, data={"post_id": str(first.id)})  # no CSRF token
    assert refused.status_code == 400 and deliveries() == [] and mastodon.posts == {}

    token = csrf_token_from(page)
    sent = client.post(url, data={"csrf_token": token, "post_id": str(first.id)}, follow_redirects=True)
    assert "1 rilis dikirim" in sent.text
    assert [t for t in _texts(mastodon) if first.title in t] and not [t for t in _texts(mastodon) if second.title in t]
    (row,) = deliveries()
    assert (row.post_id, row.account_id, row.status) == (first.id, account.id, "sent")
    assert db.session.scalar(select(AuditLog.detail).where(AuditLog.action == "crosspost.account.backfill")) == {
        "posts": [first.id]
    }
    page = client.get(f"/admin/crosspost/accounts/{account.id}").text
    assert second.title in page and f'value="{first.id}"' not in page

    for bad in (str(first.id), str(too_old.id), "99999999999999999999", "abc"):
        again = client.post(url, data={"csrf_token": token, "post_id": bad})
        assert again.status_code == 400
        assert "tidak ada di daftar" in again.text
    nothing = client.post(url, data={"csrf_token": token})
    assert nothing.status_code == 400 and "Pilih minimal satu rilis" in nothing.text
    assert len(deliveries()) == 1 and len(mastodon.posts) == 1
