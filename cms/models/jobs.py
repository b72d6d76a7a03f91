"""One row per long background job: its state, progress, heartbeat and resume cursor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from cms.extensions import Model

JOB_STATES = ("queued", "running", "done", "failed")


class JobRun(Model):
    """``kind`` + ``subject`` name the work (e.g. ``dip.import`` + the import id).

    ``attempt`` grows on every claim: a worker's heartbeat only lands while its
    attempt is current, so a worker thought dead that wakes up cannot write
    over the run that replaced it.  ``cursor`` is what a resume starts from.
    """

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("kind", "subject", name="uq_job_run_kind_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    attempt: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str] = mapped_column(String(120), default="")
    heartbeat_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(String(500), default="")
    cursor: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    finished_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<JobRun {self.kind}:{self.subject} {self.state} {self.done}/{self.total}>"
