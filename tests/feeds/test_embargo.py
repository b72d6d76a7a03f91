"""Embargo distribution: accredited journalists, private revocable feeds,
embargo e-mails and the access trail."""

from __future__ import annotations

import re
from datetime import timedelta

import feedparser
import time_machine
from sqlalchemy import select

from cms import accounts
from cms.extensions import db
from cms.feeds import embargo_notice
from cms.models import AuditLog, EmbargoAccess, Journalist
from cms.newsroom import publishing
from tests.conftest import PASSWORD
from tests.feeds.conftest import NOW, body_of

FEED = re.compile(r"https://warta\.test(/feeds/embargo/[^/\s]+/)rss\.xml")


def sign_in(client, role):
    user = accounts.create_user(f"{role}-{role}@warta.test", role, PASSWORD, name=role.title())
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    return user


def add_journalist(client, smtp, name="Sari Dewi", email="sari@koran.test"):
    response = client.post(
        "/admin/feeds/jurnalis", data={"name": name, "outlet": "Harian Kota", "email": email, "note": "Kartu pers 123"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    mail = smtp.messages[-1]
    return FEED.search(body_of(mail)).group(1)


def embargoed(make_post, title="Rilis APBD 2025", hours=5):
    return make_post(
        title,
        status="scheduled",
        publish_at=NOW + timedelta(hours=hours),
        embargo_until=NOW + timedelta(hours=hours),
        preview_token=f"pv-{title[:5]}-{hours}",
    )


def test_editor_accredits_and_journalist_reads_the_private_feed(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_in(fclient, "editor")
        base = add_journalist(fclient, smtp)
        assert "Akses feed embargo" in smtp.messages[-1]["Subject"]
        embargoed(make_post)
        make_post("Sudah terbit")
        fclient.post("/logout")
        response = fclient.get(base + "rss.xml", headers={"User-Agent": "FeedReader/1.0"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "noindex" in response.headers["X-Robots-Tag"]
        parsed = feedparser.parse(response.data)
        assert parsed.bozo == 0 and parsed.version == "rss20"
        [entry] = parsed.entries
        assert entry.title == "[EMBARGO hingga Kamis, 7 Maret 2024 15.00 WIB] Rilis APBD 2025"
        assert "jangan disiarkan sebelum Kamis, 7 Maret 2024 15.00 WIB" in entry.content[0].value
        assert entry.link.startswith("https://warta.test/pratinjau/")  # the journalist's personal link
        for name in ("atom.xml", "feed.json"):
            assert "Rilis APBD 2025" in fclient.get(base + name).get_data(as_text=True)
        # The public never sees it.
        for url in ("/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json"):
            assert b"Rilis APBD 2025" not in fclient.get(url).data
        log = db.session.scalars(select(EmbargoAccess).where(EmbargoAccess.channel == "feed")).all()
        assert len(log) == 3 and log[0].user_agent == "FeedReader/1.0" and log[0].ip == "127.0.0.1"
        assert log[0].journalist.name == "Sari Dewi" and log[0].post.title == "Rilis APBD 2025"


def test_revoked_and_reissued_tokens(fclient, make_post, smtp):
    sign_in(fclient, "editor")
    old = add_journalist(fclient, smtp)
    journalist = db.session.scalar(select(Journalist))
    assert fclient.post(f"/admin/feeds/jurnalis/{journalist.id}/cabut").status_code == 302
    assert fclient.get(old + "rss.xml").status_code == 410
    assert db.session.scalar(select(EmbargoAccess).where(EmbargoAccess.channel == "denied")) is not None
    fclient.post(f"/admin/feeds/jurnalis/{journalist.id}/terbitkan-ulang")
    new = FEED.search(body_of(smtp.messages[-1])).group(1)
    assert new != old
    assert fclient.get(new + "rss.xml").status_code == 200
    assert fclient.get(old + "rss.xml").status_code == 404  # the old link is gone for good
    assert fclient.get("/feeds/embargo/tebakan-acak/rss.xml").status_code == 404
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "feeds_journalist")))
    assert {"journalist.create", "journalist.revoke", "journalist.reissue"} <= actions


def test_embargo_mail_once_per_journalist_with_the_embargo_time(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_in(fclient, "editor")
        add_journalist(fclient, smtp, "Sari", "sari@koran.test")
        add_journalist(fclient, smtp, "Andi", "andi@tv.test")
        sent = len(smtp.messages)
        embargoed(make_post)  # saved under embargo: queued at once
        assert embargo_notice.notify_embargoed() == 0  # the periodic sweep never sends twice
        mails = smtp.messages[sent:]
        assert sorted(m["To"] for m in mails) == ["andi@tv.test", "sari@koran.test"]
        assert mails[0]["Subject"] == "EMBARGO hingga Kamis, 7 Maret 2024 15.00 WIB: Rilis APBD 2025"
        text = body_of(mails[0])
        assert text.startswith("*** EMBARGO: JANGAN DISIARKAN SEBELUM KAMIS, 7 MARET 2024 15.00 WIB ***")
        assert "Isi naskah." in body_of(mails[0], "html")
        page = fclient.get("/admin/feeds/embargo?post=1").get_data(as_text=True)
        assert "Sari" in page and "Andi" in page and "mail" in page


def test_embargo_ends_at_publication(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_in(fclient, "editor")
        base = add_journalist(fclient, smtp)
        post = embargoed(make_post, hours=1)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert publishing.publish_if_due(post.id)
        assert feedparser.parse(fclient.get(base + "rss.xml").data).entries == []
        assert b"Rilis APBD 2025" in fclient.get("/feeds/rss.xml").data


def test_journalist_admin_needs_permission_and_keeps_input(fclient, smtp):
    sign_in(fclient, "writer")
    assert fclient.get("/admin/feeds/jurnalis").status_code == 403
    fclient.post("/logout")
    sign_in(fclient, "editor")
    bad = fclient.post("/admin/feeds/jurnalis", data={"name": "Sari", "outlet": "Harian", "email": "bukan"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "tidak valid" in html and 'value="Sari"' in html and 'value="bukan"' in html
    add_journalist(fclient, smtp)
    duplicate = fclient.post("/admin/feeds/jurnalis", data={"name": "Lagi", "email": "SARI@koran.test"})
    assert duplicate.status_code == 400 and "sudah terdaftar" in duplicate.get_data(as_text=True)
    listing = fclient.get("/admin/feeds/jurnalis").get_data(as_text=True)
    assert "sari@koran.test" not in listing and "s***@koran.test" in listing
    journalist = db.session.scalar(select(Journalist))
    detail = fclient.get(f"/admin/feeds/jurnalis/{journalist.id}").get_data(as_text=True)
    assert "sari@koran.test" in detail
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "journalist.view")) is not None


def test_scheduling_under_embargo_mails_journalists_at_once(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        user = sign_in(fclient, "editor")
        add_journalist(fclient, smtp, "Sari", "sari@koran.test")
        sent = len(smtp.messages)
        post = make_post("Rilis APBD 2025", status="approved")
        publishing.schedule(post, user, NOW + timedelta(hours=5), embargo=True)
        mails = smtp.messages[sent:]
        assert [m["To"] for m in mails] == ["sari@koran.test"]
        assert "EMBARGO hingga Kamis, 7 Maret 2024 15.00 WIB" in mails[0]["Subject"]
        assert embargo_notice.notify_embargoed() == 0  # the sweep finds nothing left to send
        # A journalist accredited later gets the releases already under embargo.
        add_journalist(fclient, smtp, "Andi", "andi@tv.test")
        assert [m["To"] for m in smtp.messages[-2:]] == ["andi@tv.test", "andi@tv.test"]
        assert "EMBARGO" in smtp.messages[-1]["Subject"]


def test_dashboard_panel_shows_embargo_reach(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_in(fclient, "editor")
        add_journalist(fclient, smtp)
        embargoed(make_post)
        page = fclient.get("/admin/").get_data(as_text=True)
    assert "Distribusi ke media" in page and "Rilis APBD 2025" in page
    assert "diterima 1 jurnalis" in page and "Pelanggan e-mail aktif" not in page  # editors: no subscriber data


def test_an_unqueueable_embargo_notice_is_not_recorded_as_sent_nor_stops_the_others(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_in(fclient, "editor")
        add_journalist(fclient, smtp, "Sari", "sari@koran.test")
        add_journalist(fclient, smtp, "Andi", "andi@tv.test")
        sari = db.session.scalar(select(Journalist).where(Journalist.name == "Sari"))
        good_enc, sari.email_enc = sari.email_enc, "rusak"
        db.session.commit()
        sent = len(smtp.messages)
        post = embargoed(make_post)
        assert [m["To"] for m in smtp.messages[sent:]] == ["andi@tv.test"]
        reached = set(
            db.session.scalars(
                select(EmbargoAccess.journalist_id).where(
                    EmbargoAccess.post_id == post.id, EmbargoAccess.channel == "mail"
                )
            )
        )
        assert sari.id not in reached

        sari.email_enc = good_enc
        db.session.commit()
        assert embargo_notice.notify_embargoed() == 1  # the sweep catches up with Sari only
        assert sorted(m["To"] for m in smtp.messages[sent:]) == ["andi@tv.test", "sari@koran.test"]
