"""Telling people that a release needs them: editors when one is submitted,
the writer when it is approved, sent back or commented on.

Each notice is a row (the badge in the admin header) and an e-mail through
the mail queue.  Called after the workflow step committed, so a failed
step never notifies anyone.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select, update

from cms.extensions import db
from cms.mail import enqueue_mail
from cms.models import Notification, Post, User
from cms.policy import can
from cms.timeutil import naive_utc

SUBJECTS = {
    "submitted": "Naskah diajukan untuk ditinjau",
    "approved": "Naskah Anda disetujui",
    "sent_back": "Naskah Anda dikembalikan untuk diperbaiki",
    "commented": "Komentar baru pada naskah Anda",
}


def edit_url(post: Post) -> str:
    return f"{current_app.config['SITE_URL'].rstrip('/')}/admin/posts/{post.id}"


def _editors(actor) -> list[User]:
    """Reviewers (not administrators, who hold every permission but do not review)."""
    rows = db.session.scalars(select(User).where(User.role != "admin", User.active.is_(True)).order_by(User.id))
    return [u for u in rows if u.id != getattr(actor, "id", None) and can(u, "posts.review")]


def _author(post: Post, actor) -> list[User]:
    author = post.author
    if author is None or not author.active or author.id == getattr(actor, "id", None):
        return []
    return [author]


def _send(users: list[User], post: Post, kind: str, actor, note: str = "") -> int:
    who = getattr(actor, "name", "") or getattr(actor, "email", "") or "sistem"
    subject = f"{SUBJECTS[kind]}: {post.title}"
    message = f"{SUBJECTS[kind]} oleh {who}: “{post.title}”."
    url = edit_url(post)
    for user in users:
        db.session.add(Notification(user_id=user.id, post_id=post.id, kind=kind, message=message[:500], url=url))
    db.session.commit()
    text = f"{message}\n\n" + (f"Catatan:\n{note.strip()}\n\n" if note.strip() else "") + f"Buka naskah: {url}\n"
    for user in users:
        enqueue_mail(user.email, subject, text)
    return len(users)


def submitted(post: Post, actor, note: str = "") -> int:
    return _send(_editors(actor), post, "submitted", actor, note)


def approved(post: Post, actor, note: str = "") -> int:
    return _send(_author(post, actor), post, "approved", actor, note)


def sent_back(post: Post, actor, note: str = "") -> int:
    return _send(_author(post, actor), post, "sent_back", actor, note)


def commented(post: Post, actor, note: str = "") -> int:
    return _send(_author(post, actor), post, "commented", actor, note)


def unread_count(user) -> int:
    count = db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return count or 0


def latest(user, limit: int = 30) -> list[Notification]:
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def mark_read(user, notice_id: int | None = None) -> None:
    """One notice (opened) or all of them, never someone else's."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notice_id is not None:
        stmt = stmt.where(Notification.id == notice_id)
    db.session.execute(stmt.values(read_at=naive_utc()))
    db.session.commit()
