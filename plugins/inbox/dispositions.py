"""Disposisi between the PPID Utama and the PPID Pembantu.

A Pembantu returns a request that is not its OPD's (with a reason), the
Utama forwards it to another unit; each move is a ``Disposition`` row (the
request's timeline: who, when, why) and an audit entry.  No move touches
``received_date``, ``due_date`` or ``extended_due_date``: the clock runs
from receipt (``law.may_reroute``).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from cms.api import Unit, User, audit, db
from plugins.inbox import law
from plugins.inbox.disposition_models import Disposition, UnitApproval
from plugins.inbox.errors import InboxError
from plugins.inbox.models import InfoRequest

ACTIONS = {
    "assigned": _l("Disposisi"),
    "returned": _l("Dikembalikan ke PPID Utama"),
    "forwarded": _l("Diteruskan"),
    "draft_submitted": _l("Jawaban diajukan untuk persetujuan"),
    "draft_sent_back": _l("Jawaban dikembalikan untuk diperbaiki"),
    "draft_approved": _l("Jawaban disetujui PPID Utama"),
}


def move(req: InfoRequest, action: str, *, to_unit_id=None, reason: str = "", actor: User | None = None) -> Disposition:
    """Add a timeline entry (and its audit line) in the caller's transaction."""
    actor = actor if actor is not None else (current_user if current_user and current_user.is_authenticated else None)
    row = Disposition(
        request_id=req.id,
        action=action,
        from_unit_id=req.unit_id,
        to_unit_id=to_unit_id,
        user_id=getattr(actor, "id", None),
        actor=getattr(actor, "email", "") or "",
        reason=reason,
    )
    db.session.add(row)
    audit.record(
        f"inbox.request.{action}",
        "inbox_request",
        req.number,
        {"from_unit_id": req.unit_id, "to_unit_id": to_unit_id, "reason": reason},
        user=actor,
    )
    return row


def note_assign(req: InfoRequest, unit: Unit | None) -> None:
    """Put a routing through the plain disposisi form on the timeline too."""
    new = unit.id if unit else None
    if new != req.unit_id:
        move(req, "assigned", to_unit_id=new)


def return_to_utama(req: InfoRequest, reason: str, actor: User) -> None:
    """The Pembantu hands the request back: not its OPD's.  The Utama routes it again."""
    reason = (reason or "").strip()
    if not law.may_reroute(req.status):
        raise InboxError(_("Permohonan ini sudah dijawab atau ditutup."), "reason")
    if req.unit_id is None:
        raise InboxError(_("Permohonan ini sudah berada di PPID Utama."), "reason")
    if not reason:
        raise InboxError(_("Alasan pengembalian wajib diisi."), "reason")
    move(req, "returned", to_unit_id=None, reason=reason, actor=actor)
    _void_draft_files(req)
    req.unit_id, req.assignee_id = None, None
    db.session.commit()


def forward(req: InfoRequest, unit_id: int | None, reason: str, actor: User) -> None:
    """The Utama sends the request on to another unit; the due dates stay."""
    reason = (reason or "").strip()
    if not law.may_reroute(req.status):
        raise InboxError(_("Permohonan ini sudah dijawab atau ditutup."), "unit_id")
    unit = db.session.get(Unit, unit_id) if unit_id else None
    problem = law.reroute_problem(req.unit_id, unit_id, unit is not None and unit.active)
    if problem == "missing" or unit is None:
        raise InboxError(_("Unit tujuan tidak ditemukan atau tidak aktif."), "unit_id")
    if problem == "same":
        raise InboxError(_("Permohonan sudah berada di unit ini; pilih unit lain."), "unit_id")
    if not reason:
        raise InboxError(_("Alasan penerusan wajib diisi."), "reason")
    move(req, "forwarded", to_unit_id=unit.id, reason=reason, actor=actor)
    _void_draft_files(req)
    req.unit_id, req.assignee_id = unit.id, None
    req.status = law.status_after("assign", req.status)
    db.session.commit()


def _void_draft_files(req: InfoRequest) -> None:
    """A draft's documents stay behind when the request moves to another unit:
    kept as internal files, never given as the next unit's answer."""
    for entry in req.files:
        if entry.kind == "answer_draft":
            entry.kind = "draft_void"


def timeline(req: InfoRequest) -> list[Disposition]:
    return list(
        db.session.scalars(select(Disposition).where(Disposition.request_id == req.id).order_by(Disposition.id))
    )


def returned_by(req: InfoRequest) -> Disposition | None:
    """The last return, shown to the Utama while the request waits for routing."""
    last = db.session.scalar(
        select(Disposition).where(Disposition.request_id == req.id).order_by(Disposition.id.desc()).limit(1)
    )
    return last if last is not None and last.action == "returned" and req.unit_id is None else None


def approval_required(unit_id: int | None) -> bool:
    if unit_id is None:
        return False
    row = db.session.get(UnitApproval, unit_id)
    return bool(row and row.required)


def approval_settings() -> list[tuple[Unit, bool]]:
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)).all()
    required = {row.unit_id for row in db.session.scalars(select(UnitApproval).where(UnitApproval.required.is_(True)))}
    return [(unit, unit.id in required) for unit in units]


def set_approval(required_ids: set[int], actor: User) -> list[int]:
    """Save which units need approval; returns the units whose setting changed."""
    changed = []
    for unit, before in approval_settings():
        after = unit.id in required_ids
        if after == before:
            continue
        row = db.session.get(UnitApproval, unit.id) or UnitApproval(unit_id=unit.id)
        row.required, row.updated_by_id = after, actor.id
        db.session.add(row)
        audit.record("inbox.approval.setting", "unit", unit.id, {"required": after}, user=actor)
        changed.append(unit.id)
    db.session.commit()
    return changed
