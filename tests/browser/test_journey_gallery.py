"""A release with several photos: the editor builds the gallery (upload,
reorder with the keyboard-usable buttons, insert a photo into the body),
publishes, and the public page shows an inline figure and an accessible
gallery whose full-resolution download works from the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import files
from tests.browser.pages import audit, login

TITLE = "Jembatan Kali Bekasi Dibuka untuk Warga"
SLUG = "jembatan-kali-bekasi-dibuka"
ALT_TITLE = "Pita Jembatan Dipotong Wali Kota"


@pytest.mark.browser
def test_gallery_from_editor_to_release_page(site, new_page, server_clean):
    editor = site.user("editor", "gita.editor@warta.test", name="Gita Editor")
    site.user("writer", "gani.penulis@warta.test", name="Gani Penulis")
    site.approved_post("gani.penulis@warta.test", TITLE, SLUG, "Jembatan baru dibuka.", "Jembatan dibuka pagi ini.")

    page = new_page()
    login(page, site.url, *editor)
    page.goto("/admin/posts")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state("load")  # the editor's deferred scripts have run (gallery.js)
    page.get_by_label("Unggah foto").set_input_files(
        [
            {"name": "pita.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg(1600, 900)},
            {"name": "warga.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg(1200, 800)},
        ]
    )
    page.get_by_label("Teks alternatif (alt) foto baru").fill("Warga melintasi jembatan baru")
    page.get_by_label("Kredit foto baru").fill("Foto: Humas Kota")
    page.get_by_role("button", name="Simpan galeri").click()
    expect(page.get_by_text("Galeri foto disimpan.")).to_be_visible()
    rows = page.locator(".gallery-row")
    expect(rows).to_have_count(2)
    first = rows.nth(0).get_attribute("data-code")

    # Reorder with the buttons (script), announced, then saved.
    rows.nth(0).get_by_role("button", name="Turun").click()
    expect(page.locator("#gallery-status")).to_contain_text("urutan 2")
    expect(rows.nth(1)).to_have_attribute("data-code", first)
    page.get_by_role("button", name="Simpan galeri").click()
    expect(page.get_by_text("Galeri foto disimpan.")).to_be_visible()
    expect(page.locator(".gallery-row").nth(1)).to_have_attribute("data-code", first)

    # Place the now-second photo in the body, save the text, publish.
    page.locator(".gallery-row").nth(1).get_by_role("button", name="Sisipkan ke isi").click()
    expect(page.locator("#body-editor .ql-editor")).to_contain_text(first)
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Perubahan disimpan.")).to_be_visible()
    page.get_by_role("button", name="Terbitkan sekarang").click()
    expect(page.locator(".alert-success")).to_contain_text("Naskah terbit")

    public = new_page()
    public.goto(f"/siaran-pers/{SLUG}")
    media_id = first.strip("[]").split()[1]
    expect(public.locator(f".post-body figure#foto-{media_id}")).to_be_visible()
    expect(public.locator("section.gallery figure")).to_have_count(1)
    expect(public.locator("section.gallery figcaption")).to_contain_text("Foto: Humas Kota")
    og = public.locator("meta[property='og:image']").get_attribute("content")
    assert og.startswith(site.url) and "/media/" in og
    assert audit(public, "release-with-gallery") == []

    # Keyboard only: Tab reaches the gallery's download link; Enter downloads the original.
    link = public.locator("section.gallery a.photo-download")
    for _ in range(80):
        public.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the download link is not reachable with Tab")
    with public.expect_download() as download:
        public.keyboard.press("Enter")
    assert download.value.suggested_filename in ("pita.jpg", "warga.jpg")
    assert public.console_watch.csp() == []


@pytest.mark.browser
def test_new_photos_without_alt_are_stopped_at_the_alt_field(site, new_page, server_clean):
    """On a phone the server's refusal was flashed at the top of the editor
    while the writer looked at the gallery: the photos seemed to vanish."""
    editor = site.user("editor", "gita.editor@warta.test", name="Gita Editor")
    site.user("writer", "gani.penulis@warta.test", name="Gani Penulis")
    site.approved_post(
        "gani.penulis@warta.test", ALT_TITLE, "pita-jembatan-dipotong", "Pita dipotong.", "Pita dipotong pagi ini."
    )

    page = new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, site.url, *editor)
    page.goto("/admin/posts")
    page.get_by_role("link", name=ALT_TITLE).click()
    page.wait_for_load_state("load")  # the editor's deferred scripts have run
    url = page.url
    page.get_by_label("Unggah foto").set_input_files(
        [{"name": "pita.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg(800, 600)}]
    )
    page.get_by_role("button", name="Simpan galeri").click()
    alt = page.get_by_label("Teks alternatif (alt) foto baru")
    assert alt.evaluate("el => el.matches(':invalid') && el === document.activeElement")
    assert page.url == url  # not sent: the chosen photo is still there
    assert page.locator("input[name='gallery_uploads']").evaluate("el => el.files.length") == 1
    # Photos chosen before the script saw "change" (a slow connection): the
    # submit itself still stops at the alt field.
    alt.evaluate("el => { el.required = false; el.blur(); }")
    page.get_by_role("button", name="Simpan galeri").click()
    assert alt.evaluate("el => el.matches(':invalid') && el === document.activeElement")
    assert page.url == url
    alt.fill("Pita peresmian jembatan")
    page.get_by_role("button", name="Simpan galeri").click()
    expect(page.get_by_text("Galeri foto disimpan.")).to_be_visible()
    expect(page.locator(".gallery-row")).to_have_count(1)
