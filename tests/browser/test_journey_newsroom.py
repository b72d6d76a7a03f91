"""Journeys 1 and 2: a release from the writer's WYSIWYG editor to the home
page and the feed, and an embargoed release that lifts on the same URL."""

from __future__ import annotations

import re
from datetime import timedelta, timezone

import feedparser
import httpx
import pytest
from playwright.sync_api import expect

from cms.timeutil import naive_utc, utcnow
from tests.browser import files
from tests.browser.pages import PRINTS_PDF, Shots, login, reload_until_visible

WIB = timezone(timedelta(hours=7))
TITLE = "Pemkot Resmikan Taman Kota Ramah Anak di Bekasi Timur"


def _wib_input(minutes_ahead: int) -> str:
    at = utcnow().astimezone(WIB) + timedelta(minutes=minutes_ahead)
    return at.strftime("%Y-%m-%dT%H:%M")


def _make_due_now(site, title: str) -> int:
    """Move the scheduled time to now and hand the post to the worker.

    The form schedules whole minutes ahead; instead of waiting, the test
    brings the clock's appointment forward and queues the same job the
    schedule queued.  The worker publishes it, not the test.
    """
    from cms.models import Post

    with site.db() as session:
        post = session.query(Post).filter_by(title=title).one()
        assert post.status == "scheduled"
        now = naive_utc() - timedelta(seconds=1)
        post.publish_at = now
        if post.embargo_until is not None:
            post.embargo_until = now
        session.commit()
        post_id = post.id
    site.enqueue("newsroom.publish_if_due", post_id)
    return post_id


