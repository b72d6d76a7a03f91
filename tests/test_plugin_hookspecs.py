"""Hooks a plugin offers to other plugins live in that plugin and are added
through ``cms_add_hookspecs``; a disabled plugin's hooks stay known."""

from __future__ import annotations

import pytest
from pluggy import PluginValidationError

from cms import hookimpl, hookspecs
from cms.hookspecs import hookspec
from cms.plugins import hook, manager


class OfferedSpecs:
    @hookspec(firstresult=True)
    def cms_test_offered(self, x: int) -> int:
        """A hook offered by the test plugin below."""


class Offerer:
    @hookimpl
    def cms_add_hookspecs(self, pm):
        pm.add_hookspecs(OfferedSpecs)


class Implementer:
    @hookimpl
    def cms_test_offered(self, x):
        return x + 1


@pytest.mark.parametrize("order", ["implementer first", "offerer first"])
def test_hook_cms_add_hookspecs(make_app, order):
    plugins = [Implementer(), Offerer()]
    if order == "offerer first":
        plugins.reverse()
    app = make_app(plugins=plugins)
    with app.app_context():
        assert hook().cms_test_offered(x=2) == 3  # the offered spec (firstresult) applies


def test_an_implementation_of_an_unknown_plugin_hook_fails_start_up(make_app):
    with pytest.raises(PluginValidationError):
        make_app(plugins=[Implementer()])  # nobody offers cms_test_offered


def test_plugin_hooks_live_in_their_plugin(app):
    from plugins.dip import hookspecs as dip_specs
    from plugins.inbox import hookspecs as inbox_specs

    for name, owner in (
        ("cms_dip_add_document", inbox_specs),
        ("cms_dip_suggest", inbox_specs),
        ("cms_serta_merta_published", dip_specs),
    ):
        assert not hasattr(hookspecs, name)
        assert getattr(manager().hook, name).spec.namespace is owner


def test_a_disabled_plugins_hooks_stay_known(make_app):
    """crosspost implements the dip plugin's cms_serta_merta_published: with
    the dip plugin off it still starts, and nothing fires the hook."""
    app = make_app(enabled=["crosspost"])
    caller = manager(app).hook.cms_serta_merta_published
    assert caller.spec is not None
    assert [impl.plugin_name for impl in caller.get_hookimpls()] == ["crosspost"]
    # the inbox's hooks, implemented by the dip plugin, keep their firstresult spec
    app = make_app(enabled=["dip"])
    assert manager(app).hook.cms_dip_add_document.spec.opts["firstresult"] is True


def test_an_implementation_of_a_disabled_plugins_hook_is_still_checked(make_app):
    class WrongSignature:
        @hookimpl
        def cms_dip_suggest(self, text, limit, extra):
            return []

    with pytest.raises(PluginValidationError):
        make_app(plugins=[WrongSignature()])  # inbox disabled: its spec still checks this
