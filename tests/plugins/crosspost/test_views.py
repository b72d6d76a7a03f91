"""Admin: accounts (secrets encrypted and masked), connection test, per-post plan, deliveries."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from plugins.crosspost.models import CrosspostAccount, CrosspostChoice
from tests.conftest import PASSWORD, csrf_token_from
from tests.plugins.crosspost.conftest import deliveries, now


@pytest.fixture
def client(xapp):
    return xapp.test_client()


@pytest.fixture
def signin(client):
    from cms import accounts

    def _signin(role="admin", unit=None):
        user = accounts.create_user(f"{role}-{now().timestamp()}@warta.test", role, PASSWORD, unit=unit)
        client.post("/logout")
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        return user

    return _signin


def test_admin_connects_account_secret_encrypted_and_masked(client, signin, mastodon):
    signin("admin")
    page = client.get("/admin/crosspost/accounts/new/mastodon")
    assert "Token akses" in page.get_data(as_text=True)
    response = client.post(
        "/admin/crosspost/accounts/new/mastodon",
        data={
            "name": "Mastodon Humas",
            "s_base_url": mastodon.url,
            "s_access_token": "tok-secret-98765",
            "s_visibility": "public",
            "default_kinds": ["siaran-pers"],
            "active": "y",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Akun disimpan" in html
    assert "tok-secret-98765" not in html and "************8765" in html
    row = db.session.scalar(select(CrosspostAccount))
    assert "tok-secret" not in json.dumps(row.settings) and "tok-secret" not in row.secrets_enc
    assert row.kinds() == {"siaran-pers"}
    listing = client.get("/admin/crosspost/accounts").get_data(as_text=True)
    assert "Mastodon Humas" in listing and "8765" in listing and "tok-secret" not in listing
    # Editing without typing the token keeps it.
    client.post(
        f"/admin/crosspost/accounts/{row.id}",
        data={"name": "Mastodon Humas Kota", "s_base_url": mastodon.url, "s_access_token": "", "active": "y"},
    )
    from plugins.crosspost.accounts import view

    db.session.refresh(row)
    assert row.name == "Mastodon Humas Kota" and view(row).settings["access_token"] == "tok-secret-98765"
    audit = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("crosspost.account%"))).all()
    assert audit == ["crosspost.account.create", "crosspost.account.update"]
    assert all("tok-secret" not in json.dumps(e.detail) for e in db.session.scalars(select(AuditLog)))


def test_missing_and_invalid_settings_name_the_field_and_keep_input(client, signin):
    signin("admin")
    response = client.post(
        "/admin/crosspost/accounts/new/telegram",
        data={"name": "Kanal Telegram", "s_api_base": "bukan url", "s_chat_id": "", "s_bot_token": ""},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ID kanal wajib diisi." in html and "Alamat Bot API: alamat URL tidak valid." in html
    assert 'value="Kanal Telegram"' in html
    assert db.session.scalar(select(CrosspostAccount)) is None
    response = client.post(
        "/admin/crosspost/accounts/new/telegram",
        data={"name": "Kanal Telegram", "s_api_base": "https://api.telegram.org", "s_chat_id": "@kanal"},
    )
    assert response.status_code == 400 and "Token bot wajib diisi." in response.get_data(as_text=True)


def test_connection_button_reports_success_and_failure(client, signin, telegram, add_account):
    signin("admin")
    good = add_account("telegram", telegram)
    html = client.post(f"/admin/crosspost/accounts/{good.id}/test", follow_redirects=True).get_data(as_text=True)
    assert "Koneksi berhasil: @humas_bot" in html
    from plugins.crosspost import accounts

    accounts.save(good, "telegram", good.name, {"api_base": telegram.url, "bot_token": "salah", "chat_id": "@k"})
    html = client.post(f"/admin/crosspost/accounts/{good.id}/test", follow_redirects=True).get_data(as_text=True)
    assert "Koneksi gagal" in html and "Unauthorized" in html
    assert "salah" not in html.replace("Koneksi gagal", "")


def test_editors_connect_accounts_and_see_deliveries_writers_neither(client, signin):
    # Issue 25: admins and editors manage every account (unit officers their unit's:
    # tests/plugins/crosspost/test_unit_accounts.py).
    signin("editor")
    assert client.get("/admin/crosspost/accounts").status_code == 200
    assert client.get("/admin/crosspost/accounts/new/mastodon").status_code == 200
    assert client.get("/admin/crosspost/").status_code == 200
    signin("writer")
    assert client.get("/admin/crosspost/").status_code == 403
    assert client.get("/admin/crosspost/accounts").status_code == 403


def test_per_post_plan_blocks_an_over_long_message_and_keeps_it(
    client, signin, xfake, mastodon, make_post, add_account
):
    signin("editor")
    x_account = add_account("x", xfake)
    m_account = add_account("mastodon", mastodon)
    post = make_post()
    page = client.get(f"/admin/crosspost/posts/{post.id}").get_data(as_text=True)
    assert post.title in page and "karakter berbobot (URL = 23)" in page and "counter.js" in page
    too_long = "Info penting 📢 " * 30
    response = client.post(
        f"/admin/crosspost/posts/{post.id}",
        data={
            f"use_{x_account.id}": "on",
            f"text_{x_account.id}": too_long,
            f"use_{m_account.id}": "on",
            f"text_{m_account.id}": "",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "dari batas 280 karakter berbobot" in html and "X (Twitter)" in html
    assert too_long.strip() in html  # kept, not cut
    assert db.session.scalar(select(CrosspostChoice)) is None
    ok_text = f"Beasiswa 2026 dibuka! {'https://warta.test/' + 'a' * 100}"
    response = client.post(
        f"/admin/crosspost/posts/{post.id}",
        data={f"use_{x_account.id}": "on", f"text_{x_account.id}": ok_text},
        follow_redirects=True,
    )
    assert "Pilihan akun dan pesan disimpan." in response.get_data(as_text=True)
    choices = {c.account_id: c for c in db.session.scalars(select(CrosspostChoice))}
    assert choices[x_account.id].text == ok_text and choices[m_account.id].enabled is False


def test_published_post_uses_the_custom_text_and_chosen_accounts(
    client, signin, xfake, mastodon, make_post, publish, add_account
):
    signin("editor")
    x_account = add_account("x", xfake)
    add_account("mastodon", mastodon)
    post = make_post()
    client.post(
        f"/admin/crosspost/posts/{post.id}",
        data={f"use_{x_account.id}": "on", f"text_{x_account.id}": "Teks khusus untuk X https://warta.test/x"},
    )
    publish(post)
    assert [p["text"] for p in xfake.posts.values()] == ["Teks khusus untuk X https://warta.test/x"]
    assert mastodon.posts == {}
    html = client.get(f"/admin/crosspost/posts/{post.id}").get_data(as_text=True)
    assert "Terkirim" in html and "https://x.com/humaskota/status/" in html


def test_counter_endpoint_counts_like_the_network(client, signin):
    signin("editor")
    answer = client.post("/admin/crosspost/count", json={"channel": "bluesky", "text": "🇮🇩 Merdeka!"}).get_json()
    assert answer["count"] == 10 and answer["limit"] == 300 and answer["errors"] == []
    answer = client.post(
        "/admin/crosspost/count", json={"channel": "telegram", "text": "a" * 1030, "has_image": True}
    ).get_json()
    assert answer["limit"] == 1024 and "dari batas 1024" in answer["errors"][0]
    assert client.post("/admin/crosspost/count", json={"channel": "nope"}).status_code == 400


def test_deliveries_list_retry_cancel_and_mark_sent(client, signin, xfake, telegram, make_post, publish, add_account):
    signin("editor")
    add_account("x", xfake)
    add_account("telegram", telegram)
    xfake.faults.append("500-after-save")
    telegram.faults.append("timeout-after-save")
    post = publish(make_post())
    rows = {r.account.channel: r for r in deliveries(post_id=post.id)}
    html = client.get("/admin/crosspost/").get_data(as_text=True)
    assert "Hasil tidak pasti — periksa" in html and post.title in html and "Tandai terkirim" in html
    # X: a person checked, it is there: mark it sent with its link.
    client.post(
        f"/admin/crosspost/deliveries/{rows['x'].id}/mark-sent", data={"url": "https://x.com/humaskota/status/1001"}
    )
    # Telegram: a person retries (e.g. after deleting the duplicate) — sent now.
    client.post(f"/admin/crosspost/deliveries/{rows['telegram'].id}/retry")
    db.session.refresh(rows["x"])
    db.session.refresh(rows["telegram"])
    assert rows["x"].status == "sent" and rows["x"].remote_url == "https://x.com/humaskota/status/1001"
    assert rows["telegram"].status == "sent" and rows["telegram"].attempts == 2
    html = client.post(f"/admin/crosspost/deliveries/{rows['x'].id}/cancel", follow_redirects=True).get_data(
        as_text=True
    )
    assert "tidak dapat dibatalkan" in html
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("crosspost.delivery%"))).all()
    assert sorted(actions) == ["crosspost.delivery.mark_sent", "crosspost.delivery.retry"]


def test_cancel_a_scheduled_delivery(client, signin, mastodon, make_post, add_account):
    signin("editor")
    add_account("mastodon", mastodon)
    from plugins.crosspost import outbox

    post = make_post(status="published", published_at=now() + timedelta(hours=1))
    outbox.on_published(post)
    (row,) = deliveries(post_id=post.id)
    html = client.post(
        f"/admin/crosspost/deliveries/{row.id}/cancel", data={"next": "//evil.example/"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Pengiriman dibatalkan." in html
    db.session.refresh(row)
    assert row.status == "cancelled"


def test_forms_need_csrf(make_app, mastodon):
    from cms import accounts

    app = make_app(
        enabled=["crosspost"], WTF_CSRF_ENABLED=True, CMS_DATA_KEY="x5IrD5TG1wB0cK1d3uuUbo8wHUPf7Xyo2mqjUcqgDuo="
    )
    client = app.test_client()
    with app.app_context():
        user = accounts.create_user("adm@warta.test", "admin", PASSWORD)
        login_page = client.get("/login").get_data(as_text=True)
        client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token_from(login_page)}
        )
        data = {"name": "M", "s_base_url": mastodon.url, "s_access_token": "t"}
        assert client.post("/admin/crosspost/accounts/new/mastodon", data=data).status_code == 400
        assert db.session.scalar(select(CrosspostAccount)) is None
        token = csrf_token_from(client.get("/admin/crosspost/accounts/new/mastodon").get_data(as_text=True))
        response = client.post("/admin/crosspost/accounts/new/mastodon", data={**data, "csrf_token": token})
        assert response.status_code == 302


def test_dashboard_panel_lists_deliveries_that_need_a_person(client, signin, xfake, make_post, publish, add_account):
    signin("editor")
    add_account("x", xfake)
    assert "Crosspost perlu diperiksa" not in client.get("/admin/").get_data(as_text=True)
    xfake.faults.append("timeout-after-save")
    publish(make_post())
    html = client.get("/admin/").get_data(as_text=True)
    assert "Crosspost perlu diperiksa" in html and "1 pengiriman dengan hasil tidak pasti" in html
    assert "/admin/crosspost/?status=unknown" in html
    signin("writer")
    assert "Crosspost perlu diperiksa" not in client.get("/admin/").get_data(as_text=True)


def test_deliveries_page_links_recent_posts_to_their_plan(client, signin, make_post):
    signin("editor")
    post = make_post(title="Rilis yang akan terbit")
    html = client.get("/admin/crosspost/").get_data(as_text=True)
    assert "Rilis yang akan terbit" in html and f"/admin/crosspost/posts/{post.id}" in html


def test_account_form_hint_shows_angle_brackets_as_text(client, signin):
    """A lazy translated hint is not markup: "<alamat>" must show, not vanish as an HTML tag."""
    signin("admin")
    html = client.get("/admin/crosspost/accounts/new/instagram").get_data(as_text=True)
    assert "Baca selengkapnya: &lt;alamat&gt;" in html
    assert "<alamat>" not in html


def test_refused_token_marks_the_account_and_the_editor_sees_it(
    client, signin, mastodon, add_account, make_post, editor
):
    """A 401 holds the delivery, and the accounts list, account page and dashboard say: reconnect."""
    from cms.newsroom import publishing

    account = add_account("mastodon", mastodon)
    mastodon.faults.append("401")
    post = make_post()
    assert publishing.publish_now(post, editor)
    (row,) = deliveries(post_id=post.id)
    assert row.status == "pending" and "HTTP 401" in row.last_error
    signin("editor")
    listing = client.get("/admin/crosspost/accounts").get_data(as_text=True)
    assert "Perlu dihubungkan ulang" in listing
    page = client.get(f"/admin/crosspost/accounts/{account.id}").get_data(as_text=True)
    assert "Pengiriman ke akun ini ditahan, tidak hilang" in page and "HTTP 401" in page
    assert mastodon.token not in page
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Akun Humas mastodon perlu dihubungkan ulang" in dashboard
    second = make_post(title="Rilis kedua saat token mati")
    assert publishing.publish_now(second, editor)
    (held,) = deliveries(post_id=second.id)
    assert held.status == "pending" and held.attempts == 0
    plan = client.get(f"/admin/crosspost/posts/{second.id}").get_data(as_text=True)
    assert "Menunggu akun dihubungkan ulang." in plan
    # The connection test passes again (the token works): the held delivery goes out.
    response = client.post(f"/admin/crosspost/accounts/{account.id}/test")
    assert response.status_code == 302
    db.session.expire_all()
    (row,) = deliveries(post_id=post.id)
    assert deliveries(post_id=second.id)[0].status == "sent"
    assert row.status == "sent" and "Perlu dihubungkan ulang" not in client.get("/admin/crosspost/accounts").get_data(
        as_text=True
    )


def test_account_and_delivery_tables_stack_on_a_phone(client, signin, mastodon, add_account, make_post, editor):
    """Like the WhatsApp tables: each cell names its column so a 360 px screen shows cards, not
    columns one letter wide (crosspost.css .xp-stack)."""
    from cms.newsroom import publishing

    add_account("mastodon", mastodon)
    post = make_post()
    assert publishing.publish_now(post, editor)
    signin("editor")
    for url in ("/admin/crosspost/accounts", "/admin/crosspost/", f"/admin/crosspost/posts/{post.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "crosspost/crosspost.css" in page and "xp-stack" in page, url
        assert '<td data-label="Status">' in page, url
    assert '<td data-label="Percobaan">1</td>' in page


def test_share_plan_preview_lists_every_image_the_network_gets(
    client, signin, mastodon, telegram, add_account, make_post
):
    """The preview named only the lead image; a release with a gallery sends up to 4 (Mastodon) or 5
    (Telegram) images, each with its alt text."""
    import io

    from PIL import Image

    from cms.newsroom import media

    def jpeg():
        out = io.BytesIO()
        Image.new("RGB", (64, 48), "red").save(out, "JPEG")
        return out.getvalue()

    add_account("mastodon", mastodon)
    add_account("telegram", telegram)
    from flask import current_app

    with current_app.test_request_context():
        lead = media.save_image_bytes(jpeg(), "utama.jpg", alt="Wali kota meresmikan jembatan")
        gallery = [media.save_image_bytes(jpeg(), f"galeri-{n}.jpg", alt=f"Foto galeri {n}") for n in range(1, 5)]
        db.session.flush()
        post = make_post(featured_image_id=lead.id)
        post.attachments.extend(gallery)
        db.session.commit()
    signin("editor")
    page = client.get(f"/admin/crosspost/posts/{post.id}").get_data(as_text=True)
    assert page.count("Gambar (4):") == 1 and page.count("Gambar (5):") == 1  # Mastodon 4, Telegram 5
    assert page.count("<li>Foto galeri 3</li>") == 2 and page.count("<li>Foto galeri 4</li>") == 1
