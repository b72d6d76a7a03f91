"""Monev's own figures and the core's (``cms_monev_indicators`` of the monev
plugin): releases and news per unit, outside complaints, registered social
accounts and the accepted self-assessment answers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import func, select

from cms.api import Post, db
from plugins.monev import selfassess
from plugins.monev.models import MonevComplaint, MonevPeriod, MonevSocialAccount


def _link(endpoint: str, query: str = "", **values) -> str | None:
    return url_for(endpoint, **values) + query if has_request_context() else None


def indicators(start: date, end: date, unit_ids: list[int]) -> list[dict[str, Any]]:
    return (
        _newsroom(start, end, unit_ids)
        + _complaints(start, end, unit_ids)
        + _accounts(unit_ids)
        + _self(start, end, unit_ids)
    )


def published(start: date, end: date, unit_ids: list[int], kinds=("siaran-pers", "berita")) -> tuple:
    """The conditions selecting a unit's posts published in the period: what
    the figure counts and what its link lists."""
    first, after = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    return (
        Post.status == "published",
        Post.published_at >= first,
        Post.published_at < after,
        Post.unit_id.in_(unit_ids or [-1]),
        Post.kind.in_(kinds),
    )


def _newsroom(start, end, unit_ids) -> list[dict[str, Any]]:
    counts = {"siaran-pers": dict.fromkeys(unit_ids, 0), "berita": dict.fromkeys(unit_ids, 0)}
    for unit_id, kind, n in db.session.execute(
        select(Post.unit_id, Post.kind, func.count())
        .where(*published(start, end, unit_ids))
        .group_by(Post.unit_id, Post.kind)
    ):
        counts[kind][unit_id] = n
    query = f"?unit={{unit}}&dari={start.isoformat()}&sampai={end.isoformat()}"
    both = _link("monev_admin.posts", query)
    return [
        {
            "key": "inti.releases",
            "label": "Siaran pers diterbitkan",
            "category": "medsos",
            "values": counts["siaran-pers"],
            "link": _link("monev_admin.posts", query + "&jenis=siaran-pers"),
            "group_link": both,  # the scored indicator counts releases and news together
        },
        {
            "key": "inti.news",
            "label": "Berita diterbitkan",
            "category": "medsos",
            "values": counts["berita"],
            "link": _link("monev_admin.posts", query + "&jenis=berita"),
        },
    ]


def _complaints(start, end, unit_ids) -> list[dict[str, Any]]:
    total, resolved = dict.fromkeys(unit_ids, 0), dict.fromkeys(unit_ids, 0)
    days: dict[int, list[int]] = {u: [] for u in unit_ids}
    for unit_id, received, done in db.session.execute(
        select(MonevComplaint.unit_id, MonevComplaint.received_on, MonevComplaint.resolved_on).where(
            MonevComplaint.unit_id.in_(unit_ids or [-1]),
            MonevComplaint.received_on >= start,
            MonevComplaint.received_on <= end,
        )
    ):
        total[unit_id] += 1
        if done is not None:
            resolved[unit_id] += 1
            days[unit_id].append((done - received).days)
    link = _link("monev_admin.complaints", f"?unit={{unit}}&dari={start.isoformat()}&sampai={end.isoformat()}")
    return [
        {
            "key": "monev.complaints",
            "label": "Pengaduan di luar Warta diterima",
            "category": "pengaduan",
            "values": total,
            "link": link,
        },
        {
            "key": "monev.complaints_resolved",
            "label": "Pengaduan di luar Warta selesai",
            "category": "pengaduan",
            "values": resolved,
            "link": link,
        },
        {
            "key": "monev.complaints_median_days",
            "label": "Median hari penyelesaian pengaduan",
            "category": "pengaduan",
            "values": {u: float(median(d)) if d else None for u, d in days.items()},
            "link": link,
        },
    ]


def _accounts(unit_ids) -> list[dict[str, Any]]:
    counts = dict.fromkeys(unit_ids, 0)
    for unit_id, n in db.session.execute(
        select(MonevSocialAccount.unit_id, func.count())
        .where(MonevSocialAccount.unit_id.in_(unit_ids or [-1]))
        .group_by(MonevSocialAccount.unit_id)
    ):
        counts[unit_id] = n
    link = _link("monev_admin.accounts", "?unit={unit}")
    return [
        {
            "key": "monev.accounts",
            "label": "Akun media sosial resmi terdaftar",
            "category": "medsos",
            "values": counts,
            "link": link,
        }
    ]


def _self(start, end, unit_ids) -> list[dict[str, Any]]:
    period_id = db.session.scalar(
        select(MonevPeriod.id).where(MonevPeriod.year == start.year, MonevPeriod.kind == _kind(start, end))
    )
    return [
        {
            "key": "monev.self_items",
            "label": "Butir penilaian mandiri",
            "category": "ppid",
            "values": dict.fromkeys(unit_ids, len(selfassess.CHECKLIST)),
            "link": None,
        },
        {
            "key": "monev.self_accepted",
            "label": "Butir penilaian mandiri diterima",
            "category": "ppid",
            "values": selfassess.accepted_counts(period_id, unit_ids),
            "link": _link("monev_admin.self_assessment_by_period", f"?periode={period_id}&unit={{unit}}")
            if period_id
            else None,
        },
    ]


def _kind(start: date, end: date) -> str:
    if start.month == 1 and end.month == 12:
        return "year"
    return "s1" if start.month == 1 else "s2"
