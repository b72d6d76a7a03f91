"""The plugin manager: one per app, kept in ``app.extensions["cms"]``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from importlib import metadata
from typing import Any

import pluggy
from flask import current_app, url_for
from markupsafe import Markup
from werkzeug.routing import BuildError

from cms import hookspecs, plugin_compat, policy

ENTRY_POINT_GROUP = "cms.plugins"
log = logging.getLogger(__name__)

# Core modules that implement hooks themselves (dogfooding the plugin API).
DEFAULT_PLUGINS = ("cms.core_hooks", "cms.newsroom.hooks", "cms.feeds.hooks")


class PluginNotInstalled(plugin_compat.PluginRefused):
    pass


def build_manager(app, extra: Iterable[Any] = ()) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("cms")
    pm.add_hookspecs(hookspecs)
    # Historic: each plugin adds the hooks it offers as it registers.
    pm.hook.cms_add_hookspecs.call_historic(kwargs={"pm": pm})
    # pluggy calls the last registered first.  Core registers first, so it
    # runs last; plugins register in reverse, so they run in the order of
    # CMS_PLUGINS (and ``extra``, for tests, before them, in its order).
    for modname in DEFAULT_PLUGINS:
        module = __import__(modname, fromlist=["_"])
        pm.register(module, name=modname)
    if not app.config.get("CMS_SAFE_MODE"):
        for name in reversed(list(app.config.get("CMS_PLUGINS") or [])):
            _load_entry_point(pm, name)
    for plugin in reversed(list(extra)):
        if pm.is_registered(plugin):
            continue
        plugin_compat.check(getattr(plugin, "__name__", type(plugin).__name__), plugin)
        pm.register(plugin, name=getattr(plugin, "__name__", None))
    if not app.config.get("CMS_SAFE_MODE"):
        add_dormant_hookspecs(pm)
    plugin_compat.check_channel_host(pm)
    pm.check_pending()
    if app.config.get("CMS_TRACE_HOOKS"):
        pm.trace.root.setwriter(log.debug)
        pm.enable_tracing()
    return pm


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def add_dormant_hookspecs(pm: pluggy.PluginManager) -> None:
    """Add the hooks offered by installed plugins that are not registered.

    Another plugin may implement such a hook (crosspost shares what the dip
    plugin publishes, with the dip plugin disabled): its implementation is
    checked against the spec and never called, and start-up goes on.  A hook
    nobody offers still fails ``check_pending`` (a misspelt name).
    """
    for name, ep in _entry_points().items():
        if pm.get_plugin(name) is not None:
            continue
        try:
            module = ep.load()
        except Exception:  # noqa: BLE001 - a broken disabled plugin must not stop the others
            log.exception("disabled plugin %s cannot be imported; the hooks it offers are unknown", name)
            continue
        offer = getattr(module, "cms_add_hookspecs", None)
        if offer is not None and hasattr(offer, "cms_impl") and not pm.is_registered(module):
            offer(pm=pm)  # a registered implementation that does not fit the spec fails here


def spec_manager() -> pluggy.PluginManager:
    """A manager holding only specs: core's and those of every installed
    plugin, enabled or not.  For docs and checks; nothing is registered."""
    pm = pluggy.PluginManager("cms")
    pm.add_hookspecs(hookspecs)
    add_dormant_hookspecs(pm)
    return pm


def hook_specs(pm: pluggy.PluginManager) -> list[tuple[str, Any]]:
    """``(name, spec function)`` of every hook ``pm`` knows: core's in the
    order of ``cms/hookspecs.py``, then each plugin's, by module."""
    specs = [
        (name, caller.spec)
        for name, caller in vars(pm.hook).items()
        if isinstance(caller, pluggy.HookCaller) and caller.spec is not None
    ]

    def place(item):
        module = item[1].namespace
        if module is hookspecs:
            return (0, "", list(vars(hookspecs)).index(item[0]))
        return (1, module.__name__, list(vars(module)).index(item[0]))

    return [(name, spec.function) for name, spec in sorted(specs, key=place)]


def _load_entry_point(pm: pluggy.PluginManager, name: str) -> None:
    if pm.get_plugin(name) is not None:
        return
    ep = _entry_points().get(name)
    if ep is None:
        raise PluginNotInstalled(
            f"Plugin '{name}' is enabled in CMS_PLUGINS but not installed "
            f"(no '{ENTRY_POINT_GROUP}' entry point named '{name}'): install the package that provides it, "
            f"or take '{name}' out of CMS_PLUGINS."
        )
    module = ep.load()
    plugin_compat.check(name, module, ep.dist)  # PluginIncompatible names the plugin and the reason
    pm.register(module, name=name)