@pytest.mark.browser
def test_writer_release_reviewed_scheduled_and_published_on_time(site, new_page, server_clean):
    shots = Shots("01-release")
    writer = site.user(
        "writer", "wulan.penulis@warta.test", unit="Dinas Komunikasi dan Informatika", name="Wulan Penulis"
    )
    editor = site.user("editor", "eka.editor@warta.test", unit="Dinas Komunikasi dan Informatika", name="Eka Editor")

    # The writer writes in the WYSIWYG editor, attaches a photo and a PDF.
    page = new_page()
    login(page, site.url, *writer)
    page.goto("/admin/posts/new")
    page.get_by_label("Judul", exact=True).fill(TITLE)
    page.get_by_label("Jenis", exact=True).select_option("siaran-pers")
    page.get_by_label("Dateline").fill("BEKASI —")
    page.get_by_label("Ringkasan (lead)").fill("Taman seluas dua hektare dibuka untuk warga mulai pekan ini.")
    body = page.locator("#body-editor .ql-editor")
    expect(body).to_be_visible()  # Quill replaced the plain textarea
    body.click()
    page.keyboard.type("Wali Kota meresmikan taman kota ramah anak pada Senin pagi. ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Taman dibuka setiap hari.")
    page.keyboard.press("Control+b")
    page.get_by_label("Unggah gambar utama").set_input_files(
        {"name": "taman.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg()}
    )
    page.get_by_label("Teks alternatif (alt) gambar utama").fill("Anak-anak bermain di taman kota yang baru")
    page.get_by_label("Unggah lampiran (PDF, dokumen)").set_input_files(
        {"name": "siaran-pers-taman.pdf", "mimeType": "application/pdf", "buffer": files.pdf("Taman Kota")}
    )
    page.get_by_label("Nama narahubung").fill("Rina Humas")
    page.get_by_label("E-mail narahubung").fill("humas@bekasikota.go.id")
    shots(page, "writer-editing")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Draf disimpan.")).to_be_visible()
    expect(page.locator("#body-editor .ql-editor strong")).to_have_text("Taman dibuka setiap hari.")
    expect(page.locator("img[alt='Anak-anak bermain di taman kota yang baru']")).to_be_visible()
    page.get_by_role("button", name="Ajukan untuk ditinjau").click()
    expect(page.get_by_text("Naskah diajukan untuk ditinjau editor.")).to_be_visible()
    shots(page, "writer-submitted")
    edit_url = page.url

    # The editor reviews the diff, approves and schedules.
    page = new_page()
    login(page, site.url, *editor)
    page.goto(edit_url)
    page.get_by_role("link", name="Riwayat revisi").click()
    expect(page.locator(".diff pre ins").first).to_contain_text(TITLE)
    shots(page, "editor-diff")
    page.get_by_role("link", name=re.compile(TITLE)).click()
    page.get_by_role("button", name="Setujui").click()
    expect(page.get_by_text("Naskah disetujui.")).to_be_visible()
    page.get_by_label("Waktu terbit (WIB)").fill(_wib_input(3))
    page.get_by_role("button", name="Jadwalkan").click()
    expect(page.get_by_text("Naskah dijadwalkan terbit.")).to_be_visible()
    expect(page.locator(".workflow")).to_contain_text("Dijadwalkan terbit")
    shots(page, "editor-scheduled")

    # Not yet: the public neither sees it on the home page nor in the feed.
    public = new_page()
    public.goto("/")
    expect(public.get_by_text(TITLE)).to_have_count(0)
    assert TITLE not in httpx.get(f"{site.url}/feeds/rss.xml").text

    # On time, the worker publishes it: home page, the item with image and PDF, the feed.
    _make_due_now(site, TITLE)
    reload_until_visible(public, public.get_by_role("link", name=TITLE).first)
    shots(public, "home-with-release")
    public.get_by_role("link", name=TITLE).first.click()
    expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(public.locator("img[alt='Anak-anak bermain di taman kota yang baru']").first).to_be_visible()
    pdf_link = public.locator("a[href$='.pdf']").first
    expect(pdf_link).to_be_visible()
    pdf = httpx.get(site.url + pdf_link.get_attribute("href"), timeout=PRINTS_PDF / 1000)  # printed on demand
    assert pdf.content.startswith(b"%PDF")
    expect(public.get_by_text("WIB").first).to_be_visible()
    shots(public, "release-page")
    feed = feedparser.parse(httpx.get(f"{site.url}/feeds/rss.xml").content)
    assert [e.title for e in feed.entries if e.title == TITLE] == [TITLE]
    entry = next(e for e in feed.entries if e.title == TITLE)
    assert entry.link == public.url
    assert public.console_watch.csp() == []


@pytest.mark.browser
def test_embargoed_release_private_link_then_lifts_on_same_url(site, new_page, server_clean):
    shots = Shots("02-embargo")
    title = "Vaksinasi Lansia Serentak Dimulai Pekan Depan"
    editor = site.user("editor", "edi.editor@warta.test", name="Edi Editor")
    site.user("writer", "wawan.penulis@warta.test", name="Wawan Penulis")
    site.approved_post(
        "wawan.penulis@warta.test",
        title,
        "vaksinasi-lansia-serentak",
        "Program vaksinasi untuk warga lanjut usia di 42 puskesmas.",
        "Dinas Kesehatan memulai vaksinasi lansia serentak.",
    )

    # The editor schedules it under embargo and copies the private link.
    page = new_page()
    login(page, site.url, *editor)
    page.goto("/admin/posts")
    page.get_by_role("link", name=title).click()
    page.get_by_label("Waktu terbit (WIB)").fill(_wib_input(60))
    page.get_by_label("Embargo: tautan pratinjau untuk wartawan").check()
    page.get_by_role("button", name="Jadwalkan").click()
    expect(page.locator(".workflow")).to_contain_text("Embargo")
    shots(page, "editor-embargo")
    private_link = page.get_by_role("textbox", name="Tautan pratinjau").input_value()
    assert "?pratinjau=" in private_link
    public_url = private_link.split("?")[0]

    # The shared link is for staff under embargo (journalists get personal links,
    # tests/feeds/test_journalist_links.py): the editor opens it and sees the banner.
    journalist = page
    journalist.goto(private_link)
    expect(journalist.get_by_role("heading", level=1)).to_have_text(title)
    expect(journalist.locator(".embargo-banner")).to_contain_text("EMBARGO")
    expect(journalist.locator(".embargo-banner")).to_contain_text("WIB")
    shots(journalist, "journalist-preview")

    # The public gets a 404 on the same URL, and nothing on the home page.
    public = new_page()
    assert public.goto(public_url).status == 404
    assert public.goto(private_link).status == 404  # the shared link opens nothing for a stranger
    shots(public, "public-404")
    public.goto("/")
    expect(public.get_by_text(title)).to_have_count(0)

    # After the lift (the worker's job), the same URL is public, without a banner.
    _make_due_now(site, title)
    deadline_page = public
    deadline_page.goto(public_url)
    reload_until_visible(deadline_page, deadline_page.get_by_role("heading", level=1, name=title))
    expect(deadline_page.locator(".embargo-banner")).to_have_count(0)
    shots(deadline_page, "public-after-lift")
    journalist.reload()
    expect(journalist.locator(".embargo-banner")).to_have_count(0)
