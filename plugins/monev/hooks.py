"""Hook implementations of the monev plugin (its entry point)."""

from __future__ import annotations

from pathlib import Path

from cms.api import NavItem, hookimpl


@hookimpl
def cms_add_hookspecs(pm):
    from plugins.monev import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl
def cms_config_defaults():
    return {
        "MONEV_EVIDENCE_MAX_KB": 2048,  # per evidence file, the Komisi Informasi's limit
        "MONEV_CATEGORY_WEIGHTS": {},  # e.g. {"ppid": 50, "pengaduan": 25, "medsos": 25} (docs/monev.md)
        "MONEV_WEIGHTS": {},  # indicator key -> weight inside its category
        "MONEV_THRESHOLDS": {},  # indicator key -> [[bound, score], ...]
    }


@hookimpl
def cms_blueprints():
    from plugins.monev import views, views_complaints, views_outputs, views_self  # noqa: F401 - their routes
    from plugins.monev.blueprint import admin_bp, bp

    return [bp, admin_bp]


@hookimpl
def cms_migration_dirs():
    return str(Path(__file__).parent / "migrations")


@hookimpl
def cms_permissions():
    # monev.view is unit-bound for ppid_unit (cms.policy.UNIT_BOUND_ROLES).
    return {"monev.view": {"ppid", "ppid_unit"}, "monev.manage": {"ppid"}}


@hookimpl
def cms_admin_nav(user):
    return [NavItem("Monev", "monev_admin.index", permission="monev.view", order=70)]


@hookimpl
def cms_demo_data():
    from plugins.monev.demo import load

    load()


@hookimpl
def cms_monev_indicators(start, end, unit_ids):
    from plugins.monev.own_sources import indicators

    return indicators(start, end, unit_ids)
