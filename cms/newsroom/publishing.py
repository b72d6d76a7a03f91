"""The newsroom workflow: what is public, review, scheduling, embargo and publication.

Writing and saving a draft (and who may) is ``cms.newsroom.drafts``'s.

Only this module fires ``cms_post_published`` and ``cms_post_unpublished``
(``cms_post_updated`` only ``drafts.save_post``), always after the commit.
Going public is a conditional UPDATE (``WHERE status IN (…)``) so a click, the
periodic sweep and the ``eta`` job can race and only one of them publishes.

draft → review → approved → scheduled | published → unpublished
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import cache

from flask import current_app
from sqlalchemy import and_, func, literal_column, or_, select, update

from cms.audit import record
from cms.content_version import content_changed
from cms.extensions import db
from cms.jobs import enqueue, job
from cms.models.content import Post, PostComment
from cms.newsroom.drafts import add_comment, can_edit, record_revision, refuse_unless
from cms.newsroom.posts import ConflictError, WorkflowError
from cms.newsroom.release_format import assign_number
from cms.plugins import notify
from cms.timeutil import naive_utc

__all__ = [
    "WorkflowError",
    "ConflictError",
    "public_url",
    "is_public",
    "public_posts",
    "public_condition",
    "public_filter",
    "is_embargoed",
]


# ------------------------------------------------------------------ queries


# The one rule of what the public may see: a post is public when its status
# is "published" and it has no embargo or the embargo has lifted (at or
# before ``now``).  It is written twice, side by side, because SQL and Python
# need it in their own terms: ``public_condition`` for queries (and
# ``public_filter``, its SQL text, compiled from it) and ``is_public`` for a
# loaded post.  tests/newsroom/test_public_rule.py holds the two to the same
# answers; nothing else in the core checks status or embargo by hand.
PUBLIC_STATUS = "published"


def public_condition(at=None):
    """The rule as a SQLAlchemy condition on ``Post``; ``at`` defaults to now
    (a datetime, or a SQL expression such as a bound parameter)."""
    at = naive_utc() if at is None else at
    return and_(Post.status == PUBLIC_STATUS, or_(Post.embargo_until.is_(None), Post.embargo_until <= at))


def is_public(post: Post, now: datetime | None = None) -> bool:
    """The rule in Python, for a post already loaded; ``now`` defaults to now."""
    return post.status == PUBLIC_STATUS and not is_embargoed(post, now)


def next_embargo_lift(now: datetime | None = None) -> float | None:
    """When time alone next makes a post public (epoch seconds): the
    earliest embargo of a published post still to lift.  Other posts
    become public through a service, which moves the change counter."""
    when = db.session.scalar(
        select(func.min(Post.embargo_until)).where(
            Post.status == PUBLIC_STATUS, Post.embargo_until > (now or naive_utc())
        )
    )
    return when.replace(tzinfo=UTC).timestamp() if when else None


def is_embargoed(post: Post, now: datetime | None = None) -> bool:
    """The embargo has not lifted yet (whatever the status)."""
    return bool(post.embargo_until and post.embargo_until > (now or naive_utc()))


def public_posts(kind: str | None = None):
    """``select(Post)`` of what the public may see now, newest first."""
    stmt = select(Post).where(public_condition())
    if kind:
        stmt = stmt.where(Post.kind == kind)
    return stmt.order_by(Post.published_at.desc(), Post.id.desc())


def public_filter(at: datetime | None = None) -> tuple[str, dict]:
    """The rule as SQL text with a ``:now`` parameter, for raw queries
    (search, stored pages): ``public_condition`` compiled once."""
    return _public_sql(), {"now": at or naive_utc()}


@cache
def _public_sql() -> str:
    condition = public_condition(literal_column(":now"))
    return str(condition.compile(compile_kwargs={"literal_binds": True}))


def public_path(post: Post) -> str:
    return f"/{post.kind}/{post.slug}"


def public_url(post: Post, external: bool = True) -> str:
    """The item's one URL: the same before (preview) and after publication."""
    path = public_path(post)
    return current_app.config["SITE_URL"].rstrip("/") + path if external else path


def preview_url(post: Post, external: bool = True) -> str:
    ensure_preview_token(post)
    return f"{public_url(post, external)}?pratinjau={post.preview_token}"


def ensure_preview_token(post: Post) -> str:
    if not post.preview_token:
        post.preview_token = secrets.token_urlsafe(24)
    return post.preview_token


CONFLICT_MESSAGE = (
    "Rilis ini baru saja diubah oleh orang lain; tindakan Anda tidak dijalankan. "
    "Muat ulang halaman untuk melihat keadaannya sekarang."
)


# ------------------------------------------------------------------ transitions


def _transition(post: Post, user, allowed: tuple[str, ...], target: str, action: str, **values) -> None:
    if post.status not in allowed:
        raise WorkflowError(f"Naskah berstatus {post.status_label}; tindakan ini tidak dapat dilakukan.")
    was_public = post.status == PUBLIC_STATUS
    post.status = target
    for key, value in values.items():
        setattr(post, key, value)
    db.session.flush()
    if was_public or target == PUBLIC_STATUS:  # pages and feeds change: tell the caches, in this transaction
        content_changed(db.session.connection())
    record_revision(post, user, action)
    record(f"post.{action}", "post", post.id, {"status": target})
    db.session.commit()


