"""Nomor surat: a pattern per letter kind and unit, a sequence per year.

The sequence comes from the same counter rows as registration numbers
(``numbering.next_value``: one atomic UPDATE … RETURNING, so concurrent
issuing queues on the row and never reads the same value).  By default all
letters of a unit share one agenda sequence; ``INBOX_LETTER_SEQUENCE =
"unit_kind"`` gives each kind its own.
"""

from __future__ import annotations

import string
from datetime import date

from flask import current_app
from sqlalchemy import event
from sqlalchemy.pool import Pool

from cms.api import db, roman_month
from plugins.inbox import numbering
from plugins.inbox.letter_kinds import KINDS

FIELDS = ("seq", "kode", "unit", "bulan_romawi", "bulan", "tahun")
PLATFORM_BUSY_MS = 10_000  # cms.database's PRAGMA busy_timeout
SAMPLE = {"seq": 7, "kode": "PT", "unit": "DISKOMINFO", "bulan_romawi": "XII", "bulan": 12, "tahun": 2026}


class PatternError(ValueError):
    pass


def check_pattern(pattern: str) -> str:
    """The pattern, stripped, or ``PatternError`` saying what is wrong."""
    pattern = (pattern or "").strip()
    if not pattern:
        return ""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        unknown = sorted(n for n in names if n not in FIELDS)
        if unknown:
            raise PatternError(f"tidak dikenal: {{{unknown[0]}}}; gunakan {', '.join('{' + f + '}' for f in FIELDS)}")
        if "seq" not in names or "tahun" not in names:
            raise PatternError("pola wajib memuat {seq} dan {tahun}")
        pattern.format(**SAMPLE)
    except (ValueError, IndexError, KeyError) as exc:
        raise PatternError(str(exc) if isinstance(exc, PatternError) else f"pola tidak sah: {exc}") from None
    return pattern


def pattern_for(kind: str, head) -> str:
    """The unit's pattern for ``kind``, else its general one, else the settings'."""
    cfg = current_app.config
    for candidate in (
        (head.patterns or {}).get(kind),
        head.number_pattern,
        (cfg["INBOX_LETTER_NUMBER_PATTERNS"] or {}).get(kind),
        cfg["INBOX_LETTER_NUMBER_PATTERN"],
    ):
        if candidate and candidate.strip():
            return candidate.strip()
    return ""


def code_for(kind: str, head) -> str:
    return (
        (head.codes or {}).get(kind) or (current_app.config["INBOX_LETTER_CODES"] or {}).get(kind) or KINDS[kind].code
    )


def counter_key(kind: str, unit_id: int | None) -> str:
    key = f"surat-{unit_id or 0}"
    if current_app.config["INBOX_LETTER_SEQUENCE"] == "unit_kind":
        key += f"-{KINDS[kind].short}"
    return key


def wait_for_writers(ms: int) -> None:
    """On SQLite, wait up to ``ms`` for the write lock on this connection (the
    platform's 10 s suits short writes, not letters queuing behind their
    printing; PostgreSQL's row lock waits anyway).  The platform's value is
    restored when the connection goes back to the pool."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(ms)}")
        connection.info[_RAISED] = True


_RAISED = "inbox_busy_timeout_raised"


@event.listens_for(Pool, "checkin")
def _restore_busy_timeout(dbapi_connection, connection_record):
    if dbapi_connection is not None and connection_record.info.pop(_RAISED, False):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={PLATFORM_BUSY_MS}")
        cursor.close()


def allocate(kind: str, head, unit_id: int | None, day: date) -> tuple[int, str]:
    """Take the next number; call late in the transaction and commit soon after."""
    pattern = check_pattern(pattern_for(kind, head))
    seq = numbering.next_value(counter_key(kind, unit_id), day.year)
    number = pattern.format(
        seq=seq,
        kode=code_for(kind, head),
        unit=head.unit_code,
        bulan_romawi=roman_month(day),
        bulan=day.month,
        tahun=day.year,
    )
    return seq, number
