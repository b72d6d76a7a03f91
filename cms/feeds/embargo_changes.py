"""Re-announce an embargo whose lift time changed or that was withdrawn.

``embargo_schedule`` holds the lift time last announced per release.  A
sweep (after each commit that touches an embargo, and every minute as a
safety net) compares it with the release: a new time or a withdrawal bumps
the calendar's SEQUENCE, moves the personal links' expiry, and mails every
journalist who already got the release (mail, feed or preview link).
"""

from __future__ import annotations

import logging

from flask import has_app_context, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session

from cms.extensions import db
from cms.feeds.subscriptions import email_of, embargoed_posts, private_feed_url
from cms.i18n import format_datetime
from cms.jobs import enqueue, job
from cms.mail import enqueue_mail
from cms.models.content import Post
from cms.models.distribution import EmbargoAccess, Journalist
from cms.models.press_access import EmbargoPreviewLink, EmbargoSchedule
from cms.newsroom import embargo_links, publishing
from cms.timeutil import naive_utc

log = logging.getLogger(__name__)


def _withdrawn(post: Post, row: EmbargoSchedule) -> bool:
    """No longer under embargo and not lifted: unscheduled, or its time removed."""
    if publishing.is_public(post):
        return False
    if post.status == "scheduled" and post.embargo_until == row.lift_at:
        return False  # the lift time came; the worker publishes it in a moment
    return post.status not in ("scheduled", "published") or post.embargo_until is None


def sync_embargoes(session) -> int:
    """Record new embargoes, notice changed and withdrawn ones; returns notices queued."""
    now = naive_utc()
    posts = embargoed_posts(session)
    rows = {row.post_id: row for row in session.scalars(select(EmbargoSchedule).where(EmbargoSchedule.lift_at > now))}
    for row in session.scalars(select(EmbargoSchedule).where(EmbargoSchedule.post_id.in_([p.id for p in posts]))):
        rows[row.post_id] = row
    changes: list[tuple[Post, str, object]] = []
    for post in posts:
        row = rows.pop(post.id, None)
        if row is None:
            session.add(EmbargoSchedule(post_id=post.id, lift_at=post.embargo_until, sequence=0, changed_at=now))
        elif row.withdrawn_at is not None or row.lift_at != post.embargo_until:
            old = None if row.withdrawn_at is not None else row.lift_at
            row.sequence, row.lift_at, row.withdrawn_at, row.changed_at = (
                row.sequence + 1,
                post.embargo_until,
                None,
                now,
            )
            embargo_links.move_expiry(post, session)
            changes.append((post, "changed", old))
    for row in rows.values():
        if row.withdrawn_at is None and row.post is not None and _withdrawn(row.post, row):
            row.sequence, row.withdrawn_at, row.changed_at = row.sequence + 1, now, now
            changes.append((row.post, "withdrawn", row.lift_at))
    sent = 0
    for post, kind, old in changes:
        sent += _announce(session, post, kind, old)
    session.commit()
    return sent


def recipients(session, post: Post) -> list[Journalist]:
    """Active journalists who already got the release by mail, feed or link."""
    got = select(EmbargoAccess.journalist_id).where(EmbargoAccess.post_id == post.id, EmbargoAccess.channel != "denied")
    linked = select(EmbargoPreviewLink.journalist_id).where(
        EmbargoPreviewLink.post_id == post.id, EmbargoPreviewLink.revoked_at.is_(None)
    )
    return list(
        session.scalars(
            select(Journalist)
            .where(Journalist.active.is_(True), or_(Journalist.id.in_(got), Journalist.id.in_(linked)))
            .order_by(Journalist.id)
        )
    )


def _announce(session, post: Post, kind: str, old) -> int:
    sent = 0
    for journalist in recipients(session, post):
        with force_locale("id"):
            context = {
                "post": post,
                "journalist": journalist,
                "kind": kind,
                "old": format_datetime(old) if old else "",
                "new": format_datetime(post.embargo_until) if kind == "changed" else "",
                "url": embargo_links.personal_url(post, journalist, session) if kind == "changed" else "",
                "feed_url": private_feed_url(journalist),
            }
            text = render_template("journalists/mail/embargo_changed.txt", **context)
            if kind == "changed":
                subject = _("PERUBAHAN EMBARGO hingga %(when)s: %(title)s", when=context["new"], title=post.title)
            else:
                subject = _("EMBARGO DIBATALKAN: %(title)s", title=post.title)
        enqueue_mail(email_of(journalist), subject, text)
        sent += 1
    return sent


@job("feeds.embargo_changes", retries=3, retry_delay=60)
def sync_embargoes_job() -> int:
    # Its own session: inline jobs (tests) run inside the caller's after_commit.
    with Session(db.engine) as session:
        return sync_embargoes(session)


def sweep() -> int:
    return sync_embargoes(db.session)


@event.listens_for(Session, "after_flush")
def _watch_changes(session, flush_context) -> None:
    for obj in session.dirty:
        if isinstance(obj, Post):
            attrs = inspect(obj).attrs
            if attrs.embargo_until.history.has_changes() or (
                attrs.status.history.has_changes() and (obj.embargo_until or attrs.embargo_until.history.deleted)
            ):
                session.info["feeds_embargo_changed"] = True


@event.listens_for(Session, "after_commit")
def _after_change_commit(session) -> None:
    if session.info.pop("feeds_embargo_changed", False) and has_app_context():
        try:
            enqueue("feeds.embargo_changes")
        except Exception:  # noqa: BLE001 - the sweep catches up; never break the commit
            log.exception("could not queue the embargo change notice")


@event.listens_for(Session, "after_rollback")
def _forget_changes(session) -> None:
    session.info.pop("feeds_embargo_changed", None)
