"""Several photos per release: the editor's gallery form, inline figures and
the gallery on the page, the lead image in OG/JSON-LD/feeds, and the
full-resolution download."""

from __future__ import annotations

import io
import json
import re

import feedparser
import lxml.html
import pytest
from werkzeug.http import parse_options_header

from cms.extensions import db
from cms.models import Media, Post
from cms.newsroom import gallery
from cms.newsroom import media as media_service
from cms.storage import media_dir
from tests.newsroom.conftest import jpeg_with_gps

SITE = "http://warta.test"


def photo(name: str, alt: str = "", credit: str = "", caption: str = "", color=(200, 40, 40)) -> Media:
    media = media_service.save_image_bytes(jpeg_with_gps((1600, 1000), color), name, alt=alt, caption=caption)
    media.credit = credit
    db.session.commit()
    return media


def upload(name: str, color=(10, 90, 200)):
    return (io.BytesIO(jpeg_with_gps((1400, 900), color)), name)


@pytest.fixture
def release(app, make_post, users):
    """A published release with three photos, the second placed inline."""
    post = make_post("draft", title="Pemkot Resmikan Jembatan Kali Bekasi")
    shots = [
        photo("pita.jpg", "Wali kota menggunting pita", "Foto: Humas Kota", "Peresmian jembatan."),
        photo("warga.jpg", "Warga melintas di jembatan baru", "Foto: Dinas PUPR", color=(30, 160, 60)),
        photo("malam.jpg", "Jembatan diterangi lampu malam hari", color=(20, 20, 90)),
    ]
    gallery.save(post, users["writer"], [], shots)
    post = db.session.get(Post, post.id)
    post.images[1].caption = "Warga mencoba jembatan pada hari pertama."
    post.body_html = f"<p>Paragraf pembuka.</p><p>[foto {shots[1].id}]</p><p>Paragraf penutup.</p>"
    db.session.commit()
    from cms.newsroom import publishing

    publishing.submit(post, users["writer"])
    publishing.approve(post, users["editor"])
    assert publishing.publish_now(post, users["editor"])
    return post, shots


# ------------------------------------------------------------------ editor


def test_writer_adds_orders_and_captions_photos(app, client, login, make_post, users):
    post = make_post("draft")
    login(users["writer"])
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    assert 'id="gallery-form"' in page and "editor/gallery.js" in page
    response = client.post(
        f"/admin/posts/{post.id}/galeri",
        content_type="multipart/form-data",
        data={
            "gallery_uploads": [upload("satu.jpg"), upload("dua.jpg", (0, 0, 0))],
            "gallery_alt": "Rapat koordinasi banjir",
            "gallery_credit": "Foto: Humas",
        },
    )
    assert response.status_code == 303 and response.location.endswith("#galeri")
    post = db.session.get(Post, post.id)
    first, second = (pi.media for pi in post.images)
    assert [m.file_name for m in (first, second)] == ["satu.jpg", "dua.jpg"]
    assert first.alt == "Rapat koordinasi banjir" and first.credit == "Foto: Humas"
    version = post.version
    # Swap them, caption one, recredit the other.
    client.post(
        f"/admin/posts/{post.id}/galeri",
        data={
            "image_ids": [first.id, second.id],
            f"image-{first.id}-position": "2",
            f"image-{first.id}-alt": "Peserta rapat",
            f"image-{first.id}-caption": "Rapat di balai kota.",
            f"image-{first.id}-credit": "Foto: Budi",
            f"image-{second.id}-position": "1",
            f"image-{second.id}-alt": "Peta genangan",
        },
    )
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert [pi.media_id for pi in post.images] == [second.id, first.id]
    assert post.images[1].caption == "Rapat di balai kota." and post.images[1].media.credit == "Foto: Budi"
    assert post.version > version  # open editors and cached pages see the change
    # Take one out.
    client.post(
        f"/admin/posts/{post.id}/galeri",
        data={"image_ids": [second.id], f"image-{second.id}-alt": "Peta genangan", f"image-{second.id}-remove": "1"},
    )
    db.session.expire_all()
    assert [pi.media_id for pi in db.session.get(Post, post.id).images] == [first.id]


def test_alt_text_is_required_and_nothing_is_half_saved(app, client, login, make_post, users):
    post = make_post("draft")
    login(users["writer"])
    response = client.post(
        f"/admin/posts/{post.id}/galeri",
        content_type="multipart/form-data",
        data={"gallery_uploads": [upload("tanpa-alt.jpg")], "gallery_alt": "  "},
        follow_redirects=True,
    )
    assert "Teks alternatif (alt) foto baru wajib diisi." in response.get_data(as_text=True)
    assert db.session.get(Post, post.id).images == []
    fake = client.post(
        f"/admin/posts/{post.id}/galeri",
        content_type="multipart/form-data",
        data={"gallery_uploads": [(io.BytesIO(b"<svg onload=alert(1)>"), "x.jpg")], "gallery_alt": "x"},
        follow_redirects=True,
    )
    assert "x.jpg" in fake.get_data(as_text=True) and db.session.get(Post, post.id).images == []


def test_only_those_who_may_edit_the_post_change_its_gallery(app, client, login, make_post, users):
    post = make_post("draft")
    login(users["ppid"])
    assert client.post(f"/admin/posts/{post.id}/galeri", data={}).status_code == 403
    published = make_post("published")
    login(users["writer"])  # a writer cannot edit a published release
    assert client.post(f"/admin/posts/{published.id}/galeri", data={}).status_code == 403


# ------------------------------------------------------------------ public page


