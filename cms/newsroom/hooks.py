"""The newsroom's own hook implementations (registered like a plugin)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from flask import render_template
from sqlalchemy import func, select

from cms.hookspecs import NavItem, PeriodicTask, hookimpl


@hookimpl
def cms_config_defaults():
    return {
        # Four-eyes rule: an editor may not approve a release they wrote.
        "NEWSROOM_ALLOW_SELF_APPROVAL": False,
        "NEWSROOM_IMAGE_MAX_BYTES": 10 * 1024 * 1024,
        "NEWSROOM_FILE_MAX_BYTES": 25 * 1024 * 1024,
        # Someone else's autosave younger than this holds the edit lock.
        "NEWSROOM_EDIT_LOCK_SECONDS": 300,
        # Autosave this long after the first keystroke of a burst (then again while typing).
        "NEWSROOM_AUTOSAVE_DELAY_MS": 1500,
    }


@hookimpl
def cms_blueprints():
    from cms.newsroom import media_kit  # noqa: F401 - its job registers on import
    from cms.newsroom.editor import actions, autosave, library, notices  # noqa: F401 - their routes attach to the editor blueprint
    from cms.newsroom.editor.views import bp
    from cms.newsroom.gallery_views import bp as gallery_bp
    from cms.newsroom.press_admin import bp as press_admin_bp
    from cms.newsroom.press_views import bp as press_bp

    return [bp, press_bp, press_admin_bp, gallery_bp]


@hookimpl
def cms_admin_nav(user):
    return [
        NavItem("Naskah", "editor.posts", permission="posts.write", order=10),
        NavItem("Pustaka media", "editor.media_library", permission="media.manage", order=20),
        NavItem("Kategori", "editor.categories", permission="posts.review", order=30),
        NavItem("Ruang media", "press_admin.index", permission="press.manage", order=35),
    ]


@hookimpl
def cms_public_nav():
    return [
        NavItem("Siaran Pers", "public.list_releases", order=10),
        NavItem("Berita", "public.list_news", order=20),
        NavItem("Ruang Media", "press.room", order=30),
        NavItem("Cari", "public.search", order=90),
    ]


def _media_kit_fresh():
    from cms.newsroom.media_kit import build_media_kit

    return build_media_kit()


def _sweep():
    from cms.newsroom.publishing import publish_due

    return publish_due()


@hookimpl
def cms_periodic_tasks():
    # The eta job publishes on time; this sweep catches anything it missed
    # (worker down, job lost) and never depends on page traffic.
    return [
        PeriodicTask(name="newsroom.publish_due", func=_sweep, schedule={"minute": "*"}),
        # The kit rebuilds on each change made here; this catches a new logo or identity.
        PeriodicTask(name="press.media_kit_fresh", func=_media_kit_fresh, schedule={"minute": "*/15"}),
    ]


@hookimpl
def cms_demo_data():
    from cms.newsroom import press_demo
    from cms.newsroom.demo import load_demo

    load_demo()
    press_demo.load()


@hookimpl
def cms_tpl_dashboard(user):
    from cms.extensions import db
    from cms.models import Post
    from cms.policy import can

    if not can(user, "posts.write"):
        return None
    counts = dict(db.session.execute(select(Post.status, func.count()).group_by(Post.status)).all())
    waiting: Sequence[Post] = []
    if can(user, "posts.review"):
        waiting = db.session.scalars(
            select(Post).where(Post.status == "review").order_by(Post.updated_at).limit(10)
        ).all()
    mine = db.session.scalars(
        select(Post)
        .where(Post.author_id == user.id, Post.status.in_(("draft", "review")))
        .order_by(Post.updated_at.desc())
        .limit(10)
    ).all()
    scheduled = db.session.scalars(
        select(Post).where(Post.status == "scheduled").order_by(Post.publish_at).limit(10)
    ).all()
    from cms.i18n import WIB
    from cms.newsroom.publishing import public_condition
    from cms.timeutil import utcnow

    month_start = utcnow().astimezone(WIB).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_start_utc = month_start.astimezone(UTC).replace(tzinfo=None)
    published_this_month = db.session.scalar(
        select(func.count()).select_from(Post).where(public_condition(), Post.published_at >= month_start_utc)
    )
    return render_template(
        "editor/_dashboard.html",
        counts=counts,
        waiting=waiting,
        mine=mine,
        scheduled=scheduled,
        published_this_month=published_this_month,
    )
