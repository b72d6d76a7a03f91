"""Server-side sign-in sessions: start, check, touch, list and end them.

The token a browser holds is ``<user id>.<session id>.<secret>``; only the
SHA-256 of the secret is stored.  Every request that loads the user checks
the record is live (not ended, not expired, user active), so ending a
record on the server ends the session on every copy of its cookies.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

from flask import current_app, g, has_request_context, request
from sqlalchemy import delete, select, update

from cms import kept_connection
from cms.audit import record
from cms.extensions import db
from cms.models import User, UserSession
from cms.timeutil import naive_utc

log = logging.getLogger(__name__)
_TOKEN_RE = re.compile(r"^(\d{1,18})\.(\d{1,18})\.([A-Za-z0-9_-]{20,100})$")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def lifetime(remember: bool) -> timedelta:
    """How long a sign-in lasts, counted from when it started."""
    config = current_app.config
    if remember:
        return timedelta(days=float(config["CMS_REMEMBER_DAYS"]))
    seconds = config["PERMANENT_SESSION_LIFETIME"]
    return seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)


def start(user: User, *, remember: bool) -> str:
    """Create a session record for ``user`` signing in from this request;
    returns the token and sets it on ``user`` for Flask-Login's get_id()."""
    now = naive_utc()
    # ended and expired records are kept a while as history, then dropped
    keep = timedelta(days=int(current_app.config["CMS_SESSION_HISTORY_DAYS"]))
    db.session.execute(delete(UserSession).where(UserSession.expires_at < now - keep))
    secret = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=_hash(secret),
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime(remember),
        remember=remember,
        ip=request.remote_addr,
        user_agent=(request.user_agent.string or "")[:300],
    )
    db.session.add(row)
    db.session.flush()
    user.session_token = f"{user.id}.{row.id}.{secret}"
    user.current_session = row
    return user.session_token


def load(token: str) -> User | None:
    """The user a session token belongs to, when its record is live."""
    match = _TOKEN_RE.match(token or "")
    if match is None:
        return None
    user_id, session_id, secret = int(match[1]), int(match[2]), match[3]
    found = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.id == session_id, UserSession.user_id == user_id)
        # fresh values, not an earlier request's copy (last seen is written beside the ORM)
        .execution_options(populate_existing=True)
    ).first()
    if found is None:
        return None
    row, user = found
    now = naive_utc()
    if (
        not hmac.compare_digest(row.token_hash, _hash(secret))
        or row.revoked_at is not None
        or row.expires_at <= now
        or not user.is_active
    ):
        return None
    user.session_token = token
    user.current_session = row
    if (now - row.last_seen_at).total_seconds() >= current_app.config[
        "CMS_SESSION_TOUCH_SECONDS"
    ] or row.ip != request.remote_addr:
        g._session_touch = (row.id, now, request.remote_addr)
    return user


def touch_after_request(response):
    """Record when (and from where) a session was last used, at most once a
    minute: on the thread's kept connection, so the view's transaction is
    never committed or rolled back by it and the request takes no second
    pooled connection.  A failure only loses a timestamp."""
    pending = g.pop("_session_touch", None)
    if pending is not None:
        session_id, now, ip = pending
        try:  # not through the pool: the request's session may still hold its connection
            kept_connection.write_row(
                db.engine,
                "UPDATE user_session SET last_seen_at = :now, ip = :ip WHERE id = :id",
                {"now": now, "ip": ip, "id": session_id},
            )
        except Exception:  # noqa: BLE001 - bookkeeping must not fail the response
            log.warning("could not record last use of session %s", session_id, exc_info=True)
    return response


def live(user: User) -> list[UserSession]:
    """The user's sessions that still work, most recently used first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.expires_at > naive_utc()
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end(row: UserSession, *, reason: str, actor: User | None = None) -> None:
    """End one session (joins the caller's transaction)."""
    if row.revoked_at is None:
        row.revoked_at = naive_utc()
        record("session.end", "user", row.user_id, {"session": row.id, "reason": reason}, user=actor)


def end_all(user: User, *, reason: str, keep: UserSession | None = None, actor: User | None = None) -> int:
    """End every live session of ``user`` except ``keep``; returns how many
    (joins the caller's transaction)."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    ended = db.session.execute(  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
        stmt.values(revoked_at=naive_utc()), execution_options={"synchronize_session": "fetch"}
    ).rowcount
    record(
        "session.end_all",
        "user",
        user.id,
        {"ended": ended, "reason": reason, "kept": keep.id if keep is not None else None},
        user=actor,
    )
    return ended


def current() -> UserSession | None:
    """The session of the signed-in user making this request."""
    if not has_request_context():
        return None
    from flask_login import current_user

    return getattr(current_user, "current_session", None) if current_user.is_authenticated else None


# ------------------------------------------------------------------ display

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("CriOS/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """``Firefox di Windows`` from a User-Agent header, enough to tell one's
    devices apart (the full header is kept beside it)."""
    ua = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in ua), "")
    system = next((name for mark, name in _SYSTEMS if mark in ua), "")
    if browser and system:
        return f"{browser} di {system}"
    return browser or system or (ua[:40] if ua else "Perangkat tidak dikenal")
