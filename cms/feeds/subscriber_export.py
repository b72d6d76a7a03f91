"""The subscriber list as CSV: written in the request when small, by the
worker above ``FEEDS_SUBSCRIBER_JOB_ROWS`` rows.

The list is personal data (addresses decrypted): the run belongs to the
admin who asked, only they may fetch its file while they may still manage
subscribers, every download is logged, and the file is removed after
``FEEDS_SUBSCRIBER_EXPORT_HOURS``.  Rows are read in keyset batches with
the progress beaten between them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from cms import export_runs
from cms.extensions import db
from cms.feeds import subscriptions
from cms.i18n import to_wib
from cms.jobs import job
from cms.letterforms import tanggal
from cms.models import JobRun
from cms.models.content import Category
from cms.models.distribution import SUBSCRIBER_STATUSES, Subscriber

JOB = "feeds.subscriber_export"
HEADER = ["id", "email", "status", "kategori", "dibuat (WIB)", "dikonfirmasi (WIB)", "berhenti (WIB)"]
BATCH = 1000


def threshold() -> int:
    return int(current_app.config["FEEDS_SUBSCRIBER_JOB_ROWS"])


def hours() -> float:
    return float(current_app.config["FEEDS_SUBSCRIBER_EXPORT_HOURS"])


def count() -> int:
    return db.session.scalar(select(func.count(Subscriber.id))) or 0


def _cell(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: defuse them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _when(value: datetime | None) -> str:
    """A stored (UTC) time as the other CSVs of Warta write it, in WIB:
    ``7 Desember 2026 13.40`` (the zone is named in the header)."""
    if value is None:
        return ""
    wib = to_wib(value)
    return f"{tanggal(wib)} {wib:%H.%M}"


def _batches() -> Iterator[list[Subscriber]]:
    """Every subscriber by id, a batch at a time (no cursor open between two)."""
    last = 0
    while True:
        batch = db.session.scalars(
            select(Subscriber).where(Subscriber.id > last).order_by(Subscriber.id).limit(BATCH)
        ).all()
        if not batch:
            return
        last = batch[-1].id
        yield list(batch)


def write(out, beat=None) -> int:
    """The CSV rows into the text stream ``out``; ``beat(done)`` between batches."""
    writer = csv.writer(out)
    writer.writerow(HEADER)
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    done = 0
    for batch in _batches():
        for sub in batch:
            cats = "semua" if sub.all_categories else "; ".join(names.get(i, str(i)) for i in sub.category_ids)
            writer.writerow(
                [
                    sub.id,
                    _cell(subscriptions.email_of(sub)),
                    SUBSCRIBER_STATUSES.get(sub.status, sub.status),  # the list page's labels
                    _cell(cats),
                    _when(sub.created_at),
                    _when(sub.confirmed_at),
                    _when(sub.unsubscribed_at),
                ]
            )
        done += len(batch)
        if beat is not None:
            beat(done)
    return done


def text() -> tuple[bytes, int]:
    """The small list, written in the request (UTF-8 with BOM, for Excel)."""
    out = io.StringIO()
    rows = write(out)
    return out.getvalue().encode("utf-8-sig"), rows


def start(user, total: int) -> int:
    """This admin's export run (one per admin: asking again restarts a finished one)."""
    params = {"user_id": user.id, "fmt": "csv"}
    return export_runs.start(JOB, str(user.id), params, total, hours(), reuse=False) or 0


@job(JOB)
def run_export(key: str) -> None:
    def write_file(claim, path: Path) -> int:
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            return write(out, lambda done: claim.beat(done))

    export_runs.write(JOB, key, write_file)


def owned(run: JobRun | None, user) -> bool:
    return run is not None and run.kind == JOB and (run.cursor or {}).get("user_id") == user.id


def remove_expired() -> int:
    return export_runs.remove_expired(JOB, hours())
