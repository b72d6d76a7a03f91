"""Once autosave has made the draft, the editor behaves like the draft's
page (heading, "Ajukan"), and the gallery's own form, which reloads the
page, first stores the writer's pending text (trial 21, item 5)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import login
from tests.browser.test_editor_safety import _writer


@pytest.mark.browser
def test_autosaved_new_post_shows_its_draft_heading_and_can_be_submitted(site, new_page, server_clean):
    from cms.models import Post

    page = new_page()
    login(page, site.url, *_writer(site, "ajukan"))
    page.goto("/admin/posts/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Naskah baru")
    expect(page.get_by_role("button", name="Ajukan untuk ditinjau")).to_be_hidden()
    page.locator("#title").fill("Posyandu Lansia Dibuka di Tiap RW")
    page.locator("#body-editor .ql-editor").click()
    page.keyboard.type("Posyandu lansia kini buka setiap Kamis pagi.")
    expect(page).to_have_url(re.compile(r"/admin/posts/\d+$"))
    post_id = int(page.url.rsplit("/", 1)[1])
    # Without a manual save the page already is the draft's page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ubah naskah")
    expect(page.locator("#draft-state")).to_contain_text("Draf")
    expect(page).to_have_title(re.compile("Posyandu Lansia Dibuka"))
    submit = page.locator("#action-bar").get_by_role("button", name="Ajukan untuk ditinjau")
    expect(submit).to_be_visible()
    page.keyboard.type(" Warga membawa KMS.")  # pending text is stored before submitting
    submit.click()
    expect(page.locator(".flashes")).to_contain_text("Naskah diajukan untuk ditinjau editor.")
    with site.db() as session:
        post = session.get(Post, post_id)
        assert post.status == "review"
        assert "KMS." in post.autosave_data["body_html"]  # the autosave, as "Simpan" was not pressed


def _draft(site, tag: str, title: str) -> tuple[int, tuple[str, str]]:
    from cms.models import User
    from tests.conftest import new_post

    email, password = _writer(site, tag)
    with site.db() as session:
        writer = session.query(User).filter_by(email=email).one()
        return new_post("draft", title=title, author=writer).id, (email, password)


@pytest.mark.browser
def test_gallery_save_stores_the_pending_text_first(site, new_page, server_clean):
    from cms.models import Post

    post_id, account = _draft(site, "galeri", "Pameran UMKM di Stadion")
    page = new_page()
    page.clock.install()  # the autosave delay never runs out by itself
    login(page, site.url, *account)
    page.goto(f"/admin/posts/{post_id}")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    page.locator("#summary").press_sequentially("Seratus pelaku usaha ikut pameran.")
    page.get_by_role("button", name="Simpan galeri").click()
    expect(page.get_by_text("Galeri foto disimpan.")).to_be_visible()
    assert dialogs == []  # nothing was pending any more: no "leave page?" question
    with site.db() as session:
        assert session.get(Post, post_id).autosave_data["summary"] == "Seratus pelaku usaha ikut pameran."


@pytest.mark.browser
def test_gallery_save_stops_when_the_text_cannot_be_stored(site, new_page, server_clean):
    post_id, account = _draft(site, "gagal", "Lomba Kampung Bersih")
    page = new_page()
    page.clock.install()
    login(page, site.url, *account)
    page.goto(f"/admin/posts/{post_id}")
    page.route(
        "**/autosave",
        lambda route: route.fulfill(status=503, content_type="application/json", body=json.dumps({"ok": False})),
    )
    page.locator("#summary").press_sequentially("Juri menilai tiga puluh kampung.")
    page.get_by_role("button", name="Simpan galeri").click()
    expect(page.locator("#gallery-unsaved")).to_be_visible()
    expect(page.locator("#gallery-unsaved")).to_contain_text("Galeri belum disimpan")
    expect(page.get_by_text("Galeri foto disimpan.")).to_have_count(0)
    expect(page.locator("#summary")).to_have_value("Juri menilai tiga puluh kampung.")
    expect(page).to_have_url(re.compile(rf"/admin/posts/{post_id}$"))


@pytest.mark.browser
def test_save_while_the_first_autosave_creates_the_draft_makes_one_post(site, new_page, server_clean):
    """Pressing "Simpan" while the first autosave is still creating the draft
    (a slow server, a writer quicker than the answer) saves into that draft:
    the form used to go to /admin/posts/new as well, and made a second post."""
    from cms.models import Post

    title = "Kerja Bakti di Bantaran Kali Bekasi"
    page = new_page()
    page.clock.install()  # the autosave leaves when the test says
    login(page, site.url, *_writer(site, "serentak"))
    page.goto("/admin/posts/new")
    held = []
    page.route("**/admin/posts/autosave", lambda route: held.append(route))  # the answer is held back
    page.locator("#title").fill(title)
    with page.expect_request("**/admin/posts/autosave"):
        page.clock.run_for(2000)
    page.get_by_role("button", name="Simpan", exact=True).click()
    assert page.url.endswith("/admin/posts/new"), "the form was sent before the draft existed"
    assert held, "the first autosave is on its way"
    # The server creates the draft now; its answer reaches the page after the click.
    route = held[0]
    route.fulfill(response=route.fetch())
    expect(page.locator(".flashes .alert-success")).to_contain_text("Draf disimpan.")
    expect(page).to_have_url(re.compile(r"/admin/posts/\d+$"))
    expect(page.locator("#title")).to_have_value(title)
    with site.db() as session:
        assert session.query(Post).filter_by(title=title).count() == 1
