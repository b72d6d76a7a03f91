"""The inbox's figures for Monev (``cms_monev_indicators``): the service of
each PPID Pembantu (requests, deadlines, dispositions) and its keberatan.

Requests and keberatan count by the day they were received in the period;
"terbuka lewat tenggat" is today's state, as the dashboard shows it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import case, func, select

from cms.api import db
from plugins.inbox import clock, law, standing
from plugins.inbox.disposition_models import Disposition
from plugins.inbox.models import OBJECTION_OUTCOMES, Dispute, InfoRequest, Objection


def _figure(key, label, category, values, link=None, detail=None) -> dict[str, Any]:
    return {
        "key": f"inbox.{key}",
        "label": label,
        "category": category,
        "values": values,
        "link": link,
        "detail": detail,
    }


def indicators(start: date, end: date, unit_ids: list[int]) -> list[dict[str, Any]]:
    units = list(unit_ids) or [-1]
    zero: dict[Any, int] = dict.fromkeys(unit_ids, 0)  # unit ids; never None (filtered)
    # The exact days counted (a semester is not its year), by received date as below.
    counted = f"&dari={start.isoformat()}&sampai={end.isoformat()}"
    link = _link("inbox_admin.index", "?unit={unit}" + counted)
    in_period = (
        InfoRequest.received_date >= start,
        InfoRequest.received_date <= end,
        InfoRequest.unit_id.in_(units),
    )
    # One scan for the counts; law.answer_timeliness as SQL: on time by the
    # first deadline, inside the one extension, or late (the due day counts).
    binding = func.coalesce(InfoRequest.extended_due_date, InfoRequest.due_date)
    on = InfoRequest.answered_date

    def n(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    names = ("received", "extended", "answered", "within_10", "within_17")
    counts: dict[str, dict[int, int]] = {name: dict(zero) for name in names}
    for unit_id, *values in db.session.execute(
        select(
            InfoRequest.unit_id,
            func.count(),
            func.count(InfoRequest.extended_due_date),
            func.count(on),
            n(on <= InfoRequest.due_date),
            n(on <= binding),
        )
        .where(*in_period)
        .group_by(InfoRequest.unit_id)
    ):
        for name, value in zip(names, values, strict=True):
            counts[name][unit_id] = int(value)
    received, extended, answered = counts["received"], counts["extended"], counts["answered"]
    within_10, within_17 = counts["within_10"], counts["within_17"]
    late = {u: answered[u] - within_17[u] for u in unit_ids}
    # The median from a histogram (unit, days, count): a few hundred rows, not one per request.
    days: dict[Any, Counter] = defaultdict(Counter)
    for unit_id, taken, count in db.session.execute(
        select(InfoRequest.unit_id, InfoRequest.answer_working_days, func.count())
        .where(*in_period, InfoRequest.answered_date.is_not(None), InfoRequest.answer_working_days.is_not(None))
        .group_by(InfoRequest.unit_id, InfoRequest.answer_working_days)
    ):
        days[unit_id][taken] = count
    overdue = dict(zero)
    for unit_id, count in db.session.execute(
        select(InfoRequest.unit_id, func.count())
        .where(InfoRequest.unit_id.in_(units), standing.overdue_clause(clock.today()))
        .group_by(InfoRequest.unit_id)
    ):
        overdue[unit_id] = count
    figures = [
        _figure("received", "Permohonan diterima", "ppid", received, link),
        _figure("answered", "Permohonan dijawab", "ppid", answered, link),
        _figure("answered_10", "Dijawab ≤ 10 hari kerja", "ppid", within_10, link),
        _figure("answered_17", "Dijawab ≤ 17 hari kerja", "ppid", within_17, link),
        _figure("late", "Dijawab terlambat", "ppid", late, link),
        _figure("median_days", "Median hari kerja menjawab", "ppid", {u: _median(days.get(u)) for u in unit_ids}, link),
        _figure("extended", "Perpanjangan waktu", "ppid", extended, link),
        _figure(
            "open_overdue",
            "Terbuka lewat tenggat (saat ini)",
            "ppid",
            overdue,
            _link("inbox_admin.index", "?unit={unit}&overdue=1"),
        ),
    ]
    return figures + _dispositions(start, end, units, zero, link) + _objections(start, end, units, zero, counted)


def _link(endpoint: str, query: str) -> str | None:
    """A link to the records counted; ``{unit}`` is filled in by Monev."""
    return url_for(endpoint) + query if has_request_context() else None


def _median(histogram: Counter | None) -> float | None:
    """The median of values given as ``{value: count}``."""
    if not histogram:
        return None
    total, seen, below = sum(histogram.values()), 0, None
    for value in sorted(histogram):
        seen += histogram[value]
        if below is not None:  # an even total straddled two values
            return (below + value) / 2
        if seen * 2 > total:
            return float(value)
        if seen * 2 == total:
            below = value
    return float(below) if below is not None else None


def _dispositions(start, end, units, zero, link) -> list[dict[str, Any]]:
    counts = {"returned": dict(zero), "forwarded": dict(zero)}
    first, after = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    for unit_id, action, n in db.session.execute(
        select(Disposition.from_unit_id, Disposition.action, func.count())
        .where(
            Disposition.action.in_(tuple(counts)),
            Disposition.from_unit_id.in_(units),
            Disposition.created_at >= first,
            Disposition.created_at < after,
        )
        .group_by(Disposition.from_unit_id, Disposition.action)
    ):
        counts[action][unit_id] = n
    return [
        _figure("returned", "Disposisi dikembalikan ke PPID Utama", "ppid", counts["returned"], link),
        _figure("forwarded", "Disposisi diteruskan ke unit lain", "ppid", counts["forwarded"], link),
    ]


def _objections(start, end, units, zero, counted) -> list[dict[str, Any]]:
    link = _link("inbox_admin.objection_list", "?unit={unit}" + counted)
    total, on_time, disputes = dict(zero), dict(zero), dict(zero)
    grounds: dict[int, Counter] = defaultdict(Counter)
    outcomes: dict[int, Counter] = defaultdict(Counter)
    rows = db.session.execute(
        select(InfoRequest.unit_id, Objection.grounds, Objection.outcome, Objection.decided_date, Objection.due_date)
        .join(InfoRequest, InfoRequest.id == Objection.request_id)
        .where(InfoRequest.unit_id.in_(units), Objection.received_date >= start, Objection.received_date <= end)
    ).all()
    for unit_id, letters, outcome, decided, due in rows:
        total[unit_id] += 1
        on_time[unit_id] += decided is not None and not law.is_late(decided, due)
        grounds[unit_id].update(f"Pasal 35 huruf {g}" for g in letters or [])
        # Shown as the pages show them, not as stored ("ditolak").
        outcomes[unit_id][str(OBJECTION_OUTCOMES.get(outcome, outcome)) if outcome else "Belum diputus"] += 1
    for unit_id, n in db.session.execute(
        select(InfoRequest.unit_id, func.count())
        .select_from(Dispute)
        .join(Objection, Objection.id == Dispute.objection_id)
        .join(InfoRequest, InfoRequest.id == Objection.request_id)
        .where(InfoRequest.unit_id.in_(units), Objection.received_date >= start, Objection.received_date <= end)
        .group_by(InfoRequest.unit_id)
    ):
        disputes[unit_id] = n
    by_ground = {u: dict(c) for u, c in grounds.items()}
    by_outcome = {u: dict(c) for u, c in outcomes.items()}
    return [
        _figure("objections", "Keberatan diterima", "pengaduan", total, link, detail=by_ground),
        _figure(
            "objections_answered_30", "Keberatan dijawab ≤ 30 hari kerja", "pengaduan", on_time, link, detail=by_outcome
        ),
        _figure("disputes", "Sengketa informasi", "pengaduan", disputes, link),
    ]
