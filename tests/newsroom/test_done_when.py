"""The issue's "done when" story, through the real HTTP forms."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import time_machine

from cms.extensions import db
from cms.models import Category, Post
from cms.newsroom import publishing
from cms.timeutil import naive_utc

from .conftest import MINIMAL_PDF, jpeg_with_gps


def test_writer_to_worker_to_public_site(app, client, login, users, recorder):
    cat = Category(name="Infrastruktur", slug="infrastruktur")
    db.session.add(cat)
    db.session.commit()

    # A writer writes a release with an image and a PDF, then submits it.
    login(users["writer"])
    response = client.post(
        "/admin/posts/new",
        content_type="multipart/form-data",
        data={
            "title": "Pemkot Bekasi Resmikan Jembatan Kali Malang",
            "kind": "siaran-pers",
            "dateline": "BEKASI —",
            "summary": "Jembatan baru memangkas waktu tempuh warga.",
            "body_html": "<p>Wali Kota meresmikan jembatan penghubung sepanjang 120 meter.</p>",
            "language": "id",
            "unit_id": users["unit"].id,
            "category_ids": [cat.id],
            "tags": "jembatan, transportasi",
            "contact_name": "Rina Humas",
            "contact_role": "Kepala Bagian Humas",
            "contact_phone": "021 555 0101",
            "contact_email": "humas@bekasikota.go.id",
            "featured_image_id": 0,
            "version": 0,
            "featured_upload": (io.BytesIO(jpeg_with_gps()), "jembatan.jpg"),
            "featured_alt": "Jembatan Kali Malang dilihat dari tepi sungai",
            "attachment_uploads": [(io.BytesIO(MINIMAL_PDF), "siaran-pers-jembatan.pdf")],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    post = db.session.scalar(db.select(Post))
    assert post.featured_image.alt == "Jembatan Kali Malang dilihat dari tepi sungai"
    assert [m.mime for m in post.attachments] == ["application/pdf"]
    assert client.post(f"/admin/posts/{post.id}/submit").status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "review"
    # Writers cannot approve or publish.
    assert client.post(f"/admin/posts/{post.id}/approve").status_code == 403
    assert client.post(f"/admin/posts/{post.id}/publish").status_code == 403

    # The editor sees a diff, approves and schedules it for 10:00 WIB tomorrow.
    login(users["editor"])
    page = client.get(f"/admin/posts/{post.id}/revisions").get_data(as_text=True)
    assert "<ins>Pemkot Bekasi Resmikan Jembatan Kali Malang</ins>" in page
    assert client.post(f"/admin/posts/{post.id}/approve").status_code == 302
    tomorrow = (naive_utc() + timedelta(days=1)).date()
    response = client.post(
        f"/admin/posts/{post.id}/schedule",
        data={"s-publish_at": f"{tomorrow.isoformat()}T10:00"},
        follow_redirects=True,
    )
    assert "Naskah dijadwalkan terbit." in response.get_data(as_text=True)
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.status == "scheduled"
    assert post.publish_at.hour == 3  # 10:00 WIB is 03:00 UTC

    url = publishing.public_url(post, external=False)
    client.post("/logout")
    assert client.get(url).status_code == 404
    assert "Kali Malang" not in client.get("/").get_data(as_text=True)

    # The worker publishes it on time (no page traffic involved).
    with time_machine.travel(post.publish_at + timedelta(seconds=30), tick=False):
        assert publishing.publish_due() == 1
        assert recorder.names(post.id) == ["published"]
        home = client.get("/").get_data(as_text=True)
        category_page = client.get("/kategori/infrastruktur/").get_data(as_text=True)
        search_page = client.get("/cari?q=jembatan").get_data(as_text=True)
        sitemap = client.get("/sitemap.xml").get_data(as_text=True)
        news_sitemap = client.get("/sitemap-news.xml").get_data(as_text=True)
        item = client.get(url).get_data(as_text=True)
    for page in (home, category_page, search_page):
        assert "Pemkot Bekasi Resmikan Jembatan Kali Malang" in page
    assert "<mark>" in search_page
    assert f"http://warta.test{url}" in sitemap and f"http://warta.test{url}" in news_sitemap
    ElementTree.fromstring(sitemap.encode())
    ElementTree.fromstring(news_sitemap.encode())

    # The item page: OpenGraph, Twitter card, canonical, JSON-LD, contact block, attachment, WIB date.
    assert f'<link rel="canonical" href="http://warta.test{url}">' in item
    assert '<meta property="og:type" content="article">' in item
    assert 'og:image" content="http://warta.test/media/' in item
    assert '<meta name="twitter:card" content="summary_large_image">' in item
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', item, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Pemkot Bekasi Resmikan Jembatan Kali Malang"
    assert data["datePublished"].endswith("+07:00") and "T10:00:00" in data["datePublished"]
    assert "Rina Humas" in item and "humas@bekasikota.go.id" in item
    assert "siaran-pers-jembatan.pdf" in item
    assert "10.00 WIB" in item
    assert 'href="/feeds/rss.xml"' in item and 'href="/feeds/siaran-pers/rss.xml"' in item
