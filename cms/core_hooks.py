"""Core's own hook implementations, registered like any plugin's."""

from __future__ import annotations

from cms.hookspecs import NavItem, PeriodicTask, hookimpl
from cms.jobs import heartbeat


@hookimpl
def cms_periodic_tasks():
    from cms.job_runs import mark_stopped
    from cms.search_terms import rebuild_vocabularies

    return [
        PeriodicTask(name="cms.heartbeat", func=heartbeat, schedule={"minute": "*"}),
        PeriodicTask(name="cms.job_runs.stopped", func=mark_stopped, schedule={"minute": "*"}),
        PeriodicTask(name="cms.search_vocabulary", func=rebuild_vocabularies, schedule={"minute": "40", "hour": "2"}),
    ]


@hookimpl
def cms_admin_nav(user):
    return [
        NavItem("Dasbor", "admin.dashboard", order=0),
        NavItem("Pengguna", "admin.users", permission="users.manage", order=900),
        NavItem("Unit (OPD)", "admin.units", permission="units.manage", order=910),
        NavItem("Gabungkan unit", "admin.unit_merge", permission="units.merge", order=911),
        NavItem("Log audit", "admin.audit", permission="audit.view", order=920),
        NavItem("Plugin", "admin.plugins", permission="plugins.view", order=930),
        NavItem("Identitas situs", "identity.settings", permission="identity.manage", order=940),
    ]


@hookimpl
def cms_public_nav():
    return [NavItem("Beranda", "public.home", order=0)]


@hookimpl
def cms_blueprints():
    from cms.openapi import bp

    return [bp]
