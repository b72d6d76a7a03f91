"""Move the inbox's rows when two units are merged (``cms_units_merged``).

Runs inside core's merge transaction (no commit here).  Versioned rows get
their version raised so an officer editing one meanwhile gets a conflict.
Rows keyed by ``unit_key`` (kop surat, public profile, report narratives)
move unless the target has its own, which wins.
"""

from __future__ import annotations

from sqlalchemy import select, update

from cms.api import db
from plugins.inbox.letter_models import Letter, Letterhead
from plugins.inbox.models import InfoRequest, ReportText
from plugins.inbox.ppid_page_models import PpidOffice


def _move_keyed(model, source_id: int, target_id: int, *same) -> int:
    """Move ``model`` rows keyed by ``unit_key``; ``same`` columns complete the unique key."""
    moved = 0
    for row in db.session.scalars(select(model).where(model.unit_key == source_id)).all():
        clash = select(model.id).where(model.unit_key == target_id, *[c == getattr(row, c.key) for c in same])
        if db.session.scalar(clash) is None:
            row.unit_key = target_id
            moved += 1
        else:
            db.session.delete(row)
    db.session.flush()
    return moved


def move_rows(source_id: int, target_id: int) -> dict[str, int]:
    requests = db.session.execute(  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
        update(InfoRequest)
        .where(InfoRequest.unit_id == source_id)
        .values(unit_id=target_id, version=InfoRequest.version + 1)
    ).rowcount
    letters = db.session.execute(update(Letter).where(Letter.unit_id == source_id).values(unit_id=target_id)).rowcount  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
    moved = {"inbox_request": requests, "inbox_letter": letters}
    moved["inbox_letterhead"] = _move_keyed(Letterhead, source_id, target_id)
    moved["inbox_ppid_office"] = _move_keyed(PpidOffice, source_id, target_id)
    moved["inbox_report_text"] = _move_keyed(ReportText, source_id, target_id, ReportText.year, ReportText.section)
    return moved
