"""Large register exports, written by the worker into the private folder.

A register over ``INBOX_REGISTER_JOB_ROWS`` rows is not written inside the
web request: the export starts a run (``cms.api.export_runs``) keyed by the
exporter and the filter, so one person asking twice for the same register
gets the run already going.  The job reads the rows in keyset batches and
beats its progress between them (a commit never lands while a cursor is
open), writing XLSX (write-only) or CSV straight to a file, so memory stays
flat whatever the row count.  The file is the exporter's alone and is
removed ``INBOX_REGISTER_EXPORT_HOURS`` after it was written.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, or_
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from cms.api import JobRun, db, export_runs, job, private_dir, visible_unit_ids
from plugins.inbox import clock, objection_register, register_export, registers, spreadsheet
from plugins.inbox.models import InfoRequest, Objection
from plugins.inbox.register_export import Scope
from plugins.inbox.report import Period

JOB = "inbox.register_export"


def threshold() -> int:
    return int(current_app.config["INBOX_REGISTER_JOB_ROWS"])


def hours() -> float:
    return float(current_app.config["INBOX_REGISTER_EXPORT_HOURS"])


def keep_for() -> timedelta:
    return timedelta(hours=hours())


def scope_to_json(scope: Scope) -> dict:
    return {
        "visible": sorted(scope.visible) if scope.visible is not None else None,
        "unit_id": scope.unit_id,
        "period": [scope.period.year, scope.period.kind] if scope.period else None,
        "status": scope.status,
        "channel": scope.channel,
        "overdue": scope.overdue,
        "number": scope.number,
        "unmasked": scope.unmasked,
        "received": [d.isoformat() if d else None for d in (scope.received_from, scope.received_to)],
    }


def scope_from_json(data: dict) -> Scope:
    period = data.get("period")
    received = data.get("received") or [None, None]
    return Scope(
        visible=set(data["visible"]) if data.get("visible") is not None else None,
        unit_id=data.get("unit_id"),
        period=Period(period[0], period[1]) if period else None,
        status=data.get("status", ""),
        channel=data.get("channel", ""),
        overdue=bool(data.get("overdue")),
        number=data.get("number", ""),
        unmasked=bool(data.get("unmasked")),
        received_from=_day(received[0]),
        received_to=_day(received[1]),
    )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def subject(user_id: int, kind: str, fmt: str, scope: Scope) -> str:
    """One run per exporter and filter (the JobRun's unique kind + subject)."""
    key = json.dumps([kind, fmt, scope_to_json(scope)], sort_keys=True)
    return f"{user_id}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def start(kind: str, fmt: str, scope: Scope, user, total: int, name: str) -> int:
    """The id of this export's run: the one going on, or a new one queued now
    (with immediate jobs, as in tests, it has run by the time this returns).
    A finished one is replaced: the register changes without a version."""
    params = {"kind": kind, "fmt": fmt, "user_id": user.id, "name": name, "scope": scope_to_json(scope)}
    run_id = export_runs.start(JOB, subject(user.id, kind, fmt, scope), params, total, hours(), reuse=False)
    assert run_id is not None  # no limit on active runs: one per exporter and filter
    return run_id


@job(JOB)
def run_export(key: str) -> None:
    def write(claim, path: Path) -> int:
        params = claim.cursor
        scope = scope_from_json(params["scope"])
        rows = _rows(params["kind"], scope, lambda done: claim.beat(done))
        if params["fmt"] == "csv":
            return _write_csv(path, params["kind"], scope, rows)
        with path.open("wb") as out:
            return register_export.write_xlsx(out, params["kind"], scope, rows=lambda _generated: rows)

    export_runs.write(JOB, key, write)


def _write_csv(path: Path, kind: str, scope: Scope, rows) -> int:
    columns = objection_register.OBJECTION_COLUMNS if kind == "objection" else registers.REQUEST_COLUMNS
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    with path.open("w", encoding="utf-8", newline="") as out:
        for chunk in spreadsheet.csv_stream(registers.headers(columns), counted()):
            out.write(chunk)
    return count


def _rows(kind: str, scope: Scope, beat) -> Iterator[list]:
    """The register's rows in keyset batches of ``register_export.BATCH``;
    ``beat(done)`` (which commits) runs between batches, never mid-cursor."""
    model: type[Objection] | type[InfoRequest]
    options: tuple[LoaderOption, ...]
    if kind == "objection":
        model, stmt = Objection, register_export.objection_statement(scope)
        options = (selectinload(Objection.request).selectinload(InfoRequest.unit), selectinload(Objection.disputes))

        def row(n, item):
            return objection_register.objection_row(n, item, scope.unmasked)
    else:
        model, stmt = InfoRequest, register_export.request_statement(scope)
        options = register_export.request_loads()
        today = clock.today()

        def row(n, item):
            return registers.request_row(n, item, scope.unmasked, today)

    stmt = stmt.options(*options).order_by(model.received_at, model.id).limit(register_export.BATCH)
    done, last = 0, None
    while True:
        page = stmt
        if last is not None:
            page = stmt.where(or_(model.received_at > last[0], and_(model.received_at == last[0], model.id > last[1])))
        batch = db.session.scalars(page).all()
        if not batch:
            return
        for item in batch:
            done += 1
            yield row(done, item)
        last = (batch[-1].received_at, batch[-1].id)
        del batch  # the session's identity map is weak: the batch goes with it
        beat(done)


# ------------------------------------------------------------------ the file


def owned(run: JobRun | None, user) -> bool:
    """The run is an export this user started and may still read: same
    exporter, and the units (and unmasking) still within their rights."""
    if run is None or run.kind != JOB or (run.cursor or {}).get("user_id") != user.id:
        return False
    wanted = (run.cursor.get("scope") or {}).get("visible")
    allowed = visible_unit_ids(user)
    if allowed is not None and (wanted is None or not set(wanted) <= allowed):
        return False
    from cms.api import can

    return not run.cursor["scope"].get("unmasked") or can(user, "inbox.identity")


def expires_at(run: JobRun):
    return run.finished_at + keep_for() if run.finished_at else None


def file_path(run: JobRun) -> Path | None:
    """The written file while it is kept; ``None`` before, after, or when removed."""
    return export_runs.file_path(run, hours())


def remove_expired() -> int:
    """Periodic: delete export files kept longer than the setting allows."""
    return export_runs.remove_expired(JOB, hours()) + _remove_from_old_folder()


def _remove_from_old_folder() -> int:
    """Files written before the registers moved to ``cms.export_runs`` (in
    ``private/inbox/exports``): past their time they go like the others, so
    no register with personal data outlives its setting after an upgrade."""
    folder = private_dir() / "inbox" / "exports"
    if not folder.is_dir():
        return 0
    cutoff = time.time() - hours() * 3600
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
