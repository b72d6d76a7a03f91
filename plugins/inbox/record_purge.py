"""Destroying the PDFs of issued letters and kuitansi under the jadwal retensi arsip.

DOMAIN.md limits the scheduled purge to identity files (about a year after
the case closes) and keeps the register entry under the archive retention
schedule (JRA).  Issued letters and kuitansi are such archive records — the
documents a Komisi Informasi examiner reads — not identity files, so they
are not destroyed with the KTP scans by default: ``INBOX_RECORD_RETENTION_DAYS``
(the JRA period the institution sets; ``0`` = keep) decides.  When it is set,
the PDFs of requests whose identity data was already purged, and that closed
longer ago than the period, are deleted; each row keeps its number, date,
signer and SHA-256, so ``/ppid/surat/<code>`` still verifies a paper copy.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from cms.api import audit, db, naive_utc, private_dir
from plugins.inbox import law, letter_records, payments
from plugins.inbox.fee_models import Payment
from plugins.inbox.letter_models import Letter
from plugins.inbox.models import InfoRequest


def days() -> int:
    return int(current_app.config["INBOX_RECORD_RETENTION_DAYS"] or 0)


def purge_due() -> int:
    """Delete the due PDFs (the caller commits); returns how many went."""
    if days() <= 0:
        return 0
    now = naive_utc()
    cutoff = law.retention_cutoff(now, days())
    requests = db.session.scalars(
        select(InfoRequest).where(
            InfoRequest.purged_at.is_not(None), InfoRequest.closed_at.is_not(None), InfoRequest.closed_at < cutoff
        )
    ).all()
    removed = 0
    for req in requests:
        if not law.case_settled(
            [o.status for o in req.objections], [d.stage for o in req.objections for d in o.disputes]
        ):
            continue
        letters = db.session.scalars(
            select(Letter).where(Letter.request_id == req.id, Letter.purged_at.is_(None))
        ).all()
        kuitansi = db.session.scalars(
            select(Payment).where(Payment.request_id == req.id, Payment.purged_at.is_(None))
        ).all()
        if not letters and not kuitansi:
            continue
        for letter in letters:
            (private_dir(letter_records.FOLDER) / letter.stored_name).unlink(missing_ok=True)
            letter.purged_at = now
        for p in kuitansi:
            (private_dir(*payments.STORE) / p.pdf_stored_name).unlink(missing_ok=True)
            p.purged_at = now
        audit.record(
            "inbox.retention.records_purged",
            "inbox_request",
            req.number,
            {
                "letters": [(x.number, x.sha256) for x in letters],
                "kuitansi": [(x.receipt_number, x.pdf_sha256) for x in kuitansi],
                "retention_days": days(),
            },
        )
        removed += len(letters) + len(kuitansi)
    return removed
