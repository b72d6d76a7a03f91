"""Every public page at 360×740 (a small phone) and 1280×800: nothing wider
than the screen, no word split mid-word, tap targets of 44 px in the
header and footer, axe clean, and the phone menu a keyboard-usable
disclosure (and plain links without JavaScript)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import BROKEN_WORDS as _BROKEN_WORDS
from tests.browser.pages import TOO_WIDE as _TOO_WIDE
from tests.browser.pages import blocking_violations

PHONE_S = {"width": 360, "height": 740}
DESKTOP_M = {"width": 1280, "height": 800}
PAGES = [
    "/",
    "/siaran-pers/",
    "/berita/",
    "{release}",
    "{news}",
    "{category}",
    "{unit}",
    "{tag}",
    "/cari?q=jalan",
    "/feeds/",
    "/feeds/langganan",
    "/kebijakan-privasi",
    "/ppid/",
    "/ppid/permohonan",
    "/ppid/dip",
    "{dip_entry}",
    "/login",
]

_SMALL_TARGETS = """() => [...document.querySelectorAll(
    '.brand, .menu-toggle, .main-nav a, .tools a, .footer-links a, main .btn, .pager a')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim().slice(0, 30), Math.round(el.getBoundingClientRect().height)])
  .filter(([, h]) => h < 44)"""


@pytest.fixture(scope="module")
def urls(site, places):
    from sqlalchemy import select

    from cms.models import Tag, Unit

    with site.db() as session:
        unit = session.scalar(select(Unit.slug).where(Unit.active.is_(True)).order_by(Unit.id))
        tag = session.scalar(select(Tag.slug).order_by(Tag.id))
    known = {**places, "unit": f"/unit/{unit}/", "tag": f"/tag/{tag}/"}
    return [url.format(**known) for url in PAGES]


def _check(page, url: str, size: dict) -> list[str]:
    page.set_viewport_size(size)
    response = page.goto(url)
    label = f"{url} @{size['width']}"
    if response.status != 200:
        return [f"{label}: HTTP {response.status}"]
    problems = []
    layout = page.evaluate(_TOO_WIDE)
    if layout["scroll"] > layout["inner"] or layout["wide"]:
        problems.append(f"{label}: {layout['scroll']}px wide page; sticking out: {layout['wide']}")
    if broken := page.evaluate(_BROKEN_WORDS):
        problems.append(f"{label}: words split mid-word: {broken}")
    if size["width"] < 400:
        page.locator(".menu-toggle").click()  # the menu's links are targets too
    if small := page.evaluate(_SMALL_TARGETS):
        problems.append(f"{label}: tap targets under 44px: {small}")
    problems += [f"{label}: {line}" for line in blocking_violations(page)]
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE_S, DESKTOP_M], ids=["phone-360", "desktop-1280"])
def test_public_pages_fit_and_are_accessible(new_page, urls, size, server_clean):
    page = new_page()
    problems = []
    for url in urls:
        problems += _check(page, url, size)
    assert not problems, "\n".join(problems)
    assert not page.console_watch.csp(), page.console_watch.csp()


@pytest.mark.browser
def test_phone_menu_is_a_keyboard_disclosure(new_page):
    page = new_page()
    page.set_viewport_size(PHONE_S)
    page.goto("/")
    toggle = page.locator(".menu-toggle")
    menu = page.locator("#site-menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    for _ in range(5):  # skip link, brand, then the menu button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('menu-toggle')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-menu"
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Siaran Pers")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#site-menu') !== null")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the second link: Siaran Pers
    expect(page.locator("h1")).to_have_text("Siaran Pers")


@pytest.mark.browser
def test_menu_is_plain_links_without_javascript_and_on_desktop(new_page):
    page = new_page(java_script_enabled=False)
    page.set_viewport_size(PHONE_S)
    page.goto("/siaran-pers/")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.locator(".main-nav").get_by_role("link", name="Berita")).to_be_visible()
    desktop = new_page()
    desktop.set_viewport_size(DESKTOP_M)
    desktop.goto("/")
    expect(desktop.locator(".menu-toggle")).to_be_hidden()
    expect(desktop.locator(".main-nav").get_by_role("link", name="Siaran Pers")).to_be_visible()
