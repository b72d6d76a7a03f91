"""What a register export holds and how it is written.

The rows are the ones the exporter may see (``visible`` units; a PPID
Pembantu only its own), narrowed by unit, period, status and channel.  They
are read in batches (``yield_per``) and written straight into the XLSX or
the CSV stream, so a register of 50,000 requests never sits in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cms.api import Unit, db, naive_utc, rupiah, tanggal, to_wib
from plugins.inbox import clock, letterhead, objection_register, registers, spreadsheet, standing
from plugins.inbox.models import CHANNELS, STATUSES, InfoRequest, Objection
from plugins.inbox.report import Period

BATCH = 500
SPOOL_BYTES = 8 * 1024 * 1024  # larger files spill to disk before they are sent


@dataclass(frozen=True)
class Scope:
    """Who exports what: ``visible`` is ``None`` for all units (PPID Utama)."""

    visible: set[int] | None
    unit_id: int | None = None
    period: Period | None = None
    status: str = ""
    channel: str = ""
    overdue: bool = False
    number: str = ""  # part of a nomor pendaftaran, as the inbox list filters
    unmasked: bool = False
    received_from: date | None = None  # ?dari= / ?sampai= of the lists, inclusive
    received_to: date | None = None


def _limit(stmt, unit_column, scope: Scope):
    if scope.visible is not None:
        stmt = stmt.where(unit_column.in_(scope.visible or {-1}))
    if scope.unit_id is not None:
        stmt = stmt.where(unit_column == scope.unit_id)
    return stmt


def request_statement(scope: Scope):
    stmt = _limit(select(InfoRequest), InfoRequest.unit_id, scope)
    if scope.period is not None:
        start, end = scope.period.bounds
        stmt = stmt.where(InfoRequest.received_date >= start, InfoRequest.received_date < end)
    stmt = _received_between(stmt, InfoRequest.received_date, scope)
    if scope.status in STATUSES:
        stmt = stmt.where(InfoRequest.status == scope.status)
    elif scope.status == "open":
        stmt = stmt.where(InfoRequest.queue_rank == 0)
    if scope.channel in CHANNELS:
        stmt = stmt.where(InfoRequest.channel == scope.channel)
    if scope.overdue:
        stmt = stmt.where(standing.overdue_clause(clock.today()))
    if scope.number.strip():
        stmt = stmt.where(InfoRequest.number.contains(scope.number.strip()))
    return stmt


def objection_statement(scope: Scope):
    stmt = _limit(select(Objection).join(Objection.request), InfoRequest.unit_id, scope)
    if scope.period is not None:
        start, end = scope.period.bounds
        stmt = stmt.where(Objection.received_date >= start, Objection.received_date < end)
    return _received_between(stmt, Objection.received_date, scope)


def _received_between(stmt, column, scope: Scope):
    """The lists' ``dari``/``sampai``: an export holds what the list showed."""
    if scope.received_from is not None:
        stmt = stmt.where(column >= scope.received_from)
    if scope.received_to is not None:
        stmt = stmt.where(column <= scope.received_to)
    return stmt


def count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def request_loads() -> tuple:
    """What a request row reads besides its own columns, loaded per batch
    (a lazy load per row was 7,000 queries in a 50,000-row register)."""
    return (
        selectinload(InfoRequest.unit),
        selectinload(InfoRequest.objections).selectinload(Objection.disputes),
        selectinload(InfoRequest.payments),
        selectinload(InfoRequest.withheld_parts),
    )


def request_rows(scope: Scope) -> Iterator[list]:
    stmt = (
        request_statement(scope)
        .options(*request_loads())
        .order_by(InfoRequest.received_at, InfoRequest.id)
        .execution_options(yield_per=BATCH)
    )
    today = clock.today()
    for n, req in enumerate(db.session.scalars(stmt), 1):
        yield registers.request_row(n, req, scope.unmasked, today)


def objection_rows(scope: Scope) -> Iterator[list]:
    stmt = (
        objection_statement(scope)
        .options(
            selectinload(Objection.request).selectinload(InfoRequest.unit),
            selectinload(Objection.disputes),
        )
        .order_by(Objection.received_at, Objection.id)
        .execution_options(yield_per=BATCH)
    )
    for n, obj in enumerate(db.session.scalars(stmt), 1):
        yield objection_register.objection_row(n, obj, scope.unmasked)


def instansi() -> str:
    """The badan publik's name as its letters print it: ``INBOX_INSTANSI`` if
    set, else the PPID Utama's kop surat (``letterhead``), else the old
    one-line letterhead."""
    cfg = current_app.config
    return (
        cfg.get("INBOX_INSTANSI") or letterhead.resolve(None).instansi or cfg["INBOX_LETTERHEAD"].splitlines()[0]
    ).strip()


