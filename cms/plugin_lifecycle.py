"""Plugins over time: enabling, disabling and removing one that has tables.

Disabling a plugin (taking it out of ``CMS_PLUGINS``) keeps its tables, its
files and its row in ``alembic_version``; Alembic still has to know its
revisions, so every *installed* plugin's revision folder is searched, and
``cms init`` upgrades only core and the enabled plugins.  ``flask cms plugin
remove NAME`` is the deliberate, separate step that deletes the data.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from cms import lazy_migrate
from cms.plugins import DEFAULT_PLUGINS, _entry_points

CORE_NAMES = frozenset({"cms", "core", *DEFAULT_PLUGINS})


class PluginStateError(RuntimeError):
    """A user-facing reason why migrating or removing a plugin cannot go on."""


PluginRemovalError = PluginStateError


def _dirs_of(module) -> list[str]:
    """What a plugin module's own ``cms_migration_dirs`` returns, without registering it."""
    impl = getattr(module, "cms_migration_dirs", None)
    if impl is None or not hasattr(impl, "cms_impl"):
        return []
    found = impl()
    return [str(found)] if found else []


def disabled_migration_dirs(app=None) -> dict[str, list[str]]:
    """Revision folders of installed plugins that this app has not loaded."""
    app = app or current_app
    pm = app.extensions["cms"]
    dirs: dict[str, list[str]] = {}
    for name, ep in sorted(_entry_points().items()):
        try:
            module = ep.load()
            if pm.get_plugin(name) is not None or pm.is_registered(module):
                continue
            found = _dirs_of(module)
        except Exception as exc:  # noqa: BLE001 - a broken disabled plugin must not stop migrations
            current_app.logger.warning("plugin %s: cannot read its migrations (%s)", name, exc)
            continue
        if found:
            dirs[name] = found
    return dirs


def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def _inside(path: str, folders: list[str]) -> bool:
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(Path(folder).resolve()) for folder in folders)


def enabled_heads() -> list[str]:
    """Heads of core and of the enabled plugins; disabled plugins stay where they are."""
    disabled = [folder for folders in disabled_migration_dirs().values() for folder in folders]
    script = _script()
    return [head for head in script.get_heads() if not _inside(script.get_revision(head).path, disabled)]


def upgrade_enabled() -> list[str]:
    from alembic.util import CommandError
    from flask_migrate import upgrade

    script = _script()
    for rev in _current_heads():
        try:
            script.get_revision(rev)
        except CommandError:
            raise PluginStateError(
                f"the database is at revision '{rev}', which no installed plugin provides: reinstall "
                "the plugin it belongs to (disabled is enough) and, to drop its data, run "
                "'flask cms plugin remove NAME'."
            ) from None
    heads = enabled_heads()
    for head in heads:
        upgrade(revision=head)
    return heads


def _branch_labels(folders: list[str]) -> list[str]:
    labels = []
    for rev in _script().walk_revisions():
        if rev.branch_labels and _inside(rev.path, folders):
            labels.extend(sorted(rev.branch_labels))
    return labels


def _current_heads() -> tuple[str, ...]:
    from alembic.migration import MigrationContext

    from cms.extensions import db

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_heads()


def _applied_revisions() -> set[str]:
    heads = _current_heads()
    script = _script()
    return {rev.revision for rev in script.iterate_revisions(heads, "base")} if heads else set()


def _data_dirs(name: str) -> list[Path]:
    """Folders a plugin owns by convention: ``private_dir(NAME)`` and ``media/NAME``."""
    cfg = current_app.config
    private = Path(cfg.get("CMS_PRIVATE_DIR") or Path(current_app.instance_path) / "private")
    media = Path(cfg.get("CMS_MEDIA_DIR") or Path(current_app.instance_path) / "media")
    return [folder for folder in (private / name, media / name) if folder.is_dir()]


def removal_plan(name: str) -> dict:
    """What ``remove`` would do, or why it must not."""
    if name in CORE_NAMES:
        raise PluginRemovalError(f"'{name}' is part of core, not a plugin that can be removed.")
    if name not in _entry_points():
        raise PluginRemovalError(f"plugin '{name}' is not installed (no 'cms.plugins' entry point).")
    enabled = list(current_app.config.get("CMS_PLUGINS") or [])
    if name in enabled or current_app.extensions["cms"].get_plugin(name) is not None:
        raise PluginRemovalError(
            f"plugin '{name}' is still enabled: remove it from CMS_PLUGINS, "
            "restart the site and the worker, then run this again."
        )
    folders = disabled_migration_dirs().get(name, [])
    applied = _applied_revisions()
    script = _script()
    own = {rev.revision for rev in script.walk_revisions() if _inside(rev.path, folders)}
    from sqlalchemy import inspect

    from cms.extensions import db

    tables = sorted(t for t in inspect(db.engine).get_table_names() if t.startswith(f"{name}_"))
    return {
        "name": name,
        "branches": _branch_labels(folders) if own & applied else [],
        "tables": tables,
        "dirs": _data_dirs(name),
    }


def remove(plan: dict) -> None:
    from flask_migrate import downgrade

    for label in plan["branches"]:
        downgrade(revision=f"{label}@base")
    for folder in plan["dirs"]:
        shutil.rmtree(folder)


@click.group("plugin", help="Manage one installed plugin.")
def plugin_group():
    pass


@plugin_group.command(
    "remove", help="Drop a disabled plugin's tables (downgrade its migration branch to base) and delete its files."
)
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation")
@with_appcontext
def remove_command(name, yes):
    try:
        plan = removal_plan(name)
    except PluginRemovalError as exc:
        raise click.ClickException(str(exc)) from exc  # "Error: …" on stderr, exit 1, as cms.cli.fail
    click.echo(f"Plugin {name}:")
    click.echo(f"  tables:  {', '.join(plan['tables']) or '(none)'}")
    click.echo(f"  files:   {', '.join(map(str, plan['dirs'])) or '(none)'}")
    if not yes:
        click.confirm("Delete these permanently? A backup (flask cms backup) is the only way back", abort=True)
    remove(plan)
    click.echo(f"Plugin {name} removed: its migration branch is at base and its data is deleted.")


@lazy_migrate.configure
def _plugin_version_locations(config):
    """Add each plugin's revision folder to Alembic's ``version_locations``.

    Setting ``version_locations`` replaces the default, so the core folder is
    listed first.  Registered once, when the app factory imports this module,
    and reads the current app's plugin manager when called.  Disabled but
    installed plugins are listed too: their revisions stay in alembic_version.
    """
    core = Path(config.get_main_option("script_location")) / "versions"
    locations = [str(core)]
    pm = current_app.extensions["cms"]
    for found in pm.hook.cms_migration_dirs():
        if found:
            locations.append(str(found))
    for folders in disabled_migration_dirs().values():
        locations.extend(f for f in folders if f not in locations)
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(locations))
    return config
