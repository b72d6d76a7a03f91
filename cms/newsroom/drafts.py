"""Writing a post before it goes out: who may edit or view it, saving with
its version check, autosave, comments and the revision trail.

The transitions that move a post through review to the public are
``cms.newsroom.publishing``'s; both record revisions with ``record_revision``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from cms.audit import record
from cms.extensions import db
from cms.models.content import Post, PostComment, PostCorrection
from cms.newsroom.posts import ConflictError, PostData, WorkflowError, apply_data, snapshot
from cms.plugins import notify
from cms.policy import can
from cms.timeutil import naive_utc

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


def refuse_unless(user, permission: str, message: str) -> None:
    if not can(user, permission):
        raise WorkflowError(message)


# ------------------------------------------------------------------ saving


def create_post(user, data: PostData) -> Post:
    refuse_unless(user, "posts.write", "Anda tidak berhak menulis.")
    post = Post(author_id=user.id, status="draft", unit_id=data.unit_id or user.unit_id)
    apply_data(post, data, is_new=True)
    db.session.add(post)
    db.session.flush()
    record_revision(post, user, "create")
    record("post.create", "post", post.id, {"title": post.title})
    db.session.commit()
    return post


def save_post(post: Post, user, data: PostData, expected_version: int | None, correction: str = "") -> Post:
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
    record_revision(post, user, "correction" if was_public and correction.strip() else "save")
    record("post.update", "post", post.id, {"version": post.version})
    db.session.commit()
    if was_public:
        notify("cms_post_updated", post=post)
    return post


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


def record_revision(post: Post, user, action: str) -> None:
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


def store_pending_autosave(post: Post, user) -> bool:
    """Make the writer's own autosaved text the post's text before a workflow
    step, so "Ajukan" sends what is on the writer's screen, not the last manual
    save (a draft created by autosave holds only the first keystrokes)."""
    from cms.newsroom.posts import data_from_snapshot, validate

    pending = post.autosave_data or {}
    if pending.get("by") != getattr(user, "id", None) or post.autosave_at is None:
        return False
    if post.updated_at and post.autosave_at <= post.updated_at:
        return False
    snap = snapshot(post)
    snap.update({k: pending[k] for k in AUTOSAVE_FIELDS if k in pending})
    data = data_from_snapshot(snap, post)
    errors = validate(data, post)
    if errors:
        raise WorkflowError("Isian yang tersimpan otomatis belum lengkap: " + " ".join(errors.values()))
    save_post(post, user, data, post.version)
    return True


def add_comment(post: Post, user, body: str) -> PostComment:
    body = (body or "").strip()
    if not body:
        raise WorkflowError("Komentar tidak boleh kosong.", "comment")
    comment = PostComment(post_id=post.id, user_id=user.id, body=body[:5000])
    db.session.add(comment)
    record("post.comment", "post", post.id)
    db.session.commit()
    return comment
