"""Embargoed releases mailed to accredited journalists, each once.

Queued when a release is put under embargo (the session events below notice
it) or a journalist is accredited, and swept every minute as a safety net.
The journalists, their private feeds and the access log are
``cms.feeds.subscriptions``'.
"""

from __future__ import annotations

import logging

from flask import has_app_context, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from cms.extensions import db
from cms.feeds.subscriptions import email_of, embargoed_posts, log_access, private_feed_url, queue_embargo_notice
from cms.i18n import format_datetime
from cms.jobs import job
from cms.mail import enqueue_mail
from cms.models.content import Post
from cms.models.distribution import EmbargoAccess, Journalist

log = logging.getLogger(__name__)


def notify_embargoed(session=None) -> int:
    """Mail each embargoed release once to every active accredited journalist.

    Queued when a release is scheduled under embargo or a journalist is
    accredited, and swept every minute as a safety net."""
    from cms.newsroom.embargo_links import personal_url

    session = session or db.session
    sent = 0
    posts = embargoed_posts(session)
    if not posts:
        return 0
    journalists = session.scalars(select(Journalist).where(Journalist.active.is_(True))).all()
    for post in posts:
        done = set(
            session.scalars(
                select(EmbargoAccess.journalist_id).where(
                    EmbargoAccess.post_id == post.id, EmbargoAccess.channel == "mail"
                )
            )
        )
        for journalist in journalists:
            if journalist.id in done:
                continue
            embargo = format_datetime(post.embargo_until)
            try:
                with force_locale("id"):
                    context = {
                        "post": post,
                        "journalist": journalist,
                        "embargo": embargo,
                        "url": personal_url(post, journalist, session),
                        "feed_url": private_feed_url(journalist),
                    }
                    text = render_template("feeds/mail/embargo.txt", **context)
                    html = render_template("feeds/mail/embargo.html", **context)
                    subject = _("EMBARGO hingga %(when)s: %(title)s", when=embargo, title=post.title)
                enqueue_mail(email_of(journalist), subject, text, html=html)
            except Exception:  # noqa: BLE001 - not recorded as mailed: the next sweep tries again
                log.exception("embargo notice for post %s to journalist %s not queued", post.id, journalist.id)
                continue
            # Recorded once queued: a mail that failed to queue is never marked as sent.
            log_access(journalist, [post], "mail", session=session)
            sent += 1
    return sent


@job("feeds.embargo_notify", retries=3, retry_delay=60)
def notify_embargoed_job() -> int:
    # Its own session: when jobs run inline (tests) this runs inside the
    # caller's ``after_commit``, where the scoped session cannot query.
    with Session(db.engine) as session:
        return notify_embargoed(session)


@event.listens_for(Session, "after_flush")
def _watch_embargo(session, flush_context) -> None:
    """A release just put under embargo (history is still there in after_flush)."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Post) and obj.status == "scheduled" and obj.embargo_until is not None:
            attrs = inspect(obj).attrs
            if attrs.status.history.has_changes() or attrs.embargo_until.history.has_changes():
                session.info["feeds_embargo_scheduled"] = True


@event.listens_for(Session, "after_commit")
def _after_embargo_commit(session) -> None:
    if session.info.pop("feeds_embargo_scheduled", False) and has_app_context():
        queue_embargo_notice()


@event.listens_for(Session, "after_rollback")
def _forget_embargo(session) -> None:
    session.info.pop("feeds_embargo_scheduled", None)
