"""Accounts per unit (OPD): who manages which, where a release goes, and the per-unit hook."""

from __future__ import annotations

import inspect
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from cms.plugins import hook
from plugins.crosspost.models import CrosspostAccount, CrosspostChoice
from tests.conftest import PASSWORD
from tests.plugins.crosspost.conftest import deliveries, now

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def units(xapp):
    from cms.accounts import get_or_create_unit

    a, b = get_or_create_unit("Dinas Kesehatan"), get_or_create_unit("Dinas Pendidikan")
    db.session.commit()
    return a, b


@pytest.fixture
def client(xapp):
    return xapp.test_client()


@pytest.fixture
def signin(client):
    from cms import accounts

    def _signin(role, unit=None):
        user = accounts.create_user(f"{role}-{now().timestamp()}@warta.test", role, PASSWORD, unit=unit)
        client.post("/logout")
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        return user

    return _signin


@pytest.fixture
def three(units, add_account, mastodon, telegram, xfake):
    """A central Mastodon, unit A's Telegram and unit B's X, all sharing releases by default."""
    a, b = units
    central = add_account("mastodon", mastodon, "Humas Kota", default_kinds="siaran-pers")
    own = add_account("telegram", telegram, "Dinkes Telegram", default_kinds="siaran-pers", unit_id=a.id)
    other = add_account("x", xfake, "Disdik X", default_kinds="siaran-pers", unit_id=b.id)
    return central, own, other


def test_unit_officer_lists_and_edits_only_own_units_accounts(client, signin, units, three, telegram):
    a, _b = units
    central, own, other = three
    signin("ppid_unit", unit=a)
    listing = client.get("/admin/crosspost/accounts").get_data(as_text=True)
    assert "Dinkes Telegram" in listing
    assert "Disdik X" not in listing and "Humas Kota" not in listing
    assert client.get(f"/admin/crosspost/accounts/{own.id}").status_code == 200
    for row in (central, other):
        assert client.get(f"/admin/crosspost/accounts/{row.id}").status_code == 403
        assert client.post(f"/admin/crosspost/accounts/{row.id}", data={"name": "Diambil alih"}).status_code == 403
        assert client.post(f"/admin/crosspost/accounts/{row.id}/test").status_code == 403
        assert client.post(f"/admin/crosspost/accounts/{row.id}/kirim-rilis", data={"post_id": "1"}).status_code == 403
    assert {r.name for r in db.session.scalars(select(CrosspostAccount))} == {
        "Humas Kota",
        "Dinkes Telegram",
        "Disdik X",
    }
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    denied_ids = {d.object_id for d in denied if d.object_type == "crosspost_account"}
    assert len(denied) >= 8 and denied_ids >= {str(central.id), str(other.id)}
    # Not the deliveries or a post's share plan either (editors' work).
    assert client.get("/admin/crosspost/").status_code == 403


