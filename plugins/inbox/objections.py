"""Keberatan (UU KIP Pasal 35–36) and sengketa tracking."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _

from cms.audit import record
from cms.extensions import db
from cms.timeutil import naive_utc
from plugins.inbox import clock, notify, numbering
from plugins.inbox.models import DISPUTE_STAGES, GROUNDS, OBJECTION_OUTCOMES, Dispute, InfoRequest, Objection
from plugins.inbox.services import InboxError


def window_start(req: InfoRequest) -> date:
    """When the 30-working-day filing window opens: the written notice, or —
    for an unanswered request — the lapse of its (extended) deadline."""
    return req.answered_date or req.effective_due


def is_late(req: InfoRequest, filed: date, opts: dict | None = None) -> bool:
    deadline = clock.add(window_start(req), current_app.config["INBOX_OBJECTION_WINDOW_DAYS"], opts)
    return filed > deadline


def file_objection(req: InfoRequest, data: dict, *, received_at: datetime | None = None) -> Objection:
    """Register a keberatan.  One filed after the window is accepted but
    flagged: its ground may have arisen later than the notice."""
    grounds = sorted(g for g in data.get("grounds") or [] if g in GROUNDS)
    if not grounds:
        raise InboxError(_("Pilih paling sedikit satu alasan keberatan."), "grounds")
    if not (data.get("case_summary") or "").strip():
        raise InboxError(_("Kasus posisi wajib diisi."), "case_summary")
    received_at = received_at or naive_utc()
    received = clock.local_date(received_at)
    opts = clock.options()
    obj = Objection(
        request=req, grounds=grounds, case_summary=data["case_summary"].strip(),
        purpose=(data.get("purpose") or "").strip(),
        kuasa_name=(data.get("kuasa_name") or "").strip(),
        kuasa_address=(data.get("kuasa_address") or "").strip(),
        kuasa_phone=(data.get("kuasa_phone") or "").strip(),
        received_at=received_at, received_date=received,
        due_date=clock.add(received, current_app.config["INBOX_OBJECTION_ANSWER_DAYS"], opts),
        filed_late=is_late(req, received, opts), year=received.year, seq=0, number="",
    )
    db.session.add(obj)
    obj.seq, obj.number = numbering.allocate("objection", received.year)
    db.session.flush()
    record("inbox.objection.created", "inbox_objection", obj.number,
           {"request": req.number, "grounds": grounds, "late": obj.filed_late})
    db.session.commit()
    notify.objection_receipt(obj)
    return obj


def decide(obj: Objection, outcome: str, reasons: str, atasan_name: str, atasan_position: str) -> None:
    if obj.status == "diputus":
        raise InboxError(_("Keberatan ini sudah diputus."), "outcome")
    if outcome not in OBJECTION_OUTCOMES:
        raise InboxError(_("Pilih keputusan."), "outcome")
    if not (reasons or "").strip():
        raise InboxError(_("Alasan tertulis wajib diisi."), "reasons")
    now = naive_utc()
    obj.outcome, obj.reasons = outcome, reasons.strip()
    obj.atasan_name, obj.atasan_position = (atasan_name or "").strip(), (atasan_position or "").strip()
    obj.decided_at, obj.decided_date, obj.status = now, clock.local_date(now), "diputus"
    obj.request.closed_at = now
    record("inbox.objection.decided", "inbox_objection", obj.number,
           {"outcome": outcome, "late": obj.decided_date > obj.due_date})
    db.session.commit()
    notify.objection_decided(obj)


def set_applicant_response(obj: Objection, text: str) -> None:
    obj.applicant_response = (text or "").strip()[:200]
    record("inbox.objection.response", "inbox_objection", obj.number, {"response": obj.applicant_response})
    db.session.commit()


def dispute_window_end(obj: Objection) -> date:
    """Last day to bring a sengketa: 14 WD after the atasan's answer or after
    the 30-WD lapse without one."""
    start = obj.decided_date or obj.due_date
    return clock.add(start, current_app.config["INBOX_DISPUTE_WINDOW_DAYS"])


def save_dispute(obj: Objection, data: dict, dispute: Dispute | None = None) -> Dispute:
    stage = data.get("stage") or "didaftarkan"
    if stage not in DISPUTE_STAGES:
        raise InboxError(_("Pilih tahap sengketa."), "stage")
    if dispute is None:
        dispute = Dispute(objection=obj)
        db.session.add(dispute)
    before = {"stage": dispute.stage}
    for key in ("ki_number", "decision", "notes"):
        setattr(dispute, key, (data.get(key) or "").strip())
    for key in ("filed_on", "mediation_on", "adjudication_on", "decision_on"):
        setattr(dispute, key, data.get(key))
    dispute.stage = stage
    obj.request.closed_at = naive_utc()
    db.session.flush()
    record("inbox.dispute.saved", "inbox_dispute", dispute.id,
           {"objection": obj.number, "before": before, "stage": stage})
    db.session.commit()
    return dispute
