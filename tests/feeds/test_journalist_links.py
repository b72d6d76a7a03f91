"""Personal embargo preview links: one per journalist and release, revocable,
expiring after the lift, logged; and an embargoed release's media files."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from cms.extensions import db
from cms.models import EmbargoAccess, EmbargoPreviewLink, Media
from cms.newsroom import publishing
from cms.storage import media_dir
from tests.conftest import PASSWORD
from tests.feeds.conftest import NOW
from tests.feeds.journalist_helpers import approved_journalist, editor, links_in

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def embargoed(make_post, title="Rilis APBD 2025", hours=5, **extra):
    return make_post(
        title,
        status="scheduled",
        publish_at=NOW + timedelta(hours=hours),
        embargo_until=NOW + timedelta(hours=hours),
        preview_token=f"pv-{title[:5]}-{hours}",
        **extra,
    )


def two_journalists_with_links(make_post, smtp):
    """Both journalists approved, one embargoed release mailed to each."""
    approved_journalist()
    approved_journalist("Budi Wartawan", "budi@tv.test", "TV Kota")
    post = embargoed(make_post)  # mailed to both as it is committed
    [sari] = links_in(smtp, to="sari@koran.test")
    [budi] = links_in(smtp, to="budi@tv.test")
    return post, sari, budi


def test_each_journalist_gets_a_personal_link_and_a_revoked_one_stops_working(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        post, sari, budi = two_journalists_with_links(make_post, smtp)
        assert sari != budi
        # The shared link is no longer the journalists': anonymous gets 404.
        assert fclient.get(f"/siaran-pers/{post.slug}?pratinjau={post.preview_token}").status_code == 404
        page = fclient.get(sari, headers={"User-Agent": "Ponsel/1.0"})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "EMBARGO" in html and "Rilis APBD 2025" in html
        assert page.headers["Cache-Control"] == "private, no-store"
        [view] = db.session.scalars(select(EmbargoAccess).where(EmbargoAccess.channel == "preview")).all()
        assert view.journalist.name == "Sari Dewi" and view.user_agent == "Ponsel/1.0" and view.post_id == post.id
        link_row = db.session.scalar(
            select(EmbargoPreviewLink).where(EmbargoPreviewLink.journalist_id == view.journalist_id)
        )
        # Stored hashed (and encrypted for showing again), never as the token itself.
        assert sari.rsplit("/", 1)[1] not in (link_row.token_hash, link_row.token_enc)
        assert link_row.expires_at == post.embargo_until + timedelta(hours=24)

        fclient.post("/login", data={"email": editor().email, "password": PASSWORD})
        admin = fclient.get(f"/admin/feeds/embargo/{post.id}/tautan").get_data(as_text=True)
        assert "Sari Dewi" in admin and "Budi Wartawan" in admin and "Berlaku" in admin
        assert fclient.post(f"/admin/feeds/embargo/tautan/{link_row.id}/cabut").status_code == 302
        assert "Dicabut" in fclient.get(f"/admin/feeds/embargo/{post.id}/tautan").get_data(as_text=True)
        fclient.post("/logout")

        revoked = fclient.get(sari)
        html = revoked.get_data(as_text=True)
        assert revoked.status_code == 410
        assert "Tautan pratinjau tidak berlaku" in html and "dicabut" in html
        assert "Rilis APBD 2025" not in html and "Isi naskah" not in html
        assert db.session.scalars(select(EmbargoAccess.channel).order_by(EmbargoAccess.id.desc())).first() == "denied"
        # The other journalist's link still works.
        assert "Rilis APBD 2025" in fclient.get(budi).get_data(as_text=True)


def test_an_expired_link_shows_a_clear_page_not_the_release(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        post, sari, _budi = two_journalists_with_links(make_post, smtp)
    with time_machine.travel(post.embargo_until + timedelta(hours=25), tick=False):
        page = fclient.get(sari)
        html = page.get_data(as_text=True)
        assert page.status_code == 410
        assert "Tautan pratinjau tidak berlaku" in html and "masa berlakunya sudah habis" in html
        assert "Rilis APBD 2025" not in html
    assert fclient.get("/pratinjau/tidak-dikenal").status_code == 404


def test_a_valid_link_after_the_lift_leads_to_the_public_page(fclient, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        post, sari, _budi = two_journalists_with_links(make_post, smtp)
    with time_machine.travel(post.embargo_until + timedelta(minutes=1), tick=False):
        assert publishing.publish_due() == 1
        page = fclient.get(sari)
        assert page.status_code == 302 and page.headers["Location"] == f"/siaran-pers/{post.slug}"


def _media_file(name: str) -> Media:
    path = media_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(JPEG)
    return Media(kind="image", path=name, file_name="foto.jpg", mime="image/jpeg", size=len(JPEG), variants={})


def test_embargoed_media_need_a_valid_link_and_are_public_after_the_lift(feeds_app, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        inline = _media_file("2024/03/inline-rahasia.jpg")
        db.session.add(inline)
        post = embargoed(
            make_post,
            featured_image=_media_file("2024/03/foto-rahasia.jpg"),
            body='<p>Isi.</p><img src="/media/2024/03/inline-rahasia.jpg" alt="">',
        )
        _media_file("2024/03/lain.jpg")  # a file of no embargoed release
        approved_journalist()  # accrediting mails the releases already under embargo
        [link] = links_in(smtp, to="sari@koran.test")
        files = ["/media/2024/03/foto-rahasia.jpg", "/media/2024/03/inline-rahasia.jpg"]

        stranger = feeds_app.test_client()
        for url in files:
            assert stranger.get(url).status_code == 404, url
        assert stranger.get("/media/2024/03/lain.jpg").status_code == 200

        journalist = feeds_app.test_client()
        for url in files:
            assert journalist.get(url).status_code == 404  # not before opening the link
        assert journalist.get(link).status_code == 200
        for url in files:
            response = journalist.get(url)
            assert response.status_code == 200 and response.data == JPEG, url
            assert response.headers["Cache-Control"] == "private, no-store"

        staff = feeds_app.test_client()
        staff.post("/login", data={"email": editor().email, "password": PASSWORD})
        assert staff.get(files[0]).data == JPEG

    with time_machine.travel(post.embargo_until + timedelta(minutes=1), tick=False):
        assert publishing.publish_due() == 1
        for url in files:
            response = stranger.get(url)
            assert response.status_code == 200 and "private" not in response.headers["Cache-Control"], url


def test_the_media_grant_ends_with_the_browser_session_window(feeds_app, make_post, smtp):
    with time_machine.travel(NOW, tick=False):
        embargoed(make_post, featured_image=_media_file("2024/03/foto-jendela.jpg"))
        approved_journalist()  # accrediting mails the releases already under embargo
        [link] = links_in(smtp, to="sari@koran.test")
        client = feeds_app.test_client()
        client.get(link)
        assert client.get("/media/2024/03/foto-jendela.jpg").status_code == 200
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):  # PRESS_PREVIEW_MEDIA_MINUTES = 120
        assert client.get("/media/2024/03/foto-jendela.jpg").status_code == 404


def test_gallery_photos_of_an_embargoed_release_wait_for_the_lift_too(feeds_app, make_post, smtp):
    from cms.models import PostImage

    with time_machine.travel(NOW, tick=False):
        photo = _media_file("2024/03/galeri-rahasia.jpg")
        db.session.add(photo)
        post = embargoed(make_post)
        db.session.add(PostImage(post_id=post.id, media_id=photo.id, position=0, caption="Galeri"))
        db.session.commit()
        stranger = feeds_app.test_client()
        assert stranger.get("/media/2024/03/galeri-rahasia.jpg").status_code == 404
    with time_machine.travel(post.embargo_until + timedelta(minutes=1), tick=False):
        assert publishing.publish_due() == 1
        assert stranger.get("/media/2024/03/galeri-rahasia.jpg").data == JPEG