def title_block(title: str, scope: Scope) -> list[str]:
    if scope.unit_id is not None:
        unit = db.session.get(Unit, scope.unit_id)
        where = _("PPID Pelaksana: %(u)s", u=unit.name if unit else scope.unit_id)
    elif scope.visible is None:
        where = _("PPID Utama: seluruh unit (konsolidasi)")
    else:
        names = db.session.scalars(select(Unit.name).where(Unit.id.in_(scope.visible or {-1})).order_by(Unit.name))
        where = _("PPID Pelaksana: %(u)s", u=", ".join(names) or "—")
    now = to_wib(naive_utc())
    printed = f"{tanggal(now)} {now:%H.%M} WIB"
    return [title, instansi(), where, _("Periode: %(p)s", p=period_label(scope)), _("Dicetak: %(d)s", d=printed)]


def received_label(scope: Scope) -> str:
    """The list's ``dari``/``sampai`` in words: "1 Juli 2026 s.d. 31 Desember 2026"."""
    start, end = scope.received_from, scope.received_to
    if start and end:
        return _("%(start)s s.d. %(end)s", start=tanggal(start), end=tanggal(end))
    if start:
        return _("sejak %(start)s", start=tanggal(start))
    if end:
        return _("s.d. %(end)s", end=tanggal(end))
    return ""


def period_label(scope: Scope) -> str:
    """What the title block's "Periode" says: the period, the received dates, or both."""
    parts = [scope.period.label if scope.period else "", received_label(scope)]
    return ", ".join(p for p in parts if p) or _("semua periode")


def file_name(base: str, scope: Scope) -> str:
    """``register-permohonan-2026-07-01_2026-12-31-unit1``: the period and the
    received dates in the name, so two exports of different ranges differ."""
    parts = [base]
    if scope.period:
        parts.append(f"{scope.period.year}-{scope.period.file_part}")
    start, end = scope.received_from, scope.received_to
    if start and end:
        parts.append(f"{start.isoformat()}_{end.isoformat()}")
    elif start:
        parts.append(f"dari-{start.isoformat()}")
    elif end:
        parts.append(f"sampai-{end.isoformat()}")
    if len(parts) == 1:
        parts.append("semua")
    if scope.unit_id:
        parts.append(f"unit{scope.unit_id}")
    return "-".join(parts)


REQUEST_TITLE = "BUKU REGISTER PERMOHONAN INFORMASI PUBLIK"
OBJECTION_TITLE = "REGISTER KEBERATAN ATAS PERMOHONAN INFORMASI PUBLIK"


def xlsx_file(kind: str, scope: Scope):
    """The register as an XLSX in a spooled temporary file, rewound."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - send_file closes it
    try:
        write_xlsx(out, kind, scope)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def write_xlsx(out, kind: str, scope: Scope, rows=None) -> int:
    """Write the register into ``out``; ``rows`` may wrap the row generator
    (the export job counts them as they go).  Returns the row count."""
    columns, generated, title = _parts(kind, scope)
    return spreadsheet.register_xlsx(
        out,
        title_block(title, scope),
        registers.headers(columns),
        registers.widths(columns),
        generated if rows is None else rows(generated),
        footer=(lambda: fee_footer(scope)) if kind == "request" else None,
    )


def fee_footer(scope: Scope) -> list[str]:
    """Fees charged and collected for the register's units and period, as
    ``payments.fee_totals`` counts them for the annual report."""
    from plugins.inbox import payments

    if scope.unit_id is not None:
        units: list[int] | None = [scope.unit_id]
    else:
        units = sorted(scope.visible) if scope.visible is not None else None
    if scope.period is not None:
        start, end = scope.period.bounds
        end -= timedelta(days=1)  # fee_totals counts both ends
    else:
        start, end = date(1900, 1, 1), date(9999, 12, 31)
    start = max(start, scope.received_from or start)  # the footer counts the days the heading names
    end = min(end, scope.received_to or end)
    totals = payments.consolidated(payments.fee_totals(units, start, end))
    return [
        _(
            "Biaya dikenakan (menurut tanggal pemberitahuan tertulis): %(a)s dari %(n)s permohonan",
            a=rupiah(totals.charged),
            n=totals.requests,
        ),
        _(
            "Biaya diterima (menurut tanggal pembayaran): %(a)s dalam %(n)s pembayaran",
            a=rupiah(totals.collected),
            n=totals.payments,
        ),
    ]


def csv_chunks(kind: str, scope: Scope) -> Iterator[str]:
    columns, rows, _title = _parts(kind, scope)
    return spreadsheet.csv_stream(registers.headers(columns), rows)


def _parts(kind: str, scope: Scope):
    if kind == "objection":
        return objection_register.OBJECTION_COLUMNS, objection_rows(scope), OBJECTION_TITLE
    return registers.REQUEST_COLUMNS, request_rows(scope), REQUEST_TITLE
