"""The newsroom workflow: saving, review, scheduling, embargo and publication.

This is the only module that fires ``cms_post_published``,
``cms_post_updated`` and ``cms_post_unpublished``, always after the commit.
Going public is a conditional UPDATE (``WHERE status IN (…)``) so a click, the
periodic sweep and the ``eta`` job can race and only one of them publishes.

draft → review → approved → scheduled | published → unpublished
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import and_, literal_column, or_, select, update
from sqlalchemy.orm.exc import StaleDataError

from cms.audit import record
from cms.extensions import db
from cms.jobs import enqueue, job
from cms.models.content import Post, PostComment, PostCorrection
from cms.newsroom.posts import ConflictError, PostData, WorkflowError, apply_data, snapshot
from cms.plugins import notify
from cms.policy import can
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


# ------------------------------------------------------------------ permissions


def can_edit(user, post: Post) -> bool:
    """Editors edit everything; writers edit their unit's or own items until approved."""
    if can(user, "posts.review"):
        return True
    if not can(user, "posts.write"):
        return False
    if post.status not in ("draft", "review"):
        return False
    return post.author_id == user.id or (user.unit_id is not None and post.unit_id == user.unit_id)


def can_view(user, post: Post) -> bool:
    """Staff view of an item: editors see all, writers their own and their unit's."""
    if can(user, "posts.review"):
        return True
    return can(user, "posts.write") and (
        post.author_id == user.id or (user.unit_id is not None and post.unit_id == user.unit_id)
    )


def _require(user, permission: str, message: str) -> None:
    if not can(user, permission):
        raise WorkflowError(message)


# ------------------------------------------------------------------ saving


def create_post(user, data: PostData) -> Post:
    _require(user, "posts.write", "Anda tidak berhak menulis.")
    post = Post(author_id=user.id, status="draft", unit_id=data.unit_id or user.unit_id)
    apply_data(post, data, is_new=True)
    db.session.add(post)
    db.session.flush()
    _revision(post, user, "create")
    record("post.create", "post", post.id, {"title": post.title})
    db.session.commit()
    return post


def save_post(post: Post, user, data: PostData, expected_version: int, correction: str = "") -> Post:
    """Save an edit; refuses with ``ConflictError`` when the version moved on."""
    if not can_edit(user, post):
        raise WorkflowError("Anda tidak berhak mengubah naskah ini.")
    if post.version != expected_version:
        raise ConflictError(_conflict_message(post))
    was_public = post.status == "published"
    if was_public and data.slug and data.slug != post.slug:
        raise WorkflowError("Slug tidak dapat diubah setelah terbit (tautan harus tetap).", "slug")
    try:
        with db.session.no_autoflush:  # one flush below, where a stale version is caught
            apply_data(post, data, is_new=False)
            post.updated_at = naive_utc()
            if was_public and correction.strip():
                post.corrections.append(PostCorrection(user_id=user.id, note=correction.strip()[:2000]))
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ConflictError(_conflict_message(db.session.get(Post, post.id))) from None
    _revision(post, user, "correction" if was_public and correction.strip() else "save")
    record("post.update", "post", post.id, {"version": post.version})
    db.session.commit()
    if was_public:
        notify("cms_post_updated", post=post)
    return post


CONFLICT_MESSAGE = (
    "Rilis ini baru saja diubah oleh orang lain; tindakan Anda tidak dijalankan. "
    "Muat ulang halaman untuk melihat keadaannya sekarang."
)


def _conflict_message(post: Post | None) -> str:
    who = (
        post.revisions[0].user.name or post.revisions[0].user.email
        if post and post.revisions and post.revisions[0].user
        else "pengguna lain"
    )
    return (
        "Naskah ini sudah diubah oleh " + who + " sejak Anda membukanya. Perubahan Anda belum "
        "disimpan: salin isian Anda, muat ulang halaman, lalu terapkan kembali."
    )


def _revision(post: Post, user, action: str) -> None:
    from cms.models.content import PostRevision

    db.session.add(
        PostRevision(
            post_id=post.id, version=post.version, user_id=getattr(user, "id", None), action=action, data=snapshot(post)
        )
    )


AUTOSAVE_FIELDS = ("title", "summary", "body_html", "dateline")


def autosave(post: Post, user, fields: dict) -> datetime:
    """Keep unsaved editor content aside; never bumps the version."""
    if not can_edit(user, post):
        raise WorkflowError("Anda tidak berhak mengubah naskah ini.")
    at = naive_utc()
    keep = {k: str(v)[:200_000] for k, v in fields.items() if k in AUTOSAVE_FIELDS}
    keep["by"] = user.id
    # Core UPDATE: bypasses the ORM's version counter on purpose.
    db.session.execute(
        update(Post)
        .where(Post.id == post.id)
        .values(autosave_data=keep, autosave_at=at)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return at


def add_comment(post: Post, user, body: str) -> PostComment:
    body = (body or "").strip()
    if not body:
        raise WorkflowError("Komentar tidak boleh kosong.", "comment")
    comment = PostComment(post_id=post.id, user_id=user.id, body=body[:5000])
    db.session.add(comment)
    record("post.comment", "post", post.id)
    db.session.commit()
    return comment


# ------------------------------------------------------------------ transitions


def _transition(post: Post, user, allowed: tuple[str, ...], target: str, action: str, **values) -> None:
    if post.status not in allowed:
        raise WorkflowError(f"Naskah berstatus {post.status_label}; tindakan ini tidak dapat dilakukan.")
    post.status = target
    for key, value in values.items():
        setattr(post, key, value)
    db.session.flush()
    _revision(post, user, action)
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
    _require(user, "posts.review", "Hanya editor yang dapat meminta perbaikan.")
    if not comment.strip():
        raise WorkflowError("Tuliskan apa yang perlu diperbaiki.", "comment")
    db.session.add(PostComment(post_id=post.id, user_id=user.id, body=comment.strip()[:5000]))
    _transition(post, user, ("review", "approved"), "draft", "request_changes")


def approve(post: Post, user, comment: str = "") -> None:
    _require(user, "posts.review", "Hanya editor yang dapat menyetujui.")
    if post.author_id == user.id and not current_app.config.get("NEWSROOM_ALLOW_SELF_APPROVAL"):
        raise WorkflowError("Anda tidak dapat menyetujui naskah tulisan sendiri; minta editor lain meninjaunya.")
    if comment.strip():
        db.session.add(PostComment(post_id=post.id, user_id=user.id, body=comment.strip()[:5000]))
    _transition(post, user, ("review",), "approved", "approve", approved_by_id=user.id)


def publish_now(post: Post, user) -> bool:
    _require(user, "posts.publish", "Hanya editor yang dapat menerbitkan.")
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
    _require(user, "posts.publish", "Hanya editor yang dapat menjadwalkan.")
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
    _require(user, "posts.publish", "Hanya editor yang dapat membatalkan jadwal.")
    _transition(post, user, ("scheduled",), "approved", "unschedule", publish_at=None, embargo_until=None)


def unpublish(post: Post, user, reason: str = "") -> None:
    _require(user, "posts.publish", "Hanya editor yang dapat menarik naskah.")
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
    if result.rowcount != 1:
        db.session.rollback()
        return False
    db.session.expire(post)
    _revision(post, user, action)
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
