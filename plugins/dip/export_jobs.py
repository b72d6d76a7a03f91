"""Large catalogue exports (over ``DIP_EXPORT_JOB_ROWS`` rows) go through the worker.

The catalogue is public, so its export is too: a run is keyed by format and
filter, not by visitor, and everyone asking for the same filter shares it
while the catalogue has not changed (``version``).  At most
``DIP_EXPORT_MAX_ACTIVE`` runs are queued or writing at once, so a burst of
distinct searches cannot fill the queue.  Files are kept
``DIP_EXPORT_HOURS``.
"""

from __future__ import annotations

import hashlib
import json

from flask import current_app
from sqlalchemy import func, select

from cms.api import db, export_runs, job
from plugins.dip import catalogue, exports
from plugins.dip.catalogue import Filters
from plugins.dip.models import DipEntry

JOB = "dip.export"
NAMES = {"csv": "daftar-informasi-publik.csv", "xlsx": "daftar-informasi-publik.xlsx"}


def threshold() -> int:
    return int(current_app.config["DIP_EXPORT_JOB_ROWS"])


def hours() -> float:
    return float(current_app.config["DIP_EXPORT_HOURS"])


def version() -> str:
    """Changes whenever an entry is added, edited, published or removed."""
    count, published, changed = db.session.execute(
        select(func.count(DipEntry.id), func.count(DipEntry.published_at), func.max(DipEntry.updated_at))
    ).one()
    return f"{count}:{published}:{changed}"


def subject(fmt: str, filters: Filters) -> str:
    key = json.dumps([fmt, filters.to_args()], sort_keys=True)
    return f"{fmt}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def _params(fmt: str, filters: Filters, site_url: str) -> dict:
    return {"fmt": fmt, "filters": filters.to_args(), "site_url": site_url, "version": version()}


def ready_file(fmt: str, filters: Filters, site_url: str):
    """The file already written for this export of the current catalogue, if any."""
    return export_runs.ready(JOB, subject(fmt, filters), _params(fmt, filters, site_url), hours())


def start(fmt: str, filters: Filters, total: int, site_url: str) -> int | None:
    """The run writing this export; ``None`` while the queue is full."""
    params = _params(fmt, filters, site_url)
    limit = int(current_app.config["DIP_EXPORT_MAX_ACTIVE"])
    return export_runs.start(JOB, subject(fmt, filters), params, total, hours(), limit=limit)


@job(JOB)
def run_export(key: str) -> None:
    def write(claim, path) -> int:
        params = claim.cursor
        filters = Filters.from_args({k: str(v) for k, v in params["filters"].items()})
        ids = catalogue.entry_ids(filters)
        claim.beat(0, len(ids))
        writer = exports.write_csv if params["fmt"] == "csv" else exports.write_xlsx
        return writer(path, catalogue.batches(ids), params["site_url"], lambda done: claim.beat(done))

    export_runs.write(JOB, key, write)


def remove_expired() -> int:
    return export_runs.remove_expired(JOB, hours())
