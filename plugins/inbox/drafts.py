"""Answers that wait for the PPID Utama's approval (a setting per unit).

Where the unit's ``UnitApproval.required`` is set, a PPID Pembantu's
pemberitahuan is kept as an ``AnswerDraft`` with everything typed; the
answer is recorded, the letter issued and the applicant told only when the
Utama approves it (``services.answer``, once).  A draft is not a notice:
the request stays open and its deadline keeps running and warning.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import User, can, db, naive_utc
from plugins.inbox import dispositions, files, notify, services, tasks
from plugins.inbox.disposition_models import AnswerDraft
from plugins.inbox.errors import InboxError
from plugins.inbox.models import InfoRequest

APPROVE = "inbox.approve"
_NOT_KEPT = ("csrf_token", "attachments")


def needs_approval(req: InfoRequest, user: User) -> bool:
    """A Pembantu's answer on a unit that asks for the Utama's approval."""
    return not can(user, APPROVE) and dispositions.approval_required(req.unit_id)


def of(req: InfoRequest) -> AnswerDraft | None:
    """The request's draft for its current unit (one routed elsewhere since is stale)."""
    if not req.is_open:
        return None
    draft = db.session.scalar(select(AnswerDraft).where(AnswerDraft.request_id == req.id))
    return draft if draft is not None and draft.unit_id == req.unit_id and draft.status != "disetujui" else None


def pending(req: InfoRequest) -> AnswerDraft | None:
    draft = of(req)
    return draft if draft is not None and draft.status == "menunggu" else None


def waiting(limit: int = 10) -> list[InfoRequest]:
    """Requests whose draft the PPID Utama has still to approve or send back,
    oldest first (the dashboard lists them; a stale draft left by a move is skipped)."""
    stmt = (
        select(InfoRequest, AnswerDraft)
        .join(AnswerDraft, AnswerDraft.request_id == InfoRequest.id)
        .where(AnswerDraft.status == "menunggu")
        .order_by(AnswerDraft.submitted_at, AnswerDraft.id)
    )
    return [req for req, draft in db.session.execute(stmt) if req.is_open and draft.unit_id == req.unit_id][:limit]


def submit(req: InfoRequest, data: dict, attachments: list, actor: User) -> AnswerDraft:
    """Keep the Pembantu's answer for approval; nothing goes to the applicant."""
    services.check_answer(req, data)
    draft = db.session.scalar(select(AnswerDraft).where(AnswerDraft.request_id == req.id))
    if draft is None:
        draft = AnswerDraft(request_id=req.id)
        db.session.add(draft)
    elif draft.unit_id != req.unit_id:
        draft.comment = ""  # another unit's review does not carry over
    draft.unit_id = req.unit_id
    draft.data = {k: v for k, v in data.items() if k not in _NOT_KEPT}
    draft.status, draft.author_id, draft.submitted_at = "menunggu", actor.id, naive_utc()
    for blob, mime, name in attachments:
        req.files.append(files.store("answer_draft", blob, mime, name))
    dispositions.move(req, "draft_submitted", to_unit_id=req.unit_id, actor=actor)
    db.session.commit()
    notify.draft_waiting(req, draft, tasks.officer_emails("ppid"))
    return draft


def _review(req: InfoRequest, actor: User) -> AnswerDraft:
    if not can(actor, APPROVE, unit_id=req.unit_id):
        raise InboxError(_("Hanya PPID Utama yang dapat menyetujui atau mengembalikan jawaban."), "decision")
    draft = pending(req)
    if draft is None:
        raise InboxError(_("Tidak ada jawaban yang menunggu persetujuan."), "decision")
    draft.reviewer_id, draft.reviewed_at = actor.id, naive_utc()
    return draft


def send_back(req: InfoRequest, comment: str, actor: User) -> None:
    """Back to the Pembantu with the Utama's comment; the draft keeps its text."""
    draft = _review(req, actor)
    comment = (comment or "").strip()
    if not comment:
        raise InboxError(_("Catatan untuk PPID Pembantu wajib diisi."), "comment")
    draft.status, draft.comment = "dikembalikan", comment
    dispositions.move(req, "draft_sent_back", to_unit_id=req.unit_id, reason=comment, actor=actor)
    db.session.commit()
    unit_officers = tasks.officer_emails("ppid_unit", unit_id=draft.unit_id) if draft.unit_id else []
    notify.draft_sent_back(req, draft, unit_officers)


def approve(req: InfoRequest, actor: User) -> None:
    """Record the draft as the answer: the letter is issued and the applicant
    told here, once (``services.answer`` commits everything together)."""
    draft = _review(req, actor)
    draft.status = "disetujui"
    for entry in req.files:
        if entry.kind == "answer_draft":
            entry.kind = "answer"
    dispositions.move(req, "draft_approved", to_unit_id=req.unit_id, actor=actor)
    services.answer(req, dict(draft.data), [])
