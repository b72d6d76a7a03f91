"""A plugin made for another Warta, or lacking what its kind needs, is
refused at start-up with its name and the reason; the deprecation path."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest

from cms.api_version import API_VERSION
from cms.plugin_compat import PluginIncompatible


@pytest.fixture
def fake_site(tmp_path, monkeypatch):
    """``install(name, hooks_source, requires=[])``: a plugin distribution
    (package, dist-info, entry point) on sys.path, as pip would leave it."""
    site = tmp_path / "site"
    monkeypatch.syspath_prepend(str(site))
    installed = []

    def install(name, source, requires=()):
        package = site / f"warta_{name}"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "hooks.py").write_text(source)
        info = site / f"warta_plugin_{name}-0.3.0.dist-info"
        info.mkdir()
        lines = ["Metadata-Version: 2.1", f"Name: warta-plugin-{name}", "Version: 0.3.0"]
        (info / "METADATA").write_text("\n".join(lines + [f"Requires-Dist: {r}" for r in requires]) + "\n")
        (info / "entry_points.txt").write_text(f"[cms.plugins]\n{name} = warta_{name}.hooks\n")
        installed.append(f"warta_{name}")

    yield install
    for module in [m for m in sys.modules if any(m == p or m.startswith(p + ".") for p in installed)]:
        del sys.modules[module]


def test_plugin_for_another_api_is_refused_at_start_up(make_app, fake_site):
    fake_site("kuno", 'WARTA_REQUIRES = ">=0.5,<1"\n')
    with pytest.raises(PluginIncompatible) as refused:
        make_app(enabled=["kuno"])
    message = str(refused.value)
    assert message.startswith("Plugin 'kuno' supports the Warta plugin API >=0.5,<1")
    assert f"this Warta provides {API_VERSION}" in message and "take 'kuno' out of CMS_PLUGINS" in message


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "flask", "--app", "wsgi", "cms", "init"],
        ["-m", "flask", "--app", "cms", "run", "--port", "0"],
        ["-m", "gunicorn", "--bind", "127.0.0.1:0", "wsgi:app"],
    ],
    ids=["flask-cms", "flask-run", "gunicorn"],
)
def test_operator_sees_one_line_and_a_failed_exit_not_a_traceback(fake_site, tmp_path, command):
    fake_site("kuno", 'WARTA_REQUIRES = ">=0.5,<1"\n')
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(ROOT)]),
        "CMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "CMS_PLUGINS": "inbox,kuno",
        "SECRET_KEY": "uji",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        f"Error: Plugin 'kuno' supports the Warta plugin API >=0.5,<1, but this Warta provides {API_VERSION}: "
        f"install a release of 'kuno' made for API {API_VERSION}, or take 'kuno' out of CMS_PLUGINS."
    ]


def test_plugin_in_range_loads(make_app, fake_site):
    fake_site("kini", f'WARTA_REQUIRES = ">={API_VERSION},<99"\nWARTA_KIND = "hook-only"\n')
    app = make_app(enabled=["kini"])
    assert app.extensions["cms"].get_plugin("kini").WARTA_KIND == "hook-only"


def test_installed_but_disabled_plugin_out_of_range_does_not_stop_the_site(make_app, fake_site):
    fake_site("kuno", 'WARTA_REQUIRES = ">=0.5,<1"\n')
    assert make_app(enabled=["dip"]).extensions["cms"].get_plugin("kuno") is None


def test_requires_dist_on_warta_is_checked(make_app, fake_site):
    fake_site("masa_depan", "", requires=["warta>=99", "httpx>=0.27"])
    with pytest.raises(
        PluginIncompatible,
        match=r"Plugin 'masa_depan' \(warta-plugin-masa_depan 0.3.0\) requires warta>=99, but warta .* is installed: "
        r"install a release of warta-plugin-masa_depan made for warta .*, or take 'masa_depan' out of CMS_PLUGINS",
    ):
        make_app(enabled=["masa_depan"])


def test_channel_plugin_without_a_channel_is_refused(make_app, fake_site):
    fake_site("kosong", 'WARTA_KIND = "channel"\n')
    with pytest.raises(PluginIncompatible) as refused:
        make_app(enabled=["crosspost", "kosong"])
    assert str(refused.value) == (
        "Plugin 'kosong' is a channel plugin but does not implement cms_crosspost_channels "
        "(a function marked @hookimpl in warta_kosong.hooks): fix the plugin, or take 'kosong' out of CMS_PLUGINS."
    )


CHANNEL = """from cms.api import hookimpl

WARTA_KIND = "channel"


@hookimpl
def cms_crosspost_channels():
    return []
"""


def test_channel_plugin_without_crosspost_is_refused(make_app, fake_site):
    fake_site("kabar", CHANNEL)
    with pytest.raises(PluginIncompatible) as refused:
        make_app(enabled=["inbox", "kabar"])
    assert str(refused.value) == (
        "Plugin 'kabar' is a channel plugin, but the crosspost plugin that uses channels is not "
        "enabled: add crosspost to CMS_PLUGINS, or take 'kabar' out."
    )
    assert make_app(enabled=["kabar", "crosspost"]).extensions["cms"].get_plugin("kabar").WARTA_KIND == "channel"


def test_unreadable_range_or_kind_is_refused(make_app):
    broken = ModuleType("warta_rusak")
    broken.WARTA_REQUIRES = "versi dua"
    with pytest.raises(PluginIncompatible, match="'warta_rusak' declares WARTA_REQUIRES = 'versi dua'"):
        make_app(plugins=[broken])
    odd = ModuleType("warta_aneh")
    odd.WARTA_KIND = "widget"
    with pytest.raises(PluginIncompatible, match="'warta_aneh' declares WARTA_KIND = 'widget'"):
        make_app(plugins=[odd])


def test_deprecated_function_warns_once_and_still_works():
    from cms.api import deprecated

    @deprecated(since="1.2", removal="2.0", instead="cms.api.tanggal")
    def tanggal_lama(x):
        return x * 2

    with pytest.warns(
        DeprecationWarning,
        match=r"cms.api.tanggal_lama is deprecated since Warta plugin API 1.2 "
        r"and will be removed in 2.0; use cms.api.tanggal instead",
    ):
        assert tanggal_lama(2) == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert tanggal_lama(3) == 6  # once per process


def test_deprecated_name_in_cms_api_warns(monkeypatch):
    import cms.api

    monkeypatch.setitem(cms.api._DEPRECATED, "nama_lama_uji", (cms.api.plain_text, "1.2", "2.0", "cms.api.plain_text"))
    with pytest.warns(DeprecationWarning, match="cms.api.nama_lama_uji is deprecated"):
        from cms.api import nama_lama_uji
    assert nama_lama_uji is cms.api.plain_text
    with pytest.raises(ImportError):
        from cms.api import tidak_ada  # noqa: F401
