"""The plugin manager: one per app, kept in ``app.extensions["cms"]``."""

from __future__ import annotations

import logging
from importlib import metadata
from typing import Any, Iterable

import pluggy
from flask import current_app
from markupsafe import Markup

from cms import hookspecs

ENTRY_POINT_GROUP = "cms.plugins"
log = logging.getLogger(__name__)

# Core modules that implement hooks themselves (dogfooding the plugin API).
DEFAULT_PLUGINS = ("cms.core_hooks", "cms.newsroom_hooks", "cms.feeds_hooks")


class PluginNotInstalled(RuntimeError):
    pass


def build_manager(app, extra: Iterable[Any] = ()) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("cms")
    pm.add_hookspecs(hookspecs)
    for modname in DEFAULT_PLUGINS:
        module = __import__(modname, fromlist=["_"])
        pm.register(module, name=modname)
    if not app.config.get("CMS_SAFE_MODE"):
        for name in app.config.get("CMS_PLUGINS") or []:
            _load_entry_point(pm, name)
    for plugin in extra:
        if pm.is_registered(plugin):
            continue
        pm.register(plugin, name=getattr(plugin, "__name__", None))
    pm.check_pending()
    if app.config.get("CMS_TRACE_HOOKS"):
        pm.trace.root.setwriter(log.debug)
        pm.enable_tracing()
    return pm


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def _load_entry_point(pm: pluggy.PluginManager, name: str) -> None:
    if pm.get_plugin(name) is not None:
        return
    ep = _entry_points().get(name)
    if ep is None:
        raise PluginNotInstalled(
            f"Plugin '{name}' is enabled in CMS_PLUGINS but not installed "
            f"(no '{ENTRY_POINT_GROUP}' entry point named '{name}')."
        )
    pm.register(ep.load(), name=name)


def manager(app=None) -> pluggy.PluginManager:
    return (app or current_app).extensions["cms"]


def hook(app=None):
    """``hook().cms_post_published(post=post)`` — keyword arguments only."""
    return manager(app).hook


def notify(hook_name: str, **kwargs) -> None:
    """Fire an event hook; a failing plugin is logged and never blocks the caller."""
    caller = getattr(hook(), hook_name)
    for impl in reversed(caller.get_hookimpls()):
        try:
            impl.function(*[kwargs[arg] for arg in impl.argnames])
        except Exception:  # noqa: BLE001 - plugins must not break core actions
            log.exception("plugin %s failed in %s", impl.plugin_name, hook_name)


def slot(name: str, **kwargs) -> Markup:
    """Jinja helper: render a ``cms_tpl_*`` hook and join its results."""
    results = getattr(hook(), name)(**kwargs)
    return Markup("\n").join(Markup(r) for r in results if r)


def nav_items(hook_name: str, **kwargs) -> list[hookspecs.NavItem]:
    items: list[hookspecs.NavItem] = []
    for result in getattr(hook(), hook_name)(**kwargs):
        items.extend(result or [])
    return sorted(items, key=lambda item: (item.order, item.label))


def describe_plugins(pm: pluggy.PluginManager, enabled: list[str] | None = None) -> list[dict]:
    """Name, version, enabled and hooks of every installed or registered plugin."""
    enabled = list(enabled or [])
    eps = _entry_points()
    rows: dict[str, dict] = {}
    for name, ep in eps.items():
        rows[name] = {
            "name": name,
            "version": ep.dist.version if ep.dist else "",
            "enabled": name in enabled and pm.get_plugin(name) is not None,
            "hooks": _declared_hooks(ep),
        }
    for name, plugin in pm.list_name_plugin():
        if name in DEFAULT_PLUGINS:
            continue
        row = rows.setdefault(
            name,
            {"name": name, "version": getattr(plugin, "__version__", ""), "enabled": True, "hooks": []},
        )
        row["enabled"] = True
        row["hooks"] = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
    return sorted(rows.values(), key=lambda r: r["name"])


def _declared_hooks(ep: metadata.EntryPoint) -> list[str]:
    """Hooks a (possibly disabled) plugin implements, without registering it."""
    try:
        module = ep.load()
    except Exception:  # noqa: BLE001 - a broken plugin still gets listed
        return []
    return sorted(n for n in dir(module) if n.startswith("cms_") and hasattr(getattr(module, n), "cms_impl"))
