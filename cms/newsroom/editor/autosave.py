"""Autosave: nothing typed is lost.

From the first keystroke the form posts its text here.  A new post's draft
is created by its first autosave (the page then moves to the edit URL), so
a writer who never pressed "Simpan" still has a draft.  Answers are JSON the
script acts on: 4xx means stop and show why (read-only, locked, refused),
5xx means try again later.
"""

from __future__ import annotations

from flask import jsonify, url_for
from flask_login import current_user

from cms.extensions import db
from cms.i18n import format_datetime
from cms.inputs import accepts_json, json_object
from cms.models import Post
from cms.newsroom import drafts, edit_lock
from cms.newsroom.editor.views import bp
from cms.newsroom.posts import SUMMARY_MAX, TITLE_MAX, PostData, WorkflowError
from cms.policy import require
from cms.sanitize import clean_text

UNTITLED = "Draf tanpa judul"


def _answer(post: Post, at, created: bool = False):
    return jsonify(
        ok=True,
        created=created,
        saved_at=format_datetime(at, "short"),
        version=post.version,
        post_id=post.id,
        edit_url=url_for("editor.edit", post_id=post.id),
        autosave_url=url_for("editor.autosave", post_id=post.id),
        submit_url=url_for("editor.submit", post_id=post.id),
        title=post.title,
    )


@bp.route("/posts/autosave", methods=["POST"])
@require("posts.write")
@accepts_json
def autosave_new():
    """The first autosave of a new post: create the draft, keep the text."""
    payload = json_object(dict.fromkeys(drafts.AUTOSAVE_FIELDS, str))
    title = clean_text(payload.get("title", ""))[:TITLE_MAX] or UNTITLED
    data = PostData(
        title=title,
        summary=clean_text(payload.get("summary", ""))[:SUMMARY_MAX],
        body_html=payload.get("body_html", ""),
        dateline=payload.get("dateline", ""),
        unit_id=current_user.unit_id,
    )
    try:
        post = drafts.create_post(current_user, data)
        at = drafts.autosave(post, current_user, payload)  # stamps the edit lock
    except WorkflowError as exc:
        db.session.rollback()
        return jsonify(ok=False, error=" ".join(exc.errors.values()) or str(exc)), 400
    db.session.refresh(post)  # the autosave's UPDATE went round the ORM
    return _answer(post, at, created=True), 201


@bp.route("/posts/<int:post_id>/autosave", methods=["POST"])
@require("posts.write")
@accepts_json
def autosave(post_id: int):
    post = db.session.get(Post, post_id)
    if post is None or not drafts.can_view(current_user, post):
        return jsonify(ok=False, error="Naskah tidak ditemukan."), 404
    locked = edit_lock.read_only(post, current_user)
    if locked is not None:
        holder = edit_lock.holder_name(locked.holder) if locked.holder else None
        return jsonify(ok=False, read_only=True, holder=holder, error=locked.reason), 423 if holder else 403
    payload = json_object(dict.fromkeys(drafts.AUTOSAVE_FIELDS, str))
    try:
        at = drafts.autosave(post, current_user, payload)
    except WorkflowError as exc:
        return jsonify(ok=False, error=str(exc)), 400
    return _answer(post, at)
