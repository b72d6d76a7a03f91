"""The life of a permohonan informasi: receipt, routing, extension, answer.

Views stay thin and call these functions; the legal rules they apply are in
``law``.  Every state change is written to the audit log in the same
transaction, and mail goes out after the commit.

Over 300 lines on purpose: these are the transitions of one state machine
(receive, route, extend, complete, answer, deliver, withdraw), kept side by
side so their checks, audit entries and mail read in one order.  Newer
steps live in their own modules (dispositions, drafts, executions, fees).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import (
    InvalidToken,
    Unit,
    User,
    audit,
    db,
    decrypt,
    encrypt,
    format_date,
    hook,
    keyed_hash,
    mask,
    naive_utc,
    private_dir,
    results,
    valid_id,
)
from plugins.inbox import clock, fees, files, law, letter_records, notify, numbering, withheld
from plugins.inbox.errors import InboxError
from plugins.inbox.models import InfoRequest, Note

TRACKING_PURPOSE = "inbox-tracking"
NIK_PURPOSE = "inbox-nik"


def _hash_code(code: str) -> str:
    return keyed_hash(numbering.normalise_code(code), TRACKING_PURPOSE)


def create_request(
    data: dict,
    *,
    channel: str = "web",
    received_at: datetime | None = None,
    uploads: dict | None = None,
    actor: User | None = None,
    hold_code: bool = False,
) -> tuple[InfoRequest, str]:
    """Register a request; returns it and the tracking code (shown once).

    ``hold_code`` keeps the code encrypted on the row until ``take_receipt_code``
    shows it on the receipt page after the redirect (the public form).

    ``uploads`` maps a file kind (ktp, akta, surat_kuasa) to the
    ``(bytes, mime, name)`` of ``files.read_upload``.
    """
    received_at = received_at or naive_utc()
    received_date = clock.local_date(received_at)
    nik = (data.get("nik") or "").strip()
    code = numbering.tracking_code()
    req = InfoRequest(
        channel=channel,
        applicant_type=data["applicant_type"],
        name=data["name"].strip(),
        organisation=(data.get("organisation") or "").strip(),
        nik_enc=encrypt(nik) if nik else None,
        nik_hash=keyed_hash(nik, NIK_PURPOSE) if nik else None,
        nik_masked=mask(nik) if nik else "",
        sk_number=(data.get("sk_number") or "").strip(),
        kuasa_name=(data.get("kuasa_name") or "").strip(),
        kuasa_address=(data.get("kuasa_address") or "").strip(),
        kuasa_phone=(data.get("kuasa_phone") or "").strip(),
        address=data["address"].strip(),
        phone=(data.get("phone") or "").strip(),
        email=(data.get("email") or "").strip().lower(),
        occupation=(data.get("occupation") or "").strip(),
        details=data["details"].strip(),
        purpose=data["purpose"].strip(),
        dip_item_id=data.get("dip_item_id"),  # asked for from a DIP item's page (dip_requests)
        dip_item_title=data.get("dip_item_title") or "",
        access_method=data["access_method"],
        delivery=data["delivery"],
        suggested_unit_id=valid_id(data.get("suggested_unit_id")),
        received_at=received_at,
        received_date=received_date,
        due_date=law.answer_due(received_date, clock.options(), days=current_app.config["INBOX_ANSWER_DAYS"]),
        tracking_hash=_hash_code(code),
        receipt_code_enc=encrypt(code) if hold_code else None,
        created_by_id=getattr(actor, "id", None),
        year=received_date.year,
        seq=0,
        number="",
    )
    for kind, (blob, mime, name) in (uploads or {}).items():
        req.files.append(files.store(kind, blob, mime, name))
    # The number is taken last so the counter lock is held only until commit.
    db.session.add(req)
    req.seq, req.number = numbering.allocate("request", received_date.year)
    db.session.flush()
    audit.record(
        "inbox.request.created",
        "inbox_request",
        req.number,
        {"channel": channel, "received_at": received_at.isoformat(timespec="seconds")},
        user=actor,
    )
    db.session.commit()
    notify.receipt(req, code, _receipt_letter("tanda_terima", req))
    return req, code


RECEIPT_CODE_MINUTES = 30


def take_receipt_code(req: InfoRequest) -> str | None:
    """The held tracking code, once: wiped as it is read, and never shown
    later than ``RECEIPT_CODE_MINUTES`` after submitting."""
    token = req.receipt_code_enc
    if not token:
        return None
    req.receipt_code_enc = None
    db.session.commit()
    if naive_utc() - req.received_at > timedelta(minutes=RECEIPT_CODE_MINUTES):
        return None
    try:
        return decrypt(token)
    except InvalidToken:
        return None


def wipe_stale_receipt_codes() -> int:
    """Codes whose receipt page was never opened (the redirect not followed)."""
    cutoff = naive_utc() - timedelta(minutes=RECEIPT_CODE_MINUTES)
    rows = db.session.scalars(
        select(InfoRequest).where(InfoRequest.receipt_code_enc.is_not(None), InfoRequest.received_at < cutoff)
    ).all()
    for req in rows:
        req.receipt_code_enc = None
    db.session.commit()
    return len(rows)


def find_tracked(number: str, code: str) -> InfoRequest | None:
    """The request when number and code match; one answer for both failures."""
    req = db.session.scalar(select(InfoRequest).where(InfoRequest.number == (number or "").strip()))
    expected = req.tracking_hash if req is not None else _hash_code("X" * 12)
    ok = hmac.compare_digest(expected, _hash_code(code or ""))
    return req if (req is not None and ok) else None


def _letter(kind: str, req: InfoRequest, obj=None):
    """The decision's letter, issued in its transaction (see ``letter_records``)."""
    return letter_records.on_decision(kind, req, obj)