def submit(post: Post, user, comment: str = "") -> None:
    if not can_edit(user, post):
        raise WorkflowError("Anda tidak berhak mengajukan naskah ini.")
    if not (post.body_text or "").strip():
        raise WorkflowError("Isi naskah masih kosong; tulis isinya sebelum diajukan.", "body_html")
    if comment.strip():
        db.session.add(PostComment(post_id=post.id, user_id=user.id, body=comment.strip()[:5000]))
    _transition(post, user, ("draft",), "review", "submit")


def request_changes(post: Post, user, comment: str) -> None:
    refuse_unless(user, "posts.review", "Hanya editor yang dapat meminta perbaikan.")
    if not comment.strip():
        raise WorkflowError("Tuliskan apa yang perlu diperbaiki.", "comment")
    db.session.add(PostComment(post_id=post.id, user_id=user.id, body=comment.strip()[:5000]))
    _transition(post, user, ("review", "approved"), "draft", "request_changes")


def approve(post: Post, user, comment: str = "") -> None:
    refuse_unless(user, "posts.review", "Hanya editor yang dapat menyetujui.")
    if post.author_id == user.id and not current_app.config.get("NEWSROOM_ALLOW_SELF_APPROVAL"):
        raise WorkflowError("Anda tidak dapat menyetujui naskah tulisan sendiri; minta editor lain meninjaunya.")
    if comment.strip():
        db.session.add(PostComment(post_id=post.id, user_id=user.id, body=comment.strip()[:5000]))
    _transition(post, user, ("review",), "approved", "approve", approved_by_id=user.id)


def publish_now(post: Post, user) -> bool:
    refuse_unless(user, "posts.publish", "Hanya editor yang dapat menerbitkan.")
    if post.status not in ("approved", "unpublished"):
        raise WorkflowError("Hanya naskah yang sudah disetujui yang dapat diterbitkan.")
    # Both statements are guarded by the status read above: a concurrent action
    # (schedule, a second click) changes it, and this one then refuses.
    db.session.execute(
        update(Post)
        .where(Post.id == post.id, Post.status.in_(("approved", "unpublished")))
        .values(embargo_until=None, publish_at=None)
        .execution_options(synchronize_session=False)
    )
    if not _go_public(post.id, ("approved", "unpublished"), user=user, action="publish"):
        raise ConflictError(CONFLICT_MESSAGE)
    return True


def schedule(post: Post, user, publish_at: datetime | None, embargo: bool = False) -> None:
    """Publish later; with ``embargo`` the preview link is for journalists."""
    refuse_unless(user, "posts.publish", "Hanya editor yang dapat menjadwalkan.")
    if post.status not in ("approved", "scheduled", "unpublished"):
        raise WorkflowError("Hanya naskah yang sudah disetujui yang dapat dijadwalkan.", "publish_at")
    if publish_at is None:
        raise WorkflowError("Waktu terbit wajib diisi.", "publish_at")
    if publish_at <= naive_utc():
        raise WorkflowError("Waktu terbit sudah lewat; pilih waktu di masa depan.", "publish_at")
    ensure_preview_token(post)
    _transition(
        post,
        user,
        ("approved", "scheduled", "unpublished"),
        "scheduled",
        "embargo" if embargo else "schedule",
        publish_at=publish_at,
        embargo_until=publish_at if embargo else None,
    )
    enqueue("newsroom.publish_if_due", post.id, eta=publish_at)


def cancel_schedule(post: Post, user) -> None:
    refuse_unless(user, "posts.publish", "Hanya editor yang dapat membatalkan jadwal.")
    _transition(post, user, ("scheduled",), "approved", "unschedule", publish_at=None, embargo_until=None)


def unpublish(post: Post, user, reason: str = "") -> None:
    refuse_unless(user, "posts.publish", "Hanya editor yang dapat menarik naskah.")
    _transition(post, user, ("published",), "unpublished", "unpublish")
    if reason.strip():
        add_comment(post, user, "Ditarik: " + reason.strip())
    notify("cms_post_unpublished", post=post)


def _go_public(post_id: int, from_statuses: tuple[str, ...], *, user=None, action: str) -> bool:
    """Flip to published if still in ``from_statuses``; fire the event once."""
    now = naive_utc()
    post = db.session.get(Post, post_id)
    if post is None:
        return False
    when = post.publish_at if post.publish_at and post.publish_at <= now else now
    result = db.session.execute(
        update(Post)
        .where(Post.id == post_id, Post.status.in_(from_statuses))
        .values(status="published", published_at=post.published_at or when, updated_at=now, version=Post.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
        db.session.rollback()
        return False
    assign_number(post_id)  # a release's number, at its first publication, in this transaction
    content_changed(db.session.connection())  # in the publishing transaction
    db.session.expire(post)
    record_revision(post, user, action)
    record(f"post.{action}", "post", post_id, {"status": "published"}, user=user)
    db.session.commit()
    notify("cms_post_published", post=post)
    return True


@job("newsroom.publish_if_due", retries=3, retry_delay=30)
def publish_if_due(post_id: int) -> bool:
    """The ``eta`` job queued by ``schedule``; the sweep is its safety net."""
    post = db.session.get(Post, post_id)
    if post is None or post.status != "scheduled" or not post.publish_at or post.publish_at > naive_utc():
        return False
    return _go_public(post_id, ("scheduled",), action="scheduled_publish")


def publish_due() -> int:
    """Periodic sweep (every minute): publish every scheduled item that is due."""
    ids = db.session.scalars(select(Post.id).where(Post.status == "scheduled", Post.publish_at <= naive_utc())).all()
    return sum(1 for post_id in ids if publish_if_due(post_id))
