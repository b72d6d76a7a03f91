"""Journey 6: a journalist subscribes by e-mail, confirms from the mail the
local SMTP server caught, and receives the next press release."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.mailbox import text_of
from tests.browser.pages import Shots, login

JOURNALIST = "dewi.wartawan@harian-bekasi.test"
TITLE = "Wali Kota Tinjau Normalisasi Kali Bekasi"


@pytest.mark.browser
def test_journalist_subscribes_confirms_and_receives_next_release(site, new_page, mailbox, server_clean):
    shots = Shots("06-subscribe")
    editor = site.user("editor", "erna.editor@warta.test", name="Erna Editor")
    site.user("writer", "yudi.penulis@warta.test", name="Yudi Penulis")

    page = new_page()
    page.goto("/feeds/")
    shots(page, "feeds-page")
    page.get_by_role("link", name=re.compile("[Bb]erlangganan")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berlangganan siaran pers")
    page.get_by_role("textbox", name="Alamat e-mail").fill(JOURNALIST)
    page.get_by_role("checkbox", name=re.compile("Saya setuju alamat e-mail saya disimpan")).check()
    shots(page, "subscribe-form")
    page.get_by_role("button", name="Berlangganan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa e-mail Anda")
    shots(page, "check-mail")

    confirm_mail = mailbox.wait_for(JOURNALIST, "Konfirmasi langganan")
    body = text_of(confirm_mail)
    confirm_url = re.search(r"https?://\S+/feeds/langganan/konfirmasi/\S+", body).group(0)
    assert confirm_url.startswith(site.url)
    page.goto(confirm_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Langganan aktif")
    shots(page, "confirmed")

    # The next release, published by an editor, reaches the journalist's inbox.
    site.approved_post(
        "yudi.penulis@warta.test",
        TITLE,
        "wali-kota-tinjau-kali-bekasi",
        "Normalisasi sepanjang 3 km ditargetkan selesai Desember.",
        "Wali Kota meninjau normalisasi Kali Bekasi.",
    )
    staff = new_page()
    login(staff, site.url, *editor)
    staff.goto("/admin/posts")
    staff.get_by_role("link", name=TITLE).click()
    staff.get_by_role("button", name="Terbitkan sekarang").click()
    expect(staff.locator(".workflow")).to_contain_text("Terbit")

    release = mailbox.wait_for(JOURNALIST, TITLE)
    text = text_of(release)
    assert f"{site.url}/siaran-pers/wali-kota-tinjau-kali-bekasi" in text
    assert release["List-Unsubscribe"], "release mails carry a one-click unsubscribe header"
    page.goto(f"{site.url}/siaran-pers/wali-kota-tinjau-kali-bekasi")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    shots(page, "release-from-mail")
