"""The order hooks run in (docs/plugin-lifecycle.md#hook-order).

Two throwaway plugins, ``alpha`` and ``beta``, are installed for real: a
module and a ``*.dist-info`` with a ``cms.plugins`` entry point on
``sys.path``, so they load exactly as a pip-installed plugin does.  ``alpha``
offers a firstresult hook, ``order_answer``, that both implement.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

PLUGIN = '''
from cms.api import hookimpl, hookspec


class Specs:
    @hookspec(firstresult=True)
    def cms_order_answer(self) -> str | None:
        """A test hook: the first non-None answer wins.

        :returns: the plugin's name.
        """


@hookimpl
def cms_add_hookspecs(pm):
    if {offers}:
        pm.add_hookspecs(Specs)


@hookimpl{mark}
def cms_order_answer():
    return "{name}"


@hookimpl{mark}
def cms_tpl_home_top():
    return "<p>from {name}</p>"


@hookimpl
def cms_periodic_tasks():
    return []
'''


def install(tmp_path, name: str, *, offers: bool = False, mark: str = "") -> None:
    module = f"order_{name}"
    (tmp_path / f"{module}.py").write_text(PLUGIN.format(name=name, offers=offers, mark=mark), encoding="utf-8")
    dist = tmp_path / f"warta_plugin_{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: warta-plugin-{name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[cms.plugins]\n{name} = {module}\n")


@pytest.fixture
def plugins_dir(tmp_path, monkeypatch):
    where = tmp_path / "site-packages"
    where.mkdir()
    monkeypatch.syspath_prepend(str(where))
    yield where
    for name in ("order_alpha", "order_beta"):
        sys.modules.pop(name, None)


def answers(app) -> tuple[str, list[str]]:
    """(the firstresult answer, the home_top slot's parts in call order)."""
    with app.app_context():
        hook = app.extensions["cms"].hook
        return hook.cms_order_answer(), [p for p in hook.cms_tpl_home_top() if p]


@pytest.mark.parametrize(
    ("enabled", "first"),
    [(["alpha", "beta"], "alpha"), (["beta", "alpha"], "beta")],
)
def test_implementations_run_in_the_order_of_cms_plugins(make_app, plugins_dir, enabled, first):
    install(plugins_dir, "alpha", offers=True)
    install(plugins_dir, "beta")
    app = make_app(enabled=enabled)
    answer, slot = answers(app)
    assert answer == first  # firstresult: the first plugin in CMS_PLUGINS answers
    assert slot == [f"<p>from {name}</p>" for name in enabled]  # list: in CMS_PLUGINS order


def test_the_home_page_joins_slots_in_the_order_of_cms_plugins(make_app, plugins_dir):
    install(plugins_dir, "alpha", offers=True)
    install(plugins_dir, "beta")
    html = make_app(enabled=["beta", "alpha"]).test_client().get("/").get_data(as_text=True)
    assert html.index("<p>from beta</p>") < html.index("<p>from alpha</p>")


def test_trylast_moves_an_implementation_after_the_others(make_app, plugins_dir):
    install(plugins_dir, "alpha", offers=True, mark="(trylast=True)")
    install(plugins_dir, "beta")
    answer, slot = answers(make_app(enabled=["alpha", "beta"]))
    assert answer == "beta"
    assert slot == ["<p>from beta</p>", "<p>from alpha</p>"]


def test_tryfirst_moves_an_implementation_before_the_others(make_app, plugins_dir):
    install(plugins_dir, "alpha", offers=True)
    install(plugins_dir, "beta", mark="(tryfirst=True)")
    answer, slot = answers(make_app(enabled=["alpha", "beta"]))
    assert answer == "beta"
    assert slot == ["<p>from beta</p>", "<p>from alpha</p>"]


def test_core_runs_after_every_plugin(make_app, plugins_dir):
    install(plugins_dir, "alpha", offers=True)
    install(plugins_dir, "beta")
    app = make_app(enabled=["alpha", "beta"])
    callers = [impl.plugin_name for impl in reversed(app.extensions["cms"].hook.cms_periodic_tasks.get_hookimpls())]
    assert callers[:2] == ["alpha", "beta"]
    assert all(name.startswith("cms.") for name in callers[2:]) and callers[2:]


def test_the_plugin_doc_states_the_rule_this_file_tests():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "plugin-lifecycle.md").read_text(encoding="utf-8")
    assert "tests/test_hook_order.py" in doc
    assert "in the order of `CMS_PLUGINS`" in doc
