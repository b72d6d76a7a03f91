"""Personal data: masking, the subject-access export and the retention purge."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from cms.api import AuditLog, audit, db, keyed_hash, mask, naive_utc
from plugins.inbox import files, law
from plugins.inbox.models import InboxFile, InfoRequest


def mask_name(name: str | None) -> str:
    """``Budi Santoso`` → ``B*** S******``: enough to tell rows apart, not to identify."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in (name or "").split())


def mask_contact(value: str | None) -> str:
    if not value:
        return ""
    if "@" in value:
        local, _, domain = value.partition("@")
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    return mask(value, 3)


def mask_address(value: str | None) -> str:
    return "***" if value else ""


def find_by_applicant(nik: str = "", email: str = "") -> list[InfoRequest]:
    """Requests of one data subject, found by NIK (through its keyed hash) or e-mail."""
    from plugins.inbox.services import NIK_PURPOSE

    clauses = []
    if nik.strip():
        clauses.append(InfoRequest.nik_hash == keyed_hash(nik.strip(), NIK_PURPOSE))
    if email.strip():
        clauses.append(InfoRequest.email == email.strip().lower())
    if not clauses:
        return []
    from sqlalchemy import or_

    return list(db.session.scalars(select(InfoRequest).where(or_(*clauses)).order_by(InfoRequest.id)))


def subject_export(requests: list[InfoRequest]) -> dict:
    """What we hold about an applicant and what was done with it (UU PDP)."""
    numbers = [r.number for r in requests]
    log = db.session.scalars(
        select(AuditLog).where(AuditLog.object_id.in_(numbers or [""])).order_by(AuditLog.id)
    ).all()
    return {
        "generated_at": naive_utc().isoformat(timespec="seconds") + "Z",
        "requests": [
            {
                "nomor_pendaftaran": r.number,
                "jenis_pemohon": r.applicant_type,
                "nama": r.name,
                "nama_kelompok_badan_hukum": r.organisation,
                "nik": r.nik_masked,
                "nomor_sk": r.sk_number,
                "alamat": r.address,
                "telepon": r.phone,
                "email": r.email,
                "pekerjaan": r.occupation,
                "kuasa": r.kuasa_name,
                "rincian_informasi": r.details,
                "tujuan": r.purpose,
                "diterima": r.received_at.isoformat(timespec="seconds"),
                "status": r.status,
                "keputusan": r.outcome,
                "berkas_identitas": [
                    {"jenis": f.kind, "nama": f.filename, "dimusnahkan": bool(f.purged_at)}
                    for f in r.files
                    if f.is_identity
                ],
            }
            for r in requests
        ],
        "riwayat_pemrosesan": [
            {
                "waktu": e.at.isoformat(timespec="seconds") if e.at else "",
                "aksi": e.action,
                "objek": e.object_id,
                "oleh": e.actor,
            }
            for e in log
        ],
    }


def purge_due() -> int:
    """Delete identity files of cases closed longer than the retention period.

    The register row stays, with the masked NIK and its keyed hash; the
    encrypted NIK goes too.  Cases with an open keberatan are kept.  Issued
    letters and kuitansi follow ``record_purge`` (their own JRA period).
    """
    days = int(current_app.config["INBOX_RETENTION_DAYS"])
    cutoff = law.retention_cutoff(naive_utc(), days)
    candidates = db.session.scalars(
        select(InfoRequest).where(
            InfoRequest.closed_at.is_not(None), InfoRequest.closed_at < cutoff, InfoRequest.purged_at.is_(None)
        )
    ).all()
    purged = 0
    for req in candidates:
        if not law.case_settled(
            [o.status for o in req.objections], [d.stage for o in req.objections for d in o.disputes]
        ):
            continue
        removed = []
        for entry in db.session.scalars(
            select(InboxFile).where(
                InboxFile.request_id == req.id, InboxFile.kind != "answer", InboxFile.purged_at.is_(None)
            )
        ):
            files.purge(entry)
            removed.append(entry.kind)
        req.nik_enc = None
        req.purged_at = naive_utc()
        audit.record("inbox.retention.purged", "inbox_request", req.number, {"files": removed, "retention_days": days})
        purged += 1
    db.session.flush()
    from plugins.inbox import record_purge  # issued letters and kuitansi: their own (JRA) period

    record_purge.purge_due()
    db.session.commit()
    return purged
