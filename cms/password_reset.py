""" "Lupa kata sandi?": a mailed, single-use, expiring link to a new password.

For staff and approved journalists alike (both are ``User`` rows).  The
visitor always gets the same answer, whether the address has an account or
not, so the form tells nothing about who has one.  A link's secret is only
in the mail: the database keeps its SHA-256, so a copy of the table (or a
backup) opens no account.  Asking again replaces the earlier link; using one
ends every session of the account (whoever knew the old password is signed
out) and every other link.  Each account gets at most
``CMS_PASSWORD_RESET_PER_ACCOUNT`` links per ``CMS_PASSWORD_RESET_WINDOW``
seconds, so the form cannot flood an inbox; the view also limits each
address (``CMS_PASSWORD_RESET_RATE_LIMIT``).

The request only queues the typed address (sealed: it is personal data);
the worker looks the account up and writes the link.  Answering a known
address took a lookup, a link and a mail more than an unknown one, and that
difference in time told who has an account.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from cms import accounts, crypto, login_throttle, user_sessions
from cms.accounts import AccountError
from cms.audit import record
from cms.extensions import db
from cms.jobs import enqueue, job
from cms.mail import enqueue_mail
from cms.models import PasswordReset, User
from cms.timeutil import naive_utc


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _window() -> timedelta:
    return timedelta(seconds=int(current_app.config["CMS_PASSWORD_RESET_WINDOW"]))


REQUEST_JOB = "cms.password_reset_request"


def ask(email: str, ip: str | None, language: str | None = None) -> None:
    """What the form does for any address: queue it for ``request_link``, the
    same work whether an account has it or not.  ``language``: the page's,
    so the mail reads in the language the visitor asked in."""
    enqueue(REQUEST_JOB, crypto.encrypt_bytes(json.dumps([email, ip, language]).encode()))


@job(REQUEST_JOB)
def _request_job(sealed: bytes) -> None:
    email, ip, *rest = json.loads(crypto.decrypt_bytes(sealed))  # queued before the language: two items
    request_link(email, ip, rest[0] if rest else None)


def request_link(email: str, ip: str | None, language: str | None = None) -> None:
    """Mail a reset link when ``email`` belongs to an active account that has
    not had too many lately; otherwise do nothing the visitor can see.
    Audited either way (``auth.password_reset_request``, with the asker's
    address)."""
    typed = login_throttle.account_key(email)
    user = accounts.find_user(typed) if typed else None
    if user is None or not user.is_active:
        record("auth.password_reset_request", "user", "", {"email": typed, "sent": False, "why": "unknown"}, ip=ip)
        db.session.commit()
        return
    now = naive_utc()
    recent = db.session.scalar(
        select(func.count())
        .select_from(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.created_at > now - _window())
    )
    if (recent or 0) >= int(current_app.config["CMS_PASSWORD_RESET_PER_ACCOUNT"]):
        record("auth.password_reset_request", "user", user.id, {"sent": False, "why": "throttled"}, user=user, ip=ip)
        db.session.commit()
        return
    _retire_links(user, now)
    secret = secrets.token_urlsafe(32)
    hours = float(current_app.config["CMS_PASSWORD_RESET_HOURS"])
    db.session.add(
        PasswordReset(
            user_id=user.id, token_hash=_hash(secret), created_at=now, expires_at=now + timedelta(hours=hours), ip=ip
        )
    )
    record("auth.password_reset_request", "user", user.id, {"sent": True}, user=user, ip=ip)
    db.session.commit()  # the link works before the mail leaves
    with current_app.test_request_context():  # the worker has no request to build the path from
        path = url_for("auth.reset_password", token=secret)
    link = current_app.config["SITE_URL"].rstrip("/") + path
    languages = current_app.config["CMS_LANGUAGES"]
    with force_locale(language if language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template("auth/mail/password_reset.txt", user=user, link=link, hours=f"{hours:g}")
        subject = _("Atur ulang kata sandi")
    enqueue_mail(user.email, subject, text)


def _retire_links(user: User, now) -> None:
    """Mark the account's unused links used (joins the caller's transaction)."""
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now),
        execution_options={"synchronize_session": False},
    )


def _live_link(token: str) -> PasswordReset | None:
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= naive_utc():
        return None
    return link


def user_for_link(token: str) -> User | None:
    """The active account a live (unused, unexpired) link belongs to."""
    link = _live_link(token)
    user = db.session.get(User, link.user_id) if link is not None else None
    return user if user is not None and user.is_active else None


def reset_password(token: str, password: str, confirm: str) -> User:
    """Set the new password through a live link, with the rules of every
    other password form; the link (and any other) is spent and every session
    of the account ends.  ``AccountError`` names the field; a dead link
    raises it without a field."""
    link = _live_link(token)
    user = db.session.get(User, link.user_id) if link is not None else None
    if link is None or user is None or not user.is_active:
        raise AccountError(_("Tautan ini sudah dipakai atau kedaluwarsa."), None)
    if len(password or "") < accounts.MIN_PASSWORD:
        raise AccountError(_("Kata sandi minimal %(n)d karakter.", n=accounts.MIN_PASSWORD), "password")
    if password != confirm:
        raise AccountError(_("Kedua kata sandi tidak sama."), "confirm")
    now = naive_utc()
    # Spent first, conditionally: of two submissions of one link only one wins.
    spent = db.session.execute(  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
        update(PasswordReset).where(PasswordReset.id == link.id, PasswordReset.used_at.is_(None)).values(used_at=now),
        execution_options={"synchronize_session": False},
    ).rowcount
    if spent != 1:
        db.session.rollback()
        raise AccountError(_("Tautan ini sudah dipakai atau kedaluwarsa."), None)
    _retire_links(user, now)
    user.password_hash = accounts.hash_password(password)
    record("user.password_reset", "user", user.id, {"link": link.id}, user=user)
    user_sessions.end_all(user, reason="password_reset", actor=user)
    login_throttle.clear_account(user.email)  # the owner proved themselves by mail
    db.session.commit()
    return user
