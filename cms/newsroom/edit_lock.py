"""Who may type into a post right now, and why not.

There was no edit lock before: two people could type into the same post and
the second save met a version conflict after the work was done.  The lock is
derived from the autosave every open editor sends from the first keystroke:
another person's autosave younger than ``NEWSROOM_EDIT_LOCK_SECONDS`` holds
it.  No extra table, and a closed tab releases it by simply going quiet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from cms.extensions import db
from cms.models import Post, User
from cms.newsroom import drafts
from cms.timeutil import naive_utc


@dataclass
class ReadOnly:
    """Why the form is read-only; ``holder`` is set for a lock."""

    reason: str
    holder: User | None = None


def lock_holder(post: Post, user) -> User | None:
    """The other person whose recent autosave holds the post, if any."""
    data = post.autosave_data or {}
    by = data.get("by")
    if not by or by == getattr(user, "id", None) or post.autosave_at is None:
        return None
    if post.updated_at and post.autosave_at <= post.updated_at:
        return None  # saved as a version since: the holder is done
    window = timedelta(seconds=int(current_app.config.get("NEWSROOM_EDIT_LOCK_SECONDS", 300)))
    if naive_utc() - post.autosave_at > window:
        return None
    return db.session.get(User, by)


def holder_name(holder: User) -> str:
    return holder.name or holder.email


def read_only(post: Post | None, user) -> ReadOnly | None:
    """None when ``user`` may type into ``post`` now (a new post always)."""
    if post is None:
        return None
    if not drafts.can_edit(user, post):
        return ReadOnly(
            f"Naskah berstatus {post.status_label}: penulis tidak dapat mengubahnya lagi. "
            "Minta editor mengembalikannya ke draf bila perlu diperbaiki."
        )
    holder = lock_holder(post, user)
    if holder is not None:
        return ReadOnly(
            f"Naskah ini sedang disunting oleh {holder_name(holder)}. Anda dapat membacanya; "
            "penyuntingan terbuka lagi beberapa menit setelah ia berhenti mengetik.",
            holder,
        )
    return None
