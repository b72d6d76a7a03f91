"""The self-assessment: a checklist per unit per period with evidence.

The PPID Pembantu answers each item and uploads its evidence (a PDF or an
image of at most ``MONEV_EVIDENCE_MAX_KB``, checked by its content, not its
name); the PPID Utama accepts or returns each answer with a comment.  Only
accepted "ada" answers count in the score.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import audit, db, naive_utc, private_dir
from plugins.monev.models import MonevAnswer, MonevPeriod

CHECKLIST: tuple[tuple[str, str], ...] = (
    ("sk_ppid", "SK penetapan PPID Pembantu"),
    ("petugas_terlatih", "Petugas layanan informasi yang sudah dilatih"),
    ("meja_layanan", "Meja/ruang layanan informasi"),
    ("sop_dipajang", "SOP layanan dan maklumat pelayanan dipajang"),
    ("akses_disabilitas", "Akses layanan bagi penyandang disabilitas"),
    ("anggaran", "Anggaran layanan informasi"),
)
LABELS = dict(CHECKLIST)
# Leading bytes -> stored type: what the file is, whatever its name says.
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


class EvidenceError(ValueError):
    pass


def max_bytes() -> int:
    return int(current_app.config.get("MONEV_EVIDENCE_MAX_KB", 2048)) * 1024


def sniff(data: bytes) -> str | None:
    return next((mime for magic, mime in SIGNATURES if data.startswith(magic)), None)


def check_evidence(data: bytes) -> str:
    """The file's type, or ``EvidenceError`` saying why it is refused."""
    if not data:
        raise EvidenceError(_("Berkas bukti kosong."))
    if len(data) > max_bytes():
        raise EvidenceError(_("Berkas bukti melebihi %(kb)s KB.", kb=max_bytes() // 1024))
    mime = sniff(data)
    if mime is None:
        raise EvidenceError(_("Berkas bukti harus PDF, PNG atau JPEG."))
    return mime


def evidence_dir() -> Path:
    return Path(private_dir("monev"))


def answers(period: MonevPeriod, unit_id: int) -> dict[str, MonevAnswer]:
    rows = db.session.scalars(
        select(MonevAnswer).where(MonevAnswer.period_id == period.id, MonevAnswer.unit_id == unit_id)
    )
    return {row.item: row for row in rows}


def save_answer(period, unit_id: int, item: str, present: bool, note: str, upload, user) -> MonevAnswer:
    """Store one answer (and its evidence) as submitted; an accepted answer is not changed."""
    if item not in LABELS:
        raise EvidenceError(_("Butir penilaian tidak dikenal."))
    row = answers(period, unit_id).get(item) or MonevAnswer(period_id=period.id, unit_id=unit_id, item=item)
    if row.status == "diterima":
        raise EvidenceError(_("Jawaban yang sudah diterima tidak dapat diubah."))
    if upload is not None:
        data = upload.read(max_bytes() + 1)
        mime = check_evidence(data)
        stored = secrets.token_hex(16)
        (evidence_dir() / stored).write_bytes(data)
        row.evidence_stored, row.evidence_mime, row.evidence_size = stored, mime, len(data)
        row.evidence_name = Path(upload.filename or "bukti").name[:200]
    if present and not row.evidence_stored:
        raise EvidenceError(_("Jawaban \u201cada\u201d memerlukan berkas bukti."))
    row.present, row.note, row.status, row.updated_by_id = present, note[:2000], "diajukan", user.id
    db.session.add(row)
    db.session.commit()
    audit.record("monev.answer.submitted", "monev_answer", row.id, {"item": item, "unit": unit_id}, commit=True)
    return row


def review(row: MonevAnswer, accept: bool, comment: str, user) -> None:
    """The PPID Utama's verdict; a returned answer needs a comment saying what to fix."""
    if row.status not in ("diajukan", "diterima", "dikembalikan"):
        raise EvidenceError(_("Jawaban belum diajukan."))
    if not accept and not comment.strip():
        raise EvidenceError(_("Tuliskan alasan pengembalian."))
    row.status = "diterima" if accept else "dikembalikan"
    row.review_comment, row.reviewed_by_id, row.reviewed_at = comment.strip()[:2000], user.id, naive_utc()
    db.session.commit()
    audit.record("monev.answer.reviewed", "monev_answer", row.id, {"status": row.status}, commit=True)


def accepted_counts(period_id: int | None, unit_ids: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(unit_ids, 0)
    if period_id is None:
        return counts
    for unit_id in db.session.scalars(
        select(MonevAnswer.unit_id).where(
            MonevAnswer.period_id == period_id,
            MonevAnswer.unit_id.in_(unit_ids or [-1]),
            MonevAnswer.status == "diterima",
            MonevAnswer.present.is_(True),
        )
    ):
        counts[unit_id] += 1
    return counts
