"""Large exports written by the worker into the private folder.

The inbox's registers, the DIP catalogue and the feeds' subscriber list
write theirs through it.
An export over its threshold starts a job run (``job_runs``) keyed by
kind and subject (who asks for what), so asking twice gets the run already
going; the job beats its progress between batches and records the file in
the run's cursor.  Pages show the progress and, once done, a download link
that the caller's view authorizes; the file is removed after the kind's
``hours``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

from cms import job_runs
from cms.extensions import db
from cms.jobs import enqueue
from cms.models import JobRun
from cms.storage import private_dir
from cms.timeutil import naive_utc

ACTIVE = ("queued", "running")


def _folder(kind: str) -> Path:
    return private_dir("exports", kind.replace(".", "-"))


def _stored(run: JobRun) -> Path | None:
    name = (run.cursor or {}).get("file")
    return _folder(run.kind) / Path(name).name if name else None


def file_path(run: JobRun, hours: float) -> Path | None:
    """The written file while it is kept; ``None`` before, after, or when removed."""
    path = _stored(run)
    if run.state != "done" or path is None or run.finished_at is None:
        return None
    if naive_utc() >= run.finished_at + timedelta(hours=hours):
        return None
    return path if path.exists() else None


def active_count(kind: str) -> int:
    return db.session.scalar(select(func.count()).where(JobRun.kind == kind, JobRun.state.in_(ACTIVE))) or 0


def ready(kind: str, subject: str, params: dict, hours: float) -> Path | None:
    """The kept file of a finished run made from exactly ``params``, if any."""
    run = job_runs.find(kind, subject)
    if run is None or run.state in ACTIVE:
        return None
    same = {k: v for k, v in (run.cursor or {}).items() if k in params} == params
    return file_path(run, hours) if same else None


def start(
    kind: str,
    subject: str,
    params: dict,
    total: int,
    hours: float,
    limit: int | None = None,
    reuse: bool = True,
) -> int | None:
    """The id of this export's run: the one going on, the one done from the
    same ``params`` whose file is still kept (unless ``reuse`` is off: data
    that changes without a version, such as a register, is written anew),
    or a new one queued now (with immediate jobs, as in tests, it has run by
    the time this returns).  ``None`` when a new run is needed but ``limit``
    runs are already active."""
    run = job_runs.find(kind, subject)
    if run is not None:
        if run.state in ACTIVE and not job_runs.is_stale(run):
            return run.id
        if reuse and ready(kind, subject, params, hours) is not None:
            return run.id
        _remove(run)
        db.session.execute(
            delete(JobRun)
            .where(JobRun.id == run.id, JobRun.attempt == run.attempt)
            .execution_options(synchronize_session=False)
        )
        db.session.expunge(run)
    if limit is not None and active_count(kind) >= limit:
        return None
    run = job_runs.track(kind, subject, total=total)
    run.cursor = dict(params)
    db.session.commit()
    run_id = run.id
    enqueue(kind, subject)
    return run_id


def write(kind: str, subject: str, writer: Callable[[job_runs.Claim, Path], int]) -> None:
    """The job's body: claim the run, let ``writer(claim, path)`` write the
    file (beating as it goes) and return its row count, then record it.
    The file takes the run's ``fmt`` parameter as its suffix."""
    claim = job_runs.claim(kind, subject)
    if claim is None:
        return  # running elsewhere, or finished
    params = dict(claim.cursor)
    path = _folder(kind) / f"{secrets.token_hex(16)}.{params['fmt']}"
    try:
        count = writer(claim, path)
    except job_runs.Superseded:
        path.unlink(missing_ok=True)
        return
    except Exception as exc:  # noqa: BLE001 - shown on the status page, never lost
        path.unlink(missing_ok=True)
        claim.fail(f"ekspor gagal: {type(exc).__name__}")
        raise
    claim.beat(count, count, cursor=params | {"file": path.name, "rows": count}, commit=False)
    claim.finish(done=count)


def _remove(run: JobRun) -> None:
    path = _stored(run)
    if path is not None:
        path.unlink(missing_ok=True)


def remove_expired(kind: str, hours: float) -> int:
    """Periodic: delete this kind's files kept longer than ``hours``."""
    cutoff = naive_utc() - timedelta(hours=hours)
    runs = db.session.scalars(
        select(JobRun).where(JobRun.kind == kind, JobRun.state == "done", JobRun.finished_at < cutoff)
    ).all()
    removed = 0
    for run in runs:
        if (run.cursor or {}).get("file"):
            _remove(run)
            run.cursor = {k: v for k, v in run.cursor.items() if k != "file"} | {"removed": True}
            removed += 1
    db.session.commit()
    return removed
