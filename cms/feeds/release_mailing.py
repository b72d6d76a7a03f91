"""Mailing a published press release to its subscribers, each once.

A tracked run (``cms.job_runs``, kind ``subscriptions.MAILING_JOB``) so a
mailing whose worker died resumes where it stopped; the addresses, the mail
itself and its unsubscribe headers are ``cms.feeds.subscriptions``'.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from cms import job_runs
from cms.extensions import db
from cms.feeds.subscriptions import MAILING_JOB, send
from cms.jobs import job
from cms.models.content import Post
from cms.models.distribution import Mailing, Subscriber

log = logging.getLogger(__name__)


def wants(sub: Subscriber, post: Post) -> bool:
    return sub.all_categories or bool(set(sub.category_ids or []) & {c.id for c in post.categories})


def _start_mailing(post_id: int) -> bool:
    """Record the mailing and its tracked run together; False when it was
    mailed before runs were tracked (nothing to resume, never mail again)."""
    if db.session.scalar(select(Mailing.id).where(Mailing.post_id == post_id)) is None:
        db.session.add(Mailing(post_id=post_id))
        job_runs.track(MAILING_JOB, post_id)
        try:
            db.session.commit()
        except IntegrityError:  # queued twice at once: the other one recorded it
            db.session.rollback()
    return job_runs.find(MAILING_JOB, post_id) is not None


def _recipients(post: Post, cursor: dict) -> list[Subscriber]:
    """Who still needs this release: past the cursor, plus those whose mail failed to queue."""
    after, failed = int(cursor.get("after", 0)), set(cursor.get("failed", []))
    subs = db.session.scalars(select(Subscriber).where(Subscriber.status == "active").order_by(Subscriber.id)).all()
    return [s for s in subs if (s.id > after or s.id in failed) and wants(s, post)]


@job("feeds.mail_release", retries=3, retry_delay=60)
def mail_release(post_id: int) -> int:
    """Mail a just-published press release to confirmed subscribers, each once.

    A tracked run (``cms.job_runs``): the cursor (last subscriber done, mails
    that failed to queue) is committed after every mail, so a run whose
    worker died resumes after it, and one bad address never stops the rest.
    """
    from cms.newsroom.publishing import is_public, public_url

    post = db.session.get(Post, post_id)
    if post is None or post.kind != "siaran-pers" or not is_public(post) or not _start_mailing(post_id):
        return 0
    claim = job_runs.claim(MAILING_JOB, post_id)
    if claim is None:
        return 0  # running in another worker, or finished
    cursor = {"after": 0, "sent": 0, "failed": []} | claim.cursor
    chosen = _recipients(post, cursor)
    retrying = set(cursor["failed"])
    cursor["failed"] = []
    total = cursor["sent"] + len(chosen)
    db.session.execute(update(Mailing).where(Mailing.post_id == post_id).values(recipients=total))
    subject = f"[{post.kind_label}] {post.title}"
    try:
        claim.beat(cursor["sent"], total, cursor=cursor)
        for sub in chosen:
            try:
                send(sub, subject, "release", post=post, url=public_url(post))
                cursor["sent"] += 1
            except Exception:  # noqa: BLE001 - recorded on the run; the others still get theirs
                log.exception("release %s: mail to subscriber %s not queued", post_id, sub.id)
                cursor["failed"].append(sub.id)
            if sub.id not in retrying:
                cursor["after"] = max(cursor["after"], sub.id)
            claim.beat(cursor["sent"], total, cursor=dict(cursor, failed=list(cursor["failed"])))
    except job_runs.Superseded:
        return cursor["sent"]  # declared dead and resumed elsewhere: that run reports
    except Exception as exc:
        claim.fail(f"pengiriman gagal: {type(exc).__name__}")
        raise
    if cursor["failed"]:
        claim.fail(f"{len(cursor['failed'])} e-mail gagal diantrekan")
    else:
        claim.finish(done=cursor["sent"])
    return cursor["sent"]
