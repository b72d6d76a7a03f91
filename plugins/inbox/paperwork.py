"""Where the issued letters and the kuitansi meet: one timeline per request,
the letter the old printable pages show, and the keberatan letters an
officer may issue by hand.

An issued document is the record: the pages serve its stored PDF rather
than rendering today's data again (the facts may have changed since).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from cms.api import db
from plugins.inbox.letter_models import Letter


def timeline(letters: list, kuitansi: list) -> list[tuple[datetime, str, object]]:
    """Letters and kuitansi in the order they were issued (``kind`` is
    ``"letter"`` or ``"kuitansi"``)."""
    items = [(letter.issued_at, "letter", letter) for letter in letters]
    items += [(p.issued_at, "kuitansi", p) for p in kuitansi]
    return sorted(items, key=lambda item: (item[0], item[1]))


def issued_notice(req) -> Letter | None:
    """The pemberitahuan tertulis in force: the latest one issued (a
    correction replaces the earlier letter), or ``None`` before any."""
    return db.session.scalar(
        select(Letter)
        .where(Letter.request_id == req.id, Letter.kind == "pemberitahuan")
        .order_by(Letter.id.desc())
        .limit(1)
    )


def objection_letters(obj) -> list[str]:
    """The keberatan letters whose facts are recorded: the receipt always,
    the atasan's answer once the keberatan is decided."""
    kinds = ["tanda_terima_keberatan"]
    if obj.outcome and obj.reasons:
        kinds.append("tanggapan_keberatan")
    return kinds
