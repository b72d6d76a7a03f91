"""Browser journeys: a live Warta (gunicorn + worker + SMTP) and a real chromium.

Everything here is session-scoped because starting the stack and the browser
costs seconds; each test gets fresh browser contexts (own cookies), so users
of one journey never share a session.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.live import LiveSite
from tests.browser.mailbox import Mailbox
from tests.browser.pages import ARTIFACTS, DESKTOP, ConsoleWatch

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
    logs = ARTIFACTS / "browser-logs"
    shutil.rmtree(logs, ignore_errors=True)
    live = LiveSite(tmp_path_factory.mktemp("live"), logs, mailbox.port).start()
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


@pytest.fixture
def new_page(browser, site):
    """``new_page(**context_options)`` → a page in a fresh context (own cookies), Indonesian, WIB."""
    contexts = []

    def _new(**options):
        context = browser.new_context(viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jakarta",
                                      base_url=site.url, accept_downloads=True, **options)
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
