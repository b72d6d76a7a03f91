"""Refuse at start-up a plugin made for another Warta, or one that lacks
what its kind must provide — with its name and the reason, instead of an
AttributeError on the first request.

A plugin's hooks module may declare ``WARTA_REQUIRES`` (a version range of
the plugin API, ``cms.api.API_VERSION``, e.g. ``">=1.1,<2"``) and
``WARTA_KIND`` (``channel``, ``page`` or ``hook``); its distribution
may also require a ``warta`` version (``Requires-Dist: warta>=…``).
"""

from __future__ import annotations

from importlib import metadata
from types import ModuleType
from typing import Any

import click
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from cms.api_version import API_VERSION

# The hooks each kind of plugin must implement.
KIND_HOOKS: dict[str, tuple[str, ...]] = {
    "channel": ("cms_crosspost_channels",),
    "page": ("cms_blueprints",),
    "hook": (),
    "hook-only": (),  # the earlier name, still accepted
}


class PluginRefused(click.ClickException, RuntimeError):
    """A plugin that stops Warta from starting.

    A ClickException, so ``flask run`` and ``flask cms …`` print the message
    as one ``Error:`` line and exit 1 instead of a traceback (whatever the
    ``--app``); a RuntimeError, so gunicorn prints it the same way.
    """


class PluginIncompatible(PluginRefused):
    """A plugin this Warta must not load; the message names it and says why."""


def check(name: str, module: Any, dist: metadata.Distribution | None = None) -> None:
    _check_api_range(name, module)
    if dist is not None:
        _check_requires_dist(name, dist)
    _check_kind(name, module)


def _check_api_range(name: str, module: Any) -> None:
    declared = getattr(module, "WARTA_REQUIRES", None)
    if declared is None:
        return
    try:
        supported = SpecifierSet(str(declared))
    except InvalidSpecifier:
        raise PluginIncompatible(
            f"Plugin '{name}' declares WARTA_REQUIRES = {declared!r}, which is not a version range "
            f"(write e.g. '>=1.1,<2'), or take '{name}' out of CMS_PLUGINS."
        ) from None
    if not supported.contains(API_VERSION, prereleases=True):
        raise PluginIncompatible(
            f"Plugin '{name}' supports the Warta plugin API {declared}, but this Warta provides "
            f"{API_VERSION}: install a release of '{name}' made for API {API_VERSION}, "
            f"or take '{name}' out of CMS_PLUGINS."
        )


def _check_requires_dist(name: str, dist: metadata.Distribution) -> None:
    for line in dist.requires or []:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(requirement.name) != "warta" or not requirement.specifier:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        try:
            installed = metadata.version("warta")
        except metadata.PackageNotFoundError:
            return  # a checkout that is not installed: nothing to compare
        if not requirement.specifier.contains(installed, prereleases=True):
            raise PluginIncompatible(
                f"Plugin '{name}' ({dist.metadata['Name']} {dist.version}) requires warta{requirement.specifier}, "
                f"but warta {installed} is installed: install a release of {dist.metadata['Name']} "
                f"made for warta {installed}, or take '{name}' out of CMS_PLUGINS."
            )


def _check_kind(name: str, module: Any) -> None:
    kind = getattr(module, "WARTA_KIND", None)
    if kind is None:
        return
    if kind not in KIND_HOOKS:
        kinds = ", ".join(repr(k) for k in KIND_HOOKS if k != "hook-only")
        raise PluginIncompatible(
            f"Plugin '{name}' declares WARTA_KIND = {kind!r}; use one of {kinds}, or take '{name}' out of CMS_PLUGINS."
        )
    where = module.__name__ if isinstance(module, ModuleType) else type(module).__name__
    for hook_name in KIND_HOOKS[kind]:
        impl = getattr(module, hook_name, None)
        if impl is None or not hasattr(impl, "cms_impl"):
            raise PluginIncompatible(
                f"Plugin '{name}' is a {kind} plugin but does not implement {hook_name} "
                f"(a function marked @hookimpl in {where}): fix the plugin, or take '{name}' out of CMS_PLUGINS."
            )


# The plugin that calls cms_crosspost_channels; a channel plugin without it does nothing.
CROSSPOST_MODULE = "plugins.crosspost.hooks"


def check_channel_host(pm: Any) -> None:
    """Refuse a channel plugin enabled while crosspost is not: its channel
    would silently never appear on the accounts page."""
    plugins = pm.list_name_plugin()  # (name, plugin) pairs; a test's plugin may be unhashable
    if any(getattr(plugin, "__name__", None) == CROSSPOST_MODULE for _, plugin in plugins):
        return
    for name, plugin in plugins:
        if getattr(plugin, "WARTA_KIND", None) == "channel":
            raise PluginIncompatible(
                f"Plugin '{name}' is a channel plugin, but the crosspost plugin that uses channels is not "
                f"enabled: add crosspost to CMS_PLUGINS, or take '{name}' out."
            )
