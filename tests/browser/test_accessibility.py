"""Accessibility: axe-core on every public page and every form (desktop and
390-px phone, zero serious or critical violations, nothing wider than the
phone), ``lang="id"``, keyboard-only completion of the request form with a
visible focus, and form errors that are announced and linked to their fields.

Pages come from the demo content (``flask cms demo``) so lists, items and
the DIP have realistic rows.  Each page is its own test: a failure names the
page, the element and the axe rule, for the page's owner.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PRINTS_PDF, audit, login

PUBLIC = [
    "/",
    "/siaran-pers/",
    "/berita/",
    "{release}",
    "{news}",
    "{category}",
    "/cari?q=kota",
    "/feeds/",
    "/feeds/rss.xml",  # a browser gets the feed's HTML page
    "/feeds/langganan",
    "/media",
    "/ppid/",
    "/ppid/permohonan",
    "/ppid/permohonan/lacak",
    "/ppid/keberatan",
    "/ppid/dip",
    "{dip_entry}",
    "/ppid/dik",
    "/login",
    "/halaman-yang-tidak-ada",
]
# Public forms sent empty: the error state must be as accessible as the blank form.
PUBLIC_ERRORS = [
    ("/ppid/permohonan", "Kirim permohonan"),
    ("/ppid/permohonan/lacak", "Lacak"),
    ("/ppid/keberatan", "Kirim keberatan"),
    ("/feeds/langganan", "Berlangganan"),
    ("/login", "Masuk"),
]
STAFF = [
    "/admin/",
    "/admin/posts",
    "/admin/posts/new",
    "{edit_post}",
    "{revisions}",
    "/admin/media",
    "/admin/categories",
    "/admin/ruang-media/",
    "/admin/ruang-media/narahubung/baru",
    "/admin/users",
    "/admin/users/new",
    "/admin/units/new",
    "/admin/audit",
    "/admin/inbox/",
    "/admin/inbox/baru",
    "{request}",
    "{answer}",
    "/admin/inbox/keberatan/",
    "{objection}",
    "/admin/inbox/laporan",
    "/admin/inbox/kalender",
    "/admin/dip/",
    "/admin/dip/baru",
    "/admin/dip/impor",
    "/admin/dip/dik/",
    "/admin/dip/dik/baru",
    "/admin/dip/tahun",
    "/admin/crosspost/",
    "/admin/crosspost/accounts",
    "/admin/crosspost/accounts/new/mastodon",
    "/admin/feeds/jurnalis",
    "/admin/feeds/pelanggan",
]


@pytest.fixture(scope="module")
def admin_state(site, browser, places):
    """One admin sign-in for the module (saved cookies), not one per page."""
    email, password = site.user("admin", "aksesibilitas@warta.test", name="Admin Aksesibilitas")
    context = browser.new_context(base_url=site.url)
    page = context.new_page()
    login(page, site.url, email, password)
    state = context.storage_state()
    context.close()
    return state


def _check(page, label: str) -> None:
    problems = audit(page, label)
    problems += [f"[{label}] {error}" for error in page.console_watch.csp()]
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("path", PUBLIC)
def test_public_page_is_accessible(new_page, places, path):
    page = new_page()
    url = path.format(**places)
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("h1")).not_to_have_count(0)
    _check(page, url)


@pytest.mark.browser
@pytest.mark.parametrize(("path", "button"), PUBLIC_ERRORS)
def test_public_form_errors_are_accessible_and_announced(new_page, path, button):
    page = new_page()
    page.goto(path)
    page.get_by_role("button", name=button, exact=True).click()
    # The click returns once the answer starts to load: the audit below needs
    # the whole page, its styles and its deferred script (warta.js).
    page.wait_for_load_state("load")
    summary = page.locator("[role=alert]").first
    expect(summary).to_be_visible()
    # Every invalid field points to its own message.
    invalid = page.locator("[aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    for i in range(invalid.count()):
        field = invalid.nth(i)
        described = (field.get_attribute("aria-describedby") or "").split()
        messages = [page.locator(f"[id='{ref}']").inner_text() for ref in described]
        assert any(m.strip() for m in messages), f"{path}: invalid field #{field.get_attribute('id')} has no message"
    _check(page, f"{path} (errors)")


@pytest.mark.browser
@pytest.mark.parametrize("path", STAFF)
def test_staff_page_is_accessible(new_page, places, admin_state, path):
    page = new_page(storage_state=admin_state)
    url = path.format(**places)
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", "id")
    _check(page, url)


def _focus_is_visible(page) -> bool:
    """The focused element draws an outline or a shadow (WCAG 2.4.7)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return false;
        const s = getComputedStyle(el);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        return outline || (s.boxShadow && s.boxShadow !== 'none');
    }""")


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until ``selector`` has the focus, checking the focus ring on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert _focus_is_visible(page), "focus is not visible on " + page.evaluate(
            "document.activeElement.outerHTML.slice(0, 160)"
        )
        if page.evaluate("(sel) => document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


@pytest.mark.browser
def test_request_form_can_be_completed_with_the_keyboard_only(new_page, mailbox):
    page = new_page()
    page.goto("/ppid/permohonan")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()  # the skip link comes first and shows
    assert _focus_is_visible(page)

    _tab_to(page, "input[name=applicant_type]")
    page.keyboard.press("Space")  # perseorangan (the first choice)
    _tab_to(page, "#name")
    page.keyboard.type("Rahmat Hidayat")
    _tab_to(page, "#nik")
    page.keyboard.type("3275010505850002")
    _tab_to(page, "#address")
    page.keyboard.type("Jl. Ahmad Yani No. 1, Bekasi Selatan")
    _tab_to(page, "#email")
    page.keyboard.type("rahmat@contoh.id")
    _tab_to(page, "#details")
    page.keyboard.type("Daftar penerima bantuan sosial tahun 2025 di Kecamatan Bekasi Selatan")
    _tab_to(page, "#purpose")
    page.keyboard.type("Pengawasan program oleh warga")
    _tab_to(page, "input[name=access_method]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # softcopy, the third choice
    _tab_to(page, "input[name=delivery]")
    for _ in range(4):  # ambil → kurir → pos → faksimili → e-mail (arrows select as they move)
        page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=access_method][value=softcopy]")).to_be_checked()
    expect(page.locator("input[name=delivery][value=email]")).to_be_checked()
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    # The receipt's letter is printed while the browser waits.
    expect(page.get_by_role("heading", name="Tanda terima permohonan informasi")).to_be_visible(timeout=PRINTS_PDF)
    expect(page.locator("#nomor")).to_have_text(re.compile(r"\d{4}/PPID/\d{4}"))


@pytest.mark.browser
def test_language_switch_goes_to_english_and_back(new_page):
    page = new_page()
    page.goto("/ppid/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # remembered for the visit
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Lewati ke konten")).to_have_count(1)
