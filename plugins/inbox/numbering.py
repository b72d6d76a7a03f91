"""Registration numbers: sequential per year, never duplicated.

The counter row is bumped with one ``UPDATE … SET value = value + 1 …
RETURNING value``: PostgreSQL holds a row lock until commit, SQLite a write
lock, so concurrent submissions queue instead of reading the same value.
Call it as late as possible in the transaction and commit right after.
"""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from cms.api import db
from plugins.inbox.models import Counter

FORMAT_KEYS = {"request": "INBOX_NUMBER_FORMAT", "objection": "INBOX_OBJECTION_NUMBER_FORMAT"}


def next_value(kind: str, year: int) -> int:
    stmt = (
        update(Counter)
        .where(Counter.kind == kind, Counter.year == year)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    for _ in range(3):
        value = db.session.execute(stmt).scalar()
        if value is not None:
            return value
        try:  # first number of the year: create the row, then bump it
            with db.session.begin_nested():
                db.session.add(Counter(kind=kind, year=year, value=0))
        except IntegrityError:
            pass  # another submission created it first
    raise RuntimeError("could not allocate a registration number")


def format_number(kind: str, seq: int, year: int) -> str:
    """``INBOX_NUMBER_FORMAT`` takes ``{seq}``, ``{year}`` and ``{prefix}``."""
    pattern = current_app.config[FORMAT_KEYS[kind]]
    return pattern.format(seq=seq, year=year, prefix=current_app.config["INBOX_NUMBER_PREFIX"])


def allocate(kind: str, year: int) -> tuple[int, str]:
    seq = next_value(kind, year)
    return seq, format_number(kind, seq, year)


def tracking_code() -> str:
    """An unguessable code the applicant keeps (about 60 bits, easy to type)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())