def _receipt_letter(kind: str, req: InfoRequest, obj=None):
    return letter_records.on_receipt(kind, req, obj)


def _change(req: InfoRequest, action: str, detail: dict | None = None) -> None:
    audit.record(f"inbox.request.{action}", "inbox_request", req.number, detail or {})


def assign(req: InfoRequest, unit: Unit | None, assignee: User | None) -> None:
    """Disposisi to a PPID Pembantu unit; the legal clock never restarts."""
    before = {"unit_id": req.unit_id, "assignee_id": req.assignee_id}
    req.unit_id = unit.id if unit else None
    req.assignee_id = assignee.id if assignee else None
    req.status = law.status_after("assign", req.status)
    _change(req, "assigned", {"before": before, "unit_id": req.unit_id, "assignee_id": req.assignee_id})
    db.session.commit()


def add_note(req: InfoRequest, text: str, user: User) -> Note:
    note = Note(request=req, text=text.strip(), user_id=user.id)
    db.session.add(note)
    _change(req, "note")
    db.session.commit()
    return note


def set_category(req: InfoRequest, category: str) -> None:
    _change(req, "categorised", {"from": req.category, "to": category})
    req.category, req.categorised_at = category, naive_utc()
    db.session.commit()


def extend(req: InfoRequest, reason: str) -> None:
    """One extension of at most 7 working days, with a written reason."""
    refused = law.extension_refusal(req.status, req.extended_due_date, req.due_date, clock.today())
    if refused == "closed":
        raise InboxError(_("Permohonan ini sudah dijawab atau ditutup."), "reason")
    if refused == "twice":
        raise InboxError(
            _(
                "Perpanjangan hanya dapat diberikan satu kali; permohonan ini sudah diperpanjang sampai %(d)s.",
                d=format_date(req.extended_due_date),
            ),
            "reason",
        )
    if refused == "late":
        raise InboxError(
            _(
                "Perpanjangan harus diberikan dalam 10 hari kerja; batas %(d)s sudah lewat (UU KIP Pasal 22 ayat 8).",
                d=format_date(req.due_date),
            ),
            "reason",
        )
    if not (reason or "").strip():
        raise InboxError(_("Alasan perpanjangan wajib diisi."), "reason")
    req.extended_due_date = law.extended_due(
        req.received_date, clock.options(), **clock.deadline_days(current_app.config)
    )
    req.extension_reason = reason.strip()
    req.extended_at = naive_utc()
    req.status = law.status_after("extend", req.status)
    _change(req, "extended", {"reason": req.extension_reason, "due": req.extended_due_date.isoformat()})
    letter = _letter("perpanjangan", req)
    db.session.commit()
    notify.extended(req, letter)


