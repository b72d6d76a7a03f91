"""The ``warta`` pytest plugin (entry point ``pytest11``): fixtures for
testing Warta and its plugins.  Every fixture is prefixed ``warta_`` so none
shadows a plugin author's own ``app`` or ``client``; choose what the app runs
by overriding ``warta_plugins`` (and ``warta_config``) in your conftest::

    @pytest.fixture
    def warta_plugins():
        return ["line"]          # entry-point names to enable

Fixtures: warta_make_app, warta_app, warta_client, warta_runner,
warta_make_user, warta_users, warta_clients, warta_login, warta_mail,
warta_http, warta_clock (docs/plugins.md, "Testing a plugin").
"""

from __future__ import annotations

import pytest

from cms.testing import clock, mail, recorder, users
from cms.testing.app import app_factory


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs DATABASE_URL pointing at PostgreSQL")


@pytest.fixture
def warta_plugins():
    """Entry-point names the ``warta_app`` enables (override in your conftest)."""
    return []


@pytest.fixture
def warta_plugin_modules():
    """Plugin modules registered directly, without an entry point (override)."""
    return []


@pytest.fixture
def warta_config():
    """Extra config for ``warta_app`` (override)."""
    return {}


@pytest.fixture
def warta_make_app(tmp_path):
    """``warta_make_app(plugins=[module], enabled=["name"], **config)`` → a new
    app with fresh tables (SQLite, or PostgreSQL when DATABASE_URL says)."""
    with app_factory(tmp_path) as make:
        yield make


@pytest.fixture
def warta_app(warta_make_app, warta_plugins, warta_plugin_modules, warta_config):
    """The app with ``warta_plugins`` enabled, its app context pushed."""
    app = warta_make_app(plugins=warta_plugin_modules, enabled=warta_plugins, **warta_config)
    with app.app_context():
        yield app


@pytest.fixture
def warta_client(warta_app):
    return warta_app.test_client()


@pytest.fixture
def warta_runner(warta_app):
    """Click runner for ``flask`` commands: ``warta_runner.invoke(args=["cms", ...])``."""
    return warta_app.test_cli_runner()


@pytest.fixture
def warta_make_user(warta_app):
    """``warta_make_user(role="admin", unit=None, email=None, password=PASSWORD)``."""
    return users.make_user


class _ByRole(dict):
    """A user (or client) per role, made on first use: hashing six passwords
    for a test that needs one would be slow."""

    def __init__(self, make):
        super().__init__()
        self._make = make

    def __missing__(self, role):
        if role not in users.roles():
            raise KeyError(f"no role {role!r}; roles: {', '.join(users.roles())}")
        self[role] = value = self._make(role)
        return value


@pytest.fixture
def warta_users(warta_app):
    """``warta_users["editor"]``: one user per role (admin, editor, writer,
    ppid, ppid_unit, atasan), password ``cms.testing.users.PASSWORD``."""
    return _ByRole(users.user_for_role)


@pytest.fixture
def warta_clients(warta_app, warta_users):
    """``warta_clients["editor"]``: a test client signed in as that role's user."""
    return _ByRole(lambda role: users.signed_in(warta_app, warta_users[role]))


@pytest.fixture
def warta_login(warta_client):
    """``warta_login(user)`` signs in on ``warta_client`` through the real form."""
    return lambda user, password=users.PASSWORD, follow=False: users.login(warta_client, user, password, follow)


@pytest.fixture
def warta_mail(warta_app):
    """The real mail catcher (aiosmtpd); ``warta_app`` sends there.
    ``warta_mail.messages``, ``.to(address)``, ``Mailbox.body(message)``."""
    with mail.mail_catcher(warta_app) as box:
        yield box


@pytest.fixture
def warta_http():
    """A local HTTP server recording requests: ``.url``, ``.requests``,
    ``.last(path)``, ``.reply(path, status, body)``."""
    with recorder.recording_server() as server:
        yield server


@pytest.fixture
def warta_clock():
    """Time frozen at Wednesday 4 February 2026, 10:00 WIB (a working day):
    ``.now``, ``.advance(hours=…)``, ``.move_to(datetime)``."""
    with clock.frozen() as frozen:
        yield frozen
