"""Long background jobs keep a heartbeat, so a killed worker is noticed.

A job calls ``claim`` when it starts and ``Claim.beat`` as it goes (progress,
heartbeat and, for resumable jobs, a cursor written in the same transaction
as the work it describes).  A run whose heartbeat is older than
``JOB_STALE_AFTER`` seconds lost its worker: pages show it as failed with
what was done, and ``reopen`` lets staff resume it from its cursor or retry
it from the start.  Every state change is a conditional UPDATE, so two
workers, or two clicks, never run the same work twice.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from cms.extensions import db
from cms.models import JobRun
from cms.timeutil import naive_utc

STOPPED = "terhenti: pekerja berhenti"


class Superseded(RuntimeError):
    """This worker's run was declared dead and handed to another: stop now."""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def stale_after() -> timedelta:
    return timedelta(seconds=float(current_app.config.get("JOB_STALE_AFTER", 300)))


def find(kind: str, subject) -> JobRun | None:
    return db.session.scalar(select(JobRun).where(JobRun.kind == kind, JobRun.subject == str(subject)))


def track(kind: str, subject, *, total: int = 0) -> JobRun:
    """The run for this work, queued now (created when absent)."""
    run = find(kind, subject)
    if run is None:
        run = JobRun(kind=kind, subject=str(subject), state="queued", total=total, heartbeat_at=naive_utc(), cursor={})
        try:
            with db.session.begin_nested():
                db.session.add(run)
        except IntegrityError:
            found = find(kind, subject)  # queued twice at once: the other one won
            if found is None:
                raise
            run = found
    return run


def _stale(now: datetime):
    limit = now - stale_after()
    return and_(
        JobRun.state.in_(("running", "queued")), or_(JobRun.heartbeat_at.is_(None), JobRun.heartbeat_at < limit)
    )


def is_stale(run: JobRun, now: datetime | None = None) -> bool:
    if run.state not in ("running", "queued"):
        return False
    return run.heartbeat_at is None or run.heartbeat_at < (now or naive_utc()) - stale_after()


def shown_state(run: JobRun, now: datetime | None = None) -> str:
    """The state a page shows: a running run without a heartbeat has failed."""
    if run.state == "running" and is_stale(run, now):
        return "failed"
    return run.state


def shown_error(run: JobRun, now: datetime | None = None) -> str:
    if run.state == "running" and is_stale(run, now):
        return STOPPED
    return run.error


@dataclass
class Claim:
    """This worker's hold on a run; every write checks the hold is still ours."""

    run_id: int
    attempt: int
    cursor: dict = field(default_factory=dict)

    def _update(self, **values) -> None:
        result = db.session.execute(
            update(JobRun)
            .where(JobRun.id == self.run_id, JobRun.attempt == self.attempt, JobRun.state == "running")
            .values(heartbeat_at=naive_utc(), **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
            db.session.rollback()
            raise Superseded(f"job run {self.run_id} attempt {self.attempt} was taken over")

    def beat(
        self, done: int | None = None, total: int | None = None, *, cursor: dict | None = None, commit: bool = True
    ) -> None:
        """Heartbeat (and progress); with ``commit=False`` it joins the caller's transaction."""
        values = {k: v for k, v in (("done", done), ("total", total), ("cursor", cursor)) if v is not None}
        self._update(**values)
        if commit:
            db.session.commit()

    def finish(self, *, done: int | None = None) -> None:
        values = {"state": "done", "finished_at": naive_utc(), "error": ""}
        if done is not None:
            values["done"] = done
        self._update(**values)
        db.session.commit()

    def requeue(self) -> None:
        """Hand the run back, queued with its cursor, for the next job to claim:
        work done in batches, one job at a time."""
        self._update(state="queued")
        db.session.commit()

    def fail(self, error: str) -> None:
        db.session.rollback()
        self._update(state="failed", finished_at=naive_utc(), error=error[:500])
        db.session.commit()


def claim(kind: str, subject) -> Claim | None:
    """Take a queued run for this worker; None when it is running elsewhere or finished."""
    run = track(kind, subject)
    db.session.commit()
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.id == run.id, JobRun.state == "queued", JobRun.attempt == run.attempt)
        .values(state="running", attempt=JobRun.attempt + 1, worker=worker_id(), heartbeat_at=naive_utc(), error="")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
        return None
    db.session.refresh(run)
    return Claim(run.id, run.attempt, dict(run.cursor or {}))


def reopen(run: JobRun, *, resume: bool) -> bool:
    """Queue a failed (or worker-less) run again: from its cursor, or from the start.

    False when it is not stuck (still beating, already done) or someone else
    reopened it first.
    """
    now = naive_utc()
    values: dict = {"state": "queued", "heartbeat_at": now, "error": "", "finished_at": None}
    if not resume:
        values |= {"cursor": {}, "done": 0}
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.id == run.id, JobRun.attempt == run.attempt, or_(JobRun.state == "failed", _stale(now)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(run)
    return result.rowcount == 1  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result


def can_reopen(run: JobRun, now: datetime | None = None) -> bool:
    return run.state == "failed" or is_stale(run, now)


def mark_stopped() -> int:
    """Periodic: record runs whose worker died as failed, so every list agrees."""
    now = naive_utc()
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.state == "running", _stale(now))
        .values(state="failed", error=STOPPED, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
