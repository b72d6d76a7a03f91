# Over 300 lines on purpose: pluggy registers one spec module, and plugin authors read the whole contract here.
"""Every hook Warta's core offers to plugins.

Plugin authors write ``from cms.api import hookimpl`` and implement any of the
functions below in their ``hooks`` module (the ``cms.plugins`` entry point).
Hooks one plugin offers to others live in that plugin (``plugins/NAME/hookspecs.py``),
added through ``cms_add_hookspecs``.
Hooks that return data let core do the wiring; event hooks fire from services
after the database commit, and a failing implementation is logged, never
allowed to block the action that fired it.  ``docs/reference/hooks.md`` renders each
hook; ``tests/test_hookspecs.py`` fails when one is undocumented or untested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    import click
    from flask import Blueprint, Flask

hookspec = pluggy.HookspecMarker("cms")
"""Marks a hook a plugin offers to others (in its own ``hookspecs`` module)."""
hookimpl = pluggy.HookimplMarker("cms")
"""Marks a hook implementation; ``@hookimpl(tryfirst=True)`` or ``trylast`` moves it in the call order."""


@dataclass(frozen=True)
class NavItem:
    """A link in the public or admin navigation.

    ``permission`` (admin nav only) hides the item from users who lack it.
    """

    label: str
    endpoint: str
    permission: str | None = None
    order: int = 100
    url_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodicTask:
    """A job the worker runs on a schedule.

    ``schedule`` holds huey crontab fields (``minute``, ``hour``, ``day``,
    ``month``, ``day_of_week``), each a crontab string, in UTC (``"hour": "1"``
    is 08:00 WIB); missing fields mean "*".
    ``func`` takes no arguments and runs inside an application context.
    """

    name: str
    func: Callable[[], Any]
    schedule: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- set-up hooks


@hookspec(historic=True)
def cms_add_hookspecs(pm: pluggy.PluginManager) -> None:
    """Add the hooks your plugin offers to other plugins: ``pm.add_hookspecs(module)``.

    Called as each plugin registers.  Keep such specs in your plugin's own
    ``hookspecs`` module (marked with ``cms.hookspecs.hookspec``), not here.
    Also called at start-up for every installed plugin that is disabled, so
    another plugin's implementation of its hooks is still checked and start-up
    does not fail; nobody fires those hooks then.

    :param pm: the application's plugin manager.
    :returns: nothing.
    """


@hookspec
def cms_config_defaults() -> dict[str, Any]:
    """Return default configuration values for a plugin.

    Called once by ``create_app`` after the site configuration is loaded.
    Keys must be prefixed with the plugin's name in capitals (``INBOX_``).
    Values are applied with ``setdefault``, so the site's own configuration
    (instance file, environment) always wins.  A key another plugin (or a
    core hook) already declares stops start-up with ``PluginClash``.

    :returns: a dict of config keys to default values; all dicts are merged.
    """


@hookspec
def cms_blueprints() -> Blueprint | list[Blueprint]:
    """Return the Flask blueprint(s) a plugin adds.

    Called once by ``create_app``; core registers each blueprint with the
    ``url_prefix`` set on it.  The blueprint's name is the plugin's name.
    A blueprint name, or a URL and method, that core or another plugin
    already has stops start-up with ``PluginClash`` naming both.

    :returns: one blueprint or a list of them; results of all plugins are registered.
    """


@hookspec
def cms_openapi_paths() -> dict[str, Any]:
    """Describe the plugin's ``/api/v1/`` routes for ``/api/v1/openapi.json``.

    Called when the document is built (once per app).  Return a fragment of
    an OpenAPI 3.1 document: ``paths`` keyed by the full URL path and,
    optionally, ``components`` (``schemas``, ``parameters``, ``responses``).
    Core adds the shared ``Error`` schema and the ``BadRequest`` and
    ``NotFound`` responses; a path or component named twice is refused.

    :returns: a dict with ``paths`` and optionally ``components``; all are merged.
    """


@hookspec
def cms_migration_dirs() -> str:
    """Return the folder holding the plugin's Alembic revision files.

    Called whenever Flask-Migrate builds its configuration (``flask db …``,
    ``flask cms init``).  The folder contains revision files only; the first
    one carries ``branch_labels = ("<plugin>",)``.

    :returns: a path (str or ``Path``); every path is added to ``version_locations``.
    """


@hookspec
def cms_cli_commands() -> list[click.Command]:
    """Return click commands (usually one group named after the plugin).

    Called once by ``create_app``; each command is added to the ``flask`` CLI,
    so a disabled plugin contributes none.  A name core, Flask, a Flask
    extension or another plugin already uses stops start-up (``PluginClash``).

    :returns: a list of click commands; all lists are concatenated.
    """


@hookspec
def cms_template_context() -> dict[str, Any]:
    """Return names to make available in every Jinja template.

    Called once by ``create_app``; values are added to ``jinja_env.globals``.

    :returns: a dict; all dicts are merged.  A name core or another plugin
        already defines stops start-up with ``PluginClash``.
    """


@hookspec
def cms_permissions() -> dict[str, set[str]]:
    """Return the permissions a plugin defines and the roles that hold them.

    Called once by ``create_app`` and merged into the policy table read by
    ``cms.policy.can``.  A permission named by two plugins gets the union of
    their roles.  The ``admin`` role holds every permission anyway.

    :returns: a dict of permission name to a set of role names.
    """


@hookspec
def cms_periodic_tasks() -> list[PeriodicTask]:
    """Return jobs the background worker runs on a schedule.

    Called when the worker (``flask cms worker``) starts, by
    ``cms.jobs.periodic_tasks`` for introspection and once by ``create_app``,
    which refuses a task name another plugin already uses (``PluginClash``).

    :returns: a list of ``PeriodicTask``; all lists are concatenated.
    """


@hookspec
def cms_app_ready(app: Flask) -> None:
    """Run last in ``create_app``, once every blueprint and setting is in place.

    An escape hatch for set-up that the data hooks cannot express; keep it
    rare and never touch the database here.

    :param app: the application just built.
    :returns: nothing.
    """


@hookspec
def cms_demo_data() -> None:
    """Load the plugin's demo content, idempotently.

    Called by ``flask cms demo`` (and ``make run`` on first start) inside an
    application context after core demo content exists.  Running it twice
    must not create duplicates.

    :returns: nothing.
    """


# ------------------------------------------------------------------ UI hooks


@hookspec
def cms_admin_nav(user: Any) -> list[NavItem]:
    """Return links for the admin navigation.

    Called while rendering every admin page.  Items whose ``permission`` the
    user lacks are hidden by core.

    :param user: the signed-in user.
    :returns: a list of ``NavItem``; all lists are concatenated and sorted by ``order``.
    """


@hookspec
def cms_public_nav() -> list[NavItem]:
    """Return links for the public site navigation.

    Called while rendering every public page.

    :returns: a list of ``NavItem``; all lists are concatenated and sorted by ``order``.
    """


@hookspec
def cms_tpl_home_top() -> str | None:
    """Return HTML to show at the top of the public home page.

    Called while rendering ``/`` through ``slot("cms_tpl_home_top")``.  Return
    ``render_template(...)`` output (autoescaped), never hand-built HTML.

    :returns: markup or ``None``; all results are joined in plugin order.
    """


@hookspec
def cms_tpl_item_footer(post: Any) -> str | None:
    """Return HTML to show under a published item on its public page.

    :param post: the published ``Post`` being shown.
    :returns: markup or ``None``; all results are joined in plugin order.
    """


@hookspec
def cms_tpl_dashboard(user: Any) -> str | None:
    """Return a panel for the admin dashboard of ``user``.

    Called while rendering ``/admin/``; use it to show what is due first for
    the user's role.

    :param user: the signed-in user.
    :returns: markup or ``None``; all results are joined in plugin order.
    """


# -------------------------------------------------------------- content events


@hookspec
def cms_post_published(post: Any) -> None:
    """A post became public (by a click, the schedule or an embargo lift).

    Fired exactly once per publication, after the commit, by
    ``cms.newsroom.publishing``.  Exceptions are logged and do not undo the publication.

    :param post: the ``Post`` just published.
    :returns: nothing.
    """


@hookspec
def cms_post_updated(post: Any) -> None:
    """A published post was corrected or edited.

    Fired after the commit of a change to an already published post.

    :param post: the ``Post`` after the change.
    :returns: nothing.
    """


@hookspec
def cms_post_unpublished(post: Any) -> None:
    """A published post was withdrawn from the public site.

    Fired after the commit.

    :param post: the ``Post`` just unpublished.
    :returns: nothing.
    """


# --------------------------------------------------------- PPID cross-plugin


@hookspec
def cms_crosspost_channels() -> list[type]:
    """Return channel types (classes) that can deliver posts to a network.

    Called by the crosspost plugin when it lists or uses channel types, and
    at start-up, where a ``key`` offered by two plugins (e.g. a second
    ``mastodon``) stops the app with ``PluginClash``.  See
    ``docs/crosspost.md`` for the interface a channel class implements.

    :returns: a list of channel classes; all lists are concatenated.
    """


# ------------------------------------------------------------------- units


@hookspec
def cms_units_merged(source_id: int, target_id: int) -> dict[str, int]:
    """Two units (OPD) are being merged: move your rows from one to the other.

    Called by ``cms.accounts.merge_units`` inside the merge's transaction,
    after core moved its users and posts and before the source unit is
    deleted; do not commit.  Raise to refuse the merge: everything rolls
    back and the officer sees the error.  A row left pointing at the
    source unit makes the delete fail, so the merge is all or nothing.

    :param source_id: the unit that disappears.
    :param target_id: the unit that receives its rows.
    :returns: rows moved per table (e.g. ``{"inbox_request": 3}``), for the
        audit log; all dicts are merged.
    """


# --------------------------------------------------------------- operations


@hookspec
def cms_metrics() -> dict[str, float]:
    """Return gauges for the Prometheus endpoint ``/metrics``.

    Called on every scrape; keep it to one or two cheap queries.  Names must
    follow Prometheus rules and start with ``warta_`` (e.g.
    ``warta_inbox_requests_overdue``).

    :returns: a dict of metric name to number; all dicts are merged.
    """


@hookspec
def cms_encrypted_data() -> list[Any]:
    """Declare the columns and files a plugin encrypts with ``cms.crypto``.

    ``flask cms rotate-data-key`` re-encrypts exactly these, and
    ``flask cms restore`` checks that each decrypts before and after loading
    a backup; a value encrypted elsewhere would be lost on key rotation.
    Use ``cms.crypto.EncryptedColumn(label, table, column, hash_column=…,
    hash_purpose=…, normalise=…)`` for text columns holding ``encrypt()``
    tokens and ``cms.crypto.EncryptedFiles(label, table, column, directory)``
    for files under ``private_dir(*directory)`` named by a column.  ``label``
    is what operators read ("NIK: 72/72 terbaca").

    :returns: a list of ``EncryptedColumn``/``EncryptedFiles``; all lists are concatenated.
    """
