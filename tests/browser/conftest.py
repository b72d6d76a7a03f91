"""Browser journeys: a live Warta (gunicorn + worker + SMTP) and a real chromium.

Everything here is session-scoped because starting the stack and the browser
costs seconds; each test gets fresh browser contexts (own cookies), so users
of one journey never share a session.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.live import LiveSite
from tests.browser.mailbox import Mailbox
from tests.browser.pages import DESKTOP, ConsoleWatch

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    """Fail loudly (never skip) when chromium is missing: `make test` installs it."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents and "browser" not in item.keywords:
            raise pytest.UsageError(f"{item.nodeid} must be marked @pytest.mark.browser")


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def site(tmp_path_factory, mailbox):
    # Per run, in pytest's temporary folder: several people may run the suite at once.
    tmp = tmp_path_factory.mktemp("live")
    live = LiveSite(tmp, tmp / "logs", mailbox.port).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    with sync_playwright() as pw:
        # launch() gives every run a fresh temporary user-data dir.
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def places(site):
    """Load the demo content (``cms_demo_data``) once; URLs of its pages, from the database."""
    from cms.models import Category, Post
    from cms.newsroom import publishing
    from cms.plugins import hook
    from plugins.dip.models import DipEntry
    from plugins.inbox.models import InfoRequest, Objection

    with site.db() as session:
        hook().cms_demo_data()
        session.commit()
        public = session.scalars(publishing.public_posts()).all()
        release = next(p for p in public if p.kind == "siaran-pers")
        news = next((p for p in public if p.kind == "berita"), release)
        category = session.query(Category).first()
        entry = session.query(DipEntry).filter(DipEntry.published_at.isnot(None)).first()
        request = session.query(InfoRequest).order_by(InfoRequest.id).first()
        objection = session.query(Objection).first()
        any_post = session.query(Post).order_by(Post.id).first()
        return {
            "release": publishing.public_path(release),
            "news": publishing.public_path(news),
            "category": f"/kategori/{category.slug}/",
            "dip_entry": f"/ppid/dip/{entry.id}",
            "edit_post": f"/admin/posts/{any_post.id}",
            "revisions": f"/admin/posts/{any_post.id}/revisions",
            "request": f"/admin/inbox/{request.id}",
            "answer": f"/admin/inbox/{request.id}/jawab",
            "objection": f"/admin/inbox/keberatan/{objection.id}" if objection else "/admin/inbox/keberatan/",
        }


@pytest.fixture
def new_page(browser, site):
    """``new_page(**context_options)`` → a page in a fresh context (own cookies), Indonesian, WIB."""
    contexts = []

    def _new(**options):
        context = browser.new_context(
            viewport=DESKTOP,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            base_url=site.url,
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.console_watch = ConsoleWatch(page)
        return page

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def server_clean(site):
    """Fails the test when the web server or the worker logged a traceback during it."""
    site.ensure_alive()
    marks = site.log_marks()
    yield
    site.ensure_alive()
    errors = site.tracebacks_since(marks)
    assert not errors, f"server errors during the test:\n{errors}"
