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
        "MONEV_EMONEV_YEAR": 0,  # the e-Monev questionnaire shown first; 0 = the newest data file
        "MONEV_EMONEV_DATA_DIR": "",  # extra folder of emonev-<year>.json files (next year's, without a release)
        "MONEV_EMONEV_UPLOAD_MAX_MB": 20,  # largest upload before it is compressed or split under 2 MB
        # The letter of results (docs/monev.md "Surat hasil Monev"): kop and signer come from the inbox's
        # Pengaturan surat; these two only when the inbox is off (signer: a user's e-mail).
        "MONEV_LETTER_NUMBER_PATTERN": "{seq:03d}/MONEV/PPID-{unit}/{bulan_romawi}/{tahun}",
        "MONEV_LETTER_PLACE": "",
        "MONEV_LETTER_SIGNER": "",
    }


@hookimpl
def cms_blueprints():
    from plugins.monev import views, views_complaints, views_outputs, views_posts, views_self  # noqa: F401 - routes
    from plugins.monev.blueprint import admin_bp, bp
    from plugins.monev.questionnaire import pack as _pack  # noqa: F401 - the evidence pack job
    from plugins.monev.questionnaire import views as _emonev_views  # noqa: F401 - the e-Monev routes

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
    return [
        NavItem("Monev", "monev_admin.index", permission="monev.view", order=70),
        NavItem("e-Monev", "monev_admin.emonev_index", permission="monev.manage", order=71),
    ]


@hookimpl
def cms_demo_data():
    from plugins.monev.demo import load

    load()


@hookimpl
def cms_monev_indicators(start, end, unit_ids):
    from plugins.monev.own_sources import indicators

    return indicators(start, end, unit_ids)


@hookimpl
def cms_monev_evidence(year):
    from plugins.monev.questionnaire.own_evidence import documents

    return documents(year)


@hookimpl
def cms_units_merged(source_id, target_id):
    from plugins.monev.unit_merge import move_rows

    return move_rows(source_id, target_id)
