"""The editor never loses what a writer typed (issue 21, "The editor"):
autosave from the first keystroke creates the draft, leaving with unsaved
text asks first, autosave stops on a refusal and backs off on a failure,
a locked or finished post opens read-only, and a paste from Google Docs or
Word keeps its bold, italic, links, headings and lists under the CSP."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.timeutil import naive_utc
from tests.browser.pages import login

PASTE = Path(__file__).parent.parent / "data" / "paste"
UNIT = "Dinas Komunikasi dan Informatika"


def _post(site, title: str):
    from cms.models import Post

    with site.db() as session:
        return session.query(Post).filter_by(title=title).one()


def _writer(site, tag: str):
    return site.user("writer", f"penulis.{tag}@warta.test", unit=UNIT, name=f"Penulis {tag.title()}")


@pytest.mark.browser
def test_first_keystroke_creates_the_draft_and_moves_to_its_url(site, new_page, server_clean):
    page = new_page()
    # The autosave delay runs when the test says: typing on a slow machine can
    # outlast it, and the draft would be created from the first words only.
    page.clock.install()
    login(page, site.url, *_writer(site, "ketik"))
    page.goto("/admin/posts/new")
    expect(page.locator("#word-count")).to_have_text("0")
    page.locator("#body-editor .ql-editor").click()
    page.keyboard.type("Warga Bekasi antusias mengikuti senam pagi")
    page.clock.run_for(2000)  # the autosave delay after the first keystroke
    # The draft exists although nobody pressed "Simpan"; the address is its edit page.
    expect(page.locator("#autosave-status")).to_contain_text("Tersimpan otomatis")
    expect(page).to_have_url(re.compile(r"/admin/posts/\d+$"))
    post_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("#word-count")).to_have_text("6")
    expect(page.locator("#reading-minutes")).to_have_text("1")
    expect(page.locator("#post-form")).to_have_attribute("action", f"/admin/posts/{post_id}")

    # Typing the title goes to the same draft, not a second one.
    page.locator("#title").fill("Senam Pagi Bersama di Alun-alun")
    expect(page.locator("#serp-title")).to_have_text("Senam Pagi Bersama di Alun-alun")
    expect(page.locator("#card-title")).to_have_text("Senam Pagi Bersama di Alun-alun")
    # The status still shows the first autosave: wait for the answer to this one.
    with page.expect_response(lambda r: r.url.endswith(f"/admin/posts/{post_id}/autosave")) as title_saved:
        page.clock.run_for(2000)
    assert title_saved.value.ok
    expect(page.locator("#autosave-status")).to_contain_text("Tersimpan otomatis")
    from cms.models import Post

    with site.db() as session:
        post = session.get(Post, post_id)
        assert "senam pagi" in post.body_html
    # Manual save keeps the version the autosave handed back: no conflict.
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".flashes .alert-success")).to_contain_text("Draf disimpan.")
    with site.db() as session:
        assert session.query(Post).filter(Post.title.like("Senam Pagi%")).count() == 1
        assert session.get(Post, post_id).title == "Senam Pagi Bersama di Alun-alun"


@pytest.mark.browser
def test_leaving_with_unsaved_text_asks_and_autosave_backs_off(site, new_page, server_clean):
    page = new_page()
    page.clock.install()
    login(page, site.url, *_writer(site, "pergi"))
    page.goto("/admin/posts/new")
    hits = []

    def offline(route):
        hits.append(route.request.url)
        route.abort("internetdisconnected")

    page.route("**/autosave", offline)
    page.locator("#title").press_sequentially("Jembatan")
    page.clock.run_for(2000)
    expect(page.locator("#autosave-status")).to_contain_text("dicoba lagi dalam 5 detik")
    page.clock.run_for(6000)
    expect(page.locator("#autosave-status")).to_contain_text("dicoba lagi dalam 10 detik")
    assert len(hits) == 2  # backs off, does not hammer

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    # close() does not wait for beforeunload: wait for its question.
    with page.expect_event("dialog"):
        page.close(run_before_unload=True)
    expect(page.locator("#title")).to_have_value("Jembatan")  # still open: the writer was asked
    assert dialogs == ["beforeunload"]


@pytest.mark.browser
def test_a_refused_autosave_stops_and_says_why(site, new_page, server_clean):
    page = new_page()
    page.clock.install()
    login(page, site.url, *_writer(site, "tolak"))
    page.goto("/admin/posts/new")
    hits = []

    def refuse(route):
        hits.append(1)
        route.fulfill(status=400, content_type="application/json", body=json.dumps({"ok": False, "error": "Ditolak."}))

    page.route("**/autosave", refuse)
    page.locator("#title").press_sequentially("Pasar")
    page.clock.run_for(2000)
    expect(page.locator("#autosave-status")).to_contain_text("Ditolak. Simpan otomatis dihentikan")
    expect(page.locator("#autosave-status")).to_have_attribute("role", "alert")
    page.locator("#title").press_sequentially(" Baru")
    page.clock.run_for(600_000)
    assert len(hits) == 1  # a 4xx is final: no retry loop


@pytest.mark.browser
def test_saved_text_lets_the_writer_leave_without_a_question(site, new_page, server_clean):
    page = new_page()
    # Typing slower than the autosave delay would save "Tam" and leave the rest
    # pending under a "Tersimpan otomatis" status: the delay runs after typing.
    page.clock.install()
    login(page, site.url, *_writer(site, "aman"))
    page.goto("/admin/posts/new")
    page.locator("#title").press_sequentially("Taman Kota")
    page.clock.run_for(2000)
    expect(page.locator("#autosave-status")).to_contain_text("Tersimpan otomatis")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    # close() does not wait: a question would come after the check below.
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert dialogs == []


@pytest.mark.browser
def test_a_post_locked_by_someone_else_opens_read_only(site, new_page, server_clean):
    from cms.extensions import db
    from cms.models import Post
    from tests.conftest import new_post

    email, password = _writer(site, "kunci")
    editor = site.user("editor", "editor.kunci@warta.test", unit=UNIT, name="Eka Kunci")
    from cms.models import User

    with site.db() as session:
        writer = session.query(User).filter_by(email=email).one()
        post = new_post("draft", title="Rapat Koordinasi Banjir", author=writer)
        post.autosave_data = {"title": post.title, "by": writer.id}
        post.autosave_at = naive_utc()
        db.session.commit()
        post_id = post.id

    page = new_page()
    login(page, site.url, *editor)
    page.goto(f"/admin/posts/{post_id}")
    banner = page.locator("#read-only-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("sedang disunting oleh Penulis Kunci")
    expect(page.locator("#title")).to_be_disabled()
    expect(page.locator("#body-editor .ql-editor")).to_have_attribute("contenteditable", "false")
    expect(page.get_by_role("button", name="Simpan", exact=True)).to_have_count(0)

    # The writer, who holds the lock, may type on.
    page2 = new_page()
    login(page2, site.url, email, password)
    page2.goto(f"/admin/posts/{post_id}")
    expect(page2.locator("#read-only-banner")).to_be_hidden()
    expect(page2.locator("#title")).to_be_enabled()
    with site.db() as session:
        assert session.get(Post, post_id).title == "Rapat Koordinasi Banjir"


@pytest.mark.browser
def test_lock_taken_while_typing_turns_the_form_read_only(site, new_page, server_clean):
    from cms.extensions import db
    from cms.models import Post, User
    from tests.conftest import new_post

    email, _ = _writer(site, "rebut")
    editor = site.user("editor", "editor.rebut@warta.test", unit=UNIT, name="Eka Rebut")
    with site.db() as session:
        writer = session.query(User).filter_by(email=email).one()
        post_id = new_post("draft", title="Lomba Kebersihan RW", author=writer).id

    page = new_page()
    page.clock.install()  # the autosave delay runs out when the test says, not on a slow machine's clock
    login(page, site.url, *editor)
    page.goto(f"/admin/posts/{post_id}")
    expect(page.locator("#title")).to_be_enabled()
    with site.db() as session:  # meanwhile the writer starts typing elsewhere
        writer = session.query(User).filter_by(email=email).one()
        post = session.get(Post, post_id)
        post.autosave_data = {"title": post.title, "by": writer.id}
        post.autosave_at = naive_utc()
        db.session.commit()
    page.locator("#title").press_sequentially(" 2026")
    page.clock.run_for(2000)  # the autosave delay
    expect(page.locator("#read-only-banner")).to_contain_text("sedang disunting oleh Penulis Rebut")
    expect(page.locator("#title")).to_be_disabled()
    expect(page.locator("#autosave-status")).to_contain_text("berhenti")


@pytest.mark.browser
def test_a_finished_post_is_read_only_for_its_writer(site, new_page, server_clean):
    from cms.models import User
    from tests.conftest import new_post

    email, password = _writer(site, "selesai")
    with site.db() as session:
        writer = session.query(User).filter_by(email=email).one()
        post_id = new_post("approved", title="Festival Kuliner Bekasi", author=writer).id
    page = new_page()
    login(page, site.url, email, password)
    page.goto(f"/admin/posts/{post_id}")
    expect(page.locator("#read-only-banner")).to_contain_text("Naskah berstatus Disetujui")
    expect(page.locator("#summary")).to_be_disabled()
    expect(page.locator("#body-editor .ql-editor")).to_have_attribute("contenteditable", "false")


def _paste(page, html: str) -> None:
    page.locator("#body-editor .ql-editor").click()
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "");
            const editor = document.querySelector("#body-editor .ql-editor");
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def _paste_and_save(site, page, sample: str, title: str) -> str:
    page.goto("/admin/posts/new")
    response = page.request.get(site.url + "/admin/posts/new")
    csp = response.headers["content-security-policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp  # the CSP stays strict
    page.locator("#title").fill(title)
    _paste(page, (PASTE / sample).read_text(encoding="utf-8"))
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/posts/\d+$"))
    expect(page.locator("#title")).to_have_value(title)
    return _post(site, title).body_html


@pytest.mark.browser
def test_paste_from_google_docs_keeps_formatting(site, new_page, server_clean):
    page = new_page()
    login(page, site.url, *_writer(site, "docs"))
    body = _paste_and_save(site, page, "google-docs.html", "Adminduk Keliling dari Google Docs")
    assert "<strong>BEKASI</strong>" in body
    assert "<strong>layanan keliling</strong>" in body
    assert "<em>Senin pekan depan</em>" in body
    assert '<a href="https://disdukcapil.bekasikota.go.id/jadwal"' in body and "laman Disdukcapil</a>" in body
    assert "<h2>Pemkot Bekasi Buka Layanan Adminduk Keliling</h2>" in body  # Heading 1 → h2
    assert "<h2>Dokumen yang dibawa</h2>" in body
    assert re.search(r"<ul><li>Kartu Keluarga asli</li><li>Fotokopi KTP-el</li></ul>", body)
    assert re.search(r"<ol><li>Ambil nomor antrean</li><li>Serahkan berkas ke petugas</li></ol>", body)
    # Docs' <b style="font-weight:normal"> wrapper does not make everything bold.
    assert "<strong> — Dinas" not in body and "Dinas Kependudukan" in body
    assert "style=" not in body and "docs-internal" not in body


@pytest.mark.browser
def test_paste_from_word_keeps_formatting(site, new_page, server_clean):
    page = new_page()
    login(page, site.url, *_writer(site, "word"))
    body = _paste_and_save(site, page, "word.html", "Vaksinasi HPV dari Word")
    assert "<h2>Jadwal Vaksinasi Anak Sekolah</h2>" in body
    assert "<strong>BEKASI</strong>" in body
    assert re.search(r"<strong>vaksinasi\s+HPV</strong>", body)
    assert "<em>buku KIA</em>" in body
    assert '<a href="https://dinkes.bekasikota.go.id/vaksin"' in body
    assert "<strong>gratis</strong>" in body  # a style-only bold span, as Word writes some
    assert re.search(r"<ul><li>SDN\s+Bekasi Jaya 1</li><li>SDN\s+Margahayu 3</li></ul>", body)
    assert "mso" not in body and "o:p" not in body and "supportLists" not in body and "·" not in body


@pytest.mark.browser
def test_categories_tick_by_keyboard_and_save_several(site, new_page, server_clean):
    from cms.models import Category

    with site.db() as session:
        for name in ("Kesehatan Warga", "Pendidikan Dasar", "Ekonomi Kreatif"):
            if session.query(Category).filter_by(name=name).first() is None:
                session.add(Category(name=name, slug=name.lower().replace(" ", "-")))
        session.commit()
    page = new_page()
    login(page, site.url, *_writer(site, "kategori"))
    page.goto("/admin/posts/new")
    page.locator("#title").fill("Pelatihan UMKM di Balai Kota")
    group = page.get_by_role("group", name="Kategori")
    box = group.get_by_label("Ekonomi Kreatif")
    box.focus()
    page.keyboard.press("Space")
    group.get_by_label("Kesehatan Warga").check()
    label = group.locator("label", has_text="Pendidikan Dasar").bounding_box()
    assert label["height"] >= 44  # a tap target on a phone, not a 13-px box alone
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/posts/\d+$"))
    from cms.models import Post

    with site.db() as session:
        post = session.query(Post).filter_by(title="Pelatihan UMKM di Balai Kota").one()
        assert [c.name for c in post.categories] == ["Ekonomi Kreatif", "Kesehatan Warga"]
    expect(group.get_by_label("Ekonomi Kreatif")).to_be_checked()
    expect(group.get_by_label("Pendidikan Dasar")).not_to_be_checked()


@pytest.mark.browser
def test_workflow_bar_stays_on_top_and_comes_first_by_keyboard(site, new_page, server_clean):
    from cms.models import User
    from tests.browser.pages import audit
    from tests.conftest import new_post

    email, password = _writer(site, "bilah")
    with site.db() as session:
        writer = session.query(User).filter_by(email=email).one()
        post_id = new_post(
            "draft", title="Bilah Tindakan", body="<p>" + "Isi panjang. " * 800 + "</p>", author=writer
        ).id
    page = new_page()
    login(page, site.url, email, password)
    page.goto(f"/admin/posts/{post_id}")
    submit = page.locator("#action-bar").get_by_role("button", name="Ajukan untuk ditinjau")
    page.mouse.wheel(0, 4000)
    page.wait_for_function("() => window.scrollY > 1000")
    assert abs(submit.bounding_box()["y"]) < 120  # still on screen at the top after scrolling
    # From the skip link onwards the bar's actions come before the first field.
    page.locator("#action-bar button").first.focus()
    order = page.evaluate(
        """() => [...document.querySelectorAll('button, input, select, textarea, [contenteditable=true]')]
              .filter(el => !el.disabled && el.offsetParent !== null)
              .map(el => el.id || el.textContent.trim())"""
    )
    assert order.index("Ajukan untuk ditinjau") < order.index("title")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(submit).to_be_focused()
    assert audit(page, "editor with action bar") == []
    page.goto("/admin/notifikasi")
    expect(page.get_by_role("heading", name="Notifikasi")).to_be_visible()
    assert audit(page, "notifications") == []
