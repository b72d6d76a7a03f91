"""Where a case stands — one answer for the tracking page, the officer list,
the dashboard and the registers (``law.standing`` decides it).

A request before the Atasan PPID or the Komisi Informasi shows that, not
"terlambat"; ``overdue_clause`` is the same rule as a SQL filter, for the
lists and counts that must not load every row.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, select

from plugins.inbox import law
from plugins.inbox.models import InfoRequest, Objection

LABELS = {
    "ditutup": _l("Ditutup"),
    "dalam_sengketa": _l("Dalam sengketa di Komisi Informasi"),
    "sengketa_selesai": _l("Sengketa selesai"),
    "keberatan_diproses": _l("Keberatan sedang diproses Atasan PPID"),
    "keberatan_diputus": _l("Keberatan sudah diputus Atasan PPID"),
    "terlambat": _l("Terlambat, belum dijawab"),
    "berjalan": _l("Dalam proses"),
    "dijawab": _l("Dijawab"),
}
if tuple(LABELS) != law.STANDINGS:
    raise RuntimeError("standing labels differ from law.STANDINGS")


def of(req: InfoRequest, today: date) -> str:
    """The ``law.STANDINGS`` code of ``req`` on ``today``."""
    return law.standing(
        req.status,
        today,
        req.effective_due,
        [o.status for o in req.objections],
        [d.stage for o in req.objections for d in o.disputes],
    )


def label(code: str) -> str:
    return str(LABELS[code])


def shows_clock(req: InfoRequest, today: date) -> bool:
    """Whether the request's own deadline still counts down ("N hari kerja
    lagi" / "terlambat"): only while it stands on that clock."""
    return of(req, today) in ("terlambat", "berjalan")


def overdue_clause(today: date):
    """SQL for ``of(req, today) == "terlambat"``: open, past its deadline, and
    no keberatan (hence no sengketa) on it."""
    return and_(
        InfoRequest.queue_rank == 0,
        InfoRequest.due_sort < today,
        ~exists(select(Objection.id).where(Objection.request_id == InfoRequest.id)),
    )
