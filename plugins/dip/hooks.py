"""Hook implementations of the dip plugin (its entry point)."""

from __future__ import annotations

from pathlib import Path

from cms.api import NavItem, PeriodicTask, hookimpl


@hookimpl
def cms_add_hookspecs(pm):
    from plugins.dip import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl
def cms_config_defaults():
    return {
        "DIP_MAX_UPLOAD_MB": 20,  # per document
        "DIP_IMPORT_MAX_MB": 50,
        "DIP_IMPORT_INLINE_KB": 512,  # larger uploads go through the worker
        "DIP_EXPORT_JOB_ROWS": 5000,  # larger CSV/XLSX exports are written by the worker
        "DIP_EXPORT_HOURS": 6,  # how long a written export is kept
        "DIP_EXPORT_MAX_ACTIVE": 3,  # export runs queued or writing at once (it is public)
        "DIP_BANNER_DAYS": 7,  # how long a serta merta item stays on the home page
        "DIP_DIK_REMIND_DAYS": 30,
    }


@hookimpl
def cms_blueprints():
    from plugins.dip import admin_cycle, admin_dik, admin_incomplete  # noqa: F401 - routes on dip_admin
    from plugins.dip.admin import bp as admin_bp
    from plugins.dip.api import bp as api_bp
    from plugins.dip.views import bp

    return [bp, admin_bp, api_bp]


@hookimpl
def cms_openapi_paths():
    from plugins.dip.api_spec import FRAGMENT

    return FRAGMENT


@hookimpl
def cms_migration_dirs():
    return str(Path(__file__).parent / "migrations")


@hookimpl
def cms_cli_commands():
    from plugins.dip.cli import dip_group

    return [dip_group]


@hookimpl
def cms_permissions():
    # dip.manage is unit-bound for ppid_unit (cms.policy.UNIT_BOUND_ROLES).
    return {"dip.manage": {"ppid", "ppid_unit"}, "dip.set": {"ppid"}}


@hookimpl
def cms_public_nav():
    return [
        NavItem("Daftar Informasi Publik", "dip.index", order=60),
        NavItem("Informasi Dikecualikan", "dip.dik", order=61),
    ]


@hookimpl
def cms_admin_nav(user):
    return [
        NavItem("DIP", "dip_admin.index", permission="dip.manage", order=60),
        NavItem("DIK", "dip_admin.dik_index", permission="dip.manage", order=61),
    ]


@hookimpl
def cms_periodic_tasks():
    from plugins.dip import export_jobs, reminders

    return [
        PeriodicTask("dip.exports_removed", export_jobs.remove_expired, {"minute": "25"}),
        PeriodicTask("dip.dik_expiry", reminders.dik_expiry_reminders, {"minute": "15", "hour": "1"}),
        PeriodicTask("dip.banner_expiry", reminders.banner_expiry, {"minute": "0"}),
        PeriodicTask("dip.stale_digest", reminders.stale_digest, {"minute": "30", "hour": "1", "day_of_week": "1"}),
    ]


@hookimpl
def cms_tpl_home_top():
    from flask import current_app, render_template

    from plugins.dip.services import recent_serta_merta

    items = recent_serta_merta(int(current_app.config["DIP_BANNER_DAYS"]))
    return render_template("dip/banner.html", items=items) if items else None


@hookimpl
def cms_tpl_dashboard(user):
    from plugins.dip.dashboard import panel

    return panel(user)


@hookimpl
def cms_dip_add_document(title, summary, unit_id, year, file_path, file_name, source):
    from plugins.dip.services import add_document

    return add_document(title, summary, unit_id, year, file_path, file_name, source)


@hookimpl
def cms_dip_publish_berkala(title, summary, unit_id, year, file_path, file_name, source):
    from plugins.dip.services import add_document

    return add_document(
        title,
        summary,
        unit_id,
        year,
        file_path,
        file_name,
        source,
        category="berkala",
        jenis="Laporan dan prosedur akses informasi",
    )


@hookimpl
def cms_dip_suggest(text, limit):
    from cms.api import db
    from plugins.dip import search
    from plugins.dip.catalogue import public_base
    from plugins.dip.services import public_url

    if not search.words(text):
        return []
    stmt = search.apply(public_base(), db.engine.dialect.name, text[:500], any_word=True)
    entries = db.session.scalars(stmt.limit(max(1, min(int(limit), 50)))).unique().all()
    return [{"title": e.title, "url": public_url(e)} for e in entries]


@hookimpl
def cms_demo_data():
    from plugins.dip.demo import load

    load()


@hookimpl
def cms_dip_describe(entry_id):
    from cms.api import db
    from plugins.dip.models import DipEntry
    from plugins.dip.services import public_url

    entry = db.session.get(DipEntry, entry_id)
    if entry is None:
        return None
    return {
        "title": entry.title,
        "url": public_url(entry),
        "unit_id": entry.unit_id,
        "published": entry.published_at is not None,
    }


@hookimpl
def cms_units_merged(source_id, target_id):
    """Entries and DIK rows follow the merged unit (inside core's transaction)."""
    from sqlalchemy import update

    from cms.api import db
    from plugins.dip.models import DikEntry, DipEntry

    entries = update(DipEntry).where(DipEntry.unit_id == source_id)
    dik = update(DikEntry).where(DikEntry.unit_id == source_id)
    return {
        "dip_entry": db.session.execute(entries.values(unit_id=target_id, version=DipEntry.version + 1)).rowcount,  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
        "dip_dik": db.session.execute(dik.values(unit_id=target_id)).rowcount,  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
    }


@hookimpl
def cms_monev_indicators(start, end, unit_ids):
    from plugins.dip.monev_source import indicators

    return indicators(start, end, unit_ids)


@hookimpl
def cms_monev_evidence(year):
    from plugins.dip.emonev_evidence import documents

    return documents(year)
