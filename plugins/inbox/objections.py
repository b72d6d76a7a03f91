"""Keberatan (UU KIP Pasal 35–36) and sengketa tracking; the rules are ``law``'s."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _

from cms.api import audit, db, format_date, naive_utc
from plugins.inbox import clock, executions, law, notify, numbering
from plugins.inbox.models import OBJECTION_CHANNELS, InfoRequest, Objection
from plugins.inbox.services import InboxError
from plugins.inbox.workdays import CalendarOptions


def window_start(req: InfoRequest) -> date:
    return law.objection_window_start(req.answered_date, req.effective_due)


def is_late(req: InfoRequest, filed: date, opts: CalendarOptions | None = None) -> bool:
    return law.objection_filed_late(
        window_start(req), filed, opts or clock.options(), days=current_app.config["INBOX_OBJECTION_WINDOW_DAYS"]
    )


def refuse_premature(req: InfoRequest, grounds: list[str], received: date) -> None:
    """The guards of ``law.objection_refusal``, each naming its field."""
    if received < req.received_date:
        raise InboxError(
            _("Keberatan tidak dapat diterima sebelum permohonan diterima (%(d)s).", d=format_date(req.received_date)),
            "received_at",
        )
    opens = law.objection_refusal(grounds, received, req.effective_due)
    if opens is not None:
        raise InboxError(
            _(
                "Alasan huruf c dan g baru timbul setelah batas waktu pemberitahuan tertulis (%(due)s) lewat; "
                "keberatan dengan alasan tersebut dapat diajukan mulai %(d)s.",
                due=format_date(req.effective_due),
                d=format_date(opens),
            ),
            "grounds",
        )


def file_objection(
    req: InfoRequest, data: dict, *, received_at: datetime | None = None, channel: str = "web", actor=None
) -> Objection:
    """Register a keberatan.  One filed after the window is accepted but
    flagged: its ground may have arisen later than the notice."""
    grounds = law.lawful_grounds(data.get("grounds") or [])
    if not grounds:
        raise InboxError(_("Pilih paling sedikit satu alasan keberatan."), "grounds")
    if not (data.get("case_summary") or "").strip():
        raise InboxError(_("Kasus posisi wajib diisi."), "case_summary")
    if channel not in OBJECTION_CHANNELS:
        raise InboxError(_("Pilih saluran dari daftar."), "channel")
    received_at = received_at or naive_utc()
    received = clock.local_date(received_at)
    refuse_premature(req, grounds, received)
    opts = clock.options()
    obj = Objection(
        request=req,
        grounds=grounds,
        case_summary=data["case_summary"].strip(),
        purpose=(data.get("purpose") or "").strip(),
        kuasa_name=(data.get("kuasa_name") or "").strip(),
        kuasa_address=(data.get("kuasa_address") or "").strip(),
        kuasa_phone=(data.get("kuasa_phone") or "").strip(),
        received_at=received_at,
        received_date=received,
        channel=channel,
        due_date=law.objection_answer_due(received, opts, days=current_app.config["INBOX_OBJECTION_ANSWER_DAYS"]),
        filed_late=is_late(req, received, opts),
        year=received.year,
        seq=0,
        number="",
    )
    db.session.add(obj)
    obj.seq, obj.number = numbering.allocate("objection", received.year)
    db.session.flush()
    audit.record(
        "inbox.objection.created",
        "inbox_objection",
        obj.number,
        {"request": req.number, "grounds": grounds, "late": obj.filed_late, "channel": channel},
        user=actor,
    )
    db.session.commit()
    from plugins.inbox.services import _receipt_letter

    notify.objection_receipt(obj, _receipt_letter("tanda_terima_keberatan", req, obj))
    return obj


def decide(
    obj: Objection,
    outcome: str,
    reasons: str,
    atasan_name: str,
    atasan_position: str,
    *,
    grant: str | None = None,
    order_what: str | None = None,
) -> None:
    """The Atasan PPID's answer; a grant (``grant`` seluruhnya/sebagian)
    also orders the PPID to give ``order_what`` (``executions``)."""
    refused = law.may_decide(obj.status, outcome)
    if refused == "decided":
        raise InboxError(_("Keberatan ini sudah diputus."), "outcome")
    if refused == "outcome":
        raise InboxError(_("Pilih keputusan."), "outcome")
    if not (reasons or "").strip():
        raise InboxError(_("Alasan tertulis wajib diisi."), "reasons")
    executions.check_order(outcome, grant, order_what)
    now = naive_utc()
    obj.outcome, obj.reasons = outcome, reasons.strip()
    obj.atasan_name, obj.atasan_position = (atasan_name or "").strip(), (atasan_position or "").strip()
    obj.decided_at, obj.decided_date, obj.status = now, clock.local_date(now), law.OBJECTION_DECIDED
    obj.request.closed_at = now
    if outcome == "dikabulkan":
        executions.create_order(obj, grant, order_what)
    audit.record(
        "inbox.objection.decided",
        "inbox_objection",
        obj.number,
        {"outcome": outcome, "late": law.is_late(obj.decided_date, obj.due_date)},
    )
    from plugins.inbox.services import _letter

    letter = _letter("tanggapan_keberatan", obj.request, obj)
    db.session.commit()
    notify.objection_decided(obj, letter)


def set_applicant_response(obj: Objection, text: str) -> None:
    obj.applicant_response = (text or "").strip()[:200]
    audit.record("inbox.objection.response", "inbox_objection", obj.number, {"response": obj.applicant_response})
    db.session.commit()


def dispute_window_end(obj: Objection) -> date:
    return law.dispute_window_end(
        obj.decided_date, obj.due_date, clock.options(), days=current_app.config["INBOX_DISPUTE_WINDOW_DAYS"]
    )


_OLD_DATES = {"filed_on": "registrasi", "mediation_on": "mediasi", "adjudication_on": "ajudikasi"}
_OLD_DATES["decision_on"] = "putusan"


def save_dispute(obj: Objection, data: dict, dispute=None):
    """The old one-stage form (``stage``, four dates, ``decision`` text),
    kept for its callers: mapped onto ``disputes.save``; a stage named
    without its date (and registrasi under it) is dated today."""
    from plugins.inbox import disputes

    new = {k: v for k, v in data.items() if k in ("ki_number", "notes")}
    new["result_note"] = data.get("decision") or ""
    for old, stage in _OLD_DATES.items():
        if data.get(old):
            new[f"{stage}_on"] = data[old]
    asked = {"didaftarkan": "registrasi", "selesai": None}.get(data.get("stage") or "", data.get("stage"))
    known = disputes.stage_dates(disputes.current(obj))
    for code in (asked, "registrasi"):
        if code in law.SENGKETA_STAGES and code not in known and not new.get(f"{code}_on"):
            new[f"{code}_on"] = clock.today()
    return disputes.save(obj, new)
