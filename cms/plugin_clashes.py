"""Start-up refuses a plugin that takes what belongs to another.

Hook results are merged into name-keyed tables (blueprints, URL rules, CLI
commands, config defaults, template names, periodic tasks, crosspost
channels).  Merged blindly, the plugin called first wins silently: a plugin
channel keyed ``mastodon`` would receive the bundled channel's decrypted
tokens, a plugin route would shadow a core page.  Each table is filled
through ``Claims`` instead, which stops ``create_app`` with ``PluginClash``
naming both claimants.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from importlib import metadata
from typing import Any

import click
import pluggy
from werkzeug.routing import AnyConverter

from cms.plugins import plugin_label

CORE = "core"
FLASK_BUILTIN_COMMANDS = ("run", "shell", "routes")


class PluginClash(click.ClickException):
    """Two plugins (or a plugin and core) claim the same name.

    A ``ClickException`` so that ``flask …`` prints the message and exits
    non-zero instead of showing a traceback."""

    exit_code = 1


class Claims:
    """Owners of the keys of one kind; a second owner of a key is refused."""

    def __init__(self, what: str, owners: dict[Hashable, str] | None = None):
        self.what = what
        self.owners: dict[Hashable, str] = dict(owners or {})

    def claim(self, key: Hashable, owner: str, shown: str | None = None) -> None:
        prior = self.owners.setdefault(key, owner)
        if prior != owner:
            raise PluginClash(
                f"Plugin clash: {self.what} {shown or key!r} is provided by both "
                f"'{prior}' and '{owner}'. Disable one of them in CMS_PLUGINS or rename it."
            )


def owner_label(pm: pluggy.PluginManager, name: str) -> str:
    """The plugin's readable name; the core hook modules (``cms.*``) are "core"."""
    return CORE if name.startswith("cms.") else plugin_label(pm, name)


def contributions(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """``(plugin label, result)`` for each implementation of a data hook, in
    the order pluggy calls them, so a merged result can say who gave what."""
    caller = getattr(pm.hook, hook_name)
    for impl in reversed(caller.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue
        yield owner_label(pm, impl.plugin_name), impl.function(*[kwargs[arg] for arg in impl.argnames])


def as_list(result: Any) -> list:
    """A hook's answer as a list: ``None`` is empty, one item a list of one."""
    if result is None:
        return []
    return list(result) if isinstance(result, (list, tuple, set, frozenset)) else [result]


# ------------------------------------------------------------------ checks


def config_defaults(pm: pluggy.PluginManager) -> dict[str, Any]:
    """The plugins' config defaults merged; a key declared twice is refused."""
    claims, merged = Claims("config key"), dict[str, Any]()
    for owner, defaults in contributions(pm, "cms_config_defaults"):
        for key, value in (defaults or {}).items():
            claims.claim(key, owner)
            merged.setdefault(key, value)
    return merged


def blueprints(app, pm: pluggy.PluginManager) -> list[tuple[str, Any]]:
    """``(owner, blueprint)`` to register; a blueprint name taken twice is refused."""
    claims = Claims("blueprint", {name: CORE for name in app.blueprints})
    found = []
    for owner, result in contributions(pm, "cms_blueprints"):
        for bp in as_list(result):
            claims.claim(bp.name, owner)
            found.append((owner, bp))
    return found


def template_names(app, pm: pluggy.PluginManager) -> dict[str, Any]:
    """Names for ``jinja_env.globals``; a plugin cannot replace core's
    (``can``, ``url_for`` …) or another plugin's."""
    claims, merged = Claims("template name", dict.fromkeys(app.jinja_env.globals, CORE)), {}
    for owner, extra in contributions(pm, "cms_template_context"):
        for key, value in (extra or {}).items():
            claims.claim(key, owner)
            merged[key] = value
    return merged


def cli_commands(app, pm: pluggy.PluginManager) -> list[Any]:
    """Commands for ``app.cli``; one whose name is taken (by core, Flask or a
    ``flask.commands`` extension, or another plugin) would be unreachable or
    would hide the other, so it is refused."""
    taken = dict.fromkeys(app.cli.commands, CORE)
    taken.update(dict.fromkeys(FLASK_BUILTIN_COMMANDS, "Flask"))
    for ep in metadata.entry_points(group="flask.commands"):
        taken.setdefault(ep.name, ep.dist.name if ep.dist else ep.value)
    claims, found = Claims("CLI command", taken), []
    for owner, commands in contributions(pm, "cms_cli_commands"):
        for command in commands or []:
            claims.claim(command.name, owner)
            found.append(command)
    return found


def periodic_tasks(pm: pluggy.PluginManager) -> None:
    """The worker schedules tasks by name; a second task of a name would replace the first."""
    claims = Claims("periodic task")
    for owner, tasks in contributions(pm, "cms_periodic_tasks"):
        for task in tasks or []:
            claims.claim(task.name, owner)


_VARIABLE = re.compile(r"<(?:([^<>:(]+)(\([^<>]*\))?:)?[^<>:]+>")


def _converter(app, name: str | None, arguments: str | None) -> str:
    """The converter class a variable uses: ``<s>``, ``<string:s>`` and
    ``<string(length=3):s>`` all match by ``UnicodeConverter`` and one would
    silently shadow the other; arguments only narrow what matches.  ``any``
    is the exception: its arguments are the words it matches."""
    cls = app.url_map.converters.get(name or "default")
    if cls is None:
        return f"{name}{arguments or ''}"
    return cls.__qualname__ + (arguments or "" if issubclass(cls, AnyConverter) else "")


def routes(app, owners: dict[str, str]) -> None:
    """No two owners answer the same URL and method.  ``owners`` maps a
    blueprint name to its plugin; endpoints outside a plugin's blueprints are core."""
    claims = Claims("URL")
    for rule in app.url_map.iter_rules():
        shape = _VARIABLE.sub(lambda m: f"<{_converter(app, m.group(1), m.group(2))}>", rule.rule)
        blueprint = rule.endpoint.rpartition(".")[0]
        owner = owners.get(blueprint, CORE)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            claims.claim((rule.subdomain, rule.host, shape, method), f"{owner}", f"{method} {rule.rule}")
