"""The DIP's figures for Monev (``cms_monev_indicators``): how complete and
fresh each unit's published DIP is, and what it published in the period.

"Lengkap" means every column of the DIP layout is filled (pejabat yang
menguasai, penanggung jawab, tempat and waktu pembuatan, jangka waktu
penyimpanan); "mutakhir" means updated or reviewed in the period.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import and_, case, func, or_, select

from cms.api import db
from plugins.dip.models import DipDecree, DipEntry


def complete_condition():
    return and_(
        DipEntry.official != "",
        DipEntry.responsible != "",
        DipEntry.made_place != "",
        DipEntry.made_on.is_not(None),
        DipEntry.retention != "",
    )


def indicators(start: date, end: date, unit_ids: list[int]) -> list[dict[str, Any]]:
    units = list(unit_ids) or [-1]
    first, after = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    in_period = and_(DipEntry.published_at >= first, DipEntry.published_at < after)
    updated = or_(
        and_(DipEntry.updated_at >= first, DipEntry.updated_at < after),
        and_(DipEntry.reviewed_on >= start, DipEntry.reviewed_on <= end),
    )

    def n(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    names = ("items", "complete", "updated", "berkala", "serta_merta")
    values: dict[str, dict[int, int]] = {name: dict.fromkeys(unit_ids, 0) for name in names}
    for unit_id, *counts in db.session.execute(
        select(
            DipEntry.unit_id,
            func.count(),
            n(complete_condition()),
            n(updated),
            n(and_(DipEntry.category == "berkala", in_period)),
            n(and_(DipEntry.category == "serta_merta", in_period)),
        )
        .where(DipEntry.unit_id.in_(units), DipEntry.published_at.is_not(None), DipEntry.published_at < after)
        .group_by(DipEntry.unit_id)
    ):
        for name, count in zip(names, counts, strict=True):
            values[name][unit_id] = int(count)
    decree = db.session.scalar(select(func.count()).select_from(DipDecree).where(DipDecree.year == start.year))
    link = url_for("dip_admin.index") + "?unit={unit}" if has_request_context() else None
    labels = {
        "items": "Informasi DIP terbit",
        "complete": "Informasi DIP lengkap",
        "updated": "Informasi DIP dimutakhirkan dalam periode",
        "berkala": "Informasi berkala diterbitkan dalam periode",
        "serta_merta": "Informasi serta merta diterbitkan dalam periode",
    }
    figures = [
        {"key": f"dip.{name}", "label": labels[name], "category": "ppid", "values": values[name], "link": link}
        for name in names
    ]
    figures.append(
        {
            "key": "dip.decree",
            "label": "SK DIP tahun periode ditetapkan",
            "category": "ppid",
            "values": dict.fromkeys(unit_ids, 1 if decree else 0),
            "link": None,
        }
    )
    return figures
