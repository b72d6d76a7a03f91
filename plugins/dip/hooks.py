"""Hook implementations of the dip plugin (its entry point)."""

from __future__ import annotations

from pathlib import Path

from cms import NavItem, hookimpl


@hookimpl
def cms_blueprints():
    from plugins.dip.views import bp

    return bp


@hookimpl
def cms_migration_dirs():
    return str(Path(__file__).parent / "migrations")


@hookimpl
def cms_public_nav():
    return [NavItem("Daftar Informasi Publik", "dip.index")]
