import pytest
from playwright.sync_api import expect

from tests.browser.pages import login
from tests.plugins.crosspost.fakes import FakeX


@pytest.mark.browser
def test_counter(site, new_page, server_clean):
    from cms.models import Post
    fake = FakeX().start()
    admin = site.user("admin", "ada2.admin@warta.test", name="Ada")
    with site.db() as session:
        session.add(Post(kind="siaran-pers", title="Judul uji", slug="judul-uji", summary="Ringkas.",
                         body_html="<p>x</p>", body_text="x", status="approved"))
        session.commit()
    page = new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, site.url, *admin)
    page.goto("/admin/crosspost/accounts/new/x")
    page.get_by_label("Nama akun").fill("X Humas")
    page.get_by_label("Token akses pengguna (OAuth 2.0)").fill("good-token")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.goto("/admin/crosspost/")
    page.get_by_role("link", name="Judul uji").click()
    area = page.get_by_label("Pesan untuk X Humas")
    area.fill("🇮🇩 " * 150)
    expect(page.locator(".counter")).to_contain_text("450 / 280")
    expect(page.locator(".counter.over")).to_be_visible()
    area.fill("Halo https://warta.test/" + "a" * 80)
    expect(page.locator(".counter")).to_contain_text("28 / 280")
    page.screenshot(path="/tmp/counter.png", full_page=True)
    assert not errors, errors
    fake.stop()
