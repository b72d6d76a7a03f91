"""Worker jobs: deadline reminders and the retention purge."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import User, db, format_date
from plugins.inbox import clock, law, notify, privacy, standing
from plugins.inbox.models import InfoRequest, Objection, ReminderSent


def officer_emails(*roles: str, unit_id: int | None = None) -> list[str]:
    """Addresses of the active officers in ``roles`` (of ``unit_id`` when given)."""
    stmt = select(User.email).where(User.active.is_(True), User.role.in_(roles))
    if unit_id is not None:
        stmt = stmt.where(User.unit_id == unit_id)
    return list(db.session.scalars(stmt))


def _stage(left: int) -> str | None:
    if left < 0:
        return "late"
    if left in current_app.config["INBOX_REMINDER_DAYS"]:
        return str(left)
    return None


def _claim(key: str) -> bool:
    """Record that a reminder goes out; False when it already did."""
    if db.session.get(ReminderSent, key) is not None:
        return False
    db.session.add(ReminderSent(key=key))
    return True


def send_reminders() -> int:
    """To the assigned officer (or the unit's officers) and PPID Utama at 3 and
    1 working days before each deadline, and once when it is overdue."""
    opts = clock.options()
    sent, applicants = [], []
    for req in db.session.scalars(select(InfoRequest).where(InfoRequest.status.in_(law.OPEN_STATUSES))):
        stage = _stage(clock.remaining(req.effective_due, opts))
        if stage is None or not _claim(f"req:{req.id}:{req.effective_due}:{stage}"):
            continue
        officers = (
            [req.assignee.email]
            if req.assignee
            else (officer_emails("ppid_unit", unit_id=req.unit_id) if req.unit_id else [])
        )
        sent.append((officers + officer_emails("ppid"), req.number, req.effective_due, stage, req.details))
        if stage == "late" and standing.of(req, clock.today()) == "terlambat":
            applicants.append(req)
    for obj in db.session.scalars(select(Objection).where(Objection.status != law.OBJECTION_DECIDED)):
        stage = _stage(clock.remaining(obj.due_date, opts))
        if stage is None or not _claim(f"obj:{obj.id}:{obj.due_date}:{stage}"):
            continue
        sent.append(
            (officer_emails("atasan") + officer_emails("ppid"), obj.number, obj.due_date, stage, obj.case_summary)
        )
    db.session.commit()
    for req in applicants:
        notify.overdue(req)
    for recipients, number, due, stage, text in sent:
        if stage == "late":
            subject = _("TERLAMBAT: %(n)s melewati batas waktu %(d)s", n=number, d=format_date(due))
        else:
            subject = _("Pengingat: %(n)s jatuh tempo %(s)s hari kerja lagi", n=number, s=stage)
        notify.reminder(
            recipients,
            subject,
            [subject, "", text[:500], "", current_app.config["SITE_URL"].rstrip("/") + "/admin/inbox/"],
        )
    return len(sent)


def purge() -> int:
    from plugins.inbox.services import wipe_stale_receipt_codes

    wipe_stale_receipt_codes()
    return privacy.purge_due()
