"""The crosspost figures for Monev (``cms_monev_indicators``): postings
delivered and failed per unit and channel, the unit's connected accounts and
the last time Warta posted on them.  Deliveries count by the day their
source went public, as ``stats.deliveries_by_unit`` does."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import func, select

from cms.api import db
from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery
from plugins.crosspost.stats import deliveries_by_unit


def indicators(start: date, end: date, unit_ids: list[int]) -> list[dict[str, Any]]:
    wanted = set(unit_ids)
    first, after = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    sent: dict[Any, int] = dict.fromkeys(unit_ids, 0)
    failed: dict[Any, int] = dict.fromkeys(unit_ids, 0)
    detail: dict[Any, dict[str, Any]] = defaultdict(dict)
    for row in deliveries_by_unit(first, after):
        unit_id = row["unit_id"]
        if unit_id not in wanted:
            continue
        sent[unit_id] += row["sent"]
        failed[unit_id] += row["failed"]
        detail[unit_id][f"{row['channel']}: terkirim"] = row["sent"]
        detail[unit_id][f"{row['channel']}: gagal"] = row["failed"]
    accounts: dict[Any, int] = dict.fromkeys(unit_ids, 0)
    for unit_id, n in db.session.execute(
        select(CrosspostAccount.unit_id, func.count())
        .where(CrosspostAccount.unit_id.in_(list(wanted) or [-1]), CrosspostAccount.active.is_(True))
        .group_by(CrosspostAccount.unit_id)
    ):
        accounts[unit_id] = n
    for unit_id, last in db.session.execute(
        select(CrosspostAccount.unit_id, func.max(CrosspostDelivery.sent_at))
        .join(CrosspostAccount, CrosspostAccount.id == CrosspostDelivery.account_id)
        .where(CrosspostAccount.unit_id.in_(list(wanted) or [-1]), CrosspostDelivery.status == "sent")
        .group_by(CrosspostAccount.unit_id)
    ):
        if last is not None:
            detail[unit_id]["Unggahan terakhir lewat Warta"] = last.date().isoformat()
    # The read-only list of the very deliveries counted ({unit}: monev fills it in).
    link = (
        url_for("crosspost.counted") + f"?unit={{unit}}&dari={start.isoformat()}&sampai={end.isoformat()}"
        if has_request_context()
        else None
    )
    accounts_link = url_for("crosspost.account_list") if has_request_context() else None
    attempted = {u: sent[u] + failed[u] for u in unit_ids}
    return [
        {
            "key": "crosspost.sent",
            "label": "Unggahan terkirim",
            "category": "medsos",
            "values": sent,
            "link": link and link + "&status=sent",
            "detail": dict(detail),
        },
        {
            "key": "crosspost.failed",
            "label": "Unggahan gagal",
            "category": "medsos",
            "values": failed,
            "link": link and link + "&status=failed",
        },
        {
            "key": "crosspost.attempted",
            "label": "Unggahan terkirim atau gagal",
            "category": "medsos",
            "values": attempted,
            "link": link,
        },
        {
            "key": "crosspost.accounts",
            "label": "Akun tersambung ke Warta",
            "category": "medsos",
            "values": accounts,
            "link": accounts_link,
        },
    ]
