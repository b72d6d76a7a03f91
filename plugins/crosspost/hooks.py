"""Hook implementations of the crosspost plugin (its entry point)."""

from __future__ import annotations

from pathlib import Path

from cms.api import NavItem, PeriodicTask, hookimpl
from plugins.crosspost import delivery  # noqa: F401 - registers the worker job at plugin load
from plugins.crosspost.whatsapp import service as whatsapp  # noqa: F401 - registers its jobs too


@hookimpl
def cms_add_hookspecs(pm):
    """The hooks this plugin offers to others (plugins/crosspost/hookspecs.py)."""
    from plugins.crosspost import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl
def cms_config_defaults():
    return {
        "CROSSPOST_HTTP_TIMEOUT": 15,  # seconds per request to a network
        "CROSSPOST_MAX_ATTEMPTS": 8,
        "CROSSPOST_BACKOFF_BASE": 30,  # seconds; doubles per attempt
        "CROSSPOST_BACKOFF_MAX": 6 * 3600,
        "CROSSPOST_STALE_AFTER": 300,  # a "sending" row older than this lost its worker
        "CROSSPOST_SWEEP_HOURS": 24,  # how far back the sweep looks for missed publications
        "CROSSPOST_BACKFILL_DAYS": 14,  # releases an admin may send by name to an account
        # Instagram/Threads process a container before it can be published: poll its status
        "CROSSPOST_CONTAINER_POLL_SECONDS": 3,
        "CROSSPOST_CONTAINER_POLLS": 20,
        **WHATSAPP_DEFAULTS,
    }


WHATSAPP_DEFAULTS = {  # WhatsApp Business Cloud API (docs/crosspost.md, "WhatsApp to journalists")
    "CROSSPOST_WHATSAPP_GRAPH_BASE": "https://graph.facebook.com/v21.0",
    "CROSSPOST_WHATSAPP_PHONE_NUMBER_ID": "",
    "CROSSPOST_WHATSAPP_ACCESS_TOKEN": "",  # secret: permanent system-user token
    "CROSSPOST_WHATSAPP_APP_SECRET": "",  # secret: signs the webhooks
    "CROSSPOST_WHATSAPP_VERIFY_TOKEN": "",
    "CROSSPOST_WHATSAPP_OPTIN_TEMPLATE": "warta_optin",
    "CROSSPOST_WHATSAPP_OPTIN_TEXT": (
        "Halo {{1}}, nomor ini didaftarkan untuk menerima siaran pers {{2}} "
        "lewat WhatsApp. Balas YA untuk berlangganan. Abaikan pesan ini jika "
        "Anda tidak mendaftar."
    ),
    "CROSSPOST_WHATSAPP_RELEASE_TEMPLATE": "warta_rilis",
    "CROSSPOST_WHATSAPP_TEMPLATE_LANGUAGE": "id",
    "CROSSPOST_WHATSAPP_KINDS": "siaran-pers",
    "CROSSPOST_WHATSAPP_RATE": 20,  # messages per second (the Cloud API allows 80 by default)
    "CROSSPOST_WHATSAPP_TIER": 1000,  # unique recipients per 24 h (250/1000/10000/100000; 0 = none)
    "CROSSPOST_WHATSAPP_BATCH_SECONDS": 50,  # one job's share of the worker before it requeues
    "CROSSPOST_WHATSAPP_MAX_ATTEMPTS": 6,
    "CROSSPOST_WHATSAPP_BACKOFF_BASE": 30,
    "CROSSPOST_WHATSAPP_SUBSCRIBE_RATE_LIMIT": "5 per minute;20 per hour",
}


@hookimpl
def cms_blueprints():
    from plugins.crosspost.views import bp
    from plugins.crosspost.whatsapp.views import admin_bp as wa_admin_bp
    from plugins.crosspost.whatsapp.views import bp as wa_bp

    return [bp, wa_bp, wa_admin_bp]


@hookimpl
def cms_migration_dirs():
    return str(Path(__file__).parent / "migrations")


@hookimpl
def cms_admin_nav(user):
    from cms.api import can

    items = [
        NavItem("Crosspost", "crosspost.index", permission="crosspost.manage", order=500),
        NavItem("Kalender crosspost", "crosspost.calendar", permission="crosspost.calendar", order=501),
        NavItem("WhatsApp", "crosspost_whatsapp_admin.index", permission="crosspost.manage", order=510),
    ]
    if not can(user, "crosspost.manage"):  # a unit officer: their unit's accounts
        items.append(NavItem("Akun media sosial", "crosspost.account_list", permission="crosspost.accounts", order=502))
    return items


