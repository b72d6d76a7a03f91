"""Staff tables on a 390-px phone: they scroll sideways in a focusable box
instead of breaking headers, numbers and request numbers one letter per
line; Monev's charts keep readable labels and show every number."""

from __future__ import annotations

import pytest

from tests.browser.pages import BROKEN_WORDS, PHONE, TOO_WIDE, blocking_violations, login

# The font size a chart label is drawn at, in CSS pixels.
_CHART_LABELS = """() => [...document.querySelectorAll('svg.bars-chart text')]
  .map(t => t.getBoundingClientRect().height)"""
_CHART_CLIPPED = """() => [...document.querySelectorAll('svg.bars-chart')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.getBoundingClientRect().right > box.right + 1)
    .map(t => t.textContent);
})"""


@pytest.fixture(scope="module")
def monev_pages(site, places):
    from cms.models import Unit
    from plugins.monev.models import MonevPeriod

    with site.db() as session:
        period = session.query(MonevPeriod).filter_by(year=2026, kind="year").first()
        if period is None:
            period = MonevPeriod(year=2026, kind="year")
            session.add(period)
            session.commit()
        unit = session.query(Unit).filter(Unit.active.is_(True)).order_by(Unit.id).first()
        return [f"/admin/monev/{period.id}/", f"/admin/monev/{period.id}/unit/{unit.id}"]


@pytest.mark.browser
def test_staff_tables_scroll_on_a_phone_without_split_words(site, new_page, monev_pages):
    email, password = site.user("admin", "admin.tabel@warta.test", name="Admin Tabel")
    page = new_page()
    login(page, site.url, email, password)
    page.set_viewport_size(PHONE)
    problems = []
    for url in ["/admin/inbox/", "/admin/inbox/keberatan/", "/admin/posts", "/admin/feeds/pelanggan", *monev_pages]:
        page.goto(url)
        if page.locator("main table").count() == 0:
            problems.append(f"{url}: no table (landed on {page.url})")
            continue
        if broken := page.evaluate(BROKEN_WORDS):
            problems.append(f"{url}: words split mid-word: {broken}")
        layout = page.evaluate(TOO_WIDE)
        if layout["scroll"] > layout["inner"] or layout["wide"]:
            problems.append(f"{url}: {layout['scroll']}px wide; sticking out: {layout['wide']}")
        unwrapped = page.locator("main table:not(.reflow)").evaluate_all(
            "ts => ts.filter(t => !t.closest('.table-wrap[tabindex=\"0\"]')).length"
        )
        if unwrapped:
            problems.append(f"{url}: {unwrapped} table(s) outside a focusable scroll box")
        problems += [f"{url}: {line}" for line in blocking_violations(page)]
    for url in monev_pages:
        page.goto(url)
        sizes = page.evaluate(_CHART_LABELS)
        if sizes and min(sizes) < 11:
            problems.append(f"{url}: chart labels {min(sizes):.1f}px tall")
        if clipped := page.evaluate(_CHART_CLIPPED):
            problems.append(f"{url}: chart numbers cut off: {clipped}")
    assert not problems, "\n".join(problems)
