"""Failed sign-ins counted per account and per address, in a sliding window.

An office behind one NAT address signs in many times an hour; an attacker
guesses one account from many addresses.  So only failures count, against
the e-mail typed (known or not, so a lockout tells nothing about which
accounts exist) and against the address, each with its own limit.  The
counts live in the database, so every worker and every instance (SQLite,
PostgreSQL, scale-out behind Redis) sees the same ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, delete, func, select, update

from cms.audit import record
from cms.extensions import db
from cms.models import LoginFailure
from cms.timeutil import naive_utc


def account_key(email: str | None) -> str:
    return (email or "").strip().lower()[:254]


def _window() -> timedelta:
    return timedelta(seconds=int(current_app.config["CMS_LOGIN_FAILURE_WINDOW"]))


def _limits(account: str, ip: str) -> tuple[tuple[str, ColumnElement[bool], int], ...]:
    config = current_app.config
    return (
        ("account", LoginFailure.account == account, int(config["CMS_LOGIN_ACCOUNT_FAILURES"])),
        ("ip", LoginFailure.ip == ip, int(config["CMS_LOGIN_IP_FAILURES"])),
    )


def _release_time(condition: ColumnElement[bool], limit: int, now: datetime) -> datetime | None:
    """When fewer than ``limit`` failures will be left in the window: the
    limit-th newest one leaves it then.  None when not locked."""
    if limit <= 0:
        return None
    nth = db.session.scalar(
        select(LoginFailure.at)
        .where(condition, LoginFailure.at > now - _window())
        .order_by(LoginFailure.at.desc(), LoginFailure.id.desc())
        .offset(limit - 1)
        .limit(1)
    )
    return nth + _window() if nth is not None else None


def locked_until(email: str | None, ip: str | None) -> datetime | None:
    """The time (UTC) sign-in for this e-mail from this address is possible
    again, or None when it is possible now."""
    now = naive_utc()
    times = [
        t
        for _, condition, limit in _limits(account_key(email), ip or "")
        if (t := _release_time(condition, limit, now)) is not None
    ]
    return max(times) if times else None


def record_failure(email: str | None, ip: str | None) -> datetime | None:
    """Count a failed sign-in (joins the caller's transaction).  Returns the
    lock's end when this failure reached a limit; the lockout is audited."""
    now = naive_utc()
    account, ip = account_key(email), ip or ""
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - _window()))
    db.session.add(LoginFailure(account=account, ip=ip, at=now))
    db.session.flush()
    until: datetime | None = None
    reached: list[str] = []
    for scope, condition, limit in _limits(account, ip):
        count = (
            db.session.scalar(
                select(func.count()).select_from(LoginFailure).where(condition, LoginFailure.at > now - _window())
            )
            or 0
        )
        if limit > 0 and count >= limit:
            release = _release_time(condition, limit, now)
            if release is not None:
                until = max(until, release) if until else release
            if count == limit:
                reached.append(scope)
    if reached and until is not None:
        record(
            "auth.lockout",
            "user",
            "",
            {"email": account, "scope": reached, "until": until.isoformat(timespec="seconds") + "Z"},
        )
    return until


def clear_account(email: str | None) -> None:
    """A successful sign-in forgives the account's earlier failures (the
    address keeps its count)."""
    db.session.execute(update(LoginFailure).where(LoginFailure.account == account_key(email)).values(account=""))
