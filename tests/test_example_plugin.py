"""The external example plugin installs and works through its entry point."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed_example(tmp_path_factory):
    """pip-install examples/warta-hello into a private folder on sys.path."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--target", str(target), str(ROOT / "examples" / "warta-hello")],
                   check=True, capture_output=True, timeout=300)
    sys.path.insert(0, str(target))
    metadata.distributions.cache_clear() if hasattr(metadata.distributions, "cache_clear") else None
    yield target
    sys.path.remove(str(target))
    for name in [m for m in sys.modules if m.startswith("warta_hello")]:
        del sys.modules[name]


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
