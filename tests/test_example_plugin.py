"""The external example plugin installs and works through its entry point."""

from __future__ import annotations

from importlib import metadata

import pytest

from tests import livesrv


@pytest.fixture(scope="module")
def installed_example(tmp_path_factory):
    """pip-install examples/warta-hello into a private folder on sys.path."""
    with livesrv.installed_example("warta-hello", "warta_hello", tmp_path_factory.mktemp("site")) as target:
        yield target


def test_example_plugin_adds_page_nav_and_config(make_app, installed_example):
    eps = {ep.name: ep for ep in metadata.entry_points(group="cms.plugins")}
    assert eps["hello"].value == "warta_hello.hooks"
    app = make_app(enabled=["inbox", "hello"])
    client = app.test_client()
    page = client.get("/halo/").get_data(as_text=True)
    assert "Halo dari plugin contoh!" in page
    assert 'href="/halo/"' in client.get("/").get_data(as_text=True)  # nav item on core pages
    listing = app.test_cli_runner().invoke(args=["cms", "plugins"]).output
    hello = next(line for line in listing.splitlines() if line.startswith("hello"))
    assert "0.2.0" in hello and "enabled" in hello and "cms_public_nav" in hello


def test_example_plugin_installed_but_not_enabled_adds_nothing(make_app, installed_example):
    app = make_app(enabled=["inbox"])
    assert app.test_client().get("/halo/").status_code == 404
    assert 'href="/halo/"' not in app.test_client().get("/").get_data(as_text=True)


def test_example_plugin_site_config_wins(make_app, installed_example):
    app = make_app(enabled=["hello"], HELLO_GREETING="Salam dari Kota Bekasi")
    assert "Salam dari Kota Bekasi" in app.test_client().get("/halo/").get_data(as_text=True)
