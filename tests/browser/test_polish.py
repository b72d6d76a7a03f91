"""Polish users expect (issue #9): confirmation before destructive actions,
print styles, social card and favicon defaults, role dashboards with charts.

A failure here names the page and what is missing, for the page's owner.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.pages import login


def _published_post(site, slug: str, title: str) -> int:
    from cms.models import Post
    from cms.timeutil import naive_utc

    with site.db() as session:
        post = session.query(Post).filter_by(slug=slug).first()
        if post is None:
            post = Post(
                kind="berita",
                title=title,
                slug=slug,
                summary="Ringkasan.",
                body_html="<p>Isi.</p>",
                body_text="Isi.",
                status="published",
                published_at=naive_utc(),
            )
            session.add(post)
            session.commit()
        return post.id


@pytest.mark.browser
def test_unpublishing_asks_for_confirmation_first(site, new_page):
    """Pulling a release off the site is one click away from the editor's hand."""
    from cms.models import Post

    post_id = _published_post(site, "uji-konfirmasi-tarik", "Uji Konfirmasi Penarikan")
    page = new_page()
    login(page, site.url, *site.user("editor", "konfirmasi@warta.test", name="Editor Konfirmasi"))
    page.goto(f"/admin/posts/{post_id}")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Tarik dari situs").click()
    page.wait_for_load_state()
    with site.db() as session:
        status = session.get(Post, post_id).status
    assert dialogs, "editor page: 'Tarik dari situs' unpublishes at once, without a confirmation"
    assert status == "published", "dismissing the confirmation must leave the post published"


@pytest.mark.browser
def test_print_styles_for_public_pages_and_the_dip(site, new_page, places):
    page = new_page()
    page.goto("/ppid/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    page.goto("/ppid/dip/cetak")
    # The DIP register prints in the official seven columns.
    for heading in ("Ringkasan Isi Informasi", "Pejabat/Unit/Satuan Kerja yang Menguasai Informasi"):
        expect(page.get_by_role("columnheader", name=heading).first).to_be_visible()


@pytest.mark.browser
def test_home_page_has_social_card_image_and_favicon(site, new_page):
    page = new_page()
    page.goto("/")
    icon = page.locator("link[rel=icon]").first.get_attribute("href")
    assert httpx.get(site.url + icon).status_code == 200
    og_image = page.locator("meta[property='og:image']")
    assert og_image.count() == 1, "home page: no default og:image (social card) for shares of the site"
    assert httpx.get(og_image.get_attribute("content")).status_code == 200


@pytest.mark.browser
def test_ppid_dashboard_shows_due_this_week_and_overdue(site, new_page):
    page = new_page()
    login(page, site.url, *site.user("ppid", "dasbor.ppid@warta.test", name="PPID Dasbor"))
    page.goto("/admin/")
    main = page.locator("main")
    expect(main).to_contain_text("minggu ini")  # requests due this week
    expect(main).to_contain_text("terlambat")  # overdue requests


@pytest.mark.browser
def test_editor_dashboard_shows_published_this_month(site, new_page):
    page = new_page()
    login(page, site.url, *site.user("editor", "dasbor.editor@warta.test", name="Editor Dasbor"))
    page.goto("/admin/")
    expect(page.locator("main")).to_contain_text("bulan ini")


@pytest.mark.browser
def test_annual_report_has_charts_with_their_numbers(site, new_page):
    page = new_page()
    login(page, site.url, *site.user("ppid", "laporan.ppid@warta.test", name="PPID Laporan"))
    page.goto("/admin/inbox/laporan")
    chart = page.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    assert chart.get_attribute("aria-label"), "each chart is named for screen readers"
    expect(page.locator("table").first).to_be_visible()  # the numbers beside the chart