def manager(app=None) -> pluggy.PluginManager:
    """The app's pluggy manager (the current app's unless ``app`` is given)."""
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


def plugin_label(pm: pluggy.PluginManager, name: str) -> str:
    """A readable plugin name: the registered name, or the class of an
    unnamed plugin object (pluggy names those by ``id()``)."""
    if not name.isdigit():
        return name
    plugin = pm.get_plugin(name)
    kind = plugin if isinstance(plugin, type) else type(plugin)
    return getattr(plugin, "__name__", None) or f"{kind.__module__}.{kind.__qualname__}"


def results(hook_name: str, app=None, **kwargs) -> Iterator[tuple[str, Any]]:
    """``(plugin, result)`` of each implementation of a hook whose results a
    page shows.  One that raises is logged with its plugin's name and left
    out, so one plugin's bug never takes the page (or the error page) down."""
    pm = manager(app)
    for impl in reversed(getattr(pm.hook, hook_name).get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue
        name = plugin_label(pm, impl.plugin_name)
        try:
            result = impl.function(*[kwargs[arg] for arg in impl.argnames])
        except Exception as exc:  # noqa: BLE001 - a plugin's fault stays its own
            _recover(exc)
            log.exception(
                "plugin %s failed in %s (%s: %s); its contribution is left out",
                name,
                hook_name,
                type(exc).__name__,
                exc,
            )
            continue
        yield name, result


def _recover(exc: Exception) -> None:
    """A database error aborts the transaction (on PostgreSQL every later
    query of the page would fail too): roll it back."""
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, SQLAlchemyError):
        from cms.extensions import db

        db.session.rollback()


def slot(name: str, **kwargs) -> Markup:
    """Jinja helper: render a ``cms_tpl_*`` hook and join its results."""
    parts = []
    for plugin, result in results(name, **kwargs):
        if not result:
            continue
        try:
            parts.append(Markup(result))
        except Exception:  # noqa: BLE001 - e.g. an object whose __html__ raises
            log.exception("plugin %s returned unusable markup from %s; left out", plugin, name)
    return Markup("\n").join(parts)


def nav_items(hook_name: str, **kwargs) -> list[hookspecs.NavItem]:
    """The items of a navigation hook, sorted; an item that is not a
    ``NavItem``, whose link cannot be built (a missing endpoint, missing
    URL values) or whose permission nobody declares is logged with its plugin's name and left out."""
    items: list[hookspecs.NavItem] = []
    for plugin, result in results(hook_name, **kwargs):
        try:
            found = list(result or [])
        except TypeError:
            log.error("plugin %s returned %r from %s, not a list of NavItem; left out", plugin, result, hook_name)
            continue
        items.extend(item for item in found if _usable_nav_item(item, plugin, hook_name))
    return sorted(items, key=lambda item: (item.order, item.label))


_NAV_CHECKED = "cms_nav_checked"


def _usable_nav_item(item: Any, plugin: str, hook_name: str) -> bool:
    if not (
        isinstance(item, hookspecs.NavItem)
        and isinstance(item.label, str)
        and isinstance(item.endpoint, str)
        and isinstance(item.order, (int, float))
        and isinstance(item.url_kwargs, dict)
    ):
        log.error("plugin %s: %s item %r is not a valid NavItem; left out", plugin, hook_name, item)
        return False
    if item.permission and not (isinstance(item.permission, str) and policy.is_declared(item.permission)):
        # The template would call can() with it on every page: a typo must not take them all down.
        log.error(
            "plugin %s: %s item %r needs permission %r, which no plugin declares; left out",
            plugin,
            hook_name,
            item.label,
            item.permission,
        )
        return False
    # The URL map is fixed once the app is built, so whether an item's link
    # builds is remembered per app: pages pay for url_for once per item.
    checked = current_app.extensions.setdefault(_NAV_CHECKED, {})
    key = (item.endpoint, repr(sorted(item.url_kwargs.items())))
    if key in checked:
        return checked[key]
    try:
        url_for(item.endpoint, **item.url_kwargs)
        usable = True
    except (BuildError, ValueError, TypeError) as exc:  # no such endpoint, bad or missing URL values
        log.error(
            "plugin %s: %s item %r links to %s, which cannot be built (%s); left out",
            plugin,
            hook_name,
            item.label,
            item.endpoint,
            exc,
        )
        usable = False
    if not item.endpoint.startswith(".") and len(checked) < 4096:  # "." depends on the request
        checked[key] = usable
    return usable


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
        if name in DEFAULT_PLUGINS or name.startswith("cms."):  # core modules (the cache registers at install)
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
