"""Fanning one release out to the subscribers who want it, in paced batches.

A release is one ``crosspost_wa_release`` row and one message row per chosen
subscriber (unique per release and subscriber: planned once, never twice).
The job ``crosspost.whatsapp.release`` holds the release's run
(``cms.api.job_runs``: one worker at a time, a heartbeat per message), sends
due messages one by one at the configured rate and inside the 24-hour
tier, and stops after ``CROSSPOST_WHATSAPP_BATCH_SECONDS`` to continue later.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from cms.api import JobRun, Post, db, enqueue, is_public, job, job_runs, naive_utc
from plugins.crosspost.audience import public_from
from plugins.crosspost.story import story_from_post
from plugins.crosspost.whatsapp import api
from plugins.crosspost.whatsapp.models import ACCEPTED, OPEN, WaMessage, WaRelease, WaSubscriber
from plugins.crosspost.whatsapp.sending import cfg, deliver, schedule

log = logging.getLogger(__name__)
RELEASE_JOB = "crosspost.whatsapp.release"


def wants(sub: WaSubscriber, post) -> bool:
    cats, units = set(sub.category_ids or []), set(sub.unit_ids or [])
    if not cats and not units:
        return True
    return bool(cats & {c.id for c in post.categories}) or (post.unit_id is not None and post.unit_id in units)


def on_published(post) -> int | None:
    """A release became public: one fan-out row, whatever else happens to the post."""
    kinds = {k.strip() for k in str(cfg("KINDS")).split(",") if k.strip()}
    if post.kind not in kinds or not api.configured():
        return None
    story = story_from_post(post)
    release = WaRelease(post_id=post.id, title=story.title[:500], url=story.url[:500], not_before=public_from(post))
    db.session.add(release)
    try:
        db.session.commit()
    except IntegrityError:  # published again, or the sweep was first: never a second fan-out
        db.session.rollback()
        return None
    if release.not_before is not None and release.not_before > naive_utc():
        schedule(RELEASE_JOB, release.id, release.not_before)  # embargo: the sweep covers longer waits
    else:
        enqueue(RELEASE_JOB, release.id)
    return release.id


def plan(release: WaRelease, post) -> int:
    """Choose the recipients once: active subscribers whose categories or units match."""
    subs = db.session.scalars(select(WaSubscriber).where(WaSubscriber.status == "active")).all()
    have = set(db.session.scalars(select(WaMessage.subscriber_id).where(WaMessage.release_id == release.id)))
    now = naive_utc()
    rows = [
        WaMessage(release_id=release.id, subscriber_id=s.id, kind="release", status="queued", next_attempt_at=now)
        for s in subs
        if s.id not in have and wants(s, post)
    ]
    db.session.add_all(rows)
    release.planned_at = now
    db.session.commit()
    return len(rows)


def recent_recipients(now: datetime) -> set[int]:
    """Subscribers messaged in the last 24 h (the tier counts unique recipients)."""
    since = now - timedelta(hours=24)
    return set(db.session.scalars(select(WaMessage.subscriber_id).where(WaMessage.sent_at >= since).distinct()))


@job(RELEASE_JOB)
def release_job(release_id: int) -> None:
    run_release(release_id)


def run_release(release_id: int, seconds: float | None = None) -> str:
    """Work on one release for at most ``seconds``; returns why it stopped."""
    now = naive_utc()
    release = db.session.get(WaRelease, release_id)
    if release is None or release.finished_at is not None:
        return "finished"
    if release.not_before and release.not_before > now:
        schedule(RELEASE_JOB, release_id, release.not_before)
        return "waiting"
    post = db.session.get(Post, release.post_id)
    if post is None or not is_public(post):
        db.session.execute(
            update(WaMessage)
            .where(WaMessage.release_id == release_id, WaMessage.status.in_(OPEN))
            .values(status="cancelled", error="Rilis ditarik sebelum terkirim.")
        )
        release.finished_at = now
        db.session.commit()
        return "cancelled"
    hold = job_runs.claim(RELEASE_JOB, release_id)
    if hold is None:
        return "busy"
    stopped = "busy"
    try:
        if release.planned_at is None:
            plan(release, post)
        stopped = _work(release, time.monotonic() + float(seconds or cfg("BATCH_SECONDS")), hold)
    except job_runs.Superseded:
        pass  # declared dead and reopened: the next job carries on
    finally:
        db.session.rollback()
        _let_go(hold, stopped == "finished")
    return stopped


def _let_go(hold, finished: bool) -> None:
    """Done with the release, or queued again for the job that resumes it."""
    try:
        if finished:
            hold.finish()
        else:
            hold.requeue()
    except job_runs.Superseded:
        pass


def _next_due(release_id: int, now: datetime) -> int | None:
    return db.session.scalar(
        select(WaMessage.id)
        .where(
            WaMessage.release_id == release_id,
            WaMessage.status.in_(OPEN),
            or_(WaMessage.next_attempt_at.is_(None), WaMessage.next_attempt_at <= now),
        )
        .order_by(WaMessage.id)
        .limit(1)
    )


def _work(release: WaRelease, deadline: float, hold) -> str:
    tier = int(cfg("TIER") or 0)
    recent = recent_recipients(naive_utc())
    while True:
        now = naive_utc()
        msg_id = _next_due(release.id, now)
        if msg_id is None:
            later = db.session.scalar(
                select(func.min(WaMessage.next_attempt_at)).where(
                    WaMessage.release_id == release.id, WaMessage.status.in_(OPEN)
                )
            )
            if later is not None:
                schedule(RELEASE_JOB, release.id, later)
                return "waiting"
            release.finished_at = now
            db.session.commit()
            return "finished"
        if time.monotonic() >= deadline:
            schedule(RELEASE_JOB, release.id, now)
            return "paused"
        subscriber_id = db.session.scalar(select(WaMessage.subscriber_id).where(WaMessage.id == msg_id))
        if tier and subscriber_id not in recent and len(recent) >= tier:
            log.info("whatsapp release %s waits for the 24-hour tier (%s recipients)", release.id, tier)
            return "tier"  # the sweep resumes it when the oldest send leaves the window
        hold.beat(commit=False)  # committed with the message's claim
        outcome = deliver(msg_id)
        if outcome is not None and outcome.status == "sent" and subscriber_id is not None:
            recent.add(subscriber_id)
        if outcome is not None and outcome.throttled:
            msg = db.session.get_one(WaMessage, msg_id)
            schedule(RELEASE_JOB, release.id, msg.next_attempt_at)
            return "throttled"


def due_releases(now: datetime) -> list[int]:
    """Unfinished releases whose time has come and that no live worker holds
    (a run whose worker died is reopened here)."""
    ids = list(
        db.session.scalars(
            select(WaRelease.id).where(
                WaRelease.finished_at.is_(None),
                or_(WaRelease.not_before.is_(None), WaRelease.not_before <= now),
            )
        )
    )
    held = select(JobRun).where(JobRun.kind == RELEASE_JOB, JobRun.subject.in_([str(i) for i in ids]))
    runs = {run.subject: run for run in db.session.scalars(held)} if ids else {}
    return [i for i in ids if _free(runs.get(str(i)), now)]


def _free(run, now: datetime) -> bool:
    if run is None or run.state == "queued":
        return True
    return job_runs.can_reopen(run, now) and job_runs.reopen(run, resume=True)


def counts(release_id: int) -> dict[str, int]:
    """Sent/delivered/read/failed as the admin page shows them (delivered includes read)."""
    rows = dict(
        db.session.execute(
            select(WaMessage.status, func.count()).where(WaMessage.release_id == release_id).group_by(WaMessage.status)
        ).all()
    )
    return {
        "total": sum(rows.values()),
        "sent": sum(rows.get(s, 0) for s in ACCEPTED),
        "delivered": rows.get("delivered", 0) + rows.get("read", 0),
        "read": rows.get("read", 0),
        "failed": rows.get("failed", 0),
        "open": sum(rows.get(s, 0) for s in (*OPEN, "sending")),
        "unknown": rows.get("unknown", 0) + rows.get("cancelled", 0),
    }
