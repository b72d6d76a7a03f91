"""Staff notifications: the list, opening one (marks it read) and the
unread count every admin page shows in its header."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from cms.extensions import db
from cms.models import Notification
from cms.newsroom import notices
from cms.newsroom.editor.forms import ActionForm
from cms.newsroom.editor.views import bp
from cms.policy import can, require


@bp.app_context_processor
def notice_badge():
    """``unread_notices()`` for the admin header; one COUNT, only when shown."""

    def unread_notices() -> int:
        if not can(current_user, "posts.write"):
            return 0
        return notices.unread_count(current_user)

    return {"unread_notices": unread_notices}


@bp.route("/notifikasi")
@require("posts.write")
def notifications():
    return render_template("editor/notifications.html", notices=notices.latest(current_user), action_form=ActionForm())


@bp.route("/notifikasi/<int:notice_id>")
@require("posts.write")
def open_notification(notice_id: int):
    notice = db.session.get(Notification, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)
    notices.mark_read(current_user, notice.id)
    return redirect(url_for("editor.edit", post_id=notice.post_id) if notice.post_id else url_for(".notifications"))


@bp.route("/notifikasi/baca-semua", methods=["POST"])
@require("posts.write")
def read_all_notifications():
    if not ActionForm().validate_on_submit():
        abort(400)
    notices.mark_read(current_user)
    return redirect(url_for(".notifications"))