def test_unit_officer_creates_accounts_only_for_own_unit(client, signin, units, telegram):
    a, b = units
    signin("ppid_unit", unit=a)
    form = client.get("/admin/crosspost/accounts/new/telegram").get_data(as_text=True)
    assert "Dinas Kesehatan" in form and "Dinas Pendidikan" not in form and "Pusat (Humas" not in form
    data = {
        "name": "Telegram Dinkes",
        "s_api_base": telegram.url,
        "s_bot_token": "t",
        "s_chat_id": "@dinkes",
        "active": "y",
    }
    response = client.post("/admin/crosspost/accounts/new/telegram", data={**data, "unit_id": str(b.id)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Pemilik akun: Pilih unit yang Anda kelola." in page
    assert "Pemilik akun: Pemilik akun" not in page  # the field is named once, by the form macro
    response = client.post("/admin/crosspost/accounts/new/telegram", data={**data, "unit_id": ""})
    assert response.status_code == 400  # "" = central: not theirs to create
    assert db.session.scalar(select(CrosspostAccount)) is None
    client.post("/admin/crosspost/accounts/new/telegram", data={**data, "unit_id": str(a.id)})
    row = db.session.scalar(select(CrosspostAccount))
    assert row.name == "Telegram Dinkes" and row.unit_id == a.id
    # Editing cannot move it to another unit or to the centre.
    response = client.post(f"/admin/crosspost/accounts/{row.id}", data={**data, "unit_id": str(b.id)})
    assert response.status_code == 400
    db.session.refresh(row)
    assert row.unit_id == a.id


def test_editor_manages_every_account_and_picks_its_owner(client, signin, units, three, mastodon):
    a, b = units
    signin("editor")
    listing = client.get("/admin/crosspost/accounts").get_data(as_text=True)
    assert all(name in listing for name in ("Humas Kota", "Dinkes Telegram", "Disdik X"))
    assert "Dinas Pendidikan" in listing and "Pusat" in listing
    form = client.get("/admin/crosspost/accounts/new/mastodon").get_data(as_text=True)
    assert "Pusat (Humas / PPID Utama)" in form and "Dinas Kesehatan" in form and "Dinas Pendidikan" in form
    client.post(
        "/admin/crosspost/accounts/new/mastodon",
        data={
            "name": "Mastodon Disdik",
            "s_base_url": mastodon.url,
            "s_access_token": "tok",
            "s_visibility": "public",
            "active": "y",
            "unit_id": str(b.id),
        },
    )
    assert db.session.scalar(select(CrosspostAccount).filter_by(name="Mastodon Disdik")).unit_id == b.id
    response = client.post(
        "/admin/crosspost/accounts/new/mastodon",
        data={"name": "Salah", "s_base_url": mastodon.url, "s_access_token": "tok", "unit_id": "99999"},
    )
    assert response.status_code == 400 and "Pemilik akun" in response.get_data(as_text=True)


def test_release_of_unit_a_goes_to_central_and_a_never_b(three, units, make_post, publish, mastodon, telegram, xfake):
    a, _b = units
    central, own, other = three
    post = publish(make_post(unit_id=a.id))
    assert {r.account_id for r in deliveries(post_id=post.id)} == {central.id, own.id}
    assert len(mastodon.posts) == len(telegram.posts) == 1 and xfake.posts == {}
    # A release without a unit goes to the central accounts only.
    loose = publish(make_post())
    assert {r.account_id for r in deliveries(post_id=loose.id)} == {central.id}


def test_editor_chooses_among_central_and_the_units_accounts(client, signin, three, units, make_post, publish, xfake):
    a, _b = units
    central, own, other = three
    signin("editor")
    post = make_post(unit_id=a.id)
    page = client.get(f"/admin/crosspost/posts/{post.id}").get_data(as_text=True)
    assert "Humas Kota" in page and "Dinkes Telegram" in page and "Disdik X" not in page
    assert "Dinas Kesehatan" in page  # the panel names the release's unit
    # Central off, the unit's on; a forged tick for unit B's account is ignored.
    client.post(f"/admin/crosspost/posts/{post.id}", data={f"use_{own.id}": "on", f"use_{other.id}": "on"})
    choices = {c.account_id: c.enabled for c in db.session.scalars(select(CrosspostChoice))}
    assert choices == {central.id: False, own.id: True}
    publish(post)
    assert [r.account_id for r in deliveries(post_id=post.id)] == [own.id]
    assert xfake.posts == {}


def test_choices_for_a_unit_account_do_not_follow_a_post_moved_to_another_unit(three, units, make_post, publish):
    a, b = units
    central, own, other = three
    post = make_post(unit_id=a.id)
    db.session.add(CrosspostChoice(post_id=post.id, account_id=own.id, enabled=True))
    post.unit_id = b.id
    db.session.commit()
    publish(post)
    assert {r.account_id for r in deliveries(post_id=post.id)} == {central.id, other.id}


def test_backfill_offers_a_unit_account_only_its_units_releases(three, units, make_post, editor):
    from cms.newsroom import publishing
    from plugins.crosspost import outbox

    a, b = units
    _central, own, _other = three
    mine = make_post(unit_id=a.id)
    theirs = make_post(unit_id=b.id)
    for post in (mine, theirs):
        publishing.publish_now(post, editor)
    offered = outbox.recent_releases(own, 14)
    assert theirs.id not in {p.id for p in offered}


def test_hook_cms_crosspost_deliveries_by_unit(three, units, make_post, publish, telegram, xfake):
    a, b = units
    central, own, other = three
    start = now() - timedelta(minutes=1)
    publish(make_post(unit_id=a.id))  # central + A sent
    telegram.faults.append("403")  # A: failed (bot not in the channel)
    publish(make_post(unit_id=a.id))
    xfake.faults.append("500-after-save")  # B: X has no idempotency → unknown
    publish(make_post(unit_id=b.id))
    figures = hook().cms_crosspost_deliveries_by_unit(start=start, end=now() + timedelta(minutes=1))
    assert figures == [
        {"unit_id": None, "channel": "mastodon", "sent": 3, "failed": 0, "unknown": 0, "pending": 0},
        {"unit_id": a.id, "channel": "telegram", "sent": 1, "failed": 1, "unknown": 0, "pending": 0},
        {"unit_id": b.id, "channel": "x", "sent": 0, "failed": 0, "unknown": 1, "pending": 0},
    ]
    # The period is honoured: nothing before it.
    assert hook().cms_crosspost_deliveries_by_unit(start=start - timedelta(days=2), end=start) == []


def test_offered_hook_is_typed_documented_and_absent_without_the_plugin(make_app):
    from plugins.crosspost import hookspecs

    spec = hookspecs.cms_crosspost_deliveries_by_unit
    sig = inspect.signature(spec)
    assert sig.return_annotation is not inspect.Signature.empty
    assert all(p.annotation is not inspect.Parameter.empty for p in sig.parameters.values())
    assert ":param start:" in spec.__doc__ and ":param end:" in spec.__doc__ and ":returns:" in spec.__doc__
    assert spec.cms_spec["firstresult"] and "first non-None" in spec.__doc__
    docs = (ROOT / "docs" / "crosspost.md").read_text(encoding="utf-8")
    assert "### cms_crosspost_deliveries_by_unit(start, end)" in docs
    app = make_app(enabled=[])
    with app.app_context():
        # installed but disabled: the hook is known, nobody answers it ("not available")
        assert hook().cms_crosspost_deliveries_by_unit(start=datetime(2026, 1, 1), end=datetime(2027, 1, 1)) is None


def test_a_hook_name_offered_twice_stops_start_up(make_app):
    import types

    from cms import hookimpl
    from plugins.crosspost import hookspecs

    clash = types.ModuleType("imposter")
    clash.cms_add_hookspecs = hookimpl(lambda pm: pm.add_hookspecs(hookspecs))
    with pytest.raises(ValueError, match="cms_crosspost_deliveries_by_unit.* already registered"):
        make_app(enabled=["crosspost"], plugins=[clash])


def test_an_account_of_a_deactivated_unit_keeps_its_owner_when_saved(client, signin, units, three, telegram):
    a, _b = units
    _central, own, _other = three
    a.active = False
    db.session.commit()
    signin("editor")
    page = client.get(f"/admin/crosspost/accounts/{own.id}").get_data(as_text=True)
    assert re.search(
        rf'<option selected value="{a.id}">Dinas Kesehatan</option>|'
        rf'<option value="{a.id}" selected>Dinas Kesehatan</option>',
        page,
    )
    response = client.post(
        f"/admin/crosspost/accounts/{own.id}",
        data={
            "name": "Dinkes Telegram",
            "s_api_base": telegram.url,
            "s_chat_id": "@dinkes",
            "active": "y",
            "unit_id": str(a.id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(own)
    assert own.unit_id == a.id
    # A new account cannot be given to the deactivated unit.
    new = client.get("/admin/crosspost/accounts/new/telegram").get_data(as_text=True)
    assert "Dinas Kesehatan" not in new


def test_unit_officer_finds_accounts_and_calendar_in_the_menu(client, signin, units):
    a, _b = units
    signin("ppid_unit", unit=a)
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/crosspost/accounts"' in html and 'href="/admin/crosspost/kalender"' in html
    assert 'href="/admin/crosspost/"' not in html  # deliveries stay with editors
