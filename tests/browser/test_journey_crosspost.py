"""Journey 5: the admin connects a Mastodon account (a loopback fake that
speaks Mastodon's API), publishes, and sees the link of the delivered post."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import Shots, login, reload_until_visible
from tests.plugins.crosspost.fakes import FakeMastodon

TITLE = "Pendaftaran Sekolah Daring Dibuka Mulai 1 Juni"


@pytest.fixture
def mastodon():
    fake = FakeMastodon().start()
    yield fake
    fake.stop()


@pytest.mark.browser
def test_admin_connects_channel_publishes_and_sees_delivery_link(site, new_page, mastodon, server_clean):
    shots = Shots("05-crosspost")
    admin = site.user("admin", "ada.admin@warta.test", name="Ada Admin")
    site.user("writer", "rudi.penulis@warta.test", name="Rudi Penulis")
    site.approved_post(
        "rudi.penulis@warta.test",
        TITLE,
        "pendaftaran-sekolah-daring",
        "Orang tua dapat mendaftarkan anak lewat laman resmi.",
        "Dinas Pendidikan membuka pendaftaran daring.",
    )

    page = new_page()
    login(page, site.url, *admin)
    page.goto("/admin/crosspost/accounts")
    expect(page.get_by_text("Belum ada akun.")).to_be_visible()  # a friendly empty state
    page.get_by_role("link", name="Mastodon", exact=True).click()
    page.get_by_label("Nama akun").fill("Humas di Mastodon")
    page.get_by_label("Alamat instance").fill(mastodon.url)
    page.get_by_label("Token akses").fill(mastodon.token)
    page.get_by_label("Siaran Pers").check()
    shots(page, "account-form")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Akun disimpan.")).to_be_visible()
    page.get_by_role("button", name="Uji koneksi").click()
    expect(page.get_by_text(re.compile("Koneksi berhasil"))).to_be_visible()
    # The token is never shown back, only masked.
    expect(page.locator("main")).not_to_contain_text(mastodon.token)
    shots(page, "account-tested")

    page.goto("/admin/posts")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Terbitkan sekarang").click()
    expect(page.locator(".workflow")).to_contain_text("Terbit")

    page.get_by_role("link", name="Crosspost").first.click()
    # The row of this release (the table lists every delivery, newest first).
    row = page.locator("tbody tr").filter(has_text=TITLE)
    link = row.locator("a[href^='https://mastodon.test/@humas/']")
    reload_until_visible(page, link)
    expect(row).to_contain_text("Humas di Mastodon")
    shots(page, "delivery-sent")

    expect(link).to_have_text(re.compile(r"^https://mastodon\.test/@humas/\d+$"))
    status_id = link.inner_text().rsplit("/", 1)[1]
    posted = mastodon.posts[status_id]
    assert TITLE in posted["text"]
    assert f"{site.url}/siaran-pers/pendaftaran-sekolah-daring" in posted["text"]
