"""Contract meta-tests: every hook is typed, documented and tested."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

import pytest

from cms.plugins import ENTRY_POINT_GROUP, hook_specs, spec_manager

ROOT = Path(__file__).resolve().parent.parent
# Core's specs and those the installed plugins offer (their hookspecs modules).
SPECS = dict(hook_specs(spec_manager()))


def all_hook_names() -> list[str]:
    return sorted(SPECS)


@pytest.mark.parametrize("name", all_hook_names())
def test_hook_is_prefixed_typed_and_has_full_docstring(name):
    func = SPECS[name]
    # A plugin's own hooks are named cms_<plugin>_… (docs/contributing.md).
    assert name.startswith("cms_")
    sig = inspect.signature(func)
    doc = func.__doc__ or ""
    assert sig.return_annotation is not inspect.Signature.empty, f"{name} has no return type"
    assert ":returns:" in doc, f"{name} docstring lacks :returns:"
    for param in sig.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, f"{name}({param.name}) untyped"
        assert f":param {param.name}:" in doc, f"{name} docstring lacks :param {param.name}:"
    if func.cms_spec.get("firstresult"):
        assert "first non-None" in doc


@pytest.mark.parametrize("name", all_hook_names())
def test_hook_is_rendered_in_the_reference_docs(name):
    """The reference pages render whole hookspec modules (``::: module``);
    tests/test_docs_build.py checks each hook's anchor in the built site."""
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "reference").glob("*.md"))
    module = SPECS[name].__module__
    assert re.search(rf"^::: {re.escape(module)}$", pages, re.M), f"docs/reference/ lacks '::: {module}' ({name})"


@pytest.mark.parametrize("name", all_hook_names())
def test_hook_has_a_test(name):
    pattern = re.compile(rf"def test_hook_{name}\b")
    found = [p for p in (ROOT / "tests").rglob("test_*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert found, f"no test named test_hook_{name} under tests/"


def test_entry_point_group_matches_pyproject():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    groups = data["project"]["entry-points"]
    assert ENTRY_POINT_GROUP in groups
    assert set(groups[ENTRY_POINT_GROUP]) >= {"inbox", "dip", "crosspost"}


def test_check_pending_passes_with_all_bundled_plugins(app):
    app.extensions["cms"].check_pending()  # raises on a misspelt hookimpl


def test_misspelt_hookimpl_fails_loudly(make_app):
    from pluggy import PluginValidationError

    from cms import hookimpl

    class Typo:
        @hookimpl
        def cms_post_publishd(self, post):  # noqa: D401 - deliberately misspelt
            pass

    with pytest.raises(PluginValidationError):
        make_app(plugins=[Typo()])


def test_plugin_names_are_consistent():
    """One name per plugin: entry point, blueprint, template folder, branch label."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for name, target in data["project"]["entry-points"][ENTRY_POINT_GROUP].items():
        assert target == f"plugins.{name}.hooks"
        assert (ROOT / "plugins" / name / "templates" / name).is_dir()
        sources = "".join(p.read_text() for p in (ROOT / "plugins" / name).rglob("*.py"))
        assert f'Blueprint(\n    "{name}"' in sources or f'Blueprint("{name}"' in sources
