"""Workflow buttons (submit, approve, schedule, publish…), comments and
revisions (diff and restore).  Each is a small POST form with CSRF."""

from __future__ import annotations

from datetime import UTC

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cms.extensions import db
from cms.i18n import WIB
from cms.inputs import query_id
from cms.models.content import PostRevision
from cms.newsroom import drafts, notices, publishing
from cms.newsroom.editor.diff import action_label, compare
from cms.newsroom.editor.forms import ActionForm, CommentForm, ScheduleForm
from cms.newsroom.editor.views import bp, ensure_can_edit, get_post
from cms.newsroom.posts import WorkflowError, data_from_snapshot
from cms.policy import can, require

PUBLIC_ACTIONS = {"publish", "scheduled_publish", "correction"}


def _back(post):
    return redirect(url_for("editor.edit", post_id=post.id))


def _run(post, action, success: str, *args, then=None):
    """Run a workflow step; ``then(post, user, *args)`` (a notice) only once it committed."""
    try:
        action(post, current_user, *args)
        flash(success, "success")
    except WorkflowError as exc:
        db.session.rollback()
        flash(" ".join(exc.errors.values()) if exc.errors else str(exc), "error")
        return _back(post)
    if then is not None:
        then(post, current_user, *args)
    return _back(post)


def _checked(form_cls=ActionForm, **kwargs):
    form = form_cls(**kwargs)
    if not form.validate_on_submit():
        abort(400)
    return form


def _submit_what_is_on_screen(post, user, comment: str) -> None:
    drafts.store_pending_autosave(post, user)
    publishing.submit(post, user, comment)


@bp.route("/posts/<int:post_id>/submit", methods=["POST"])
@require("posts.write")
def submit(post_id: int):
    form = _checked(CommentForm)
    return _run(
        get_post(post_id),
        _submit_what_is_on_screen,
        "Naskah diajukan untuk ditinjau editor.",
        form.comment.data or "",
        then=notices.submitted,
    )


@bp.route("/posts/<int:post_id>/approve", methods=["POST"])
@require("posts.review")
def approve(post_id: int):
    form = _checked(CommentForm)
    return _run(
        get_post(post_id), publishing.approve, "Naskah disetujui.", form.comment.data or "", then=notices.approved
    )


@bp.route("/posts/<int:post_id>/request-changes", methods=["POST"])
@require("posts.review")
def request_changes(post_id: int):
    form = _checked(CommentForm)
    return _run(
        get_post(post_id),
        publishing.request_changes,
        "Naskah dikembalikan ke penulis.",
        form.comment.data or "",
        then=notices.sent_back,
    )


@bp.route("/posts/<int:post_id>/comment", methods=["POST"])
@require("posts.write")
def comment(post_id: int):
    form = _checked(CommentForm)
    post = get_post(post_id)
    if not (drafts.can_edit(current_user, post) or can(current_user, "posts.review")):
        abort(403)
    return _run(
        post,
        lambda p, u, body: drafts.add_comment(p, u, body),
        "Komentar ditambahkan.",
        form.comment.data or "",
        then=notices.commented,
    )


@bp.route("/posts/<int:post_id>/publish", methods=["POST"])
@require("posts.publish")
def publish(post_id: int):
    _checked()
    post = get_post(post_id)
    return _run(post, publishing.publish_now, "Naskah terbit: " + publishing.public_url(post))


@bp.route("/posts/<int:post_id>/schedule", methods=["POST"])
@require("posts.publish")
def schedule(post_id: int):
    post = get_post(post_id)
    form = ScheduleForm(prefix="s")
    if not form.validate_on_submit() or form.publish_at.data is None:  # required, so set once valid
        message = (
            "; ".join(
                f"{form[name].label.text}: {' '.join(errs)}"
                for name, errs in form.errors.items()
                if name != "csrf_token"
            )
            or "Formulir kedaluwarsa; muat ulang halaman."
        )
        flash(message, "error")
        return _back(post)
    local = form.publish_at.data.replace(tzinfo=WIB)  # typed in WIB
    at = local.astimezone(UTC).replace(tzinfo=None)
    label = (
        "Embargo dipasang; naskah terbuka otomatis pada waktunya."
        if form.embargo.data
        else "Naskah dijadwalkan terbit."
    )
    return _run(post, publishing.schedule, label, at, bool(form.embargo.data))


@bp.route("/posts/<int:post_id>/cancel-schedule", methods=["POST"])
@require("posts.publish")
def cancel_schedule(post_id: int):
    _checked()
    return _run(get_post(post_id), publishing.cancel_schedule, "Jadwal dibatalkan; naskah kembali disetujui.")


@bp.route("/posts/<int:post_id>/unpublish", methods=["POST"])
@require("posts.publish")
def unpublish(post_id: int):
    form = _checked()
    return _run(
        get_post(post_id),
        publishing.unpublish,
        "Naskah ditarik dari situs publik.",
        form.reason.data or request.form.get("reason", ""),
    )


@bp.route("/posts/<int:post_id>/revisions")
@require("posts.write")
def revisions(post_id: int):
    post = get_post(post_id)
    revs = list(post.revisions)  # newest first
    rev_id = query_id("rev")
    selected = next((r for r in revs if r.id == rev_id), revs[0] if revs else None)
    previous = None
    if selected is not None and rev_id is None:
        # Default view for reviewers: everything since the last public version.
        previous = next((r for r in revs if r.id != selected.id and r.action in PUBLIC_ACTIONS), None)
    elif selected is not None:
        older = [r for r in revs if (r.version, r.id) < (selected.version, selected.id)]
        previous = older[0] if older else None
    changes = compare(previous.data if previous else None, selected.data) if selected else []
    return render_template(
        "editor/revisions.html",
        post=post,
        revisions=revs,
        selected=selected,
        previous=previous,
        changes=changes,
        action_label=action_label,
        action_form=ActionForm(),
        can_edit=drafts.can_edit(current_user, post),
    )


@bp.route("/posts/<int:post_id>/revisions/<int:rev_id>/restore", methods=["POST"])
@require("posts.write")
def restore(post_id: int, rev_id: int):
    _checked()
    post = get_post(post_id)
    ensure_can_edit(post)
    rev = db.session.get(PostRevision, rev_id)
    if rev is None or rev.post_id != post.id:
        abort(404)
    try:
        drafts.save_post(post, current_user, data_from_snapshot(rev.data, post), post.version)
        flash(f"Versi {rev.version} dipulihkan sebagai versi baru.", "success")
    except WorkflowError as exc:
        db.session.rollback()
        flash(" ".join(exc.errors.values()) if exc.errors else str(exc), "error")
    return _back(post)
