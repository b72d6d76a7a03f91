"""Hook implementations of the crosspost plugin (its entry point)."""

from __future__ import annotations

from pathlib import Path

from cms import NavItem, hookimpl


@hookimpl
def cms_blueprints():
    from plugins.crosspost.views import bp

    return bp


@hookimpl
def cms_migration_dirs():
    return str(Path(__file__).parent / "migrations")


@hookimpl
def cms_admin_nav(user):
    return [NavItem("Crosspost", "crosspost.index", permission="crosspost.manage", order=500)]


@hookimpl
def cms_permissions():
    return {"crosspost.manage": set()}
