"""E-mail subscriptions: double opt-in, release mails, one-click unsubscribe,
rate limits and the admin's personal-data duties — against a real SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from cms.extensions import db
from cms.models import AuditLog, Category, Subscriber
from cms.newsroom import publishing
from tests.conftest import PASSWORD, csrf_token_from
from tests.feeds.conftest import NOW, body_of
from tests.feeds.test_websub import editor

LINK = re.compile(r"https://warta\.test/feeds/langganan/(?:konfirmasi|berhenti)/\S+")


def subscribe(client, email="wartawan@redaksi.test", **extra):
    return client.post("/feeds/langganan", data={"email": email, "consent": "y", **extra})


def confirm_link(msg) -> str:
    return next(u for u in LINK.findall(body_of(msg)) if "/konfirmasi/" in u)


def count_subscribers() -> int:
    return db.session.scalar(select(func.count()).select_from(Subscriber))


def active_subscriber(client, smtp, email="wartawan@redaksi.test", **extra):
    subscribe(client, email, **extra)
    client.get(confirm_link(smtp.messages[-1]).replace("https://warta.test", ""))
    return db.session.scalars(select(Subscriber)).all()[-1]


def test_double_opt_in_then_release_mail_with_unsubscribe(fclient, make_post, smtp):
    response = subscribe(fclient)
    assert response.status_code == 200
    assert "Periksa e-mail Anda" in response.get_data(as_text=True)
    sub = db.session.scalar(select(Subscriber))
    assert sub.status == "pending"
    assert "wartawan@redaksi.test" not in sub.email_enc  # encrypted at rest
    [mail] = smtp.messages
    assert mail["To"] == "wartawan@redaksi.test"
    assert "Konfirmasi" in mail["Subject"]
    assert mail["List-Unsubscribe"].startswith("<https://warta.test/feeds/langganan/berhenti/")
    page = fclient.get(confirm_link(mail).replace("https://warta.test", ""))
    assert page.status_code == 200 and "Langganan aktif" in page.get_data(as_text=True)
    db.session.refresh(sub)
    assert sub.status == "active"

    post = make_post("Pemkot resmikan puskesmas baru", status="approved")
    assert publishing.publish_now(post, editor())
    release = smtp.messages[-1]
    assert release["Subject"] == "[Siaran Pers] Pemkot resmikan puskesmas baru"
    assert release["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = release["List-Unsubscribe"].strip("<>")
    text = body_of(release)
    assert "Pemkot resmikan puskesmas baru" in text and unsubscribe_url in text
    assert "https://warta.test/siaran-pers/" in text
    assert "Isi naskah." in body_of(release, "html")

    # RFC 8058 one-click: a POST without session or CSRF token unsubscribes.
    one_click = fclient.post(unsubscribe_url.replace("https://warta.test", ""), data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    db.session.refresh(sub)
    assert sub.status == "unsubscribed"
    other = make_post("Rilis berikutnya", status="approved")
    sent = len(smtp.messages)
    publishing.publish_now(other, editor())
    assert len(smtp.messages) == sent


def test_news_items_and_other_categories_are_not_mailed(fclient, make_post, smtp):
    health = Category(name="Kesehatan", slug="kesehatan")
    db.session.add_all([health, Category(name="Pendidikan", slug="pendidikan")])
    db.session.commit()
    active_subscriber(fclient, smtp, categories=[str(health.id)])
    sent = len(smtp.messages)
    for title, kind, cats in (
        ("Berita", "berita", ["Kesehatan"]),
        ("Rilis sekolah", "siaran-pers", ["Pendidikan"]),
        ("Rilis puskesmas", "siaran-pers", ["Kesehatan"]),
    ):
        publishing.publish_now(make_post(title, kind=kind, status="approved", categories=cats), editor())
    assert [m["Subject"] for m in smtp.messages[sent:]] == ["[Siaran Pers] Rilis puskesmas"]


def test_a_release_is_mailed_once_even_if_republished(fclient, make_post, smtp):
    active_subscriber(fclient, smtp)
    post = make_post("Rilis", status="approved")
    user = editor()
    publishing.publish_now(post, user)
    publishing.unpublish(post, user)
    publishing.publish_now(post, user)
    assert [m["Subject"] for m in smtp.messages].count("[Siaran Pers] Rilis") == 1


def test_get_on_unsubscribe_link_asks_first(fclient, smtp):
    sub = active_subscriber(fclient, smtp)
    url = next(u for u in LINK.findall(body_of(smtp.messages[0])) if "/berhenti/" in u)
    page = fclient.get(url.replace("https://warta.test", ""))
    assert page.status_code == 200 and "Ya, berhenti berlangganan" in page.get_data(as_text=True)
    db.session.refresh(sub)
    assert sub.status == "active"  # link scanners that GET do not unsubscribe anyone


def test_unsubscribe_token_cannot_be_used_for_someone_else(fclient, smtp):
    first = active_subscriber(fclient, smtp, "satu@redaksi.test")
    second = active_subscriber(fclient, smtp, "dua@redaksi.test")
    from cms.feeds.subscriptions import unsubscribe_token

    token = unsubscribe_token(first)
    forged = f"{second.id}.{token.split('.', 1)[1]}"
    for bad in (forged, f"{second.id}.x", "abc", str(second.id)):
        response = fclient.post(f"/feeds/langganan/berhenti/{bad}")
        assert response.status_code == 404
    db.session.refresh(second)
    assert second.status == "active"


def test_bad_address_gives_a_message_and_stores_nothing(fclient, smtp):
    for bad in ("bukan-email", "a@b", "wartawan@", ""):
        response = subscribe(fclient, bad)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "Alamat e-mail" in html and "alert-error" in html
        assert f'value="{bad}"' in html or bad == ""
    assert count_subscribers() == 0 and smtp.messages == []
    missing_consent = fclient.post("/feeds/langganan", data={"email": "ok@redaksi.test"})
    assert missing_consent.status_code == 400 and "Persetujuan wajib" in missing_consent.get_data(as_text=True)
    assert count_subscribers() == 0


def test_one_pending_confirmation_per_address_per_hour(fclient, smtp):
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            assert subscribe(fclient, "Wartawan@Redaksi.test").status_code == 200
        subscribe(fclient, "wartawan@redaksi.test")
        assert len(smtp.messages) == 1
    with time_machine.travel(NOW + timedelta(minutes=61), tick=False):
        subscribe(fclient, "wartawan@redaksi.test")
        assert len(smtp.messages) == 2
        # Only the newest link confirms.
        assert fclient.get(confirm_link(smtp.messages[0]).replace("https://warta.test", "")).status_code == 404
        assert fclient.get(confirm_link(smtp.messages[1]).replace("https://warta.test", "")).status_code == 200
    assert count_subscribers() == 1


def test_confirmation_link_expires(fclient, smtp):
    with time_machine.travel(NOW, tick=False):
        subscribe(fclient)
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        response = fclient.get(confirm_link(smtp.messages[0]).replace("https://warta.test", ""))
        assert response.status_code == 404 and "kedaluwarsa" in response.get_data(as_text=True)


def test_subscribe_requests_are_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, SITE_URL="https://warta.test", FEEDS_SUBSCRIBE_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.post("/feeds/langganan", data={"email": "bukan-email"}).status_code for _ in range(5)]
    assert codes[:3] == [400, 400, 400] and codes[3:] == [429, 429]


def test_subscribe_form_has_csrf(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, SITE_URL="https://warta.test")
    client = app.test_client()
    page = client.get("/feeds/langganan").get_data(as_text=True)
    assert client.post("/feeds/langganan", data={"email": "a@redaksi.test", "consent": "y"}).status_code == 400
    token = csrf_token_from(page)
    ok = client.post("/feeds/langganan", data={"email": "a@redaksi.test", "consent": "y", "csrf_token": token})
    assert ok.status_code == 200


def test_admin_sees_masked_list_exports_and_deletes(feeds_app, fclient, smtp):
    from cms import accounts

    active_subscriber(fclient, smtp, "wartawan@redaksi.test")
    admin = accounts.create_user("admin@warta.test", "admin", PASSWORD)
    fclient.post("/login", data={"email": admin.email, "password": PASSWORD})
    page = fclient.get("/admin/feeds/pelanggan").get_data(as_text=True)
    assert "w***@redaksi.test" in page or "w*******@redaksi.test" in page
    assert "wartawan@redaksi.test" not in page
    active_subscriber(fclient, smtp, "=1+2@redaksi.test")  # a valid address, and a formula
    export = fclient.get("/admin/feeds/pelanggan.csv")
    text = export.get_data(as_text=True)
    assert export.status_code == 200 and "wartawan@redaksi.test" in text
    assert "'=1+2@redaksi.test" in text and ",=1+2" not in text
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "subscriber.export")) is not None
    for sub in db.session.scalars(select(Subscriber)).all():
        assert fclient.post(f"/admin/feeds/pelanggan/{sub.id}/hapus").status_code == 302
    assert count_subscribers() == 0
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "subscriber.delete")) is not None


def test_only_admins_manage_subscribers(feeds_app, fclient):
    from cms import accounts

    user = accounts.create_user("editor2@warta.test", "editor", PASSWORD)
    fclient.post("/login", data={"email": user.email, "password": PASSWORD})
    assert fclient.get("/admin/feeds/pelanggan").status_code == 403
    assert fclient.get("/admin/feeds/pelanggan.csv").status_code == 403
    fclient.post("/logout")
    anonymous = fclient.get("/admin/feeds/pelanggan.csv")
    assert anonymous.status_code in (302, 401)


def test_stale_addresses_are_purged(fclient, smtp):
    from cms.feeds.subscriptions import unsubscribe
    from cms.jobs import periodic_tasks

    with time_machine.travel(NOW, tick=False):
        subscribe(fclient, "lupa@redaksi.test")  # never confirmed
        unsubscribe(active_subscriber(fclient, smtp, "pergi@redaksi.test"))
        active_subscriber(fclient, smtp, "setia@redaksi.test")
    purge = next(t for t in periodic_tasks() if t.name == "feeds.purge_subscribers")
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        assert purge.func() == 1
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        assert purge.func() == 1
    assert [s.status for s in db.session.scalars(select(Subscriber))] == ["active"]


def test_unknown_category_ids_are_dropped(fclient, smtp):
    health = Category(name="Kesehatan", slug="kesehatan")
    db.session.add(health)
    db.session.commit()
    assert subscribe(fclient, categories=[str(health.id), "9999"]).status_code == 200
    sub = db.session.scalar(select(Subscriber))
    assert sub.category_ids == [health.id] and not sub.all_categories


def test_a_visitor_reading_in_english_gets_the_indonesian_confirmation_subject(fclient, smtp):
    """The body was Indonesian and the subject the visitor's language."""
    assert "Subscribe" in fclient.get("/feeds/langganan?lang=en").get_data(as_text=True)
    subscribe(fclient)
    [mail] = smtp.messages
    assert mail["Subject"] == "Konfirmasi langganan siaran pers"
    assert "konfirmasi" in body_of(mail).lower()
