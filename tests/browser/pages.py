"""Browser helpers: sign-in, screenshots at two widths, axe audits, layout checks."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page, expect

from cms.testing.servers import ROOT

ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")
# Milliseconds to wait for an answer the server prints a PDF for while the
# browser waits (a receipt letter, a release's PDF: WeasyPrint, seconds of CPU
# on a busy CI machine, measured up to 14 s).  gunicorn's own limit is 30 s;
# other steps keep the context's 10 s.
PRINTS_PDF = 30_000
_AXE_OPTIONS = {"resultTypes": ["violations"]}


def login(page: Page, base_url: str, email: str, password: str) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{base_url}/logout")
    if "/logout" in page.url:  # signed in: the page asks before signing out
        page.get_by_role("button", name="Keluar").click()
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Kata sandi", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


class Shots:
    """Numbered screenshots of one journey, desktop then the 390-px phone width."""

    def __init__(self, journey: str) -> None:
        self.folder = SCREENSHOTS / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in [*self.folder.glob("*.png"), *self.folder.glob("*.txt")]:
            old.unlink(missing_ok=True)  # another run may have removed it
        self.count = 0

    def __call__(self, page: Page, name: str) -> list[Path]:
        self.count += 1
        stem = f"{self.count:02d}-{name}"
        saved = []
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            path = self.folder / f"{stem}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)
            if label == "phone":
                overflow, culprits = horizontal_overflow(page)
                if overflow > 1:  # noted beside the pictures; test_accessibility fails on it per page
                    with open(self.folder / "phone-overflow.txt", "a") as note:
                        note.write(f"{stem} {page.url}: {overflow}px too wide: {', '.join(culprits)}\n")
        page.set_viewport_size(DESKTOP)
        return saved


def horizontal_overflow(page: Page) -> tuple[int, list[str]]:
    """Pixels the page is wider than the viewport, and the elements that stick out."""
    return page.evaluate("""() => {
        const width = window.innerWidth;
        const extra = document.documentElement.scrollWidth - width;
        const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (el.classList.length ? '.' + [...el.classList].join('.') : '');
        const culprits = [];
        if (extra > 1) {
            for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.right > width + 1 && r.width > 0) {
                    // report the outermost offender only, not each of its children
                    const parent = el.parentElement && el.parentElement.getBoundingClientRect();
                    if (!parent || parent.right <= width + 1) {
                        culprits.push(name(el) + ' (' + Math.round(r.width) + 'px wide)');
                    }
                }
                if (culprits.length >= 3) break;
            }
        }
        return [extra, culprits];
    }""")


def blocking_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations, one readable line per node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)  # through the DevTools protocol: the page's CSP does not apply
    results = page.evaluate("(options) => axe.run(document, options)", _AXE_OPTIONS)
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"][:5]:
            summary = (node.get("failureSummary") or "").strip().splitlines()
            lines.append(
                f"{violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))}"
                f" — {summary[-1].strip() if summary else violation['help']}"
            )
    return lines


def audit(page: Page, label: str) -> list[str]:
    """axe at desktop and phone width plus the phone overflow check, for one page state."""
    problems = []
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        problems += [f"[{label} {width}] {line}" for line in blocking_violations(page)]
        if width == "phone":
            overflow, culprits = horizontal_overflow(page)
            if overflow > 1:
                problems.append(
                    f"[{label} phone] page is {overflow}px wider than the 390px screen; "
                    f"sticking out: {', '.join(culprits) or 'unknown'}"
                )
    page.set_viewport_size(DESKTOP)
    return problems


class ConsoleWatch:
    """Collects CSP violations and script errors a page reports."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def csp(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e]


def reload_until_visible(page: Page, locator, timeout: float = 30) -> None:
    """Reload until ``locator`` shows (the worker changes pages; nothing pushes to them).

    Each round waits with Playwright's own bounded auto-wait, never a sleep.
    """
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            expect(locator).to_be_visible(timeout=1000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.reload()


def status_of(page: Page, url: str) -> int:
    response = page.goto(url)
    assert response is not None
    return response.status


# Layout checks shared by the phone tests (evaluated in the page).
# Elements sticking out of the viewport, ignoring those inside a box that scrolls or clips them.
TOO_WIDE = """() => {
  const width = window.innerWidth, out = [];
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > width + 1 || r.left < -1) && !clipped(el)
        && getComputedStyle(el).position !== 'absolute') {
      out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
               + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  // text sticks out too (a long token in a flex row), not only boxes
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim() || !node.parentElement || clipped(node.parentElement)) continue;
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && r.left >= 0) out.push('text "' + node.data.trim().slice(0, 40) + '"');
  }
  return {scroll: document.documentElement.scrollWidth, inner: width, wide: out.slice(0, 5)};
}"""

# Words (letters only, 4+) laid out over two lines: a word broken mid-word.
# Tokens joined by slashes (melihat/membaca/…) are one unbreakable string, like a URL: left out.
BROKEN_WORDS = r"""() => {
  const ancestors = function* (el) { for (let p = el; p; p = p.parentElement) yield p; };
  const broken = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script,style,.skip,.visually-hidden,[hidden]')) continue;
    const box = parent.getBoundingClientRect();  // off-screen on purpose (a honeypot) or clipped to 1px
    if (box.right < 0 || box.width <= 2) continue;
    if ([...ancestors(parent)].some(a => getComputedStyle(a).clip !== 'auto')) continue;
    const re = /(?<![\p{L}\/])\p{L}{4,}(?![\p{L}\/])/gu;  // a/b/c tokens give no break chance
    let m;
    while ((m = re.exec(node.data)) !== null) {
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken.slice(0, 8);
}"""
