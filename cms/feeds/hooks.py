"""Feeds and distribution, wired in through the plugin API like any plugin.

Post events ping the WebSub hub and mail subscribers (both through the
worker); kept feeds need no event, since the content counter is bumped inside
every content transaction (``cms.content_version``).  Embargoed releases are
mailed to accredited journalists by a periodic sweep, because the workflow
has no event for "scheduled under embargo".
"""

from __future__ import annotations

from cms.feeds import (
    embargo_changes,
    embargo_notice,
    release_mailing,  # noqa: F401 - registers the feeds.mail_release job
    subscriber_export,
    subscriptions,
    websub,
)
from cms.hookspecs import NavItem, PeriodicTask, hookimpl
from cms.jobs import enqueue


@hookimpl
def cms_config_defaults():
    return {
        "FEEDS_ITEMS": 50,  # items per public feed
        "FEEDS_TTL": 15,  # RSS <ttl>, minutes
        "FEEDS_MAX_AGE": 300,  # Cache-Control max-age, seconds
        # Per-worker memory budgets (read at each use; docs/deploy.md, "Memory").
        "FEEDS_ENTRY_CACHE_ITEMS": 2048,  # built entry elements kept (cms.feeds.build)
        "FEEDS_GZIP_KEEP": 64,  # gzip-compressed feed renderings kept
        "FEEDS_MEMORY_STORE_ENTRIES": 512,  # feed renderings kept without Redis
        # Seconds a worker may trust its copy of the change counter; None: 0 on
        # SQLite, 0.25 on PostgreSQL (cms.content_version.SERVER_VERSION_TTL).
        "FEEDS_VERSION_TTL": None,
        "FEEDS_WEBSUB_HUB": None,  # e.g. https://pubsubhubbub.appspot.com/
        "FEEDS_WEBSUB_TIMEOUT": 10,
        "FEEDS_CONFIRM_HOURS": 72,
        "FEEDS_SUBSCRIBER_JOB_ROWS": 5000,  # larger subscriber exports are written by the worker
        "FEEDS_SUBSCRIBER_EXPORT_HOURS": 2,  # how long such a file (personal data) is kept
        "FEEDS_PENDING_DAYS": 7,  # unconfirmed addresses are deleted after this
        "FEEDS_UNSUBSCRIBED_DAYS": 30,  # unsubscribed addresses are deleted after this
        "FEEDS_SUBSCRIBE_RATE_LIMIT": "5 per minute;20 per hour",
        "PRESS_SIGNUP_RATE_LIMIT": "3 per minute;10 per hour",  # journalist account requests
        "PRESS_PREVIEW_GRACE_HOURS": 24,  # a personal preview link outlives the lift by this
        "PRESS_PREVIEW_MEDIA_MINUTES": 120,  # a preview's browser session may load its files this long
        "PRESS_PASSWORD_LINK_HOURS": 72,  # the set-password link mailed on approval
        "PRESS_CARD_MAX_BYTES": 5 * 1024 * 1024,
    }


@hookimpl
def cms_blueprints():
    from cms.feeds.admin_views import admin_bp
    from cms.feeds.journalist_admin import bp as journalists_admin_bp
    from cms.feeds.journalist_views import bp as journalists_bp
    from cms.feeds.posts_api import bp as posts_api_bp
    from cms.feeds.views import bp

    return [bp, admin_bp, journalists_bp, journalists_admin_bp, posts_api_bp]


@hookimpl
def cms_openapi_paths():
    from cms.feeds.posts_api_spec import FRAGMENT

    return FRAGMENT


@hookimpl
def cms_permissions():
    return {"journalists.manage": {"editor"}}


@hookimpl
def cms_public_nav():
    return [NavItem("Feed", "feeds.index", order=80)]


@hookimpl
def cms_admin_nav(user):
    return [
        NavItem("Pelanggan e-mail", "feeds_admin.subscribers", permission="subscribers.manage", order=600),
        NavItem("Jurnalis terakreditasi", "feeds_admin.journalists", permission="journalists.manage", order=610),
        NavItem("Permohonan akun jurnalis", "journalists_admin.requests", permission="journalists.manage", order=611),
    ]


@hookimpl
def cms_tpl_dashboard(user):
    """Editors see what is under embargo and who has it; admins the subscriber count."""
    from flask import render_template
    from sqlalchemy import func, select

    from cms.extensions import db
    from cms.models.distribution import EmbargoAccess, Journalist, Subscriber
    from cms.policy import can

    show_embargo, show_subscribers = can(user, "journalists.manage"), can(user, "subscribers.manage")
    if not (show_embargo or show_subscribers):
        return None
    embargoed = journalists = subscribers = None
    if show_embargo:
        embargoed = []
        for post in subscriptions.embargoed_posts():
            reached = db.session.scalar(
                select(func.count(func.distinct(EmbargoAccess.journalist_id))).where(EmbargoAccess.post_id == post.id)
            )
            embargoed.append((post, reached))
        journalists = db.session.scalar(select(func.count()).select_from(Journalist).where(Journalist.active.is_(True)))
    if show_subscribers:
        subscribers = db.session.scalar(
            select(func.count()).select_from(Subscriber).where(Subscriber.status == "active")
        )
    return render_template(
        "feeds/admin/dashboard_panel.html", embargoed=embargoed, journalists=journalists, subscribers=subscribers
    )


@hookimpl
def cms_periodic_tasks():
    return [
        PeriodicTask(name="feeds.embargo_sweep", func=embargo_notice.notify_embargoed, schedule={"minute": "*"}),
        PeriodicTask(name="feeds.embargo_changes_sweep", func=embargo_changes.sweep, schedule={"minute": "*"}),
        PeriodicTask(
            name="feeds.purge_subscribers",
            func=subscriptions.purge_stale_subscribers,
            schedule={"minute": "17", "hour": "3"},
        ),
        PeriodicTask(
            name="feeds.subscriber_exports_removed", func=subscriber_export.remove_expired, schedule={"minute": "*/15"}
        ),
    ]


@hookimpl
def cms_post_published(post):
    websub.ping_later(post)
    if post.kind == "siaran-pers":
        enqueue("feeds.mail_release", post.id)


@hookimpl
def cms_post_updated(post):
    websub.ping_later(post)


@hookimpl
def cms_post_unpublished(post):
    websub.ping_later(post)


@hookimpl
def cms_encrypted_data():
    from cms.crypto import EncryptedColumn, EncryptedFiles

    return [
        EncryptedColumn("E-mail pelanggan", "feeds_subscriber", "email_enc", "email_hash", "feeds-email", str.lower),
        EncryptedColumn("E-mail wartawan", "feeds_journalist", "email_enc", "email_hash", "feeds-email", str.lower),
        EncryptedColumn("Token umpan wartawan", "feeds_journalist", "token_enc", "token_hash", "feeds-journalist"),
        EncryptedColumn(
            "E-mail pemohon akun wartawan", "journalist_account", "email_enc", "email_hash", "feeds-email", str.lower
        ),
        EncryptedColumn("Telepon pemohon akun wartawan", "journalist_account", "phone_enc"),
        EncryptedColumn(
            "Tautan pratinjau embargo", "embargo_preview_link", "token_enc", "token_hash", "embargo-preview"
        ),
        EncryptedFiles("Kartu pers pemohon akun wartawan", "journalist_account", "press_card", ("press_cards",)),
    ]