def request_completeness(req: InfoRequest, note: str) -> None:
    """Ask the applicant to complete the request.  The legal clock keeps running
    (UU KIP counts from receipt); closing for incompleteness is a separate step."""
    if not (note or "").strip():
        raise InboxError(_("Uraikan kekurangan yang harus dilengkapi."), "note")
    if not law.may("request_completeness", req.status):
        raise InboxError(_("Permohonan ini sudah dijawab atau ditutup."), "note")
    req.status = law.status_after("request_completeness", req.status)
    req.incomplete_note = note.strip()
    _change(req, "incomplete", {"note": req.incomplete_note})
    letter = _letter("kelengkapan", req)
    db.session.commit()
    notify.completeness(req, letter)


def resume(req: InfoRequest) -> None:
    if law.may("resume", req.status):
        req.status = law.status_after("resume", req.status)
        _change(req, "completed")
        db.session.commit()


def close_incomplete(req: InfoRequest, note: str) -> None:
    """Institution policy (research §2.4): never counted as a rejection."""
    if not law.may("close_incomplete", req.status):
        raise InboxError(_("Hanya permohonan yang menunggu kelengkapan dapat ditutup."), "note")
    req.status = law.status_after("close_incomplete", req.status)
    req.closed_at = naive_utc()
    _change(req, "closed_incomplete", {"note": (note or "").strip()})
    db.session.commit()


def parse_links(raw) -> list[str]:
    """DIP pages given as the answer: one per line, absolute http(s) or a site path."""
    lines = raw if isinstance(raw, list) else (raw or "").splitlines()
    links = [line.strip() for line in lines if line.strip()]
    for link in links:
        if not (link.startswith(("https://", "http://")) or (link.startswith("/") and not link.startswith("//"))):
            raise InboxError(_("Tautan tidak valid: %(l)s (awali dengan https:// atau /).", l=link[:80]), "dip_links")
    return links[:20]


def withdraw(req: InfoRequest, note: str) -> None:
    """The applicant withdrew the request (recorded by staff); not a decision."""
    if not law.may("withdraw", req.status):
        raise InboxError(_("Permohonan ini sudah dijawab atau ditutup."), "note")
    req.status = law.status_after("withdraw", req.status)
    req.closed_at = naive_utc()
    _change(req, "withdrawn", {"note": (note or "").strip()})
    db.session.commit()


# What the applicant is told when ``law.notice_gap`` names a missing part.
_NOTICE_GAPS = {
    "exemptions": lambda: _("Penolakan wajib menyebut Pasal 17 huruf dan/atau pasal undang-undang lain."),
    "consequence_test": lambda: _("Penolakan wajib menyertakan hasil uji konsekuensi."),
    "held_by": lambda: _("Sebutkan Badan Publik yang menguasai informasi."),
    "redaction_note": lambda: _("Jelaskan bagian yang dihitamkan/dikaburkan dan alasannya."),
}


class CheckedAnswer(NamedTuple):
    outcome: str
    exemptions: list[str]
    withheld_rows: list[dict]
    fee: fees.Fee


def check_answer(req: InfoRequest, data: dict) -> CheckedAnswer:
    """Every refusal a pemberitahuan can meet, before anything changes: run by
    ``answer`` and when a Pembantu's draft is submitted (``drafts``), so the
    Utama is never asked to approve a notice the law would refuse."""
    outcome = data.get("outcome")
    if not law.may("answer", req.status):
        raise InboxError(_("Permohonan ini sudah dijawab atau ditutup."), "outcome")
    if outcome not in law.OUTCOMES:
        raise InboxError(_("Pilih keputusan."), "outcome")
    exemptions = law.lawful_exemptions(data.get("exemptions") or [])
    withheld_rows = withheld.check(outcome, data.get("withheld") or [])
    gap = law.notice_gap(
        outcome,
        exemptions=exemptions,
        other_law=data.get("other_law") or "",
        consequence_test=data.get("consequence_test") or "",
        held_by=data.get("held_by") or "",
        redaction_note=data.get("redaction_note") or ("rows" if withheld_rows else ""),
    )
    if gap is not None:
        raise InboxError(_NOTICE_GAPS[gap](), gap)
    parse_links(data.get("dip_links"))  # refuse bad links before changing anything
    try:
        fee = fees.fee_for(req, data.get("fee_items") or {})
    except fees.FeeError as exc:
        raise InboxError(str(exc), exc.field) from None
    return CheckedAnswer(outcome, exemptions, withheld_rows, fee)


