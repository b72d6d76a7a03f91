"""Move Monev's rows when two units are merged (``cms_units_merged``).

Runs inside core's merge transaction (no commit here).  Complaints and
social accounts simply move.  Where both units answered the same checklist
item in the same period, the answer further along wins (accepted, then
submitted, then returned, then draft; the target's on a tie) and the other
is dropped (audited as ``monev.answers.dropped_on_merge``).  Two letters
of results for one period are two issued documents with their own numbers:
the merge is refused rather than lose one.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from cms.api import FieldError, audit, db
from plugins.monev.models import MonevAnswer, MonevComplaint, MonevLetter, MonevPeriod, MonevSocialAccount

# How far an answer got: the one further along survives a clash.
_PROGRESS = {"diterima": 3, "diajukan": 2, "dikembalikan": 1, "draf": 0}


def move_rows(source_id: int, target_id: int) -> dict[str, int]:
    _refuse_two_letters(source_id, target_id)
    moved = {
        "monev_complaint": _move(MonevComplaint, source_id, target_id),
        "monev_social_account": _move(MonevSocialAccount, source_id, target_id),
        "monev_letter": _move(MonevLetter, source_id, target_id),
    }
    moved["monev_answer"], dropped = _merge_answers(source_id, target_id)
    if dropped:  # not "moved": told apart in the merge's own transaction
        audit.record("monev.answers.dropped_on_merge", "unit", target_id, {"source_id": source_id, "answers": dropped})
    return moved


def _move(model, source_id: int, target_id: int) -> int:
    statement = update(model).where(model.unit_id == source_id).values(unit_id=target_id)
    return db.session.execute(statement).rowcount  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result


def _refuse_two_letters(source_id: int, target_id: int) -> None:
    theirs = select(MonevLetter.period_id).where(MonevLetter.unit_id == target_id)
    clash = db.session.execute(
        select(MonevPeriod, MonevLetter.number)
        .join(MonevLetter, MonevLetter.period_id == MonevPeriod.id)
        .where(MonevLetter.unit_id == source_id, MonevLetter.period_id.in_(theirs))
        .order_by(MonevPeriod.year, MonevPeriod.id)
    ).first()
    if clash is not None:
        period, number = clash
        raise FieldError(
            _(
                "Kedua unit sudah menerima surat hasil Monev %(period)s (salah satunya nomor %(number)s); "
                "penggabungan dibatalkan agar tidak ada surat terbit yang hilang.",
                period=period.label,
                number=number,
            ),
            "source",
        )


def _merge_answers(source_id: int, target_id: int) -> tuple[int, int]:
    """Answers moved, and answers dropped for a clash."""
    kept = {
        (row.period_id, row.item): row
        for row in db.session.scalars(select(MonevAnswer).where(MonevAnswer.unit_id == target_id))
    }
    moved = dropped = 0
    for row in db.session.scalars(select(MonevAnswer).where(MonevAnswer.unit_id == source_id)).all():
        other = kept.get((row.period_id, row.item))
        if other is not None and _PROGRESS.get(other.status, 0) >= _PROGRESS.get(row.status, 0):
            db.session.delete(row)
            dropped += 1
            continue
        if other is not None:
            db.session.delete(other)
            db.session.flush()  # the unique (period, unit, item) is free before the row moves in
            dropped += 1
        row.unit_id = target_id
        moved += 1
    db.session.flush()
    return moved, dropped
