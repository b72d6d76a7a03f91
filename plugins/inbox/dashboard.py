"""The admin dashboard panel: what is due first for this officer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask import render_template
from sqlalchemy import func, select

from cms.api import can, db, visible_unit_ids
from plugins.inbox import drafts, law, standing
from plugins.inbox.models import InfoRequest, Objection


def panel(user) -> str | None:
    if not can(user, "inbox.view"):
        return None
    stmt = select(InfoRequest).where(InfoRequest.queue_rank == 0).order_by(InfoRequest.due_sort, InfoRequest.id)
    visible = visible_unit_ids(user)
    if visible is not None:
        stmt = stmt.where(InfoRequest.unit_id.in_(visible or {-1}))
    requests = db.session.scalars(stmt.limit(5)).all()
    from plugins.inbox.clock import today

    now = today()
    week_end = now + timedelta(days=6 - now.weekday())
    counted = stmt.order_by(None).with_only_columns(func.count())
    due_this_week = db.session.scalar(counted.where(InfoRequest.due_sort.between(now, week_end)))
    overdue = db.session.scalar(counted.where(standing.overdue_clause(now)))
    objections: Sequence[Objection] = []
    if can(user, "inbox.decide") or user.role == "ppid":
        objections = db.session.scalars(
            select(Objection).where(Objection.status != law.OBJECTION_DECIDED).order_by(Objection.due_date).limit(5)
        ).all()
    waiting = drafts.waiting() if can(user, drafts.APPROVE) else []
    from plugins.inbox.clock import missing_decree_years

    missing = missing_decree_years() if can(user, "inbox.calendar") else []
    return render_template(
        "inbox/admin/_dashboard.html",
        requests=requests,
        objections=objections,
        waiting=waiting,
        missing=missing,
        due_this_week=due_this_week,
        overdue=overdue,
        stands={r.id: standing.label(standing.of(r, now)) for r in requests if not standing.shows_clock(r, now)},
    )