def test_page_shows_inline_figure_and_accessible_gallery(app, client, release):
    post, (pita, warga, malam) = release
    html = client.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)
    page = lxml.html.fromstring(html)
    inline = page.xpath("//div[@class='post-body']//figure[@id=$id]", id=f"foto-{warga.id}")
    assert len(inline) == 1 and "[foto" not in page.xpath("string(//div[@class='post-body'])")
    caption = inline[0].xpath("string(figcaption)")
    assert "Warga mencoba jembatan pada hari pertama." in caption and "Foto: Dinas PUPR" in caption
    section = page.xpath("//section[@class='gallery']")[0]
    assert section.get("aria-labelledby") == "h-gallery" and section.xpath("string(h2)") == "Galeri foto"
    figures = section.xpath(".//figure")
    assert [f.get("id") for f in figures] == [f"foto-{pita.id}", f"foto-{malam.id}"]  # the inline one is not repeated
    for fig in page.xpath("//figure[@class='photo']"):
        img = fig.xpath(".//img")[0]
        assert img.get("alt").strip()
        assert fig.xpath("a/img") and fig.xpath("figcaption/a[@download]")  # plain links: keyboard, no script
    assert "Peresmian jembatan." in figures[0].xpath("string(figcaption)")
    assert "Foto: Humas Kota" in figures[0].xpath("string(figcaption)")
    assert "gallery.css" in html


def test_lead_image_in_og_twitter_and_json_ld(app, client, release):
    post, (pita, *_rest) = release
    page = lxml.html.fromstring(client.get(f"/siaran-pers/{post.slug}").data)
    card = f"{SITE}/media/{pita.variants['card']}"
    assert page.xpath("//meta[@property='og:image']/@content") == [card]
    assert page.xpath("//meta[@property='og:image:alt']/@content") == ["Wali kota menggunting pita"]
    assert page.xpath("//meta[@name='twitter:image']/@content") == [card]
    assert page.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["image"][0] == card


def test_a_chosen_featured_image_stays_the_lead(app, release):
    post, (pita, warga, _malam) = release
    post.featured_image_id = warga.id
    db.session.commit()
    assert gallery.lead_image(db.session.get(Post, post.id)).id == warga.id


# ------------------------------------------------------------------ download


def test_full_resolution_download_headers(app, client, release):
    post, (pita, *_rest) = release
    response = client.get(f"/foto/{pita.id}/unduh")
    assert response.status_code == 200
    assert parse_options_header(response.headers["Content-Disposition"]) == ("attachment", {"filename": "pita.jpg"})
    assert response.mimetype == "image/jpeg"
    assert response.data == (media_dir() / pita.path).read_bytes()
    assert (pita.width, pita.height) == (1600, 1000)  # the full image, not a variant
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    page = client.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)
    assert f'href="/foto/{pita.id}/unduh"' in page and "1600×1000 px" in page


def test_unpublished_photos_need_the_preview_link(app, client, make_post, users):
    from cms.newsroom import publishing

    post = make_post("draft")
    shot = photo("rahasia.jpg", "Dokumen rapat")
    gallery.save(post, users["writer"], [], [shot])
    assert client.get(f"/foto/{shot.id}/unduh").status_code == 404
    publishing.submit(post, users["writer"])
    token = publishing.ensure_preview_token(post)
    db.session.commit()
    assert client.get(f"/foto/{shot.id}/unduh?pratinjau=salah").status_code == 404
    allowed = client.get(f"/foto/{shot.id}/unduh?pratinjau={token}")
    assert allowed.status_code == 200 and allowed.headers["Cache-Control"] == "private, no-store"
    assert client.get("/foto/999999/unduh").status_code == 404


# ------------------------------------------------------------------ feeds


def test_feeds_carry_the_photos_with_absolute_urls_length_and_type(app, client, release):
    post, (pita, warga, malam) = release
    rss = feedparser.parse(client.get("/feeds/rss.xml", headers={"Accept": "application/rss+xml"}).data)
    assert rss.bozo == 0
    entry = rss.entries[0]
    lead = f"{SITE}/media/{pita.path}"
    assert entry.enclosures == [{"href": lead, "type": "image/jpeg", "length": str(pita.size)}]
    assert [m["url"] for m in entry.media_content] == [lead, f"{SITE}/media/{warga.path}", f"{SITE}/media/{malam.path}"]
    assert entry.media_content[0]["filesize"] == str(pita.size)
    assert entry.media_thumbnail[0]["url"] == lead
    # The inline figure, with absolute URLs, in the body.
    body = entry.content[0].value
    assert f'id="foto-{warga.id}"' in body and f'src="{SITE}/media/{warga.variants["page"]}"' in body
    assert f'href="{SITE}/foto/{warga.id}/unduh"' in body and "[foto" not in body
    atom = feedparser.parse(client.get("/feeds/atom.xml").data)
    assert [(e["href"], e["length"]) for e in atom.entries[0].enclosures] == [(lead, str(pita.size))]
    item = json.loads(client.get("/feeds/feed.json").data)["items"][0]
    assert item["image"] == lead
    assert item["attachments"] == [
        {"url": lead, "mime_type": "image/jpeg", "title": "Wali kota menggunting pita", "size_in_bytes": pita.size}
    ]


def test_unknown_codes_stay_text(app, release):
    post, _shots = release
    html = gallery.with_figures("<p>[foto 424242]</p>", post)
    assert html == "<p>[foto 424242]</p>"
    assert re.search(r"\[foto \d+\]", gallery.code(7))