@hookimpl
def cms_permissions():
    # Editors (Humas) share releases, handle deliveries and manage every account;
    # a PPID Pembantu (ppid_unit, unit-bound) manages and sees only its unit's
    # accounts and calendar (plugins.crosspost.scope).
    return {
        "crosspost.manage": {"editor"},
        "crosspost.accounts": {"editor", "ppid_unit"},
        "crosspost.calendar": {"editor", "ppid_unit"},
        # The read-only list behind the Monev figures (unit-bound for ppid_unit).
        "crosspost.figures": {"editor", "ppid", "ppid_unit"},
    }


@hookimpl
def cms_crosspost_deliveries_by_unit(start, end):
    from plugins.crosspost.stats import deliveries_by_unit

    return deliveries_by_unit(start, end)


@hookimpl
def cms_crosspost_channels():
    from plugins.crosspost.channels import bundled

    return bundled()


@hookimpl
def cms_app_ready(app):
    from plugins.crosspost.channels import available

    available(app)  # a channel key offered twice stops start-up, naming both plugins


@hookimpl
def cms_periodic_tasks():
    from plugins.crosspost.outbox import sweep
    from plugins.crosspost.whatsapp.service import sweep as whatsapp_sweep

    return [
        PeriodicTask("crosspost.sweep", sweep, {"minute": "*"}),
        PeriodicTask("crosspost.whatsapp.sweep", whatsapp_sweep, {"minute": "*"}),
    ]


@hookimpl
def cms_post_published(post):
    from plugins.crosspost.outbox import on_published

    on_published(post)
    whatsapp.on_published(post)


@hookimpl
def cms_post_updated(post):
    from plugins.crosspost.outbox import on_updated

    on_updated(post)


@hookimpl
def cms_post_unpublished(post):
    from plugins.crosspost.outbox import on_unpublished

    on_unpublished(post)


@hookimpl
def cms_serta_merta_published(title, summary, url):
    from plugins.crosspost.outbox import on_serta_merta

    on_serta_merta(title, summary, url)


@hookimpl
def cms_tpl_dashboard(user):
    """Deliveries that need a person (unknown outcome, failed, manual follow-up)."""
    from flask import render_template
    from sqlalchemy import func, select

    from cms.api import can, db
    from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery

    if not can(user, "crosspost.manage"):
        return None
    rows = db.session.execute(
        select(CrosspostDelivery.status, func.count())
        .where(CrosspostDelivery.status.in_(("unknown", "failed", "skipped")))
        .group_by(CrosspostDelivery.status)
    ).all()
    counts = {status: n for status, n in rows}
    reconnect = list(
        db.session.scalars(
            select(CrosspostAccount)
            .where(CrosspostAccount.reconnect_since.is_not(None))
            .order_by(CrosspostAccount.name)
        )
    )
    if not counts and not reconnect:
        return None
    return render_template("crosspost/dashboard.html", counts=counts, reconnect=reconnect)


@hookimpl
def cms_encrypted_data():
    from cms.api import EncryptedColumn

    return [
        EncryptedColumn("Rahasia akun kanal", "crosspost_account", "secrets_enc"),
        EncryptedColumn("Sesi akun kanal", "crosspost_account", "state_enc"),
        EncryptedColumn(
            "Nomor WhatsApp jurnalis",
            "crosspost_wa_subscriber",
            "phone_enc",
            hash_column="phone_hash",
            hash_purpose="crosspost-wa-phone",
        ),
        EncryptedColumn("Nomor pada catatan persetujuan WhatsApp", "crosspost_wa_consent", "phone_enc"),
    ]


@hookimpl
def cms_units_merged(source_id, target_id):
    """An OPD's accounts follow it into the merged unit (inside core's transaction)."""
    from sqlalchemy import update

    from cms.api import db
    from plugins.crosspost.models import CrosspostAccount

    stmt = update(CrosspostAccount).where(CrosspostAccount.unit_id == source_id).values(unit_id=target_id)
    return {"crosspost_account": db.session.execute(stmt).rowcount}  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result


@hookimpl
def cms_monev_indicators(start, end, unit_ids):
    from plugins.crosspost.monev_source import indicators

    return indicators(start, end, unit_ids)