def answer(req: InfoRequest, data: dict, attachments: list | None = None) -> None:
    """Record the pemberitahuan tertulis and send it to the applicant."""
    outcome, exemptions, withheld_rows, fee = check_answer(req, data)
    now = naive_utc()
    req.outcome = outcome
    req.exemptions, req.other_law = law.rejection_basis(outcome, exemptions, data.get("other_law") or "")
    req.dik_ref = (data.get("dik_ref") or "").strip()[:300] if law.states_grounds(outcome) else ""
    req.consequence_test = (data.get("consequence_test") or "").strip()
    req.held_by = (data.get("held_by") or "").strip()
    req.redaction_note = (data.get("redaction_note") or "").strip()
    req.material = (data.get("material") or "").strip()
    req.info_form = data["info_form"] if data.get("info_form") in ("softcopy", "hardcopy") else ""
    req.provide_days = int(data["provide_days"]) if data.get("provide_days") not in (None, "") else None
    req.fee_pages, req.fee_detail, req.fee_total = fee.pages, fee.as_json(), fee.total
    req.payment_method = (data.get("payment_method") or "").strip()
    req.answer_text = (data.get("answer_text") or "").strip()
    req.dip_links = parse_links(data.get("dip_links"))
    withheld.store(req, withheld_rows)
    req.answered_at = now
    req.answered_date = clock.local_date(now)
    req.answer_working_days = clock.between(req.received_date, req.answered_date)
    req.status = law.status_after("answer", req.status)
    req.closed_at = now
    for blob, mime, name in attachments or []:
        req.files.append(files.store("answer", blob, mime, name))
    _change(
        req,
        "answered",
        {
            "outcome": outcome,
            "working_days": req.answer_working_days,
            "late": law.is_late(req.answered_date, req.effective_due),
        },
    )
    letter = _letter("pemberitahuan", req)
    db.session.commit()
    notify.answered(req, letter)


def mark_delivered(req: InfoRequest) -> None:
    if not law.may("deliver", req.status):
        raise InboxError(_("Informasi hanya dapat diserahkan setelah pemberitahuan tertulis."), "status")
    req.delivered_at = naive_utc()
    req.status = law.status_after("deliver", req.status)
    _change(req, "delivered")
    db.session.commit()


def publish_to_dip(req: InfoRequest, entry=None) -> int | None:
    """Offer an answer document to the DIP through ``cms_dip_add_document``;
    ``None`` when no plugin took it (e.g. the dip plugin is disabled)."""
    dip_id = offer_to_dip(
        title=req.details[:200],
        summary=req.material or req.details,
        unit_id=req.unit_id,
        year=req.received_date.year,
        blob=files.load(entry) if entry else None,
        file_name=entry.filename if entry else None,
        source=req.number,
    )
    if dip_id is not None:
        req.dip_entry_id = dip_id
        _change(req, "published_to_dip", {"dip_id": dip_id})
        db.session.commit()
    return dip_id


def offer_to_dip(
    *,
    title: str,
    summary: str,
    unit_id: int | None,
    year: int,
    blob: bytes | None,
    file_name: str | None,
    source: str,
    hook_name: str = "cms_dip_add_document",
) -> int | None:
    """Call the hook with a plain copy of the file that exists only during the
    call; a failing DIP plugin is logged and reported as "not taken"."""
    plain = None
    if blob is not None:
        plain = private_dir("inbox", "publish") / f"{secrets.token_hex(8)}-{file_name}"
        plain.write_bytes(blob)
    try:
        return getattr(hook(), hook_name)(
            title=title,
            summary=summary,
            unit_id=unit_id,
            year=year,
            file_path=str(plain) if plain else None,
            file_name=file_name,
            source=source,
        )
    except Exception:  # noqa: BLE001 - another plugin's failure must not lose the inbox action
        db.session.rollback()
        logging.getLogger(__name__).exception("%s failed for %s", hook_name, source)
        return None
    finally:
        if plain is not None and plain.exists():
            plain.unlink()


def dip_suggestions(text: str) -> list[dict]:
    """Matching DIP items; a failing plugin is logged (by ``results``) and
    left out, and must not break the case page or hide the others' items."""
    found: list[dict] = []
    for _plugin, result in results("cms_dip_suggest", text=text, limit=5):
        found.extend(
            item
            for item in (result if isinstance(result, list) else [])
            if isinstance(item, dict) and item.get("title") and item.get("url")
        )
    return found[:5]
